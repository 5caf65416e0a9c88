import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { PostalAddress } from '../kernel/postal-address.dto';
import type { Locale } from '../kernel/locale';
import { EditionParticipants, Participant } from '../planning/edition-participants';
import { EditionsService } from '../planning/editions.service';
import type { BillingPartyKind } from './billing-party.entity';
import { type EnrolmentStatus, SEAT_HOLDING } from './enrolment.entity';
import { fullName } from './student-name';

/** The go/no-go minimum counts the seats taken, not those `received`: the admission decision may still free them. */
const TOWARDS_MINIMUM = SEAT_HOLDING.filter((status) => status !== 'received');

/** A student holding a seat of an edition, as the modules after enrolment need them. */
export interface SeatHolder {
  enrolmentId: string;
  studentId: string;
  studentNumber: number;
  name: string;
  email: string | null;
  locale: Locale;
  status: EnrolmentStatus;
}

/** A student's enrolment in a course that counts: enrolled in one of its editions, or completed. */
export interface CourseEnrolment {
  enrolmentId: string;
  editionId: string;
  status: 'enrolled' | 'completed';
  finalGrade: number | null;
}

export interface CompletedCourse {
  enrolmentId: string;
  editionId: string;
  courseId: string;
  finalGrade: number | null;
  completedAt: Date;
}

/** What an enrolment may be billed for, as agreed when the student enrolled. */
export interface BillableTerms {
  enrolmentId: string;
  studentId: string;
  editionId: string;
  courseId: string;
  status: EnrolmentStatus;
  billingPartyId: string | null;
  tuitionCents: number;
  purchaseOrder: string | null;
  cancellationFeeCents: number | null;
  transferredFromId: string | null;
}

/** A student's facts that other modules print: names in their own order, number, address. */
export interface StudentFacts {
  id: string;
  studentNumber: number;
  name: string;
  givenNames: string;
  namePrefix: string;
  familyName: string;
  familyNameFirst: boolean;
  email: string | null;
  locale: Locale;
  address: PostalAddress | null;
}

/** Who pays, as invoicing needs it. */
export interface BillingPartyFacts {
  id: string;
  kind: BillingPartyKind;
  studentId: string | null;
  name: string;
  address: PostalAddress | null;
  contactName: string;
  contactEmail: string | null;
  vatNumber: string | null;
  kvkNumber: string | null;
  reference: string;
  peppolId: string | null;
  paymentTermDays: number;
  locale: Locale;
}

type StudentRow = Omit<StudentFacts, 'name'>;

const STUDENT_COLUMNS = `s.id, s.student_number AS "studentNumber", s.given_names AS "givenNames", s.name_prefix AS "namePrefix",
  s.family_name AS "familyName", s.family_name_first AS "familyNameFirst", s.email, s.locale, s.address`;

/**
 * Enrolment's published facts: what exams, invoicing and diplomas may know of students and
 * their enrolments, without reading enrolment's tables. Planning reads it as its
 * `EditionParticipants`. Every method takes the caller's manager to read inside its transaction.
 */
@Injectable()
export class EnrolmentDirectory extends EditionParticipants {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly editions: EditionsService,
  ) {
    super();
  }

  /** Students holding a seat of the edition (enrolled, received or offered), by family name. */
  async seatHolders(editionId: string, manager: EntityManager = this.db.manager): Promise<SeatHolder[]> {
    const rows: (StudentRow & { enrolmentId: string; status: EnrolmentStatus })[] = await manager.query(
      `SELECT en.id AS "enrolmentId", en.status, ${STUDENT_COLUMNS}
         FROM enrolment en JOIN student s ON s.id = en.student_id
        WHERE en.edition_id = $1 AND en.status = ANY($2)
        ORDER BY lower(s.family_name), s.id`,
      [editionId, SEAT_HOLDING],
    );
    return rows.map((row) => ({
      enrolmentId: row.enrolmentId,
      studentId: row.id,
      studentNumber: row.studentNumber,
      name: fullName(row),
      email: row.email,
      locale: row.locale,
      status: row.status,
    }));
  }

  /** Enrolled students, and those received pending admission (not final), with a mail address (an erased student has none). */
  async enrolled(editionId: string, manager: EntityManager = this.db.manager): Promise<Participant[]> {
    const holders = await this.seatHolders(editionId, manager);
    return holders
      .filter((h): h is SeatHolder & { email: string } => h.email !== null && (h.status === 'enrolled' || h.status === 'received'))
      .map((h) => ({ studentId: h.studentId, name: h.name, email: h.email, locale: h.locale, final: h.status === 'enrolled' }));
  }

  /** Seats held, enrolled, received or offered to someone promoted from the waitlist: the room must fit them all. */
  async countEnrolled(editionIds: readonly string[], manager: EntityManager = this.db.manager): Promise<Map<string, number>> {
    return this.count(editionIds, SEAT_HOLDING, manager);
  }

  async countTowardsMinimum(editionIds: readonly string[], manager: EntityManager = this.db.manager): Promise<Map<string, number>> {
    return this.count(editionIds, TOWARDS_MINIMUM, manager);
  }

  /**
   * The edition's students who are enrolled or completed it, by family name, with the final
   * grade once completed: whose presence counts and who may earn the diploma.
   */
  async enrolledOrCompleted(editionId: string, manager: EntityManager = this.db.manager): Promise<(SeatHolder & { finalGrade: number | null })[]> {
    const rows: (StudentRow & { enrolmentId: string; status: EnrolmentStatus; finalGrade: number | null })[] = await manager.query(
      `SELECT en.id AS "enrolmentId", en.status, en.final_grade::float AS "finalGrade", ${STUDENT_COLUMNS}
         FROM enrolment en JOIN student s ON s.id = en.student_id
        WHERE en.edition_id = $1 AND en.status IN ('enrolled', 'completed')
        ORDER BY lower(s.family_name), s.id`,
      [editionId],
    );
    return rows.map((row) => ({
      enrolmentId: row.enrolmentId,
      studentId: row.id,
      studentNumber: row.studentNumber,
      name: fullName(row),
      email: row.email,
      locale: row.locale,
      status: row.status,
      finalGrade: row.finalGrade,
    }));
  }

  /** Final enrolment only: a received student reads the calendar once admitted. */
  /** Seats held and students waiting per edition; editions without either are left out. */
  async seatsAndWaitlist(editionIds: readonly string[], manager: EntityManager = this.db.manager): Promise<Map<string, { taken: number; waiting: number }>> {
    if (editionIds.length === 0) return new Map();
    const rows: Array<{ editionId: string; taken: number; waiting: number }> = await manager.query(
      `SELECT edition_id AS "editionId", count(*) FILTER (WHERE status = ANY($2))::int AS taken, count(*) FILTER (WHERE status = 'waitlisted')::int AS waiting
         FROM enrolment WHERE edition_id = ANY($1) AND (status = ANY($2) OR status = 'waitlisted')
        GROUP BY edition_id`,
      [editionIds, SEAT_HOLDING],
    );
    return new Map(rows.map((r) => [r.editionId, { taken: r.taken, waiting: r.waiting }]));
  }

  async isEnrolled(editionId: string, studentId: string, manager: EntityManager = this.db.manager): Promise<boolean> {
    const rows = await manager.query(`SELECT 1 FROM enrolment WHERE edition_id = $1 AND student_id = $2 AND status IN ('enrolled', 'completed') LIMIT 1`, [editionId, studentId]);
    return rows.length > 0;
  }

  /** The student's enrolment in an edition of the course that counts (enrolled or completed), the latest first. */
  async enrolmentInCourse(studentId: string, courseId: string, manager: EntityManager = this.db.manager): Promise<CourseEnrolment | null> {
    const rows: CourseEnrolment[] = await manager.query(
      `SELECT id AS "enrolmentId", edition_id AS "editionId", status, final_grade::float AS "finalGrade"
         FROM enrolment WHERE student_id = $1 AND status IN ('enrolled', 'completed')`,
      [studentId],
    );
    const editions = await this.editions.coursesOf(rows.map((r) => r.editionId), manager);
    const inCourse = rows.filter((r) => editions.get(r.editionId)?.courseId === courseId);
    inCourse.sort((a, b) => (editions.get(b.editionId)!.startDate < editions.get(a.editionId)!.startDate ? -1 : 1));
    return inCourse[0] ?? null;
  }

  async completedCourses(studentId: string, manager: EntityManager = this.db.manager): Promise<CompletedCourse[]> {
    const rows: Array<Omit<CompletedCourse, 'courseId'>> = await manager.query(
      `SELECT id AS "enrolmentId", edition_id AS "editionId", final_grade::float AS "finalGrade", completed_at AS "completedAt"
         FROM enrolment WHERE student_id = $1 AND status = 'completed'
        ORDER BY completed_at`,
      [studentId],
    );
    const editions = await this.editions.coursesOf(rows.map((r) => r.editionId), manager);
    return rows.map((r) => ({ ...r, courseId: editions.get(r.editionId)!.courseId }));
  }

  async billableTerms(enrolmentId: string, manager: EntityManager = this.db.manager): Promise<BillableTerms | null> {
    const [row]: Array<Omit<BillableTerms, 'courseId'>> = await manager.query(
      `SELECT id AS "enrolmentId", student_id AS "studentId", edition_id AS "editionId", status,
              billing_party_id AS "billingPartyId", tuition_cents::float AS "tuitionCents", NULLIF(purchase_order, '') AS "purchaseOrder",
              cancellation_fee_cents::float AS "cancellationFeeCents", transferred_from_id AS "transferredFromId"
         FROM enrolment WHERE id = $1`,
      [enrolmentId],
    );
    if (!row) return null;
    const edition = (await this.editions.coursesOf([row.editionId], manager)).get(row.editionId)!;
    return { ...row, courseId: edition.courseId };
  }

  async student(studentId: string, manager: EntityManager = this.db.manager): Promise<StudentFacts | null> {
    const [row]: StudentRow[] = await manager.query(`SELECT ${STUDENT_COLUMNS} FROM student s WHERE s.id = $1`, [studentId]);
    return row ? { ...row, name: fullName(row) } : null;
  }

  /** Students by their id; ids without a student are left out. */
  async students(ids: readonly string[], manager: EntityManager = this.db.manager): Promise<Map<string, StudentFacts>> {
    if (ids.length === 0) return new Map();
    const rows: StudentRow[] = await manager.query(`SELECT ${STUDENT_COLUMNS} FROM student s WHERE s.id = ANY($1)`, [ids]);
    return new Map(rows.map((row) => [row.id, { ...row, name: fullName(row) }]));
  }

  /** Students by their number, for lists that name students by it (an exam platform's results file). */
  async studentsByNumber(numbers: readonly number[], manager: EntityManager = this.db.manager): Promise<Map<number, StudentFacts>> {
    if (numbers.length === 0) return new Map();
    const rows: StudentRow[] = await manager.query(`SELECT ${STUDENT_COLUMNS} FROM student s WHERE s.student_number = ANY($1)`, [numbers]);
    return new Map(rows.map((row) => [row.studentNumber, { ...row, name: fullName(row) }]));
  }

  async billingParty(id: string, manager: EntityManager = this.db.manager): Promise<BillingPartyFacts | null> {
    const [row]: BillingPartyFacts[] = await manager.query(
      `SELECT id, kind, student_id AS "studentId", name, address, contact_name AS "contactName", contact_email AS "contactEmail",
              vat_number AS "vatNumber", kvk_number AS "kvkNumber", reference, peppol_id AS "peppolId",
              payment_term_days AS "paymentTermDays", locale
         FROM billing_party WHERE id = $1`,
      [id],
    );
    return row ?? null;
  }

  private async count(editionIds: readonly string[], statuses: readonly EnrolmentStatus[], manager: EntityManager): Promise<Map<string, number>> {
    const rows: { editionId: string; count: number }[] = await manager.query(
      `SELECT edition_id AS "editionId", count(*)::int AS count FROM enrolment WHERE edition_id = ANY($1) AND status = ANY($2) GROUP BY edition_id`,
      [editionIds, statuses],
    );
    return new Map(rows.map((r) => [r.editionId, r.count]));
  }
}
