import { Logger } from '@nestjs/common';
import { Environment } from '../config/environment';
import { EmbeddedDatabase } from './embedded-database';
import { runMigrations } from './run-migrations';

export interface DatabaseHandle {
  url: string;
  /** Stops the embedded server, if this process started one. */
  stop(): Promise<void>;
}

/** DATABASE_URL when given; otherwise the embedded server (started, or the running one). Then migrations, if configured. */
export async function connectDatabase(env: Environment, options: { attach?: boolean } = {}): Promise<DatabaseHandle> {
  const handle: DatabaseHandle = env.DATABASE_URL
    ? { url: env.DATABASE_URL, stop: async () => undefined }
    : options.attach
      ? await EmbeddedDatabase.attachOrStart(env.DATA_DIR, env.EMBEDDED_PG_PORT)
      : await EmbeddedDatabase.start(env.DATA_DIR, env.EMBEDDED_PG_PORT);
  if (env.RUN_MIGRATIONS) {
    const ran = await runMigrations(handle.url);
    if (ran.length) new Logger('Migrations').log(`Applied ${ran.join(', ')}`);
  }
  return handle;
}
