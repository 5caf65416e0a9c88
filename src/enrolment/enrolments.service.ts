import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { InvalidInputError, NotFoundError } from '../kernel/domain-errors';
import { Page, pageOf } from '../http/pagination';
import type { Actor } from '../kernel/request-context';
import { becauseOf } from '../audit/audit-reason';
import { EditionsService } from '../planning/editions.service';
import { BillingParty } from './billing-party.entity';
import { CreateEnrolmentDto, EnrolmentQuery } from './dto/enrolment.dto';
import { EnrolmentAdmission, EntryDecision } from './enrolment-admission.service';
import { EnrolmentHistory } from './enrolment-history';
import { EditionFacts, EnrolmentMail } from './enrolment-mail.service';
import { EnrolmentSeats } from './enrolment-seats.service';
import { EnrolmentSettings, enrolmentTerms } from './enrolment-settings.entity';
import { Enrolment, EnrolmentStatusChange } from './enrolment.entity';
import { assertMayRead, isStaff } from './student-access';
import { Student } from './student.entity';
import { StudentsService } from './students.service';

/** An enrolment as the API shows it: with its place on the waitlist while it waits. */
export type EnrolmentView = Enrolment & { waitlistPosition: number | null };

const UNIQUE_VIOLATION = '23505';

/** What a new enrolment needs that does not depend on the seat it gets. */
interface EnrolmentRequest extends EntryDecision {
  student: Student;
  facts: EditionFacts;
  billingParty: BillingParty | null;
  settings: EnrolmentSettings;
}

/**
 * New enrolments and reading them. The seats and the waitlist are `EnrolmentSeats` (without
 * overbooking: the edition's row is locked while a seat is decided), the entry requirements and
 * the admission decision `EnrolmentAdmission`, cancelling and transferring `EnrolmentTerms`,
 * the status history `EnrolmentHistory`.
 */
@Injectable()
export class EnrolmentsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly students: StudentsService,
    private readonly mail: EnrolmentMail,
    private readonly steps: EnrolmentHistory,
    private readonly seats: EnrolmentSeats,
    private readonly admission: EnrolmentAdmission,
    private readonly editions: EditionsService,
  ) {}

  /**
   * Enrols the student, or puts them on the waitlist. The edition's row lock lasts from the
   * seat count to the commit, concurrent requests wait for it in turn, and in the benchmark
   * (200 at once) each database round trip under it cost ~3 ms, mostly waiting for the event
   * loop busy with the others, so
   * everything that does not depend on the seat decision happens first, in the same
   * transaction: reading and checking the student, course, entry requirements, billing party
   * and terms, and the staff notice (it must commit with the enrolment, but need not say which
   * place it got). Under the lock: the count, the decision, the enrolment with its history line
   * and the student's mail, whose text depends on the decision.
   */
  async enrol(input: CreateEnrolmentDto): Promise<EnrolmentView> {
    const id = await this.db.transaction(async (manager) => {
      const { student, facts, billingParty, overrideReason, admissionPending, settings } = await this.prepareEnrolment(manager, input);
      const id = randomUUID();
      await this.mail.notifyStaff(manager, 'enrolment_received', id, student, facts, admissionPending);
      const edition = await this.seats.lockEdition(manager, input.editionId, 'editionId');
      // Again under the lock: the edition may have closed since it was read.
      this.seats.assertEnrollable(edition);
      const { status, waitlistPosition } = await this.seats.seatOrWaitlist(manager, edition, settings, admissionPending);
      const enrolment = manager.create(Enrolment, {
          id,
          studentId: student.id,
          editionId: edition.id,
          billingPartyId: billingParty?.id ?? null,
          purchaseOrder: input.purchaseOrder ?? '',
          status,
          tuitionCents: edition.priceOverrideCents ?? facts.course.tuitionCents,
          overrideReason,
          admissionPending,
          offerExpiresAt: null,
          cancelledAt: null,
          cancellationReason: null,
          cancellationFeeCents: null,
          transferredFromId: null,
          finalGrade: null,
          completedAt: null,
      });
      const reason = overrideReason ? `entry requirements overridden: ${overrideReason}` : null;
      // The queue position is read after the commit.
      await manager.save(enrolment, becauseOf(reason));
      await this.steps.record(manager, enrolment, null, reason);
      if (enrolment.status === 'enrolled') await this.seats.confirmed(manager, enrolment, edition);
      await this.mail.announce(manager, enrolment, student, { ...facts, edition }, billingParty, waitlistPosition);
      return id;
    }).catch((error: unknown) => this.answerConcurrentDuplicate(error, input));
    return this.view(await this.db.getRepository(Enrolment).findOneByOrFail({ id }));
  }

  async get(id: string, actor: Actor): Promise<EnrolmentView> {
    const enrolment = await this.db.getRepository(Enrolment).findOneBy({ id });
    if (!enrolment) throw new NotFoundError('Enrolment', id);
    assertMayRead(actor, enrolment.studentId, 'Enrolment', id);
    return this.view(enrolment);
  }

  async list(query: EnrolmentQuery, actor: Actor): Promise<Page<EnrolmentView>> {
    const where: Record<string, unknown> = {};
    if (query.editionId) where.editionId = query.editionId;
    if (query.status) where.status = query.status;
    if (query.studentId) where.studentId = query.studentId;
    if (query.admissionPending !== undefined) where.admissionPending = query.admissionPending;
    // A student user sees only their own enrolments, whatever the query asks.
    if (!isStaff(actor)) {
      if (query.studentId && query.studentId !== actor.studentId) return pageOf([], 0, query);
      where.studentId = actor.studentId;
    }
    const [items, total] = await this.db.getRepository(Enrolment).findAndCount({
      where,
      order: { queuePosition: 'ASC' },
      skip: query.offset,
      take: query.pageSize,
    });
    return pageOf(await Promise.all(items.map((e) => this.view(e))), total, query);
  }

  async history(id: string, actor: Actor): Promise<EnrolmentStatusChange[]> {
    await this.get(id, actor);
    return this.db.getRepository(EnrolmentStatusChange).find({ where: { enrolmentId: id }, order: { at: 'ASC', id: 'ASC' } });
  }

  /** Everything an enrolment needs before its seat is decided; refuses early what would be refused under the lock. */
  private async prepareEnrolment(manager: EntityManager, input: CreateEnrolmentDto): Promise<EnrolmentRequest> {
    const edition = await this.editions.find(input.editionId, manager);
    if (!edition) throw new InvalidInputError([{ field: 'editionId', rule: 'exists', message: `edition ${input.editionId} does not exist` }]);
    const student = await this.students.active(input.studentId, manager);
    const facts = await this.mail.facts(manager, edition);
    this.seats.assertEnrollable(edition);
    const billingParty = input.billingPartyId ? await manager.findOneBy(BillingParty, { id: input.billingPartyId }) : null;
    if (input.billingPartyId && !billingParty) {
      throw new InvalidInputError([{ field: 'billingPartyId', rule: 'exists', message: `billing party ${input.billingPartyId} does not exist` }]);
    }
    // Outside the lock; two requests of one student that pass it together meet the unique index on live enrolments (see answerConcurrentDuplicate).
    await this.seats.assertNotEnrolled(manager, student.id, edition);
    const entry = await this.admission.checkEntryRequirements(manager, student, facts.course, input);
    return { student, facts, billingParty, ...entry, settings: await enrolmentTerms(manager) };
  }

  /**
   * Two requests of one student for one edition that both passed `assertNotEnrolled` meet the
   * unique index on live enrolments; the later one is answered as a later request would be.
   */
  private async answerConcurrentDuplicate(error: unknown, input: CreateEnrolmentDto): Promise<never> {
    const pg = (error as { driverError?: { code?: string; constraint?: string } }).driverError;
    if (pg?.code === UNIQUE_VIOLATION && pg.constraint === 'enrolment_live_unique') {
      const edition = await this.editions.edition(input.editionId);
      await this.seats.assertNotEnrolled(this.db.manager, input.studentId, edition);
    }
    throw error;
  }

  private async position(manager: EntityManager, enrolment: Enrolment): Promise<number | null> {
    if (enrolment.status !== 'waitlisted') return null;
    const [{ position }] = await manager.query(
      `SELECT count(*)::int AS position FROM enrolment
        WHERE edition_id = $1 AND status = 'waitlisted'
          AND queue_position <= (SELECT queue_position FROM enrolment WHERE id = $2)`,
      [enrolment.editionId, enrolment.id],
    );
    return position;
  }

  /** The enrolment as the API shows it, with its place on the waitlist. */
  async view(enrolment: Enrolment): Promise<EnrolmentView> {
    return Object.assign(enrolment, { waitlistPosition: await this.position(this.db.manager, enrolment) });
  }
}
