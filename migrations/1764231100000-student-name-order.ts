import { MigrationInterface, QueryRunner } from 'typeorm';

/** Some names put the family name first ("Nguyễn Thị Minh Khai"); mail, invoices and diplomas must show them so. */
export class StudentNameOrder1764231100000 implements MigrationInterface {
  name = 'StudentNameOrder1764231100000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE student ADD COLUMN family_name_first boolean NOT NULL DEFAULT false`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE student DROP COLUMN family_name_first`);
  }
}
