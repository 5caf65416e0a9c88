import { MigrationInterface, QueryRunner } from 'typeorm';

/** A teacher user acts as one teacher record: the link must point at one that exists. */
export class TeacherLink1764230900000 implements MigrationInterface {
  name = 'TeacherLink1764230900000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`UPDATE user_account SET teacher_id = NULL WHERE teacher_id IS NOT NULL AND teacher_id NOT IN (SELECT id FROM teacher)`);
    await db.query(`
      ALTER TABLE user_account
        ADD CONSTRAINT user_account_teacher_fk FOREIGN KEY (teacher_id) REFERENCES teacher (id) ON DELETE SET NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE user_account DROP CONSTRAINT user_account_teacher_fk`);
  }
}
