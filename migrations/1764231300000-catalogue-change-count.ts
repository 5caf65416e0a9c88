import { MigrationInterface, QueryRunner } from 'typeorm';

/** The tables whose rows make up what the catalogue offers: courses, editions, their places, seats and waitlist terms. */
const OFFER_TABLES = ['course', 'edition', 'location', 'enrolment', 'enrolment_settings'];

/**
 * A count of committed changes to what the catalogue offers, so that a process may keep the
 * open editions in memory and know with one cheap read whether they are still current. Each
 * database session counts in its own row (keyed by backend pid): writers never wait for each
 * other, and because the rows are only ever incremented, the sum changes exactly when a change
 * commits, and is read in the reader's own snapshot.
 */
export class CatalogueChangeCount1764231300000 implements MigrationInterface {
  name = 'CatalogueChangeCount1764231300000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE catalogue_change (
        backend_pid int PRIMARY KEY,
        changes bigint NOT NULL
      )`);
    await db.query(`
      CREATE FUNCTION count_catalogue_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO catalogue_change (backend_pid, changes) VALUES (pg_backend_pid(), 1)
        ON CONFLICT (backend_pid) DO UPDATE SET changes = catalogue_change.changes + 1;
        RETURN NULL;
      END $$`);
    for (const table of OFFER_TABLES) {
      await db.query(`
        CREATE TRIGGER ${table}_counts_catalogue_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${table}
        FOR EACH STATEMENT EXECUTE FUNCTION count_catalogue_change()`);
    }
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of OFFER_TABLES) await db.query(`DROP TRIGGER ${table}_counts_catalogue_change ON ${table}`);
    await db.query(`DROP FUNCTION count_catalogue_change()`);
    await db.query(`DROP TABLE catalogue_change`);
  }
}
