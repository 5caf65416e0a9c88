import { MigrationInterface, QueryRunner } from 'typeorm';

export class Catalogue1764230600000 implements MigrationInterface {
  name = 'Catalogue1764230600000';

  async up(db: QueryRunner): Promise<void> {
    // Generated columns need immutable expressions; array_to_string is only stable, so it is wrapped.
    await db.query(`
      CREATE FUNCTION course_keywords_text(keywords text[]) RETURNS text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE
      AS $$ SELECT coalesce(array_to_string(keywords, ' '), '') $$`);

    await db.query(`
      CREATE TABLE course (
        id                      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code                    text NOT NULL CHECK (code ~ '^[A-Z0-9][A-Z0-9-]{1,19}$'),
        title_nl                text NOT NULL CHECK (title_nl <> ''),
        title_en                text,
        description_nl          text NOT NULL DEFAULT '',
        description_en          text,
        discipline              text NOT NULL CHECK (discipline <> ''),
        keywords                text[] NOT NULL DEFAULT '{}',
        study_load_hours        integer NOT NULL CHECK (study_load_hours > 0),
        ects                    numeric(4,1) NOT NULL CHECK (ects >= 0),
        -- [{ register, points }]: points for professional registers
        pe_points               jsonb NOT NULL DEFAULT '[]'::jsonb,
        tuition_cents           bigint NOT NULL CHECK (tuition_cents >= 0),
        tuition_vat             text NOT NULL CHECK (tuition_vat IN ('exempt', 'rate_21', 'rate_9', 'rate_0')),
        -- [{ kind, description, amountCents, vat }]
        other_fees              jsonb NOT NULL DEFAULT '[]'::jsonb,
        minimum_prior_education text NOT NULL
                                CHECK (minimum_prior_education IN ('hbo_bachelor', 'wo_bachelor', 'wo_master', 'hbo_level_intake')),
        prerequisite_course_ids uuid[] NOT NULL DEFAULT '{}',
        delivery_mode           text NOT NULL CHECK (delivery_mode IN ('on_site', 'online', 'blended')),
        -- { weekdays, startTime, endTime, count, intervalWeeks } or null
        default_pattern         jsonb,
        min_participants        integer NOT NULL CHECK (min_participants >= 1),
        max_participants        integer NOT NULL CHECK (max_participants >= min_participants),
        retired_at              timestamptz,
        created_at              timestamptz NOT NULL DEFAULT now(),
        updated_at              timestamptz NOT NULL DEFAULT now(),
        version                 integer NOT NULL DEFAULT 1,
        search_nl               tsvector GENERATED ALWAYS AS (
                                  setweight(to_tsvector('dutch', title_nl), 'A') ||
                                  setweight(to_tsvector('dutch', course_keywords_text(keywords)), 'B') ||
                                  setweight(to_tsvector('dutch', description_nl), 'C')) STORED,
        search_en               tsvector GENERATED ALWAYS AS (
                                  setweight(to_tsvector('english', coalesce(title_en, '')), 'A') ||
                                  setweight(to_tsvector('english', course_keywords_text(keywords)), 'B') ||
                                  setweight(to_tsvector('english', coalesce(description_en, '')), 'C')) STORED,
        CONSTRAINT course_code_unique UNIQUE (code)
      )`);
    await db.query(`CREATE INDEX course_search_nl_idx ON course USING gin (search_nl)`);
    await db.query(`CREATE INDEX course_search_en_idx ON course USING gin (search_en)`);
    await db.query(`CREATE INDEX course_discipline_idx ON course (discipline)`);

    await db.query(`
      CREATE TABLE exam_component (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        course_id     uuid NOT NULL REFERENCES course (id) ON DELETE CASCADE,
        position      integer NOT NULL CHECK (position >= 1),
        name          text NOT NULL CHECK (name <> ''),
        -- share in the final grade, in percent
        weight        integer NOT NULL CHECK (weight BETWEEN 1 AND 100),
        pass_mark     numeric(3,1) NOT NULL DEFAULT 5.5 CHECK (pass_mark BETWEEN 1.0 AND 10.0),
        max_attempts  integer NOT NULL DEFAULT 2 CHECK (max_attempts >= 1),
        created_at    timestamptz NOT NULL DEFAULT now(),
        updated_at    timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX exam_component_course_idx ON exam_component (course_id, position)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE exam_component`);
    await db.query(`DROP TABLE course`);
    await db.query(`DROP FUNCTION course_keywords_text(text[])`);
  }
}
