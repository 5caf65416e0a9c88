import { MigrationInterface, QueryRunner } from 'typeorm';

export class Platform1764230400000 implements MigrationInterface {
  name = 'Platform1764230400000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE EXTENSION IF NOT EXISTS pgcrypto`);

    await db.query(`
      CREATE TABLE user_account (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email         text NOT NULL CHECK (email = lower(email) AND email <> ''),
        display_name  text NOT NULL CHECK (display_name <> ''),
        password_hash text NOT NULL,
        roles         text[] NOT NULL CHECK (
                        cardinality(roles) > 0 AND
                        roles <@ ARRAY['admin','planner','advisor','coordinator','finance','teacher','student']::text[]),
        locale        text NOT NULL DEFAULT 'nl' CHECK (locale IN ('nl', 'en')),
        -- links to the student and teacher records of later modules
        student_id    uuid,
        teacher_id    uuid,
        active        boolean NOT NULL DEFAULT true,
        created_at    timestamptz NOT NULL DEFAULT now(),
        updated_at    timestamptz NOT NULL DEFAULT now(),
        version       integer NOT NULL DEFAULT 1,
        CONSTRAINT user_account_email_unique UNIQUE (email)
      )`);

    await db.query(`
      CREATE TABLE refresh_token (
        id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id     uuid NOT NULL REFERENCES user_account (id) ON DELETE CASCADE,
        -- all tokens rotated from one login share a family; reuse of a spent token revokes the family
        family_id   uuid NOT NULL,
        token_hash  text NOT NULL,
        expires_at  timestamptz NOT NULL,
        used_at     timestamptz,
        revoked_at  timestamptz,
        created_at  timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT refresh_token_hash_unique UNIQUE (token_hash)
      )`);
    await db.query(`CREATE INDEX refresh_token_family_idx ON refresh_token (family_id)`);
    await db.query(`CREATE INDEX refresh_token_user_idx ON refresh_token (user_id)`);

    await db.query(`
      CREATE TABLE login_failure (
        id          bigserial PRIMARY KEY,
        email       text NOT NULL,
        address     text NOT NULL,
        failed_at   timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX login_failure_email_idx ON login_failure (email, failed_at)`);
    await db.query(`CREATE INDEX login_failure_address_idx ON login_failure (address, failed_at)`);

    await db.query(`
      CREATE TABLE audit_entry (
        id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        occurred_at timestamptz NOT NULL DEFAULT now(),
        actor_id    uuid,
        actor_email text,
        request_id  text,
        action      text NOT NULL CHECK (action IN ('create', 'update', 'delete')),
        entity      text NOT NULL,
        entity_id   text NOT NULL,
        changes     jsonb NOT NULL DEFAULT '{}'::jsonb,
        reason      text
      )`);
    await db.query(`CREATE INDEX audit_entry_entity_idx ON audit_entry (entity, entity_id, occurred_at DESC)`);
    await db.query(`CREATE INDEX audit_entry_actor_idx ON audit_entry (actor_id, occurred_at DESC)`);
    await db.query(`CREATE INDEX audit_entry_time_idx ON audit_entry (occurred_at DESC)`);

    await db.query(`
      CREATE TABLE institute_settings (
        id                          smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
        name                        text NOT NULL,
        visiting_address_street     text NOT NULL DEFAULT '',
        visiting_address_postcode   text NOT NULL DEFAULT '',
        visiting_address_city       text NOT NULL DEFAULT '',
        visiting_address_country    text NOT NULL DEFAULT 'NL',
        postal_address_street       text NOT NULL DEFAULT '',
        postal_address_postcode     text NOT NULL DEFAULT '',
        postal_address_city         text NOT NULL DEFAULT '',
        postal_address_country      text NOT NULL DEFAULT 'NL',
        phone                       text NOT NULL DEFAULT '',
        email                       text NOT NULL DEFAULT '',
        website                     text NOT NULL DEFAULT '',
        kvk_number                  text NOT NULL DEFAULT '',
        vat_number                  text NOT NULL DEFAULT '',
        iban                        text NOT NULL DEFAULT '',
        bic                         text NOT NULL DEFAULT '',
        crkbo_registration          text NOT NULL DEFAULT '',
        director_name               text NOT NULL DEFAULT '',
        coordinator_name            text NOT NULL DEFAULT '',
        default_language            text NOT NULL DEFAULT 'nl' CHECK (default_language IN ('nl', 'en')),
        payment_term_days           integer NOT NULL DEFAULT 30 CHECK (payment_term_days BETWEEN 0 AND 365),
        updated_at                  timestamptz NOT NULL DEFAULT now(),
        version                     integer NOT NULL DEFAULT 1
      )`);
    await db.query(`INSERT INTO institute_settings (name) VALUES ('Registrar')`);

    await db.query(`
      CREATE TABLE settings_image (
        kind        text PRIMARY KEY CHECK (kind IN ('logo', 'director_signature', 'coordinator_signature')),
        media_type  text NOT NULL CHECK (media_type IN ('image/png', 'image/jpeg')),
        data        bytea NOT NULL,
        updated_at  timestamptz NOT NULL DEFAULT now()
      )`);

    await db.query(`
      CREATE TABLE background_job (
        id            uuid PRIMARY KEY,
        queue         text NOT NULL,
        requested_by  uuid REFERENCES user_account (id) ON DELETE SET NULL,
        done          integer NOT NULL DEFAULT 0 CHECK (done >= 0),
        total         integer CHECK (total >= 0),
        created_at    timestamptz NOT NULL DEFAULT now(),
        updated_at    timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX background_job_requested_by_idx ON background_job (requested_by, created_at DESC)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE background_job`);
    await db.query(`DROP TABLE settings_image`);
    await db.query(`DROP TABLE institute_settings`);
    await db.query(`DROP TABLE audit_entry`);
    await db.query(`DROP TABLE login_failure`);
    await db.query(`DROP TABLE refresh_token`);
    await db.query(`DROP TABLE user_account`);
  }
}
