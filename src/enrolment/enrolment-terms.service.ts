import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { BusinessRuleError, InvalidInputError, NotFoundError } from '../kernel/domain-errors';
import { becauseOf } from '../audit/audit-reason';
import type { Actor } from '../kernel/request-context';
import { todayInAmsterdam } from '../kernel/time';
import { lockVersion } from '../database/version-lock';
import { DomainEvents } from '../events/domain-events';
import type { Edition } from '../planning/edition.entity';
import { cancellationFee } from './cancellation-policy';
import { BillingParty } from './billing-party.entity';
import { CancelEnrolmentDto, ChangeBillingPartyDto, TransferEnrolmentDto, UpdateEnrolmentSettingsDto } from './dto/enrolment.dto';
import { EnrolmentHistory } from './enrolment-history';
import { EnrolmentMail } from './enrolment-mail.service';
import { billingPartyOf, EnrolmentSeats, eventFact } from './enrolment-seats.service';
import { EnrolmentSettings, enrolmentTerms } from './enrolment-settings.entity';
import { Enrolment, EnrolmentStatus } from './enrolment.entity';
import { Student } from './student.entity';

const CANCELLABLE: readonly EnrolmentStatus[] = ['waitlisted', 'offered', 'received', 'enrolled'];

/**
 * The terms of an enrolment: cancelling it (a seat cancelled late owes the fee), transferring it
 * to another edition of the course, who pays for it, and the institute's enrolment terms
 * themselves (offer days, waitlist limit, free cancellation period and fee).
 */
@Injectable()
export class EnrolmentTerms {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly seats: EnrolmentSeats,
    private readonly mail: EnrolmentMail,
    private readonly events: DomainEvents,
    private readonly steps: EnrolmentHistory,
  ) {}

  /** Cancels a seat or a place on the waitlist; a seat cancelled late owes the fee, and frees a seat for the waitlist. */
  async cancel(id: string, input: CancelEnrolmentDto, actor: Actor): Promise<Enrolment> {
    return this.seats.changeLocked(id, actor, async (manager, enrolment, edition) => {
      if (!CANCELLABLE.includes(enrolment.status)) {
        throw new BusinessRuleError('enrolment_not_cancellable', `The enrolment is ${enrolment.status} and can no longer be cancelled`, { enrolmentStatus: enrolment.status });
      }
      const settings = await enrolmentTerms(manager);
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
        ...eventFact(saved, edition),
        billingPartyId: saved.billingPartyId,
        cancellationFeeCents: saved.cancellationFeeCents,
        wasEnrolled,
      });
      const student = await manager.findOneByOrFail(Student, { id: enrolment.studentId });
      const facts = await this.mail.facts(manager, edition);
      await this.mail.cancelled(manager, saved, student, facts, wasEnrolled);
      await this.mail.notifyStaff(manager, 'enrolment_cancelled', saved.id, student, facts);
      await this.seats.fillFreeSeats(manager, edition, settings);
      return saved;
    });
  }

  /**
   * Sets or changes who pays for the enrolment, and its purchase order, raising
   * `enrolment.billing_party_changed` with its billable terms. A transferred enrolment is
   * refused: its successor carries the terms on.
   */
  async changeBillingParty(id: string, input: ChangeBillingPartyDto, actor: Actor): Promise<Enrolment> {
    return this.seats.changeLocked(id, actor, async (manager, enrolment, edition) => {
      if (enrolment.status === 'transferred') {
        throw new BusinessRuleError('enrolment_transferred', 'The enrolment was transferred; change the billing party of the enrolment it became', { enrolmentStatus: enrolment.status });
      }
      if (!(await manager.existsBy(BillingParty, { id: input.billingPartyId }))) {
        throw new InvalidInputError([{ field: 'billingPartyId', rule: 'exists', message: `billing party ${input.billingPartyId} does not exist` }]);
      }
      const purchaseOrder = input.purchaseOrder ?? '';
      if (enrolment.billingPartyId === input.billingPartyId && enrolment.purchaseOrder === purchaseOrder) return enrolment;
      const previousBillingPartyId = enrolment.billingPartyId;
      Object.assign(enrolment, { billingPartyId: input.billingPartyId, purchaseOrder });
      const saved = await manager.save(enrolment, becauseOf(input.reason ?? null));
      await this.events.publish(manager, 'enrolment.billing_party_changed', {
        ...eventFact(saved, edition),
        previousBillingPartyId,
        billingPartyId: input.billingPartyId,
        purchaseOrder: purchaseOrder || null,
        status: saved.status,
        tuitionCents: saved.tuitionCents,
        cancellationFeeCents: saved.cancellationFeeCents,
      });
      return saved;
    });
  }

  /**
   * Moves the enrolment to another edition of the same course: the old one ends as
   * `transferred`, the new one points back at it, so the history stays whole. Both editions
   * are locked, in a fixed order so that two crossing transfers cannot deadlock.
   */
  async transfer(id: string, input: TransferEnrolmentDto): Promise<Enrolment> {
    return this.db.transaction(async (manager) => {
      const current = await manager.findOneBy(Enrolment, { id });
      if (!current) throw new NotFoundError('Enrolment', id);
      if (current.editionId === input.editionId) {
        throw new BusinessRuleError('same_edition', 'The enrolment is already in this edition', {}, [{ field: 'editionId', rule: 'different', message: 'editionId must be another edition' }]);
      }
      const [firstId, secondId] = [current.editionId, input.editionId].sort();
      const locked = new Map<string, Edition>();
      for (const editionId of [firstId, secondId]) locked.set(editionId, await this.seats.lockEdition(manager, editionId, 'editionId'));
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
      this.seats.assertEnrollable(to);
      const student = await manager.findOneByOrFail(Student, { id: enrolment.studentId });
      await this.seats.assertNotEnrolled(manager, student.id, to);
      const reason = input.reason ?? null;
      enrolment.status = 'transferred';
      enrolment.offerExpiresAt = null;
      await this.steps.save(manager, enrolment, [`transferred to ${to.code}`, reason].filter(Boolean).join(': '));

      const settings = await enrolmentTerms(manager);
      const facts = await this.mail.facts(manager, to);
      const { status, waitlistPosition } = await this.seats.seatOrWaitlist(manager, to, settings, enrolment.admissionPending);
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
        ...eventFact(enrolment, from),
        toEnrolmentId: saved.id,
        toEditionId: to.id,
        billingPartyId: saved.billingPartyId,
        tuitionCents: saved.tuitionCents,
        seated: saved.status === 'enrolled',
      });
      await this.mail.announce(manager, saved, student, facts, await billingPartyOf(manager, saved), waitlistPosition);
      await this.seats.fillFreeSeats(manager, from, settings);
      return saved;
    });
  }

  /** The terms as they are now, in the caller's transaction. */
  current(manager: EntityManager): Promise<EnrolmentSettings> {
    return enrolmentTerms(manager);
  }

  async getSettings(): Promise<EnrolmentSettings> {
    return enrolmentTerms(this.db.manager);
  }

  async updateSettings(input: UpdateEnrolmentSettingsDto): Promise<EnrolmentSettings> {
    return this.db.transaction(async (manager) => {
      await lockVersion(manager, EnrolmentSettings, 1, input.version, 'The enrolment terms');
      const settings = await enrolmentTerms(manager);
      const { version: _version, ...changes } = input;
      return manager.save(Object.assign(settings, changes));
    });
  }

  /** A new enrolment, read back for the queue position the database drew. */
  private async insert(manager: EntityManager, fields: Omit<Enrolment, 'id' | 'queuePosition' | 'createdAt' | 'updatedAt' | 'version'>): Promise<Enrolment> {
    const { id } = await manager.save(manager.create(Enrolment, fields));
    return manager.findOneByOrFail(Enrolment, { id });
  }
}
