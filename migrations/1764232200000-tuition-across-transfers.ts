import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Invoicing remembers which enrolment a transfer made of which (`tuition_transfer`, filled by its
 * handler of `enrolment.transferred`), so tuition invoiced and paid before a transfer counts for
 * the enrolment that carries on. Filled from the transfers so far, and the tuition judged again.
 */
export class TuitionAcrossTransfers1764232200000 implements MigrationInterface {
  name = 'TuitionAcrossTransfers1764232200000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE tuition_transfer (
        from_enrolment_id uuid PRIMARY KEY,
        to_enrolment_id uuid NOT NULL UNIQUE,
        CHECK (from_enrolment_id <> to_enrolment_id)
      )`);
    await db.query(`INSERT INTO tuition_transfer (from_enrolment_id, to_enrolment_id) SELECT transferred_from_id, id FROM enrolment WHERE transferred_from_id IS NOT NULL`);
    // Each enrolment's tuition is now judged over the enrolments it was transferred from as well.
    await db.query(`
      WITH RECURSIVE chain (enrolment_id, member_id) AS (
        SELECT id, id FROM enrolment
        UNION
        SELECT c.enrolment_id, t.from_enrolment_id FROM chain c JOIN tuition_transfer t ON t.to_enrolment_id = c.member_id
      ), judged AS (
        SELECT e.id,
               CASE WHEN count(b.id) = 0 THEN e.tuition_cents = 0
                    ELSE bool_and(b.status = 'invoiced' AND i.status IN ('paid', 'credited')) END AS paid
          FROM enrolment e
          JOIN chain c ON c.enrolment_id = e.id
          LEFT JOIN billable_item b ON b.enrolment_id = c.member_id AND b.kind IN ('tuition', 'installment') AND b.status <> 'withdrawn'
          LEFT JOIN invoice i ON i.id = b.invoice_id
         GROUP BY e.id, e.tuition_cents
      ), changed AS (
        UPDATE tuition_settlement s SET paid = j.paid, changed_at = now() FROM judged j WHERE s.enrolment_id = j.id AND s.paid <> j.paid RETURNING s.enrolment_id, s.paid
      )
      UPDATE diploma_tuition d SET paid = c.paid, changed_at = now() FROM changed c WHERE d.enrolment_id = c.enrolment_id`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE tuition_transfer`);
  }
}
