import { MigrationInterface, QueryRunner } from 'typeorm';

const WALL_TIME = `'^([01][0-9]|2[0-3]):[0-5][0-9]$'`;

export class Planning1764230700000 implements MigrationInterface {
  name = 'Planning1764230700000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE planning_settings (
        id                      smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
        -- whether 5 May is a day off: every year, only in lustrum years, or never
        liberation_day_policy   text NOT NULL DEFAULT 'lustrum' CHECK (liberation_day_policy IN ('every-year', 'lustrum', 'never')),
        updated_at              timestamptz NOT NULL DEFAULT now(),
        version                 integer NOT NULL DEFAULT 1
      )`);
    await db.query(`INSERT INTO planning_settings DEFAULT VALUES`);

    await db.query(`
      CREATE TABLE closing_day (
        id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        from_date   date NOT NULL,
        to_date     date NOT NULL CHECK (to_date >= from_date),
        reason      text NOT NULL CHECK (reason <> ''),
        created_at  timestamptz NOT NULL DEFAULT now(),
        updated_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX closing_day_range_idx ON closing_day (from_date, to_date)`);

    await db.query(`
      CREATE TABLE location (
        id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name        text NOT NULL CHECK (name <> ''),
        online      boolean NOT NULL DEFAULT false,
        street      text NOT NULL DEFAULT '',
        postcode    text NOT NULL DEFAULT '',
        city        text NOT NULL DEFAULT '',
        created_at  timestamptz NOT NULL DEFAULT now(),
        updated_at  timestamptz NOT NULL DEFAULT now(),
        version     integer NOT NULL DEFAULT 1,
        CONSTRAINT location_name_unique UNIQUE (name)
      )`);

    await db.query(`
      CREATE TABLE room (
        id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        location_id uuid NOT NULL REFERENCES location (id) ON DELETE RESTRICT,
        name        text NOT NULL CHECK (name <> ''),
        -- null: an online room, without a seat limit
        capacity    integer CHECK (capacity >= 1),
        facilities  text[] NOT NULL DEFAULT '{}',
        active      boolean NOT NULL DEFAULT true,
        created_at  timestamptz NOT NULL DEFAULT now(),
        updated_at  timestamptz NOT NULL DEFAULT now(),
        version     integer NOT NULL DEFAULT 1,
        CONSTRAINT room_name_unique UNIQUE (location_id, name)
      )`);

    // The institute always has its online location, with one room without a seat limit.
    await db.query(`
      WITH online AS (INSERT INTO location (name, online) VALUES ('Online', true) RETURNING id)
      INSERT INTO room (location_id, name, capacity, facilities) SELECT id, 'Online (videovergadering)', NULL, '{video}' FROM online`);

    await db.query(`
      CREATE TABLE teacher (
        id                      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name                    text NOT NULL CHECK (name <> ''),
        email                   text NOT NULL CHECK (email = lower(email) AND email <> ''),
        phone                   text NOT NULL DEFAULT '',
        locale                  text NOT NULL DEFAULT 'nl' CHECK (locale IN ('nl', 'en')),
        disciplines             text[] NOT NULL DEFAULT '{}',
        course_ids              uuid[] NOT NULL DEFAULT '{}',
        -- [{ weekday, from, to }]
        availability            jsonb NOT NULL DEFAULT '[]'::jsonb,
        -- [{ from, to, reason }]
        blocked_periods         jsonb NOT NULL DEFAULT '[]'::jsonb,
        max_meetings_per_week   integer CHECK (max_meetings_per_week >= 1),
        -- sha-256 of the secret in the teacher's calendar link
        calendar_token_hash     text,
        active                  boolean NOT NULL DEFAULT true,
        created_at              timestamptz NOT NULL DEFAULT now(),
        updated_at              timestamptz NOT NULL DEFAULT now(),
        version                 integer NOT NULL DEFAULT 1,
        CONSTRAINT teacher_email_unique UNIQUE (email),
        CONSTRAINT teacher_calendar_token_unique UNIQUE (calendar_token_hash),
        CONSTRAINT teacher_has_expertise CHECK (cardinality(disciplines) + cardinality(course_ids) > 0)
      )`);

    await db.query(`
      CREATE TABLE edition (
        id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code                  text NOT NULL,
        course_id             uuid NOT NULL REFERENCES course (id) ON DELETE RESTRICT,
        title_suffix          text NOT NULL DEFAULT '',
        start_date            date NOT NULL,
        weekdays              integer[] NOT NULL CHECK (cardinality(weekdays) BETWEEN 1 AND 7 AND weekdays <@ '{1,2,3,4,5,6,7}'),
        start_time            text NOT NULL CHECK (start_time ~ ${WALL_TIME}),
        end_time              text NOT NULL CHECK (end_time ~ ${WALL_TIME} AND end_time > start_time),
        meeting_count         integer NOT NULL CHECK (meeting_count >= 1),
        interval_weeks        integer NOT NULL CHECK (interval_weeks >= 1),
        location_id           uuid NOT NULL REFERENCES location (id) ON DELETE RESTRICT,
        capacity              integer NOT NULL CHECK (capacity >= 1),
        min_participants      integer NOT NULL CHECK (min_participants >= 1 AND min_participants <= capacity),
        enrolment_deadline    date,
        go_no_go_date         date,
        price_override_cents  bigint CHECK (price_override_cents >= 0),
        status                text NOT NULL DEFAULT 'draft'
                              CHECK (status IN ('draft', 'open', 'confirmed', 'running', 'completed', 'cancelled')),
        status_changed_at     timestamptz NOT NULL DEFAULT now(),
        cancellation_reason   text,
        -- when the go/no-go check proposed cancellation to the planners, so that it does so once
        go_no_go_proposed_at  timestamptz,
        created_at            timestamptz NOT NULL DEFAULT now(),
        updated_at            timestamptz NOT NULL DEFAULT now(),
        version               integer NOT NULL DEFAULT 1,
        CONSTRAINT edition_code_unique UNIQUE (code)
      )`);
    await db.query(`CREATE INDEX edition_course_idx ON edition (course_id, start_date)`);
    await db.query(`CREATE INDEX edition_go_no_go_idx ON edition (go_no_go_date) WHERE status = 'open'`);

    await db.query(`
      CREATE TABLE session (
        id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        edition_id  uuid NOT NULL REFERENCES edition (id) ON DELETE CASCADE,
        date        date NOT NULL,
        start_time  text NOT NULL CHECK (start_time ~ ${WALL_TIME}),
        end_time    text NOT NULL CHECK (end_time ~ ${WALL_TIME} AND end_time > start_time),
        teacher_id  uuid REFERENCES teacher (id) ON DELETE RESTRICT,
        room_id     uuid REFERENCES room (id) ON DELETE RESTRICT,
        status      text NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'cancelled')),
        -- iCalendar SEQUENCE: raised on every change subscribers must see
        sequence    integer NOT NULL DEFAULT 0,
        created_at  timestamptz NOT NULL DEFAULT now(),
        updated_at  timestamptz NOT NULL DEFAULT now(),
        version     integer NOT NULL DEFAULT 1
      )`);
    await db.query(`CREATE INDEX session_edition_idx ON session (edition_id, date)`);
    await db.query(`CREATE INDEX session_date_idx ON session (date) WHERE status = 'planned'`);
    await db.query(`CREATE INDEX session_teacher_idx ON session (teacher_id, date)`);
    await db.query(`CREATE INDEX session_room_idx ON session (room_id, date)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE session`);
    await db.query(`DROP TABLE edition`);
    await db.query(`DROP TABLE teacher`);
    await db.query(`DROP TABLE room`);
    await db.query(`DROP TABLE location`);
    await db.query(`DROP TABLE closing_day`);
    await db.query(`DROP TABLE planning_settings`);
  }
}
