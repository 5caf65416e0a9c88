import { Logger } from '@nestjs/common';
import { Environment } from '../config/environment';
import { connectionError, DatabaseUnreachableError, unreachableReason } from './connection-errors';
import { EmbeddedDatabase } from './embedded-database';
import { lazyImport } from '../kernel/lazy-import';

/** TypeORM and the migrations: loaded while an embedded server starts up, not before it is launched. */
const migrations = lazyImport(() => import('./run-migrations'));

export interface DatabaseHandle {
  url: string;
  /** Stops the embedded server, if this process started one. */
  stop(): Promise<void>;
}

export interface ConnectOptions {
  /** Use the embedded server of the running Registrar that owns DATA_DIR, if one runs (CLI, worker). */
  attach?: boolean;
  /** Called once an embedded server's process runs: it starts up by itself from there, while this process does other work. */
  onLaunched?: () => void;
}

/** DATABASE_URL when given; otherwise the embedded server (started, or the running one). Then migrations, if configured. */
export async function connectDatabase(env: Environment, options: ConnectOptions = {}): Promise<DatabaseHandle> {
  const handle: DatabaseHandle = env.DATABASE_URL
    ? { url: env.DATABASE_URL, stop: async () => undefined }
    : options.attach
      ? await EmbeddedDatabase.attachOrStart(env.DATA_DIR, env.EMBEDDED_PG_PORT)
      : await EmbeddedDatabase.start(env.DATA_DIR, env.EMBEDDED_PG_PORT, options.onLaunched);
  await assertConnects(handle.url, env.DATABASE_URL ? 'DATABASE_URL' : 'EMBEDDED_PG_PORT');
  if (env.RUN_MIGRATIONS) {
    const migrate = async () => {
      const ran = await (await migrations()).runMigrations(handle.url);
      if (ran.length) new Logger('Migrations').log(`Applied ${ran.join(', ')}`);
    };
    await migrate();
    // A restarted embedded server is checked again, under the same advisory lock as at boot.
    if (handle instanceof EmbeddedDatabase) handle.onRestart(migrate);
  }
  return handle;
}

/**
 * For entry points: a database that cannot be reached or refuses the login stops the process
 * the way a bad environment does (one line naming host and port, exit code 78).
 */
export async function connectDatabaseOrExit(env: Environment, options: ConnectOptions = {}): Promise<DatabaseHandle> {
  try {
    return await connectDatabase(env, options);
  } catch (error) {
    if (error instanceof DatabaseUnreachableError) {
      process.stderr.write(`Registrar cannot start. ${error.message}\n`);
      process.exit(78); // EX_CONFIG, as for a bad environment (config/load.ts)
    }
    throw error;
  }
}

/** One connection before anything else, so that a wrong address is told in words, not as a stack trace. */
async function assertConnects(url: string, setting: string): Promise<void> {
  const error = await connectionError(url, 'registrar-boot');
  if (error === undefined) return;
  const { hostname, port } = new URL(url);
  const at = `${hostname || 'localhost'}:${port || 5432}`;
  const reason = unreachableReason(error);
  throw new DatabaseUnreachableError(
    reason
      ? `Cannot reach PostgreSQL at ${at} (${reason}): check ${setting}`
      : `Cannot connect to PostgreSQL at ${at} (${(error as Error).message}): check ${setting}`,
  );
}
