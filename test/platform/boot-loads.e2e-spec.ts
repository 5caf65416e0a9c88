import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '../test-app';

/**
 * Libraries the server loads when a request first needs them, never at boot: each took tens to
 * hundreds of milliseconds to load, and a restart must be ready within seconds. One static
 * import of them in a module the boot loads would undo that without a word.
 */
const LOADED_AT_FIRST_USE = [
  'pdfkit',
  'fontkit',
  'qrcode',
  'xmlbuilder2',
  'saxes',
  'exceljs',
  'node-forge',
  '@signpdf/signpdf',
  '@signpdf/placeholder-plain',
  '@signpdf/utils',
  'mailparser',
  'juice',
];

/** A port that nothing listens on: taken from the system, then let go. */
function freePort(): Promise<number> {
  return new Promise((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

describe('The boot of the API server', () => {
  let dataDir: string;
  beforeAll(() => (dataDir = mkdtempSync(join(tmpdir(), 'registrar-boot-loads-'))));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  /** Runs src/main.ts (as `node dist/src/main.js` runs built) until it is ready, stops it, and answers the packages it loaded. */
  async function bootAndStop(): Promise<string[]> {
    const root = process.cwd();
    const port = await freePort();
    const loadedFile = join(dataDir, 'loaded-packages.json');
    const server: ChildProcess = spawn(
      process.execPath,
      ['-r', join(root, 'test/platform/transpile-on-require.cjs'), '-r', join(root, 'test/platform/report-loaded-packages.cjs'), join(root, 'src/main.ts')],
      {
        cwd: root,
        stdio: 'ignore',
        env: {
          PATH: process.env.PATH!,
          NODE_ENV: 'test',
          PORT: String(port),
          DATABASE_URL: process.env.REGISTRAR_TEST_DATABASE_URL!,
          DATA_DIR: dataDir,
          JWT_SECRET: 'test-secret-that-is-at-least-32-bytes-long',
          LOG_LEVEL: 'silent',
          SEED_DEMO: 'false',
          RUN_MIGRATIONS: 'false',
          RUN_WORKER: 'false',
          LOADED_PACKAGES_FILE: loadedFile,
        },
      },
    );
    const exited = new Promise((done) => server.once('exit', done));
    try {
      await eventually(async () => (await fetch(`http://127.0.0.1:${port}/health/ready`).catch(() => undefined))?.status === 200, 90_000);
    } finally {
      server.kill('SIGTERM');
      await exited;
    }
    return JSON.parse(readFileSync(loadedFile, 'utf8')) as string[];
  }

  it('loads none of the heavy libraries; the first boot inlines the mail CSS once, a restart not even that', async () => {
    const first = await bootAndStop();
    expect(first).toContain('@nestjs/core');
    expect(first.filter((name) => LOADED_AT_FIRST_USE.includes(name))).toEqual(['juice']);

    const restart = await bootAndStop();
    expect(restart).toContain('@nestjs/core');
    expect(restart.filter((name) => LOADED_AT_FIRST_USE.includes(name))).toEqual([]);
  }, 240_000);
});
