import { MigrationInterface, QueryRunner } from 'typeorm';

const LIVE_BEFORE = `('waitlisted', 'offered', 'enrolled', 'completed')`;
const LIVE_AFTER = `('waitlisted', 'offered', 'received', 'enrolled', 'completed')`;

/**
 * Admission by intake: an enrolment whose entry level the records cannot decide holds its seat
 * as `received` until an advisor admits it (→ `enrolled`) or not (→ `not_admitted`); one that
 * waits for a seat carries `admission_pending` until then.
 */
export class Admission1764231200000 implements MigrationInterface {
  name = 'Admission1764231200000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE enrolment ADD COLUMN admission_pending boolean NOT NULL DEFAULT false`);
    await db.query(`ALTER TABLE enrolment DROP CONSTRAINT enrolment_status_check`);
    await db.query(`
      ALTER TABLE enrolment ADD CONSTRAINT enrolment_status_check
        CHECK (status IN ('waitlisted', 'offered', 'received', 'enrolled', 'not_admitted', 'declined', 'expired', 'cancelled', 'transferred', 'completed'))`);
    // A received seat waits for the decision; a final or refused enrolment has had it.
    await db.query(`ALTER TABLE enrolment ADD CONSTRAINT enrolment_received_pending CHECK (status <> 'received' OR admission_pending)`);
    await db.query(`ALTER TABLE enrolment ADD CONSTRAINT enrolment_admission_decided CHECK (status NOT IN ('enrolled', 'completed', 'not_admitted') OR NOT admission_pending)`);
    await db.query(`DROP INDEX enrolment_live_unique`);
    await db.query(`CREATE UNIQUE INDEX enrolment_live_unique ON enrolment (student_id, edition_id) WHERE status IN ${LIVE_AFTER}`);
  }

  /** Back to deciding at once: a received seat counts as enrolled, a refusal as a cancellation. */
  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE enrolment DROP CONSTRAINT enrolment_admission_decided`);
    await db.query(`ALTER TABLE enrolment DROP CONSTRAINT enrolment_received_pending`);
    await db.query(`UPDATE enrolment SET status = 'enrolled' WHERE status = 'received'`);
    await db.query(`UPDATE enrolment SET status = 'cancelled' WHERE status = 'not_admitted'`);
    await db.query(`DROP INDEX enrolment_live_unique`);
    await db.query(`CREATE UNIQUE INDEX enrolment_live_unique ON enrolment (student_id, edition_id) WHERE status IN ${LIVE_BEFORE}`);
    await db.query(`ALTER TABLE enrolment DROP CONSTRAINT enrolment_status_check`);
    await db.query(`
      ALTER TABLE enrolment ADD CONSTRAINT enrolment_status_check
        CHECK (status IN ('waitlisted', 'offered', 'enrolled', 'declined', 'expired', 'cancelled', 'transferred', 'completed'))`);
    await db.query(`ALTER TABLE enrolment DROP COLUMN admission_pending`);
  }
}
