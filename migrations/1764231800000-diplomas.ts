import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Attendance of sessions, diplomas (numbered per year without gaps, each version a row, the
 * signed PDF stored with its SHA-256) and ceremonies with their invitations. Other modules'
 * rows are referred to by id only: students, courses, editions and sessions belong to their
 * modules, which are reached through what they export.
 */
export class Diplomas1764231800000 implements MigrationInterface {
  name = 'Diplomas1764231800000';

  async up(db: QueryRunner): Promise<void> {
    // Attendance: one row per student and session once someone recorded it; no row is absent.
    await db.query(`
      CREATE TABLE attendance_record (
        session_id uuid NOT NULL,
        student_id uuid NOT NULL,
        edition_id uuid NOT NULL,
        present boolean NOT NULL,
        recorded_by uuid,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (session_id, student_id)
      )`);
    await db.query(`CREATE INDEX attendance_record_edition_student ON attendance_record (edition_id, student_id)`);
    await db.query(`CREATE INDEX attendance_record_student ON attendance_record (student_id)`);
    // The share of sessions a course's diploma (and its PE points) asks for.
    await db.query(`
      CREATE TABLE attendance_requirement (
        course_id uuid PRIMARY KEY,
        minimum_percent int NOT NULL CHECK (minimum_percent BETWEEN 1 AND 100),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);

    // The last number given out per year; its row lock serialises numbering, a rollback gives the number back.
    await db.query(`
      CREATE TABLE diploma_number_counter (
        year int PRIMARY KEY,
        last_value int NOT NULL CHECK (last_value BETWEEN 0 AND 999999)
      )`);
    await db.query(`
      CREATE TABLE diploma (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        number text NOT NULL UNIQUE,
        year int NOT NULL,
        sequence int NOT NULL,
        verification_code text NOT NULL UNIQUE CHECK (verification_code ~ '^[A-Z2-7]{20}$'),
        student_id uuid NOT NULL,
        course_id uuid NOT NULL,
        edition_id uuid NOT NULL,
        enrolment_id uuid NOT NULL,
        version int NOT NULL DEFAULT 1,
        supersedes_id uuid UNIQUE REFERENCES diploma (id),
        reissue_reason text,
        superseded_at timestamptz,
        name_on_diploma text NOT NULL CHECK (btrim(name_on_diploma) <> ''),
        course_title text NOT NULL,
        study_load_hours int NOT NULL,
        pe_points jsonb NOT NULL,
        final_grade numeric(3,1),
        issue_date date NOT NULL,
        locale text NOT NULL CHECK (locale IN ('nl', 'en')),
        pdf_sha256 text NOT NULL CHECK (pdf_sha256 ~ '^[0-9a-f]{64}$'),
        pdf_size int NOT NULL,
        signer text,
        issued_by uuid,
        issued_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz,
        revocation_reason text,
        revoked_by uuid,
        mailed_at timestamptz,
        mail_count int NOT NULL DEFAULT 0,
        UNIQUE (year, sequence),
        CHECK ((revoked_at IS NULL) = (revocation_reason IS NULL))
      )`);
    // One current diploma per student and course: issuing again finds it, a reissue supersedes it.
    await db.query(`CREATE UNIQUE INDEX diploma_current_unique ON diploma (student_id, course_id) WHERE superseded_at IS NULL`);
    await db.query(`CREATE INDEX diploma_edition ON diploma (edition_id)`);
    await db.query(`CREATE INDEX diploma_pdf_sha256 ON diploma (pdf_sha256)`);
    await db.query(`
      CREATE TABLE diploma_document (
        -- Deferred: a run writes each file while it renders the next, and the rows at the end.
        diploma_id uuid PRIMARY KEY REFERENCES diploma (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
        pdf bytea NOT NULL
      )`);

    await db.query(`
      CREATE TABLE ceremony (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        title text NOT NULL,
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        place text NOT NULL,
        address text NOT NULL,
        programme text NOT NULL,
        capacity int NOT NULL CHECK (capacity > 0),
        max_guests_per_graduate int NOT NULL DEFAULT 2 CHECK (max_guests_per_graduate >= 0),
        response_deadline timestamptz NOT NULL,
        edition_ids uuid[] NOT NULL,
        invitations_sent_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version int NOT NULL DEFAULT 1,
        CHECK (ends_at > starts_at)
      )`);
    await db.query(`
      CREATE TABLE ceremony_invitation (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        ceremony_id uuid NOT NULL REFERENCES ceremony (id) ON DELETE CASCADE,
        student_id uuid NOT NULL,
        diploma_id uuid NOT NULL REFERENCES diploma (id),
        token text NOT NULL UNIQUE,
        answer text CHECK (answer IN ('yes', 'no')),
        guests int NOT NULL DEFAULT 0 CHECK (guests >= 0),
        answered_at timestamptz,
        invited_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (ceremony_id, student_id),
        CHECK (answer = 'yes' OR guests = 0)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE ceremony_invitation`);
    await db.query(`DROP TABLE ceremony`);
    await db.query(`DROP TABLE diploma_document`);
    await db.query(`DROP TABLE diploma`);
    await db.query(`DROP TABLE diploma_number_counter`);
    await db.query(`DROP TABLE attendance_requirement`);
    await db.query(`DROP TABLE attendance_record`);
  }
}
