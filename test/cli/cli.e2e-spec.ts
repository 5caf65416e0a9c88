import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { MIGRATIONS } from '../../migrations';
import { UsersService } from '../../src/auth/users.service';
import { createScratchDatabase, ScratchDatabase } from '../../src/database/scratch-database';
import { DEMO_INSTITUTE } from '../../src/demo/demo-institute';
import { SettingsService } from '../../src/settings/settings.service';
import { createEmployer } from '../invoicing/factories';
import { bearer, createTestApp, TestApp } from '../test-app';

const run = promisify(execFile);
/** Each command is a process that loads the whole application: a few seconds each, far more on a busy machine. */
const SPAWNS_TIMEOUT = 180_000;

/** The built CLI, as an operator runs it after `npm run build`, on the scratch database. */
describe('The CLI (built, every command the README shows)', () => {
  let scratch: ScratchDatabase;
  let dataDir: string;
  let t: TestApp;

  const cli = async (...args: string[]) => {
    try {
      const { stdout, stderr } = await run(process.execPath, ['dist/src/cli.js', ...args], {
        env: { ...process.env, DATABASE_URL: scratch.url, DATA_DIR: dataDir, LOG_LEVEL: 'warn', NODE_ENV: 'development' },
      });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  };
  const signIn = (email: string, password: string) => t.http.post('/auth/login').send({ email, password });

  beforeAll(async () => {
    // The same check `npm start` makes: builds only when a source is newer than dist/.
    execFileSync(process.execPath, ['scripts/build.cjs', '--if-stale'], { stdio: 'inherit' });
    scratch = await createScratchDatabase('cli', process.env.REGISTRAR_TEST_DATABASE_URL);
    dataDir = mkdtempSync(join(tmpdir(), 'registrar-cli-'));
    t = await createTestApp({ RUN_WORKER: 'false', DATA_DIR: dataDir }, scratch.url);
  }, 300_000);
  afterAll(async () => {
    await t.close();
    await scratch.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('--help names every command without needing a database', async () => {
    const help = await run(process.execPath, ['dist/src/cli.js', '--help'], { env: { ...process.env, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' } });
    for (const command of ['user:create', 'user:set-password', 'migration:run', 'migration:revert']) expect(help.stdout).toContain(command);
    const userCreate = await cli('user:create', '--help');
    expect(userCreate.stdout).toContain('--email <email>');
  }, SPAWNS_TIMEOUT);

  it('migration:revert reverts the last migration and migration:run applies it again', async () => {
    expect(await cli('migration:revert')).toMatchObject({ code: 0, stdout: 'Reverted the last migration\n' });
    expect(await cli('migration:run')).toMatchObject({ code: 0, stdout: `Applied ${MIGRATIONS[MIGRATIONS.length - 1].name}\n` });
    expect(await cli('migration:run')).toMatchObject({ code: 0, stdout: 'The database is up to date\n' });
  }, SPAWNS_TIMEOUT);

  it('user:create makes a user who signs in with the printed password, or the given one; refuses bad input and a taken email', async () => {
    const created = await cli('user:create', '--email', 'anna.dewit@cli.registrar.example', '--name', 'Anna de Wit', '--roles', 'planner,advisor');
    expect(created).toMatchObject({ code: 0, stderr: '' });
    const [, password] = created.stdout.match(/^Created anna\.dewit@cli\.registrar\.example \(planner, advisor\) with password (\S+)\n$/)!;
    await signIn('anna.dewit@cli.registrar.example', password).expect(200);

    const given = await cli('user:create', '--email', 'given@cli.registrar.example', '--name', 'Given', '--roles', 'finance', '--password', 'a-given-password-1');
    expect(given).toMatchObject({ code: 0, stdout: 'Created given@cli.registrar.example (finance)\n' });
    await signIn('given@cli.registrar.example', 'a-given-password-1').expect(200);

    const taken = await cli('user:create', '--email', 'given@cli.registrar.example', '--name', 'Taken', '--roles', 'admin');
    expect(taken).toMatchObject({ code: 1, stderr: 'email: email is already in use\n' });
    const bad = await cli('user:create', '--email', 'not-an-email', '--name', 'X', '--roles', 'wizard');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('email: email must be an email');
    expect(bad.stderr).toContain('roles: each value in roles must be one of');
    const missing = await cli('user:create', '--email', 'x@cli.registrar.example');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("required option '--name <name>' not specified");
  }, SPAWNS_TIMEOUT);

  it("user:set-password sets a new password, generated or given, and ends the user's sessions", async () => {
    const email = 'forgetful@cli.registrar.example';
    await t.app.get(UsersService).create({ email, displayName: 'Forgetful', roles: ['coordinator'], password: 'the-first-password' });
    const session = (await signIn(email, 'the-first-password').expect(200)).body;

    const generated = await cli('user:set-password', '--email', email);
    expect(generated.code).toBe(0);
    const [, password] = generated.stdout.match(/^Set a new password for forgetful@cli\.registrar\.example: (\S+); their sessions have ended\n$/)!;
    await signIn(email, 'the-first-password').expect(401);
    await signIn(email, password).expect(200);
    await t.http.post('/auth/refresh').send({ refreshToken: session.refreshToken }).expect(401);

    const given = await cli('user:set-password', '--email', email, '--password', 'a-chosen-password-2');
    expect(given).toMatchObject({ code: 0, stdout: 'Set a new password for forgetful@cli.registrar.example; their sessions have ended\n' });
    await signIn(email, 'a-chosen-password-2').expect(200);

    expect(await cli('user:set-password', '--email', email, '--password', 'short')).toMatchObject({
      code: 1,
      stderr: 'password: password must be longer than or equal to 12 characters\n',
    });
    expect(await cli('user:set-password', '--email', 'nobody@cli.registrar.example')).toMatchObject({
      code: 1,
      stderr: 'No user has the email address nobody@cli.registrar.example\n',
    });
  }, SPAWNS_TIMEOUT);

  it('invoices:run shows a dry run, bills the month with a progress bar, and bills nothing twice', async () => {
    await t.app.get(SettingsService).update({ ...DEMO_INSTITUTE });
    const finance = (await t.signIn(['finance'])).token;
    const party = await createEmployer(t, finance);
    await t.http
      .post('/billable-items')
      .set(bearer(finance))
      .send({ billingPartyId: party.id, kind: 'material', description: 'Lesboek', quantity: 1, unitPriceCents: 4_950, vatCategory: 'rate_9', billableOn: '2031-01-15' })
      .expect(201);
    const dry = await cli('invoices:run', '--period', '2031-01', '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('Period 2031-01: 1 invoices, 1 items, total € 53.96');
    expect(dry.stdout).toContain('rate_9');
    const bad = await cli('invoices:run', '--period', '2031-13');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('period');
    const run = await cli('invoices:run', '--period', '2031-01');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/1 billed, 0 skipped, 0 failed/);
    expect(run.stderr).toContain('Invoicing 2031-01');
    const again = await cli('invoices:run', '--period', '2031-01');
    expect(again.stdout).toMatch(/0 billed, 0 skipped, 0 failed/);
  }, SPAWNS_TIMEOUT);
});
