import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the seams between the modules need in the database: the audit log names the job a
 * change was made by (and a job the address of who started it); an enrolment records when it
 * was completed and with which final grade; a student has a number, and a billing party a
 * payment term and a language, for the exams, invoices and diplomas built on enrolment.
 */
export class Seams1764231500000 implements MigrationInterface {
  name = 'Seams1764231500000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE audit_entry ADD COLUMN job_id uuid`);
    await db.query(`CREATE INDEX audit_entry_job_idx ON audit_entry (job_id, occurred_at) WHERE job_id IS NOT NULL`);
    await db.query(`ALTER TABLE background_job ADD COLUMN requested_by_email text`);
    // The number a student is known by outside Registrar: on exam lists, results files and diplomas.
    await db.query(`CREATE SEQUENCE student_number_seq START 100001`);
    await db.query(`ALTER TABLE student ADD COLUMN student_number integer NOT NULL UNIQUE DEFAULT nextval('student_number_seq')`);
    await db.query(`ALTER SEQUENCE student_number_seq OWNED BY student.student_number`);
    // What invoicing needs of whoever pays: how long they have to pay, and in which language.
    await db.query(`
      ALTER TABLE billing_party
        ADD COLUMN payment_term_days integer NOT NULL DEFAULT 30 CHECK (payment_term_days BETWEEN 0 AND 120),
        ADD COLUMN locale text NOT NULL DEFAULT 'nl' CHECK (locale IN ('nl', 'en'))
    `);
    await db.query(`UPDATE billing_party b SET locale = s.locale FROM student s WHERE s.id = b.student_id`);
    await db.query(`
      ALTER TABLE enrolment
        ADD COLUMN final_grade numeric(3, 1) CHECK (final_grade BETWEEN 1 AND 10),
        ADD COLUMN completed_at timestamptz,
        ADD CONSTRAINT enrolment_completed_has_date CHECK ((status = 'completed') = (completed_at IS NOT NULL)),
        ADD CONSTRAINT enrolment_grade_only_when_completed CHECK (final_grade IS NULL OR status = 'completed')
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE enrolment
        DROP CONSTRAINT enrolment_grade_only_when_completed,
        DROP CONSTRAINT enrolment_completed_has_date,
        DROP COLUMN completed_at,
        DROP COLUMN final_grade
    `);
    await db.query(`ALTER TABLE billing_party DROP COLUMN locale, DROP COLUMN payment_term_days`);
    await db.query(`ALTER TABLE student DROP COLUMN student_number`);
    await db.query(`ALTER TABLE background_job DROP COLUMN requested_by_email`);
    await db.query(`DROP INDEX audit_entry_job_idx`);
    await db.query(`ALTER TABLE audit_entry DROP COLUMN job_id`);
  }
}
