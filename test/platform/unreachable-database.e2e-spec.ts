import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A port that nothing listens on: taken from the system, then let go. */
function closedPort(): Promise<number> {
  return new Promise((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

/** Runs an entry point from its source, as `node dist/src/<entry>.js` would run it built. */
function run(entry: string, args: string[], env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const root = process.cwd();
  return new Promise((done) => {
    execFile(
      process.execPath,
      ['-r', join(root, 'test/platform/transpile-on-require.cjs'), join(root, 'src', `${entry}.ts`), ...args],
      { cwd: root, env: { PATH: process.env.PATH!, ...env }, timeout: 60_000 },
      (error, _stdout, stderr) => done({ code: error ? (error.code as number | null) : 0, stderr }),
    );
  });
}

describe('An unreachable database at boot', () => {
  let dataDir: string;
  beforeAll(() => (dataDir = mkdtempSync(join(tmpdir(), 'registrar-unreachable-'))));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it.each([
    ['the API server', 'main', []],
    ['the worker', 'worker', []],
    ['the CLI', 'cli', ['migration:run']],
  ])('stops %s with one line naming host and port, and the configuration exit code', async (_name, entry, args) => {
    const port = await closedPort();
    const { code, stderr } = await run(entry, args, {
      NODE_ENV: 'test',
      DATABASE_URL: `postgres://registrar@127.0.0.1:${port}/registrar`,
      DATA_DIR: dataDir,
      JWT_SECRET: 'test-secret-that-is-at-least-32-bytes-long',
    });
    expect(stderr).toBe(`Registrar cannot start. Cannot reach PostgreSQL at 127.0.0.1:${port} (connection refused): check DATABASE_URL\n`);
    expect(code).toBe(78);
  });
});
