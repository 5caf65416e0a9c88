import { MigrationInterface, QueryRunner } from 'typeorm';

export class Enrolment1764230800000 implements MigrationInterface {
  name = 'Enrolment1764230800000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE enrolment_settings (
        id                          smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
        -- days a student promoted from the waitlist has to accept the seat
        offer_days                  integer NOT NULL DEFAULT 5 CHECK (offer_days BETWEEN 1 AND 60),
        -- cancelling is free until this many days before the start
        free_cancellation_days      integer NOT NULL DEFAULT 28 CHECK (free_cancellation_days >= 0),
        -- after that, this share of the tuition is due
        cancellation_fee_percent    integer NOT NULL DEFAULT 50 CHECK (cancellation_fee_percent BETWEEN 0 AND 100),
        -- students that may wait per edition; null: no limit, 0: no waitlist
        waitlist_limit              integer CHECK (waitlist_limit >= 0),
        updated_at                  timestamptz NOT NULL DEFAULT now(),
        version                     integer NOT NULL DEFAULT 1
      )`);
    await db.query(`INSERT INTO enrolment_settings DEFAULT VALUES`);

    await db.query(`
      CREATE TABLE student (
        id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        given_names           text NOT NULL,
        name_prefix           text NOT NULL DEFAULT '',
        family_name           text NOT NULL,
        -- stored lower-case; unique among students that are not erased
        email                 text,
        -- E.164, e.g. +31612345678
        phone                 text,
        date_of_birth         date,
        locale                text NOT NULL DEFAULT 'nl' CHECK (locale IN ('nl', 'en')),
        -- { street, houseNumber, postcode, city, country }
        address               jsonb,
        -- { level, field, year, institution }
        prior_education       jsonb,
        profession            text NOT NULL DEFAULT '',
        sector                text NOT NULL DEFAULT '',
        years_of_experience   integer CHECK (years_of_experience BETWEEN 0 AND 70),
        employer              text NOT NULL DEFAULT '',
        contact_preference    text NOT NULL DEFAULT 'mail' CHECK (contact_preference IN ('mail', 'phone', 'app')),
        notes                 text NOT NULL DEFAULT '',
        -- set when the personal data was anonymised on request
        erased_at             timestamptz,
        created_at            timestamptz NOT NULL DEFAULT now(),
        updated_at            timestamptz NOT NULL DEFAULT now(),
        version               integer NOT NULL DEFAULT 1,
        CONSTRAINT student_erased_has_no_email CHECK (erased_at IS NULL OR email IS NULL),
        CONSTRAINT student_email_lower CHECK (email = lower(email))
      )`);
    await db.query(`CREATE UNIQUE INDEX student_email_unique ON student (email) WHERE email IS NOT NULL`);
    await db.query(`CREATE INDEX student_family_name_idx ON student (lower(family_name))`);

    await db.query(`
      ALTER TABLE user_account
        ADD CONSTRAINT user_account_student_fk FOREIGN KEY (student_id) REFERENCES student (id) ON DELETE SET NULL`);

    await db.query(`
      CREATE TABLE billing_party (
        id                      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind                    text NOT NULL CHECK (kind IN ('student', 'employer')),
        -- the paying student, for kind 'student'
        student_id              uuid REFERENCES student (id) ON DELETE RESTRICT,
        name                    text NOT NULL CHECK (name <> ''),
        -- { street, houseNumber, postcode, city, country }
        address                 jsonb,
        vat_number              text,
        kvk_number              text CHECK (kvk_number ~ '^[0-9]{8}$'),
        contact_name            text NOT NULL DEFAULT '',
        contact_email           text,
        -- the purchase order or reference the employer wants on its invoices
        reference               text NOT NULL DEFAULT '',
        -- Peppol participant id, e.g. 0106:12345678
        peppol_id               text,
        -- after the student's erasure: name and address kept for the invoices until this day (7 years)
        retained_until          date,
        created_at              timestamptz NOT NULL DEFAULT now(),
        updated_at              timestamptz NOT NULL DEFAULT now(),
        version                 integer NOT NULL DEFAULT 1,
        CONSTRAINT billing_party_student CHECK ((kind = 'student') = (student_id IS NOT NULL))
      )`);
    await db.query(`CREATE UNIQUE INDEX billing_party_student_unique ON billing_party (student_id) WHERE kind = 'student'`);

    // The order in which enrolment requests were taken, across all editions: the waitlist order.
    await db.query(`CREATE SEQUENCE enrolment_queue_seq`);
    await db.query(`
      CREATE TABLE enrolment (
        id                      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        student_id              uuid NOT NULL REFERENCES student (id) ON DELETE RESTRICT,
        edition_id              uuid NOT NULL REFERENCES edition (id) ON DELETE RESTRICT,
        billing_party_id        uuid REFERENCES billing_party (id) ON DELETE RESTRICT,
        -- per enrolment, overriding the billing party's reference
        purchase_order          text NOT NULL DEFAULT '',
        status                  text NOT NULL
                                CHECK (status IN ('waitlisted', 'offered', 'enrolled', 'declined', 'expired', 'cancelled', 'transferred', 'completed')),
        queue_position          bigint NOT NULL DEFAULT nextval('enrolment_queue_seq'),
        -- the tuition when the seat was taken, in cents
        tuition_cents           bigint NOT NULL CHECK (tuition_cents >= 0),
        -- why the entry requirements were waived; null when they were met
        override_reason         text,
        offer_expires_at        timestamptz,
        cancelled_at            timestamptz,
        cancellation_reason     text,
        -- due under the cancellation terms; invoicing picks it up
        cancellation_fee_cents  bigint CHECK (cancellation_fee_cents >= 0),
        transferred_from_id     uuid REFERENCES enrolment (id),
        created_at              timestamptz NOT NULL DEFAULT now(),
        updated_at              timestamptz NOT NULL DEFAULT now(),
        version                 integer NOT NULL DEFAULT 1
      )`);
    // One live enrolment per student and edition; cancelled and closed ones stay as history.
    await db.query(`
      CREATE UNIQUE INDEX enrolment_live_unique ON enrolment (student_id, edition_id)
        WHERE status IN ('waitlisted', 'offered', 'enrolled', 'completed')`);
    await db.query(`CREATE INDEX enrolment_edition_idx ON enrolment (edition_id, status, queue_position)`);
    await db.query(`CREATE INDEX enrolment_student_idx ON enrolment (student_id)`);
    await db.query(`CREATE INDEX enrolment_offer_expiry_idx ON enrolment (offer_expires_at) WHERE status = 'offered'`);
    await db.query(`CREATE INDEX enrolment_cancellation_fee_idx ON enrolment (cancelled_at) WHERE cancellation_fee_cents > 0`);

    await db.query(`
      CREATE TABLE enrolment_status_change (
        id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        enrolment_id    uuid NOT NULL REFERENCES enrolment (id) ON DELETE CASCADE,
        from_status     text,
        to_status       text NOT NULL,
        reason          text,
        -- the user who made the change; null for the system (expiry job)
        actor_id        uuid REFERENCES user_account (id) ON DELETE SET NULL,
        actor_email     text,
        at              timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX enrolment_status_change_idx ON enrolment_status_change (enrolment_id, at)`);

    await db.query(`
      CREATE TABLE advice (
        id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        student_id      uuid REFERENCES student (id) ON DELETE RESTRICT,
        advisor_id      uuid REFERENCES user_account (id) ON DELETE SET NULL,
        locale          text NOT NULL CHECK (locale IN ('nl', 'en')),
        -- the intake as the advisor recorded it
        intake          jsonb NOT NULL,
        -- ranked editions with scores and reasons, excluded editions, courses without an edition
        result          jsonb NOT NULL,
        -- the advisor's choice: edition ids in order, with reasons as edited
        selection       jsonb NOT NULL DEFAULT '[]'::jsonb,
        interest_course_ids uuid[] NOT NULL DEFAULT '{}',
        personal_note   text NOT NULL DEFAULT '',
        status          text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'sent')),
        -- exactly what went out: the template data of the mail, and the mail itself
        sent_content    jsonb,
        mail_message_id uuid REFERENCES mail_message (id) ON DELETE SET NULL,
        sent_at         timestamptz,
        created_at      timestamptz NOT NULL DEFAULT now(),
        updated_at      timestamptz NOT NULL DEFAULT now(),
        version         integer NOT NULL DEFAULT 1
      )`);
    await db.query(`CREATE INDEX advice_student_idx ON advice (student_id, created_at)`);

    await db.query(`
      CREATE TABLE course_interest (
        id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        student_id      uuid NOT NULL REFERENCES student (id) ON DELETE CASCADE,
        course_id       uuid NOT NULL REFERENCES course (id) ON DELETE CASCADE,
        advice_id       uuid REFERENCES advice (id) ON DELETE SET NULL,
        created_at      timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT course_interest_unique UNIQUE (course_id, student_id)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE course_interest`);
    await db.query(`DROP TABLE advice`);
    await db.query(`DROP TABLE enrolment_status_change`);
    await db.query(`DROP TABLE enrolment`);
    await db.query(`DROP SEQUENCE enrolment_queue_seq`);
    await db.query(`DROP TABLE billing_party`);
    await db.query(`ALTER TABLE user_account DROP CONSTRAINT user_account_student_fk`);
    await db.query(`DROP TABLE student`);
    await db.query(`DROP TABLE enrolment_settings`);
  }
}
