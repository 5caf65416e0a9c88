import { MigrationInterface, QueryRunner } from 'typeorm';

export class Invoicing1764231700000 implements MigrationInterface {
  name = 'Invoicing1764231700000';

  async up(db: QueryRunner): Promise<void> {
    // One row per series and year; the issuing transaction locks it, so numbers have no gap and no duplicate.
    await db.query(`
      CREATE TABLE invoice_number_counter (
        series        text NOT NULL CHECK (series IN ('invoice', 'credit_note')),
        year          integer NOT NULL CHECK (year BETWEEN 2000 AND 2999),
        last_number   integer NOT NULL CHECK (last_number >= 0),
        PRIMARY KEY (series, year)
      )`);

    await db.query(`
      CREATE TABLE invoice (
        id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind                 text NOT NULL CHECK (kind IN ('invoice', 'credit_note')),
        status               text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'issued', 'partially_paid', 'paid', 'credited')),
        -- null for a draft; e.g. 2027-000123 or C2027-000007
        number               text UNIQUE,
        year                 integer,
        sequence             integer,
        billing_party_id     uuid NOT NULL,
        -- the paying student, when the billing party is a student: they may read it
        student_id           uuid,
        locale               text NOT NULL DEFAULT 'nl' CHECK (locale IN ('nl', 'en')),
        -- the buyer's facts as printed at issue
        buyer                jsonb,
        buyer_reference      text,
        order_reference      text,
        issue_date           date,
        due_date             date,
        payment_term_days    integer NOT NULL DEFAULT 30 CHECK (payment_term_days BETWEEN 0 AND 365),
        payment_reference    text,
        credited_invoice_id  uuid REFERENCES invoice (id),
        net_cents            bigint NOT NULL DEFAULT 0,
        vat_cents            bigint NOT NULL DEFAULT 0,
        gross_cents          bigint NOT NULL DEFAULT 0,
        vat_breakdown        jsonb NOT NULL DEFAULT '[]',
        -- payments less refunds
        paid_cents           bigint NOT NULL DEFAULT 0,
        -- issued credit notes against this invoice
        credited_cents       bigint NOT NULL DEFAULT 0 CHECK (credited_cents >= 0),
        pdf                  bytea,
        pdf_sha256           text,
        ubl                  bytea,
        ubl_sha256           text,
        wants_einvoice       boolean NOT NULL DEFAULT false,
        batch_id             uuid,
        reminder_level       integer NOT NULL DEFAULT 0,
        created_at           timestamptz NOT NULL DEFAULT now(),
        updated_at           timestamptz NOT NULL DEFAULT now(),
        version              integer NOT NULL DEFAULT 1,
        UNIQUE (kind, year, sequence),
        CONSTRAINT invoice_issued_is_complete CHECK (
          status = 'draft' OR (number IS NOT NULL AND issue_date IS NOT NULL AND due_date IS NOT NULL
                               AND pdf IS NOT NULL AND pdf_sha256 IS NOT NULL AND ubl IS NOT NULL AND ubl_sha256 IS NOT NULL)),
        CONSTRAINT invoice_draft_has_no_number CHECK (status <> 'draft' OR number IS NULL),
        CONSTRAINT invoice_credit_note_references CHECK ((kind = 'credit_note') = (credited_invoice_id IS NOT NULL)),
        CONSTRAINT invoice_not_over_credited CHECK (credited_cents <= gross_cents)
      )`);
    await db.query(`CREATE INDEX invoice_billing_party_idx ON invoice (billing_party_id)`);
    await db.query(`CREATE INDEX invoice_student_idx ON invoice (student_id) WHERE student_id IS NOT NULL`);
    await db.query(`CREATE INDEX invoice_open_idx ON invoice (due_date) WHERE status IN ('issued', 'partially_paid')`);

    await db.query(`
      CREATE TABLE invoice_line (
        id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        invoice_id         uuid NOT NULL REFERENCES invoice (id),
        position           integer NOT NULL,
        description        text NOT NULL CHECK (description <> ''),
        quantity           numeric(12, 3) NOT NULL CHECK (quantity > 0),
        unit_price_cents   bigint NOT NULL CHECK (unit_price_cents >= 0),
        vat_category       text NOT NULL CHECK (vat_category IN ('exempt', 'rate_21', 'rate_9', 'rate_0')),
        net_cents          bigint NOT NULL,
        billable_item_id   uuid,
        UNIQUE (invoice_id, position)
      )`);

    // An issued invoice never changes: its number, documents, amounts and lines are fixed.
    await db.query(`
      CREATE FUNCTION invoice_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          RAISE EXCEPTION 'invoices are kept: % is never deleted', OLD.id USING ERRCODE = 'check_violation';
        END IF;
        IF OLD.status <> 'draft' AND (
             NEW.number IS DISTINCT FROM OLD.number OR NEW.issue_date IS DISTINCT FROM OLD.issue_date
          OR NEW.due_date IS DISTINCT FROM OLD.due_date OR NEW.gross_cents IS DISTINCT FROM OLD.gross_cents
          OR NEW.net_cents IS DISTINCT FROM OLD.net_cents OR NEW.vat_cents IS DISTINCT FROM OLD.vat_cents
          OR NEW.pdf IS DISTINCT FROM OLD.pdf OR NEW.ubl IS DISTINCT FROM OLD.ubl
          OR NEW.buyer IS DISTINCT FROM OLD.buyer OR NEW.billing_party_id IS DISTINCT FROM OLD.billing_party_id
          OR NEW.status = 'draft') THEN
          RAISE EXCEPTION 'invoice % is issued and cannot change', OLD.number USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END $$`);
    await db.query(`CREATE TRIGGER invoice_immutable BEFORE UPDATE OR DELETE ON invoice FOR EACH ROW EXECUTE FUNCTION invoice_immutable()`);
    await db.query(`
      CREATE FUNCTION invoice_line_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        target uuid := CASE WHEN TG_OP = 'DELETE' THEN OLD.invoice_id ELSE NEW.invoice_id END;
      BEGIN
        IF EXISTS (SELECT 1 FROM invoice WHERE id = target AND status <> 'draft') THEN
          RAISE EXCEPTION 'the lines of issued invoice % cannot change', target USING ERRCODE = 'check_violation';
        END IF;
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
      END $$`);
    await db.query(`CREATE TRIGGER invoice_line_immutable BEFORE INSERT OR UPDATE OR DELETE ON invoice_line FOR EACH ROW EXECUTE FUNCTION invoice_line_immutable()`);

    // What can be billed, each once: the key says what it is (e.g. tuition:<enrolment>:2/3).
    await db.query(`
      CREATE TABLE billable_item (
        id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        key                text NOT NULL UNIQUE,
        kind               text NOT NULL CHECK (kind IN ('tuition', 'installment', 'exam_fee', 'resit_fee', 'material', 'cancellation_fee', 'manual')),
        billing_party_id   uuid NOT NULL,
        student_id         uuid,
        enrolment_id       uuid,
        edition_id         uuid,
        course_id          uuid,
        description        text NOT NULL CHECK (description <> ''),
        quantity           numeric(12, 3) NOT NULL CHECK (quantity > 0),
        unit_price_cents   bigint NOT NULL CHECK (unit_price_cents >= 0),
        vat_category       text NOT NULL CHECK (vat_category IN ('exempt', 'rate_21', 'rate_9', 'rate_0')),
        purchase_order     text,
        -- the day from which it may be billed (an installment's due date)
        billable_on        date NOT NULL,
        status             text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'invoiced', 'withdrawn')),
        invoice_id         uuid REFERENCES invoice (id),
        withdrawn_reason   text,
        created_at         timestamptz NOT NULL DEFAULT now(),
        updated_at         timestamptz NOT NULL DEFAULT now(),
        version            integer NOT NULL DEFAULT 1,
        CONSTRAINT billable_item_invoiced_has_invoice CHECK ((status = 'invoiced') = (invoice_id IS NOT NULL))
      )`);
    await db.query(`CREATE INDEX billable_item_open_idx ON billable_item (billable_on, billing_party_id) WHERE status = 'open'`);
    await db.query(`CREATE INDEX billable_item_enrolment_idx ON billable_item (enrolment_id) WHERE enrolment_id IS NOT NULL`);
    // An item is on one invoice line at most.
    await db.query(`CREATE UNIQUE INDEX invoice_line_item_once ON invoice_line (billable_item_id) WHERE billable_item_id IS NOT NULL`);

    await db.query(`
      CREATE TABLE payment (
        id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        invoice_id        uuid NOT NULL REFERENCES invoice (id),
        kind              text NOT NULL CHECK (kind IN ('payment', 'refund')),
        amount_cents      bigint NOT NULL CHECK (amount_cents > 0),
        -- the part of a payment beyond what was due: kept as credit of the billing party
        credit_cents      bigint NOT NULL DEFAULT 0 CHECK (credit_cents >= 0 AND credit_cents <= amount_cents),
        paid_on           date NOT NULL,
        method            text NOT NULL CHECK (method IN ('bank_transfer', 'ideal', 'card', 'cash', 'direct_debit')),
        reference         text NOT NULL DEFAULT '',
        counterparty_iban text,
        -- the bank's id of a statement entry: one import of it at most
        bank_entry_id     text UNIQUE,
        created_at        timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX payment_invoice_idx ON payment (invoice_id)`);

    await db.query(`
      CREATE TABLE invoice_reminder (
        id                      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        invoice_id              uuid NOT NULL REFERENCES invoice (id),
        level                   text NOT NULL CHECK (level IN ('first', 'second', 'notice', 'final_demand')),
        sent_on                 date NOT NULL,
        outstanding_cents       bigint NOT NULL,
        collection_costs_cents  bigint NOT NULL DEFAULT 0,
        mail_id                 uuid,
        created_at              timestamptz NOT NULL DEFAULT now(),
        UNIQUE (invoice_id, level)
      )`);

    await db.query(`
      CREATE TABLE invoice_batch (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        period        text NOT NULL CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
        selection     jsonb NOT NULL,
        status        text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'completed', 'failed')),
        job_id        uuid,
        report        jsonb,
        requested_by  uuid,
        created_at    timestamptz NOT NULL DEFAULT now(),
        finished_at   timestamptz,
        updated_at    timestamptz NOT NULL DEFAULT now(),
        version       integer NOT NULL DEFAULT 1
      )`);

    await db.query(`
      CREATE TABLE invoicing_settings (
        id                         smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
        first_reminder_days        integer NOT NULL DEFAULT 7 CHECK (first_reminder_days >= 0),
        second_reminder_days       integer NOT NULL DEFAULT 21 CHECK (second_reminder_days >= 0),
        final_step_days            integer NOT NULL DEFAULT 35 CHECK (final_step_days >= 0),
        updated_at                 timestamptz NOT NULL DEFAULT now(),
        version                    integer NOT NULL DEFAULT 1
      )`);
    await db.query(`INSERT INTO invoicing_settings DEFAULT VALUES`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE invoicing_settings, invoice_batch, invoice_reminder, payment, billable_item, invoice_line`);
    await db.query(`DROP TRIGGER invoice_immutable ON invoice`);
    await db.query(`DROP TABLE invoice, invoice_number_counter`);
    await db.query(`DROP FUNCTION invoice_immutable(), invoice_line_immutable()`);
  }
}
