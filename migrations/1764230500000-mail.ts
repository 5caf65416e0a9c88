import { MigrationInterface, QueryRunner } from 'typeorm';

export class Mail1764230500000 implements MigrationInterface {
  name = 'Mail1764230500000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE mail_message (
        id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        -- made from the business event (e.g. 'enrolment-confirmed:<id>'): the same event twice is one message
        idempotency_key  text NOT NULL CHECK (idempotency_key <> ''),
        type             text NOT NULL,
        locale           text NOT NULL CHECK (locale IN ('nl', 'en')),
        from_address     text NOT NULL,
        to_email         text NOT NULL CHECK (to_email <> ''),
        to_name          text NOT NULL,
        student_id       uuid,
        user_id          uuid REFERENCES user_account (id) ON DELETE SET NULL,
        data             jsonb NOT NULL DEFAULT '{}'::jsonb,
        -- rendered at enqueue: what is stored is exactly what is sent
        subject          text NOT NULL,
        html             text NOT NULL,
        text             text NOT NULL,
        -- generated once, kept across attempts, so a rare double delivery is recognisable
        message_id       text NOT NULL,
        status           text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sending', 'sent', 'failed')),
        attempts         integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        -- queued: when the next attempt may start; sending: when the lease ends and another worker may take it
        next_attempt_at  timestamptz NOT NULL DEFAULT now(),
        lease_token      uuid,
        last_attempt_at  timestamptz,
        last_error       text,
        smtp_response    text,
        resend_of        uuid REFERENCES mail_message (id) ON DELETE SET NULL,
        created_at       timestamptz NOT NULL DEFAULT now(),
        updated_at       timestamptz NOT NULL DEFAULT now(),
        sent_at          timestamptz,
        failed_at        timestamptz,
        CONSTRAINT mail_message_idempotency_key_unique UNIQUE (idempotency_key),
        CONSTRAINT mail_message_message_id_unique UNIQUE (message_id),
        CONSTRAINT mail_message_lease CHECK ((status = 'sending') = (lease_token IS NOT NULL))
      )`);
    // The workers' claim: only messages that can still be sent are in this index.
    await db.query(`CREATE INDEX mail_message_due_idx ON mail_message (next_attempt_at) WHERE status IN ('queued', 'sending')`);
    // The rate limit counts the attempts started in the last minute.
    await db.query(`CREATE INDEX mail_message_last_attempt_idx ON mail_message (last_attempt_at) WHERE last_attempt_at IS NOT NULL`);
    await db.query(`CREATE INDEX mail_message_created_idx ON mail_message (created_at DESC)`);
    await db.query(`CREATE INDEX mail_message_student_idx ON mail_message (student_id, created_at DESC) WHERE student_id IS NOT NULL`);
    await db.query(`CREATE INDEX mail_message_to_email_idx ON mail_message (lower(to_email), created_at DESC)`);

    // Attachment bytes are stored once per content (the logo goes with every message).
    await db.query(`
      CREATE TABLE mail_blob (
        sha256   bytea PRIMARY KEY CHECK (length(sha256) = 32),
        content  bytea NOT NULL
      )`);
    await db.query(`
      CREATE TABLE mail_attachment (
        message_id    uuid NOT NULL REFERENCES mail_message (id) ON DELETE CASCADE,
        position      smallint NOT NULL CHECK (position >= 0),
        filename      text NOT NULL CHECK (filename <> ''),
        content_type  text NOT NULL CHECK (content_type <> ''),
        -- set for inline parts referred to from the HTML as cid:<content_id>
        content_id    text,
        size          integer NOT NULL CHECK (size >= 0),
        sha256        bytea NOT NULL REFERENCES mail_blob (sha256),
        PRIMARY KEY (message_id, position)
      )`);
    await db.query(`CREATE INDEX mail_attachment_sha256_idx ON mail_attachment (sha256)`);

    await db.query(`
      CREATE TABLE staff_notification_preference (
        user_id   uuid NOT NULL REFERENCES user_account (id) ON DELETE CASCADE,
        kind      text NOT NULL,
        delivery  text NOT NULL CHECK (delivery IN ('immediate', 'digest')),
        PRIMARY KEY (user_id, kind)
      )`);
    await db.query(`
      CREATE TABLE staff_notification (
        id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        event_key        text NOT NULL CHECK (event_key <> ''),
        user_id          uuid NOT NULL REFERENCES user_account (id) ON DELETE CASCADE,
        kind             text NOT NULL,
        summary          text NOT NULL,
        link             text NOT NULL,
        occurred_at      timestamptz NOT NULL DEFAULT now(),
        delivery         text NOT NULL CHECK (delivery IN ('immediate', 'digest')),
        -- the notification or digest mail that carried it; null while it waits for the digest
        mail_message_id  uuid REFERENCES mail_message (id) ON DELETE SET NULL,
        mailed_at        timestamptz,
        CONSTRAINT staff_notification_event_user_unique UNIQUE (event_key, user_id)
      )`);
    await db.query(`CREATE INDEX staff_notification_digest_idx ON staff_notification (user_id, occurred_at) WHERE mailed_at IS NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE staff_notification`);
    await db.query(`DROP TABLE staff_notification_preference`);
    await db.query(`DROP TABLE mail_attachment`);
    await db.query(`DROP TABLE mail_blob`);
    await db.query(`DROP TABLE mail_message`);
  }
}
