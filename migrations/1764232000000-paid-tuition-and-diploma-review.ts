import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Paid tuition as a diploma requirement, the review of a diploma whose enrolment was reopened,
 * and the verification rate limit counted in PostgreSQL.
 *
 * - `tuition_settlement` (invoicing): whether an enrolment's tuition was last announced as paid,
 *   so that invoicing raises `invoicing.tuition_paid` / `invoicing.tuition_unpaid` only when it changes.
 * - `diploma_tuition` (diplomas): what diplomas heard from those events, per enrolment.
 * - `diploma_settings` (diplomas): whether a diploma requires paid tuition; off by default.
 * - `diploma.review_*`: the flag a reopened enrolment puts on its current diploma.
 * - `verification_throttle`: one counter per client address and window.
 *
 * Both tuition tables start from the ledger as it stands, by the rule of `tuitionSettled`.
 */
export class PaidTuitionAndDiplomaReview1764232000000 implements MigrationInterface {
  name = 'PaidTuitionAndDiplomaReview1764232000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE tuition_settlement (
        enrolment_id uuid PRIMARY KEY,
        paid boolean NOT NULL,
        changed_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      CREATE TABLE diploma_tuition (
        enrolment_id uuid PRIMARY KEY,
        paid boolean NOT NULL,
        changed_at timestamptz NOT NULL
      )`);
    await db.query(`
      INSERT INTO tuition_settlement (enrolment_id, paid)
      SELECT e.id,
             CASE WHEN count(b.id) = 0 THEN e.tuition_cents = 0
                  ELSE bool_and(b.status = 'invoiced' AND i.status IN ('paid', 'credited')) END
        FROM enrolment e
        LEFT JOIN billable_item b ON b.enrolment_id = e.id AND b.kind IN ('tuition', 'installment') AND b.status <> 'withdrawn'
        LEFT JOIN invoice i ON i.id = b.invoice_id
       GROUP BY e.id, e.tuition_cents`);
    await db.query(`INSERT INTO diploma_tuition (enrolment_id, paid, changed_at) SELECT enrolment_id, paid, changed_at FROM tuition_settlement`);
    await db.query(`
      CREATE TABLE diploma_settings (
        id smallint PRIMARY KEY CHECK (id = 1),
        require_paid_tuition boolean NOT NULL DEFAULT false,
        updated_at timestamptz NOT NULL DEFAULT now(),
        version int NOT NULL DEFAULT 1
      )`);
    await db.query(`INSERT INTO diploma_settings (id) VALUES (1)`);
    await db.query(`ALTER TABLE diploma ADD COLUMN review_reason text, ADD COLUMN review_requested_at timestamptz,
      ADD CONSTRAINT diploma_review_complete CHECK ((review_reason IS NULL) = (review_requested_at IS NULL))`);
    await db.query(`CREATE INDEX diploma_needs_review ON diploma (review_requested_at) WHERE review_requested_at IS NOT NULL`);
    await db.query(`
      CREATE TABLE verification_throttle (
        address text PRIMARY KEY,
        requests integer NOT NULL CHECK (requests >= 0),
        window_ends_at timestamptz NOT NULL
      )`);
    await db.query(`CREATE INDEX verification_throttle_window_idx ON verification_throttle (window_ends_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE verification_throttle`);
    await db.query(`DROP INDEX diploma_needs_review`);
    await db.query(`ALTER TABLE diploma DROP CONSTRAINT diploma_review_complete, DROP COLUMN review_requested_at, DROP COLUMN review_reason`);
    await db.query(`DROP TABLE diploma_settings, diploma_tuition, tuition_settlement`);
  }
}
