import { INestApplicationContext, Logger } from '@nestjs/common';
import type { DatabaseHandle } from './database/connect';

/**
 * On SIGINT/SIGTERM: close the app (HTTP, job workers, pool) first, then the embedded
 * PostgreSQL, so no connection dies mid-query.
 */
export function stopOnSignal(app: INestApplicationContext, database: DatabaseHandle): void {
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    new Logger('Shutdown').log(`${signal} received, stopping`);
    try {
      await app.close();
    } finally {
      await database.stop();
      process.exit(0);
    }
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
