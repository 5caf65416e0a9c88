import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A mail can be about a billing party (an employer that pays: an invoice, a reminder), not
 * only about a student. No foreign key: mail sits below the domain modules and keeps their ids
 * as references only, as it does the student's.
 */
export class MailSubjects1764231550000 implements MigrationInterface {
  name = 'MailSubjects1764231550000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE mail_message ADD COLUMN billing_party_id uuid`);
    await db.query(
      `CREATE INDEX mail_message_billing_party_idx ON mail_message (billing_party_id, created_at DESC) WHERE billing_party_id IS NOT NULL`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX mail_message_billing_party_idx`);
    await db.query(`ALTER TABLE mail_message DROP COLUMN billing_party_id`);
  }
}
