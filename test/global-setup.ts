import { Logger } from '@nestjs/common';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { EmbeddedDatabase } from '../src/database/embedded-database';
import { runMigrations } from '../src/database/run-migrations';

/**
 * One fresh database per test run: a new database on the server named by DATABASE_URL,
 * or, without it, a throw-away embedded PostgreSQL server. Migrations run once here;
 * the tests share the database and each creates the data it needs.
 */
export default async function globalSetup(): Promise<void> {
  Logger.overrideLogger(['error', 'warn']);
  const serverUrl = process.env.DATABASE_URL;
  let testUrl: string;
  if (serverUrl) {
    const name = `registrar_test_${Date.now()}_${process.pid}`;
    const admin = new Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    testUrl = url.toString();
    globalThis.__REGISTRAR_TEST__ = { serverUrl, database: name };
  } else {
    const dataDir = mkdtempSync(join(tmpdir(), 'registrar-test-'));
    const port = 55000 + Math.floor(Math.random() * 5000);
    const embedded = await EmbeddedDatabase.start(dataDir, port);
    testUrl = embedded.url;
    globalThis.__REGISTRAR_TEST__ = { embedded, dataDir };
  }
  await runMigrations(testUrl);
  process.env.DATABASE_URL = testUrl;
  process.env.REGISTRAR_TEST_DATABASE_URL = testUrl;
}
