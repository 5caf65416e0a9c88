import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An advice's ranking (`result`, tens of kilobytes) is written once, read back whole and never
 * searched inside the database: `json` keeps the text as given, where `jsonb` parsed it into its
 * binary form on every insert, which took as long as the rest of saving the advice.
 */
export class AdviceResultAsWritten1764232300000 implements MigrationInterface {
  name = 'AdviceResultAsWritten1764232300000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE advice ALTER COLUMN result TYPE json USING result::json`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE advice ALTER COLUMN result TYPE jsonb USING result::jsonb`);
  }
}
