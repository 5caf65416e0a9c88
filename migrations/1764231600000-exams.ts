import { MigrationInterface, QueryRunner } from 'typeorm';

/** Exam sittings, registrations for them and their results. */
export class Exams1764231600000 implements MigrationInterface {
  name = 'Exams1764231600000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE exam_settings (
        id              smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
        -- the reminder of a sitting goes this many days before it
        reminder_days   integer NOT NULL DEFAULT 3 CHECK (reminder_days BETWEEN 1 AND 60),
        updated_at      timestamptz NOT NULL DEFAULT now(),
        version         integer NOT NULL DEFAULT 1
      )`);
    await db.query(`INSERT INTO exam_settings DEFAULT VALUES`);

    await db.query(`
      CREATE TABLE exam_sitting (
        id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        component_id      uuid NOT NULL REFERENCES exam_component (id) ON DELETE RESTRICT,
        course_id         uuid NOT NULL REFERENCES course (id) ON DELETE RESTRICT,
        -- the edition whose students it is for, when it is for one edition only
        edition_id        uuid REFERENCES edition (id) ON DELETE RESTRICT,
        date              date NOT NULL,
        start_time        text NOT NULL CHECK (start_time ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
        duration_minutes  integer NOT NULL CHECK (duration_minutes BETWEEN 15 AND 600),
        -- start plus duration, on the same day
        end_time          text NOT NULL CHECK (end_time ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$' AND end_time > start_time),
        mode              text NOT NULL CHECK (mode IN ('on_site', 'online')),
        room_id           uuid REFERENCES room (id) ON DELETE RESTRICT,
        invigilator_ids   uuid[] NOT NULL DEFAULT '{}',
        capacity          integer NOT NULL CHECK (capacity >= 1),
        resit_fee_cents   bigint CHECK (resit_fee_cents >= 0),
        status            text NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'open', 'closed', 'held', 'cancelled')),
        note              text,
        results_published_at timestamptz,
        sequence          integer NOT NULL DEFAULT 0,
        created_at        timestamptz NOT NULL DEFAULT now(),
        updated_at        timestamptz NOT NULL DEFAULT now(),
        version           integer NOT NULL DEFAULT 1,
        CONSTRAINT exam_sitting_room_by_mode CHECK ((mode = 'on_site') = (room_id IS NOT NULL))
      )`);
    await db.query(`CREATE INDEX exam_sitting_date ON exam_sitting (date)`);
    await db.query(`CREATE INDEX exam_sitting_component ON exam_sitting (component_id)`);
    await db.query(`CREATE INDEX exam_sitting_invigilators ON exam_sitting USING gin (invigilator_ids)`);

    await db.query(`
      CREATE TABLE exam_sitting_status_change (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        sitting_id    uuid NOT NULL REFERENCES exam_sitting (id) ON DELETE CASCADE,
        from_status   text NOT NULL,
        to_status     text NOT NULL,
        reason        text,
        actor_id      uuid REFERENCES user_account (id) ON DELETE SET NULL,
        at            timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX exam_sitting_status_change_sitting ON exam_sitting_status_change (sitting_id, at)`);

    await db.query(`
      CREATE TABLE exam_registration (
        id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        sitting_id          uuid NOT NULL REFERENCES exam_sitting (id) ON DELETE RESTRICT,
        component_id        uuid NOT NULL REFERENCES exam_component (id) ON DELETE RESTRICT,
        course_id           uuid NOT NULL REFERENCES course (id) ON DELETE RESTRICT,
        student_id          uuid NOT NULL REFERENCES student (id) ON DELETE RESTRICT,
        enrolment_id        uuid NOT NULL REFERENCES enrolment (id) ON DELETE RESTRICT,
        edition_id          uuid NOT NULL REFERENCES edition (id) ON DELETE RESTRICT,
        attempt             integer NOT NULL CHECK (attempt >= 1),
        status              text NOT NULL DEFAULT 'registered' CHECK (status IN ('registered', 'cancelled')),
        fee_cents           bigint CHECK (fee_cents >= 0),
        allow_improvement   boolean NOT NULL DEFAULT false,
        extra_time_minutes  integer NOT NULL DEFAULT 0 CHECK (extra_time_minutes BETWEEN 0 AND 240),
        separate_room       boolean NOT NULL DEFAULT false,
        arrangement_note    text,
        registered_by       uuid REFERENCES user_account (id) ON DELETE SET NULL,
        cancelled_at        timestamptz,
        created_at          timestamptz NOT NULL DEFAULT now(),
        updated_at          timestamptz NOT NULL DEFAULT now(),
        version             integer NOT NULL DEFAULT 1
      )`);
    // One live registration per attempt, and a student sits a sitting once.
    await db.query(`CREATE UNIQUE INDEX exam_registration_attempt ON exam_registration (student_id, component_id, attempt) WHERE status = 'registered'`);
    await db.query(`CREATE UNIQUE INDEX exam_registration_once ON exam_registration (sitting_id, student_id) WHERE status = 'registered'`);
    await db.query(`CREATE INDEX exam_registration_sitting ON exam_registration (sitting_id)`);

    await db.query(`
      CREATE TABLE exam_result (
        id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        registration_id  uuid NOT NULL UNIQUE REFERENCES exam_registration (id) ON DELETE RESTRICT,
        sitting_id       uuid NOT NULL REFERENCES exam_sitting (id) ON DELETE RESTRICT,
        component_id     uuid NOT NULL REFERENCES exam_component (id) ON DELETE RESTRICT,
        student_id       uuid NOT NULL REFERENCES student (id) ON DELETE RESTRICT,
        enrolment_id     uuid NOT NULL REFERENCES enrolment (id) ON DELETE RESTRICT,
        outcome          text NOT NULL CHECK (outcome IN ('grade', 'pass', 'fail', 'absent', 'exempt')),
        grade            numeric(3, 1) CHECK (grade BETWEEN 1.0 AND 10.0),
        passed           boolean NOT NULL,
        published_at     timestamptz,
        entered_by       uuid REFERENCES user_account (id) ON DELETE SET NULL,
        created_at       timestamptz NOT NULL DEFAULT now(),
        updated_at       timestamptz NOT NULL DEFAULT now(),
        version          integer NOT NULL DEFAULT 1,
        CONSTRAINT exam_result_grade_with_outcome CHECK ((outcome = 'grade') = (grade IS NOT NULL))
      )`);
    await db.query(`CREATE INDEX exam_result_student ON exam_result (student_id, component_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE exam_result`);
    await db.query(`DROP TABLE exam_registration`);
    await db.query(`DROP TABLE exam_sitting_status_change`);
    await db.query(`DROP TABLE exam_sitting`);
    await db.query(`DROP TABLE exam_settings`);
  }
}
