import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { EmbeddedDatabase } from './embedded-database';
import { runMigrations } from './run-migrations';

export interface ScratchDatabase {
  url: string;
  /** Drops the database, or stops and deletes the throw-away server. */
  drop(): Promise<void>;
}

/**
 * A fresh, migrated database for a test or benchmark run: a new database on the server
 * named by `serverUrl`, or a throw-away embedded PostgreSQL server when none is given.
 */
export async function createScratchDatabase(purpose: string, serverUrl?: string): Promise<ScratchDatabase> {
  let scratch: ScratchDatabase;
  if (serverUrl) {
    const name = `registrar_${purpose}_${Date.now()}_${process.pid}`;
    await withClient(serverUrl, (client) => client.query(`CREATE DATABASE ${name}`));
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    scratch = {
      url: url.toString(),
      drop: () => withClient(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)),
    };
  } else {
    const dataDir = mkdtempSync(join(tmpdir(), `registrar-${purpose}-`));
    const port = 55000 + Math.floor(Math.random() * 5000);
    const embedded = await EmbeddedDatabase.start(dataDir, port);
    scratch = {
      url: embedded.url,
      drop: async () => {
        await embedded.stop();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  await runMigrations(scratch.url);
  return scratch;
}

async function withClient(url: string, use: (client: Client) => Promise<unknown>): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await use(client);
  } finally {
    await client.end();
  }
}
