import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { EditionParticipants, Participant } from '../planning/edition-participants';
import { type EnrolmentStatus, SEAT_HOLDING } from './enrolment.entity';
import { fullName, type Student } from './student.entity';

/** The go/no-go minimum counts the seats taken, not those `received`: the admission decision may still free them. */
const TOWARDS_MINIMUM = SEAT_HOLDING.filter((status) => status !== 'received');

/** Answers planning's questions about who is in an edition, from the enrolments. */
@Injectable()
export class EnrolmentParticipants extends EditionParticipants {
  constructor(@InjectDataSource() private readonly db: DataSource) {
    super();
  }

  /** Enrolled students, and those received pending admission (not final), with a mail address (an erased student has none). */
  async enrolled(editionId: string, manager: EntityManager = this.db.manager): Promise<Participant[]> {
    const rows: (Participant & Pick<Student, 'givenNames' | 'namePrefix' | 'familyName' | 'familyNameFirst'>)[] = await manager.query(
      `SELECT s.id AS "studentId", s.given_names AS "givenNames", s.name_prefix AS "namePrefix", s.family_name AS "familyName",
              s.family_name_first AS "familyNameFirst", s.email, s.locale, en.status = 'enrolled' AS final
         FROM enrolment en JOIN student s ON s.id = en.student_id
        WHERE en.edition_id = $1 AND en.status IN ('enrolled', 'received') AND s.email IS NOT NULL
        ORDER BY lower(s.family_name), s.id`,
      [editionId],
    );
    return rows.map((row) => ({ studentId: row.studentId, name: fullName(row), email: row.email, locale: row.locale, final: row.final }));
  }

  /** Seats held, enrolled, received or offered to someone promoted from the waitlist: the room must fit them all. */
  async countEnrolled(editionIds: readonly string[], manager: EntityManager = this.db.manager): Promise<Map<string, number>> {
    return this.count(editionIds, SEAT_HOLDING, manager);
  }

  async countTowardsMinimum(editionIds: readonly string[], manager: EntityManager = this.db.manager): Promise<Map<string, number>> {
    return this.count(editionIds, TOWARDS_MINIMUM, manager);
  }

  /** Final enrolment only: a received student reads the calendar once admitted. */
  async isEnrolled(editionId: string, studentId: string, manager: EntityManager = this.db.manager): Promise<boolean> {
    const rows = await manager.query(`SELECT 1 FROM enrolment WHERE edition_id = $1 AND student_id = $2 AND status IN ('enrolled', 'completed') LIMIT 1`, [editionId, studentId]);
    return rows.length > 0;
  }

  private async count(editionIds: readonly string[], statuses: readonly EnrolmentStatus[], manager: EntityManager): Promise<Map<string, number>> {
    const rows: { editionId: string; count: number }[] = await manager.query(
      `SELECT edition_id AS "editionId", count(*)::int AS count FROM enrolment WHERE edition_id = ANY($1) AND status = ANY($2) GROUP BY edition_id`,
      [editionIds, statuses],
    );
    return new Map(rows.map((r) => [r.editionId, r.count]));
  }
}
