import { Injectable, OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, LessThan } from 'typeorm';
import { Course } from '../catalogue/course.entity';
import { BusinessRuleError, ConflictError, InvalidInputError, NotFoundError } from '../kernel/domain-errors';
import { Page, pageOf } from '../http/pagination';
import type { Actor } from '../kernel/request-context';
import { JobsService } from '../jobs/jobs.service';
import { Edition } from '../planning/edition.entity';
import { BillingParty } from './billing-party.entity';
import { cancellationFee, todayInAmsterdam } from './cancellation-policy';
import { AdmissionDecisionDto, CancelEnrolmentDto, CreateEnrolmentDto, EnrolmentQuery, TransferEnrolmentDto, UpdateEnrolmentSettingsDto } from './dto/enrolment.dto';
import { EnrolmentHistory } from './enrolment-history';
import { EnrolmentMail } from './enrolment-mail.service';
import { EnrolmentSettings } from './enrolment-settings.entity';
import { Enrolment, EnrolmentStatus, EnrolmentStatusChange, LIVE, SEAT_HOLDING } from './enrolment.entity';
import { admissionDecides, admittedLevel, checkEntry, entryMet, REQUIREMENT_LABELS } from './entry-requirements';
import { assertMayRead, isStaff } from './student-access';
import { Student } from './student.entity';
import { StudentsService } from './students.service';
import { lockVersion } from '../database/version-lock';
import { becauseOf } from '../audit/audit-reason';
import { DomainEvents } from '../events/domain-events';

/** An enrolment as the API shows it: with its place on the waitlist while it waits. */
export type EnrolmentView = Enrolment & { waitlistPosition: number | null };

const OFFER_EXPIRY_QUEUE = 'enrolment.offer-expiry';
const UNIQUE_VIOLATION = '23505';
/** Edition statuses that take enrolments (before the deadline). */
const ENROLLABLE: readonly Edition['status'][] = ['open', 'confirmed'];
const CANCELLABLE: readonly EnrolmentStatus[] = ['waitlisted', 'offered', 'received', 'enrolled'];

/** The status of a seat taken: final, or held as `received` until admission is decided. */
const seated = (admissionPending: boolean): EnrolmentStatus => (admissionPending ? 'received' : 'enrolled');

type EditionFacts = Awaited<ReturnType<EnrolmentMail['facts']>>;

/** What a new enrolment needs that does not depend on the seat it gets. */
interface EnrolmentRequest {
  student: Student;
  facts: EditionFacts;
  billingParty: BillingParty | null;
  overrideReason: string | null;
  /** The records cannot show the entry level: an advisor decides admission. */
  admissionPending: boolean;
  settings: EnrolmentSettings;
}

/**
 * Enrolment without overbooking: every change to the seats of an edition first locks the
 * edition's row (`SELECT … FOR UPDATE`), so concurrent requests for one edition take their
 * turn; seats are counted inside that lock and the rest go on the waitlist in the order
 * taken (`queue_position`, drawn from a sequence under the lock).
 */
@Injectable()
export class EnrolmentsService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly students: StudentsService,
    private readonly mail: EnrolmentMail,
    private readonly jobs: JobsService,
    private readonly events: DomainEvents,
    private readonly steps: EnrolmentHistory,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.jobs.define(OFFER_EXPIRY_QUEUE, async () => ({ expired: await this.expireOffers() }), { cron: '*/10 * * * *', retryLimit: 3 });
  }

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
      const edition = await this.lockEdition(manager, input.editionId, 'editionId');
      // Again under the lock: the edition may have closed since it was read.
      this.assertEnrollable(edition);
      const { status, waitlistPosition } = await this.seatOrWaitlist(manager, edition, settings, admissionPending);
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
      if (enrolment.status === 'enrolled') await this.confirmed(manager, enrolment, edition);
      await this.announce(manager, enrolment, student, { ...facts, edition }, billingParty, waitlistPosition);
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

  /** Cancels a seat or a place on the waitlist; a seat cancelled late owes the fee, and frees a seat for the waitlist. */
  async cancel(id: string, input: CancelEnrolmentDto, actor: Actor): Promise<EnrolmentView> {
    const enrolment = await this.changeLocked(id, actor, async (manager, enrolment, edition) => {
      if (!CANCELLABLE.includes(enrolment.status)) {
        throw new BusinessRuleError('enrolment_not_cancellable', `The enrolment is ${enrolment.status} and can no longer be cancelled`, { enrolmentStatus: enrolment.status });
      }
      const settings = await this.settings(manager);
      // Only a final seat owes the fee: a received one was never confirmed to the student.
      const wasEnrolled = enrolment.status === 'enrolled';
      Object.assign(enrolment, {
        status: 'cancelled',
        cancelledAt: new Date(),
        cancellationReason: input.reason ?? null,
        cancellationFeeCents: wasEnrolled ? cancellationFee(settings, enrolment.tuitionCents, edition.startDate, todayInAmsterdam()) : null,
        offerExpiresAt: null,
      });
      const saved = await this.steps.save(manager, enrolment, input.reason ?? null);
      await this.events.publish(manager, 'enrolment.cancelled', {
        ...this.fact(saved, edition),
        billingPartyId: saved.billingPartyId,
        cancellationFeeCents: saved.cancellationFeeCents,
        wasEnrolled,
      });
      const student = await manager.findOneByOrFail(Student, { id: enrolment.studentId });
      const facts = await this.mail.facts(manager, edition);
      await this.mail.cancelled(manager, saved, student, facts, wasEnrolled);
      await this.mail.notifyStaff(manager, 'enrolment_cancelled', saved.id, student, facts);
      await this.fillFreeSeats(manager, edition, settings);
      return saved;
    });
    return this.view(enrolment);
  }

  /** The promoted student takes the offered seat: final, or `received` while admission is still to be decided. */
  async accept(id: string, actor: Actor): Promise<EnrolmentView> {
    const enrolment = await this.changeLocked(id, actor, async (manager, enrolment, edition) => {
      this.assertOffered(enrolment);
      Object.assign(enrolment, { status: seated(enrolment.admissionPending), offerExpiresAt: null });
      const saved = await this.steps.save(manager, enrolment, 'offer accepted');
      if (saved.status === 'enrolled') await this.confirmed(manager, saved, edition);
      const student = await manager.findOneByOrFail(Student, { id: enrolment.studentId });
      await this.announce(manager, saved, student, await this.mail.facts(manager, edition), await this.billingPartyOf(manager, saved), null);
      return saved;
    });
    return this.view(enrolment);
  }

  /**
   * The intake's decision on an enrolment whose admission is pending. Admitted: the student's
   * level is recorded as the intake showed it, and a received seat becomes final (confirmed,
   * with the calendar); one still waiting for a seat keeps its place. Not admitted: the
   * enrolment ends, and the seat it held goes to the waitlist.
   */
  async decideAdmission(id: string, input: AdmissionDecisionDto, actor: Actor): Promise<EnrolmentView> {
    const enrolment = await this.changeLocked(id, actor, async (manager, enrolment, edition) => {
      if (!enrolment.admissionPending || !LIVE.includes(enrolment.status)) {
        throw new BusinessRuleError('admission_not_pending', `The enrolment is ${enrolment.status} and has no admission to decide`, {
          enrolmentStatus: enrolment.status,
          admissionPending: enrolment.admissionPending,
        });
      }
      const student = await manager.findOneByOrFail(Student, { id: enrolment.studentId });
      const facts = await this.mail.facts(manager, edition);
      const reason = [input.admitted ? 'admitted' : 'not admitted', input.reason].filter(Boolean).join(': ');
      if (!input.admitted) {
        Object.assign(enrolment, { status: 'not_admitted', admissionPending: false, offerExpiresAt: null });
        const saved = await this.steps.save(manager, enrolment, reason);
        await this.events.publish(manager, 'enrolment.not_admitted', this.fact(saved, edition));
        await this.mail.notAdmitted(manager, saved, student, facts);
        await this.fillFreeSeats(manager, edition, await this.settings(manager));
        return saved;
      }
      const level = admittedLevel(facts.course.minimumPriorEducation, input.priorEducationLevel ?? student.priorEducation?.level);
      if (!level) {
        const requirement = REQUIREMENT_LABELS[facts.course.minimumPriorEducation].en;
        throw new BusinessRuleError(
          'admission_level_not_met',
          `${facts.course.code} requires ${requirement}: admitting needs the student's priorEducationLevel meeting it`,
          { minimumPriorEducation: facts.course.minimumPriorEducation },
          [{ field: 'priorEducationLevel', rule: 'meetsMinimum', message: `priorEducationLevel must meet ${facts.course.minimumPriorEducation}` }],
        );
      }
      await this.students.recordLevel(manager, student, level, reason);
      Object.assign(enrolment, { admissionPending: false, status: enrolment.status === 'received' ? 'enrolled' : enrolment.status });
      const saved = await this.steps.save(manager, enrolment, reason);
      if (saved.status === 'enrolled') await this.confirmed(manager, saved, edition);
      if (saved.status === 'enrolled') await this.announce(manager, saved, student, facts, await this.billingPartyOf(manager, saved), null);
      return saved;
    });
    return this.view(enrolment);
  }

  /** The promoted student declines: the seat goes to the next on the waitlist. */
  async decline(id: string, actor: Actor): Promise<EnrolmentView> {
    const enrolment = await this.changeLocked(id, actor, async (manager, enrolment, edition) => {
      this.assertOffered(enrolment);
      Object.assign(enrolment, { status: 'declined', offerExpiresAt: null });
      const saved = await this.steps.save(manager, enrolment, 'offer declined');
      await this.fillFreeSeats(manager, edition, await this.settings(manager));
      return saved;
    });
    return this.view(enrolment);
  }

  /**
   * Moves the enrolment to another edition of the same course: the old one ends as
   * `transferred`, the new one points back at it, so the history stays whole. Both editions
   * are locked, in a fixed order so that two crossing transfers cannot deadlock.
   */
  async transfer(id: string, input: TransferEnrolmentDto): Promise<EnrolmentView> {
    const moved = await this.db.transaction(async (manager) => {
      const current = await manager.findOneBy(Enrolment, { id });
      if (!current) throw new NotFoundError('Enrolment', id);
      if (current.editionId === input.editionId) {
        throw new BusinessRuleError('same_edition', 'The enrolment is already in this edition', {}, [{ field: 'editionId', rule: 'different', message: 'editionId must be another edition' }]);
      }
      const [firstId, secondId] = [current.editionId, input.editionId].sort();
      const locked = new Map<string, Edition>();
      for (const editionId of [firstId, secondId]) locked.set(editionId, await this.lockEdition(manager, editionId, 'editionId'));
      const from = locked.get(current.editionId)!;
      const to = locked.get(input.editionId)!;
      const enrolment = await manager.findOneByOrFail(Enrolment, { id });
      if (!CANCELLABLE.includes(enrolment.status)) {
        throw new BusinessRuleError('enrolment_not_transferable', `The enrolment is ${enrolment.status} and can no longer be transferred`, { enrolmentStatus: enrolment.status });
      }
      if (to.courseId !== from.courseId) {
        throw new BusinessRuleError('different_course', `Edition ${to.code} is of another course; a transfer stays within the course`, {}, [
          { field: 'editionId', rule: 'sameCourse', message: 'editionId must be an edition of the same course' },
        ]);
      }
      this.assertEnrollable(to);
      const student = await manager.findOneByOrFail(Student, { id: enrolment.studentId });
      await this.assertNotEnrolled(manager, student.id, to);
      const reason = input.reason ?? null;
      enrolment.status = 'transferred';
      enrolment.offerExpiresAt = null;
      await this.steps.save(manager, enrolment, [`transferred to ${to.code}`, reason].filter(Boolean).join(': '));

      const settings = await this.settings(manager);
      const facts = await this.mail.facts(manager, to);
      const { status, waitlistPosition } = await this.seatOrWaitlist(manager, to, settings, enrolment.admissionPending);
      const saved = await this.insert(manager, {
          studentId: student.id,
          editionId: to.id,
          billingPartyId: enrolment.billingPartyId,
          purchaseOrder: enrolment.purchaseOrder,
          status,
          tuitionCents: to.priceOverrideCents ?? facts.course.tuitionCents,
          overrideReason: enrolment.overrideReason,
          admissionPending: enrolment.admissionPending,
          offerExpiresAt: null,
          cancelledAt: null,
          cancellationReason: null,
          cancellationFeeCents: null,
          transferredFromId: enrolment.id,
          finalGrade: null,
          completedAt: null,
      });
      await this.steps.record(manager, saved, null, [`transferred from ${from.code}`, reason].filter(Boolean).join(': '));
      await this.events.publish(manager, 'enrolment.transferred', {
        ...this.fact(enrolment, from),
        toEnrolmentId: saved.id,
        toEditionId: to.id,
        billingPartyId: saved.billingPartyId,
        tuitionCents: saved.tuitionCents,
        seated: saved.status === 'enrolled',
      });
      await this.announce(manager, saved, student, facts, await this.billingPartyOf(manager, saved), waitlistPosition);
      await this.fillFreeSeats(manager, from, settings);
      return saved;
    });
    return this.view(moved);
  }

  /** Offers whose time ran out go to `expired`, and their seats to the next on the waitlist. Run by the scheduler. */
  async expireOffers(now = new Date()): Promise<number> {
    const due = await this.db.getRepository(Enrolment).find({ where: { status: 'offered', offerExpiresAt: LessThan(now) }, order: { offerExpiresAt: 'ASC' } });
    let expired = 0;
    for (const candidate of due) {
      await this.db.transaction(async (manager) => {
        const edition = await this.lockEdition(manager, candidate.editionId, 'editionId');
        const enrolment = await manager.findOneByOrFail(Enrolment, { id: candidate.id });
        // Reloaded under the lock: accepted or already expired in the meantime is left alone.
        if (enrolment.status !== 'offered' || !enrolment.offerExpiresAt || enrolment.offerExpiresAt >= now) return;
        enrolment.status = 'expired';
        enrolment.offerExpiresAt = null;
        await this.steps.save(manager, enrolment, 'offer not accepted in time');
        await this.fillFreeSeats(manager, edition, await this.settings(manager));
        expired++;
      });
    }
    return expired;
  }

  async getSettings(): Promise<EnrolmentSettings> {
    return this.settings(this.db.manager);
  }

  async updateSettings(input: UpdateEnrolmentSettingsDto): Promise<EnrolmentSettings> {
    return this.db.transaction(async (manager) => {
      await lockVersion(manager, EnrolmentSettings, 1, input.version, 'The enrolment terms');
      const settings = await this.settings(manager);
      const { version: _version, ...changes } = input;
      return manager.save(Object.assign(settings, changes));
    });
  }

  /** Seats held per edition: enrolled, received and waiting for the admission decision, or offered and waiting for an answer. */
  async seatsTaken(manager: EntityManager, editionId: string): Promise<{ taken: number; waiting: number }> {
    const [row] = await manager.query(
      `SELECT count(*) FILTER (WHERE status = ANY($2))::int AS taken, count(*) FILTER (WHERE status = 'waitlisted')::int AS waiting
         FROM enrolment WHERE edition_id = $1`,
      [editionId, SEAT_HOLDING],
    );
    return row;
  }

  /** Everything an enrolment needs before its seat is decided; refuses early what would be refused under the lock. */
  private async prepareEnrolment(manager: EntityManager, input: CreateEnrolmentDto): Promise<EnrolmentRequest> {
    const edition = await manager.findOneBy(Edition, { id: input.editionId });
    if (!edition) throw new InvalidInputError([{ field: 'editionId', rule: 'exists', message: `edition ${input.editionId} does not exist` }]);
    const student = await this.students.active(input.studentId, manager);
    const facts = await this.mail.facts(manager, edition);
    this.assertEnrollable(edition);
    const billingParty = input.billingPartyId ? await manager.findOneBy(BillingParty, { id: input.billingPartyId }) : null;
    if (input.billingPartyId && !billingParty) {
      throw new InvalidInputError([{ field: 'billingPartyId', rule: 'exists', message: `billing party ${input.billingPartyId} does not exist` }]);
    }
    // Outside the lock; two requests of one student that pass it together meet the unique index on live enrolments (see answerConcurrentDuplicate).
    await this.assertNotEnrolled(manager, student.id, edition);
    const entry = await this.checkEntryRequirements(manager, student, facts.course, input);
    return { student, facts, billingParty, ...entry, settings: await this.settings(manager) };
  }

  private async lockEdition(manager: EntityManager, id: string, field: string): Promise<Edition> {
    const edition = await manager.findOne(Edition, { where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!edition) throw new InvalidInputError([{ field, rule: 'exists', message: `edition ${id} does not exist` }]);
    return edition;
  }

  /** Loads the enrolment, locks its edition, reloads the enrolment under the lock and runs the change. */
  private async changeLocked(
    id: string,
    actor: Actor,
    change: (manager: EntityManager, enrolment: Enrolment, edition: Edition) => Promise<Enrolment>,
  ): Promise<Enrolment> {
    return this.db.transaction(async (manager) => {
      const found = await manager.findOneBy(Enrolment, { id });
      if (!found) throw new NotFoundError('Enrolment', id);
      assertMayRead(actor, found.studentId, 'Enrolment', id);
      const edition = await this.lockEdition(manager, found.editionId, 'editionId');
      return change(manager, await manager.findOneByOrFail(Enrolment, { id }), edition);
    });
  }

  private assertEnrollable(edition: Edition): void {
    if (edition.status === 'cancelled') throw new BusinessRuleError('edition_cancelled', `Edition ${edition.code} is cancelled`);
    if (!ENROLLABLE.includes(edition.status)) {
      throw new BusinessRuleError('edition_not_open', `Edition ${edition.code} is ${edition.status}, not open for enrolment`, { editionStatus: edition.status });
    }
    const deadline = edition.enrolmentDeadline ?? edition.startDate;
    if (todayInAmsterdam() > deadline) {
      throw new BusinessRuleError('enrolment_deadline_passed', `Enrolment for edition ${edition.code} closed on ${deadline}`, { deadline });
    }
  }

  private assertOffered(enrolment: Enrolment): void {
    if (enrolment.status !== 'offered') {
      throw new BusinessRuleError('no_open_offer', `The enrolment is ${enrolment.status}; there is no seat on offer to answer`, { enrolmentStatus: enrolment.status });
    }
    if (enrolment.offerExpiresAt && enrolment.offerExpiresAt < new Date()) {
      throw new BusinessRuleError('offer_expired', `The offer expired at ${enrolment.offerExpiresAt.toISOString()}`);
    }
  }

  private async assertNotEnrolled(manager: EntityManager, studentId: string, edition: Edition): Promise<void> {
    const existing = await manager.findOneBy(Enrolment, { studentId, editionId: edition.id, status: In([...LIVE]) });
    if (existing) {
      throw new ConflictError('already_enrolled', `The student is already ${existing.status} in edition ${edition.code}`, { enrolmentId: existing.id });
    }
  }

  /**
   * Two requests of one student for one edition that both passed `assertNotEnrolled` meet the
   * unique index on live enrolments; the later one is answered as a later request would be.
   */
  private async answerConcurrentDuplicate(error: unknown, input: CreateEnrolmentDto): Promise<never> {
    const pg = (error as { driverError?: { code?: string; constraint?: string } }).driverError;
    if (pg?.code === UNIQUE_VIOLATION && pg.constraint === 'enrolment_live_unique') {
      const edition = await this.db.manager.findOneByOrFail(Edition, { id: input.editionId });
      await this.assertNotEnrolled(this.db.manager, input.studentId, edition);
    }
    throw error;
  }

  /**
   * Met, waived by an advisor with a reason (the override reason), or left to an advisor's
   * admission decision when the records cannot show the level; otherwise refused.
   */
  private async checkEntryRequirements(
    manager: EntityManager,
    student: Student,
    course: Course,
    input: CreateEnrolmentDto,
  ): Promise<Pick<EnrolmentRequest, 'overrideReason' | 'admissionPending'>> {
    const completed: { courseId: string }[] = await manager.query(
      `SELECT DISTINCT e.course_id AS "courseId" FROM enrolment en JOIN edition e ON e.id = en.edition_id WHERE en.student_id = $1 AND en.status = 'completed'`,
      [student.id],
    );
    const check = checkEntry(course, student.priorEducation?.level, new Set(completed.map((c) => c.courseId)));
    if (entryMet(check)) return { overrideReason: null, admissionPending: false };
    const wantsOverride = input.overrideEntryRequirements === true || input.overrideReason !== undefined;
    if (wantsOverride && input.overrideReason) {
      return { overrideReason: input.overrideReason, admissionPending: false };
    }
    if (admissionDecides(course, check)) return { overrideReason: null, admissionPending: true };
    const requirement = REQUIREMENT_LABELS[course.minimumPriorEducation].en;
    const problems = [
      check.levelMet === false ? `requires ${requirement}, the student has ${student.priorEducation!.level}` : null,
      check.levelMet === null ? `requires ${requirement}, the student's prior education is not recorded` : null,
      check.missingPrerequisiteIds.length > 0 ? `requires completing ${check.missingPrerequisiteIds.length} earlier course(s) first` : null,
    ].filter(Boolean);
    throw new BusinessRuleError(
      'entry_requirements_not_met',
      `The student does not meet the entry requirements of ${course.code}: ${problems.join('; ')}. An advisor may override them with overrideReason.`,
      { minimumPriorEducation: course.minimumPriorEducation, priorEducationLevel: student.priorEducation?.level ?? null, missingPrerequisiteIds: check.missingPrerequisiteIds },
    );
  }

  /**
   * The place of a newcomer: free seats go to the waitlist first, in order; then a seat when one
   * is left (`received` while admission is pending), otherwise the end of the waitlist, unless
   * that is full too. Call with the edition locked: every earlier request for it then has a
   * lower queue position, so a waitlisted newcomer is last.
   */
  private async seatOrWaitlist(
    manager: EntityManager,
    edition: Edition,
    settings: EnrolmentSettings,
    admissionPending: boolean,
  ): Promise<{ status: EnrolmentStatus; waitlistPosition: number | null }> {
    let { taken, waiting } = await this.seatsTaken(manager, edition.id);
    if (taken < edition.capacity && waiting > 0) {
      await this.fillFreeSeats(manager, edition, settings);
      ({ taken, waiting } = await this.seatsTaken(manager, edition.id));
    }
    if (taken < edition.capacity) return { status: seated(admissionPending), waitlistPosition: null };
    if (settings.waitlistLimit !== null && waiting >= settings.waitlistLimit) {
      throw new BusinessRuleError('edition_full', `Edition ${edition.code} is full (${edition.capacity} seats) and its waitlist is closed`, {
        capacity: edition.capacity,
        waitlistLimit: settings.waitlistLimit,
      });
    }
    return { status: 'waitlisted', waitlistPosition: waiting + 1 };
  }

  /**
   * Offers every free seat to the next on the waitlist, in order; each has `offerDays` to
   * accept. Only while the edition still takes students. Call with the edition locked.
   */
  private async fillFreeSeats(manager: EntityManager, edition: Edition, settings: EnrolmentSettings): Promise<void> {
    if (!ENROLLABLE.includes(edition.status) || todayInAmsterdam() > edition.startDate) return;
    const { taken } = await this.seatsTaken(manager, edition.id);
    const free = edition.capacity - taken;
    if (free <= 0) return;
    const next = await manager.find(Enrolment, { where: { editionId: edition.id, status: 'waitlisted' }, order: { queuePosition: 'ASC' }, take: free });
    if (next.length === 0) return;
    const facts = await this.mail.facts(manager, edition);
    for (const enrolment of next) {
      enrolment.status = 'offered';
      enrolment.offerExpiresAt = new Date(Date.now() + settings.offerDays * 24 * 3600 * 1000);
      const saved = await this.steps.save(manager, enrolment, 'a seat became free');
      await this.mail.promoted(manager, saved, await manager.findOneByOrFail(Student, { id: enrolment.studentId }), facts);
    }
  }

  /** The mail of a new place: confirmed with its sessions, received with what happens next, or the place on the waitlist. */
  private async announce(
    manager: EntityManager,
    enrolment: Enrolment,
    student: Student,
    facts: EditionFacts,
    billingParty: BillingParty | null,
    waitlistPosition: number | null,
  ) {
    if (enrolment.status === 'enrolled') {
      await this.mail.confirmed(manager, enrolment, student, facts, billingParty?.kind === 'employer' ? billingParty.name : null);
    } else if (enrolment.status === 'received') {
      await this.mail.received(manager, enrolment, student, facts);
    } else {
      await this.mail.waitlisted(manager, enrolment, student, facts, waitlistPosition!);
    }
  }

  private async billingPartyOf(manager: EntityManager, enrolment: Enrolment): Promise<BillingParty | null> {
    return enrolment.billingPartyId ? manager.findOneBy(BillingParty, { id: enrolment.billingPartyId }) : null;
  }

  /** A new enrolment, read back for the queue position the database drew. */
  private async insert(manager: EntityManager, fields: Omit<Enrolment, 'id' | 'queuePosition' | 'createdAt' | 'updatedAt' | 'version'>): Promise<Enrolment> {
    const { id } = await manager.save(manager.create(Enrolment, fields));
    return manager.findOneByOrFail(Enrolment, { id });
  }

  private fact(enrolment: Enrolment, edition: Edition) {
    return { enrolmentId: enrolment.id, studentId: enrolment.studentId, editionId: edition.id, courseId: edition.courseId, at: new Date() };
  }

  private async confirmed(manager: EntityManager, enrolment: Enrolment, edition: Edition): Promise<void> {
    await this.events.publish(manager, 'enrolment.confirmed', {
      ...this.fact(enrolment, edition),
      billingPartyId: enrolment.billingPartyId,
      tuitionCents: enrolment.tuitionCents,
      purchaseOrder: enrolment.purchaseOrder || null,
    });
  }

  private async settings(manager: EntityManager): Promise<EnrolmentSettings> {
    return manager.findOneByOrFail(EnrolmentSettings, { id: 1 });
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

  private async view(enrolment: Enrolment): Promise<EnrolmentView> {
    return Object.assign(enrolment, { waitlistPosition: await this.position(this.db.manager, enrolment) });
  }
}
