import { InvalidEnvironmentError, loadEnvironment } from './environment';

function problemsOf(source: Record<string, string>): string[] {
  try {
    loadEnvironment(source);
  } catch (error) {
    if (error instanceof InvalidEnvironmentError) return error.problems;
    throw error;
  }
  return [];
}

describe('loadEnvironment', () => {
  it('boots a development setup from nothing, with an embedded database and demo data', () => {
    const env = loadEnvironment({});
    expect(env).toMatchObject({ NODE_ENV: 'development', PORT: 3000, SEED_DEMO: true, RUN_MIGRATIONS: true });
    expect(env.usesEmbeddedDatabase).toBe(true);
  });

  it('parses numbers and booleans and ignores unrelated variables', () => {
    const env = loadEnvironment({ PORT: '8080', SEED_DEMO: 'false', RUN_WORKER: '0', HOME: '/root' });
    expect(env.PORT).toBe(8080);
    expect(env.SEED_DEMO).toBe(false);
    expect(env.RUN_WORKER).toBe(false);
    expect((env as unknown as Record<string, unknown>).HOME).toBeUndefined();
  });

  it('refuses production without a database, a strong secret and mail settings, naming each', () => {
    const problems = problemsOf({ NODE_ENV: 'production', JWT_SECRET: 'short' });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('DATABASE_URL'),
        'JWT_SECRET must be at least 32 bytes long',
        expect.stringContaining('SMTP_URL'),
        'MAIL_FROM is required in production',
      ]),
    );
  });

  it('holds no signing secret of its own: outside production a missing one is made at boot (see signingSecret)', () => {
    expect(loadEnvironment({}).JWT_SECRET).toBeUndefined();
    expect(loadEnvironment({ NODE_ENV: 'test' }).JWT_SECRET).toBeUndefined();
  });

  it('refuses a blank, repeated-character or published JWT_SECRET in production, naming the rule', () => {
    const secretProblem = (secret: string) => problemsOf({ NODE_ENV: 'production', JWT_SECRET: secret }).filter((p) => p.startsWith('JWT_SECRET'));
    expect(secretProblem(' '.repeat(32))).toEqual(['JWT_SECRET must not be blank']);
    expect(secretProblem('x'.repeat(40))).toEqual([expect.stringMatching(/^JWT_SECRET must be random: it has fewer than 10 distinct characters/)]);
    expect(secretProblem('ab12'.repeat(10))).toEqual([expect.stringMatching(/^JWT_SECRET must be random/)]);
    for (const published of ['registrar-development-secret-not-for-production-use', 'secret'.repeat(6), 'test-secret-that-is-at-least-32-bytes-long']) {
      expect(secretProblem(published)).toEqual([expect.stringMatching(/^JWT_SECRET must not be a published value/)]);
    }
    expect(secretProblem('q7Vd0-Lm3xTz9Rk2Wb8YhN4cFj6Ps1Ae')).toEqual([]);
    // Outside production only a blank secret is refused: the tests sign with a known one.
    expect(problemsOf({ JWT_SECRET: ' '.repeat(40) })).toEqual(['JWT_SECRET must not be blank']);
    expect(problemsOf({ JWT_SECRET: 'x'.repeat(40) })).toEqual([]);
  });

  it('never seeds demo data in production', () => {
    const env = loadEnvironment({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://db/registrar',
      JWT_SECRET: 'q7Vd0-Lm3xTz9Rk2Wb8YhN4cFj6Ps1Ae',
      SMTP_URL: 'smtp://mail.example.nl:587',
      MAIL_FROM: 'Registrar <no-reply@example.nl>',
      SEED_DEMO: 'true',
    });
    expect(env.SEED_DEMO).toBe(false);
  });

  it('links to the port it listens on when PUBLIC_URL is not set', () => {
    expect(loadEnvironment({}).PUBLIC_URL).toBe('http://localhost:3000');
    expect(loadEnvironment({ PORT: '8080' }).PUBLIC_URL).toBe('http://localhost:8080');
    expect(loadEnvironment({ PORT: '8080', PUBLIC_URL: '' }).PUBLIC_URL).toBe('http://localhost:8080');
    expect(loadEnvironment({ PORT: '8080', PUBLIC_URL: 'https://registrar.example' }).PUBLIC_URL).toBe('https://registrar.example');
  });

  it('names the variable and the rule for a bad value', () => {
    expect(problemsOf({ PORT: 'eighty' })).toEqual(['PORT must be an integer number']);
    expect(problemsOf({ DATABASE_URL: 'mysql://x' })).toEqual([expect.stringMatching(/^DATABASE_URL must be a postgres:\/\//)]);
    expect(problemsOf({ ADMIN_EMAIL: 'root@example.nl' })).toEqual(['ADMIN_PASSWORD is required when ADMIN_EMAIL is set']);
  });
});
