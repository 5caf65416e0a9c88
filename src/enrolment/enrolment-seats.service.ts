import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, LessThan } from 'typeorm';
import { BusinessRuleError, ConflictError, InvalidInputError, NotFoundError } from '../kernel/domain-errors';
import type { Actor } from '../kernel/request-context';
import { todayInAmsterdam } from '../kernel/time';
import { JobsService } from '../jobs/jobs.service';
import { DomainEvents } from '../events/domain-events';
import type { Edition } from '../planning/edition.entity';
import { EditionsService } from '../planning/editions.service';
import { BillingParty } from './billing-party.entity';
import { EnrolmentHistory } from './enrolment-history';
import { EnrolmentMail } from './enrolment-mail.service';
import { EnrolmentSettings, enrolmentTerms } from './enrolment-settings.entity';
import { Enrolment, EnrolmentStatus, LIVE, SEAT_HOLDING } from './enrolment.entity';
import { assertMayRead } from './student-access';
import { Student } from './student.entity';

const OFFER_EXPIRY_QUEUE = 'enrolment.offer-expiry';
/** Edition statuses that take enrolments (before the deadline). */
const ENROLLABLE: readonly Edition['status'][] = ['open', 'confirmed'];

/** The status of a seat taken: final, or held as `received` until admission is decided. */
export const seated = (admissionPending: boolean): EnrolmentStatus => (admissionPending ? 'received' : 'enrolled');

/** The common part of enrolment's events. */
export function eventFact(enrolment: Enrolment, edition: Edition) {
  return { enrolmentId: enrolment.id, studentId: enrolment.studentId, editionId: edition.id, courseId: edition.courseId, at: new Date() };
}

export async function billingPartyOf(manager: EntityManager, enrolment: Enrolment): Promise<BillingParty | null> {
  return enrolment.billingPartyId ? manager.findOneBy(BillingParty, { id: enrolment.billingPartyId }) : null;
}

/**
 * The seats of an edition and its waitlist, without overbooking: every change to the seats
 * first locks the edition's row (`SELECT … FOR UPDATE`), so concurrent requests for one edition
 * take their turn; seats are counted inside that lock and the rest go on the waitlist in the
 * order taken (`queue_position`, drawn from a sequence under the lock). A seat that becomes free
 * is offered to the next on the waitlist, who accepts or declines; an offer not answered in time
 * expires (a scheduled job).
 */
@Injectable()
export class EnrolmentSeats implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly mail: EnrolmentMail,
    private readonly jobs: JobsService,
    private readonly events: DomainEvents,
    private readonly steps: EnrolmentHistory,
    private readonly editions: EditionsService,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.jobs.define(OFFER_EXPIRY_QUEUE, async () => ({ expired: await this.expireOffers() }), { cron: '*/10 * * * *', retryLimit: 3 });
  }

  /** The promoted student takes the offered seat: final, or `received` while admission is still to be decided. */
  async accept(id: string, actor: Actor): Promise<Enrolment> {
    return this.changeLocked(id, actor, async (manager, enrolment, edition) => {
      this.assertOffered(enrolment);
      Object.assign(enrolment, { status: seated(enrolment.admissionPending), offerExpiresAt: null });
      const saved = await this.steps.save(manager, enrolment, 'offer accepted');
      if (saved.status === 'enrolled') await this.confirmed(manager, saved, edition);
      const student = await manager.findOneByOrFail(Student, { id: enrolment.studentId });
      await this.mail.announce(manager, saved, student, await this.mail.facts(manager, edition), await billingPartyOf(manager, saved), null);
      return saved;
    });
  }

  /** The promoted student declines: the seat goes to the next on the waitlist. */
  async decline(id: string, actor: Actor): Promise<Enrolment> {
    return this.changeLocked(id, actor, async (manager, enrolment, edition) => {
      this.assertOffered(enrolment);
      Object.assign(enrolment, { status: 'declined', offerExpiresAt: null });
      const saved = await this.steps.save(manager, enrolment, 'offer declined');
      await this.fillFreeSeats(manager, edition, await enrolmentTerms(manager));
      return saved;
    });
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
        await this.fillFreeSeats(manager, edition, await enrolmentTerms(manager));
        expired++;
      });
    }
    return expired;
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

  async lockEdition(manager: EntityManager, id: string, field: string): Promise<Edition> {
    const edition = await this.editions.find(id, manager, true);
    if (!edition) throw new InvalidInputError([{ field, rule: 'exists', message: `edition ${id} does not exist` }]);
    return edition;
  }

  /** Loads the enrolment, locks its edition, reloads the enrolment under the lock and runs the change. */
  async changeLocked(
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

  assertEnrollable(edition: Edition): void {
    if (edition.status === 'cancelled') throw new BusinessRuleError('edition_cancelled', `Edition ${edition.code} is cancelled`);
    if (!ENROLLABLE.includes(edition.status)) {
      throw new BusinessRuleError('edition_not_open', `Edition ${edition.code} is ${edition.status}, not open for enrolment`, { editionStatus: edition.status });
    }
    const deadline = edition.enrolmentDeadline ?? edition.startDate;
    if (todayInAmsterdam() > deadline) {
      throw new BusinessRuleError('enrolment_deadline_passed', `Enrolment for edition ${edition.code} closed on ${deadline}`, { deadline });
    }
  }

  async assertNotEnrolled(manager: EntityManager, studentId: string, edition: Edition): Promise<void> {
    const existing = await manager.findOneBy(Enrolment, { studentId, editionId: edition.id, status: In([...LIVE]) });
    if (existing) {
      throw new ConflictError('already_enrolled', `The student is already ${existing.status} in edition ${edition.code}`, { enrolmentId: existing.id });
    }
  }

  /**
   * The place of a newcomer: free seats go to the waitlist first, in order; then a seat when one
   * is left (`received` while admission is pending), otherwise the end of the waitlist, unless
   * that is full too. Call with the edition locked: every earlier request for it then has a
   * lower queue position, so a waitlisted newcomer is last.
   */
  async seatOrWaitlist(
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
  async fillFreeSeats(manager: EntityManager, edition: Edition, settings: EnrolmentSettings): Promise<void> {
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

  /** A seat became final: `enrolment.confirmed`, with the terms agreed. */
  async confirmed(manager: EntityManager, enrolment: Enrolment, edition: Edition): Promise<void> {
    await this.events.publish(manager, 'enrolment.confirmed', {
      ...eventFact(enrolment, edition),
      billingPartyId: enrolment.billingPartyId,
      tuitionCents: enrolment.tuitionCents,
      purchaseOrder: enrolment.purchaseOrder || null,
    });
  }

  private assertOffered(enrolment: Enrolment): void {
    if (enrolment.status !== 'offered') {
      throw new BusinessRuleError('no_open_offer', `The enrolment is ${enrolment.status}; there is no seat on offer to answer`, { enrolmentStatus: enrolment.status });
    }
    if (enrolment.offerExpiresAt && enrolment.offerExpiresAt < new Date()) {
      throw new BusinessRuleError('offer_expired', `The offer expired at ${enrolment.offerExpiresAt.toISOString()}`);
    }
  }
}
