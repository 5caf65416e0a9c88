import { Logger } from '@nestjs/common';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createScratchDatabase } from '../src/database/scratch-database';
import { seedInstitute } from './seed-institute';

/**
 * One fresh, migrated database per test run: a new database on the server named by
 * DATABASE_URL, or, without it, a throw-away embedded PostgreSQL server. The tests share
 * it and each creates the data it needs; the institute's particulars are the demo's for all. Their DATA_DIR (mail written as .eml files) is a
 * temporary folder of the run, removed with the database in global-teardown.ts.
 */
export default async function globalSetup(): Promise<void> {
  Logger.overrideLogger(['error', 'warn']);
  process.env.REGISTRAR_TEST_DATA_DIR = mkdtempSync(join(tmpdir(), 'registrar-test-data-'));
  const database = await createScratchDatabase('test', process.env.DATABASE_URL);
  // The institute's particulars, once for every suite (mail shows them); a suite that changes them puts them back.
  await seedInstitute(database.url);
  globalThis.__REGISTRAR_TEST_DATABASE__ = database;
  process.env.REGISTRAR_TEST_DATABASE_URL = database.url;
}
