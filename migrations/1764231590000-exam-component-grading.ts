import { MigrationInterface, QueryRunner } from 'typeorm';

/** How an exam component is marked: a grade 1.0–10.0, or pass/fail. */
export class ExamComponentGrading1764231590000 implements MigrationInterface {
  name = 'ExamComponentGrading1764231590000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE exam_component ADD COLUMN grading text NOT NULL DEFAULT 'grade' CHECK (grading IN ('grade', 'pass_fail'))`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE exam_component DROP COLUMN grading`);
  }
}
