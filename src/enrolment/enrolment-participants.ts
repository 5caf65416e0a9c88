import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { EditionParticipants, Participant } from '../planning/edition-participants';
import { SEAT_HOLDING } from './enrolment.entity';
import { fullName, type Student } from './student.entity';

/** Answers planning's questions about who is in an edition, from the enrolments. */
@Injectable()
export class EnrolmentParticipants extends EditionParticipants {
  constructor(@InjectDataSource() private readonly db: DataSource) {
    super();
  }

  /** Enrolled students with a mail address (an erased student has none). */
  async enrolled(editionId: string, manager: EntityManager = this.db.manager): Promise<Participant[]> {
    const rows: (Participant & Pick<Student, 'givenNames' | 'namePrefix' | 'familyName' | 'familyNameFirst'>)[] = await manager.query(
      `SELECT s.id AS "studentId", s.given_names AS "givenNames", s.name_prefix AS "namePrefix", s.family_name AS "familyName",
              s.family_name_first AS "familyNameFirst", s.email, s.locale
         FROM enrolment en JOIN student s ON s.id = en.student_id
        WHERE en.edition_id = $1 AND en.status = 'enrolled' AND s.email IS NOT NULL
        ORDER BY lower(s.family_name), s.id`,
      [editionId],
    );
    return rows.map((row) => ({ studentId: row.studentId, name: fullName(row), email: row.email, locale: row.locale }));
  }

  /** Seats held, enrolled or offered to someone promoted from the waitlist: the room must fit them all. */
  async countEnrolled(editionIds: readonly string[], manager: EntityManager = this.db.manager): Promise<Map<string, number>> {
    const rows: { editionId: string; count: number }[] = await manager.query(
      `SELECT edition_id AS "editionId", count(*)::int AS count FROM enrolment WHERE edition_id = ANY($1) AND status = ANY($2) GROUP BY edition_id`,
      [editionIds, SEAT_HOLDING],
    );
    return new Map(rows.map((r) => [r.editionId, r.count]));
  }

  async isEnrolled(editionId: string, studentId: string, manager: EntityManager = this.db.manager): Promise<boolean> {
    const rows = await manager.query(`SELECT 1 FROM enrolment WHERE edition_id = $1 AND student_id = $2 AND status IN ('enrolled', 'completed') LIMIT 1`, [editionId, studentId]);
    return rows.length > 0;
  }
}
