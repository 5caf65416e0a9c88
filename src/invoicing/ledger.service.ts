import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, In } from 'typeorm';
import { CatalogueService } from '../catalogue/catalogue.service';
import { VatTreatment } from '../catalogue/course-attributes';
import { EnrolmentDirectory } from '../enrolment/enrolment-directory';
import { DomainEventMap, DomainEvents } from '../events/domain-events';
import { ExamFees } from '../exams/exam-fees';
import { BusinessRuleError, InvalidInputError, NotFoundError } from '../kernel/domain-errors';
import { addMonthsIso, amsterdamDate } from './dates';
import { BillableItem, BillableKind } from './invoicing.entities';
import { lineNetCents, type VatCategory } from './documents/totals';
import { TuitionSettlement } from './tuition-settlement';

export interface NewBillableItem {
  key: string;
  kind: BillableKind;
  billingPartyId: string;
  studentId?: string | null;
  enrolmentId?: string | null;
  editionId?: string | null;
  courseId?: string | null;
  description: string;
  quantity?: number;
  unitPriceCents: number;
  vatCategory: VatCategory;
  purchaseOrder?: string | null;
  billableOn: string;
}

const TUITION_KINDS: BillableKind[] = ['tuition', 'installment'];

/** An amount in `terms` whole-cent installments that add up to it: even shares, the first taking the rest. */
export function installmentAmounts(totalCents: number, terms: number): number[] {
  if (!Number.isSafeInteger(totalCents) || totalCents < 0 || !Number.isInteger(terms) || terms < 1) throw new RangeError(`Cannot split ${totalCents} into ${terms}`);
  const share = Math.floor(totalCents / terms);
  return Array.from({ length: terms }, (_, index) => (index === 0 ? totalCents - share * (terms - 1) : share));
}

/**
 * The ledger of what can be billed. Filled by this module's handlers of the domain events, in
 * the transaction that publishes them; each item has a unique key, so an event handled twice,
 * or a batch run twice, bills nothing twice.
 */
@Injectable()
export class LedgerService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly events: DomainEvents,
    private readonly catalogue: CatalogueService,
    private readonly directory: EnrolmentDirectory,
    private readonly settlement: TuitionSettlement,
    private readonly examFees: ExamFees,
  ) {}

  onModuleInit(): void {
    // Each change to an enrolment's tuition items is followed by the judgement whether it is paid
    // (a confirmed enrolment without tuition is paid at once).
    this.events.on('enrolment.confirmed', async (event, manager) => {
      await this.billTuition(manager, event);
      await this.settlement.recheck(manager, [event.enrolmentId], 'tuition billed');
    });
    this.events.on('enrolment.cancelled', async (event, manager) => {
      await this.billCancellation(manager, event);
      await this.settlement.recheck(manager, [event.enrolmentId], 'enrolment cancelled');
    });
    this.events.on('enrolment.transferred', async (event, manager) => {
      await this.moveToNewEnrolment(manager, event);
      await this.settlement.transferred(manager, event.enrolmentId, event.toEnrolmentId);
    });
    this.events.on('enrolment.billing_party_changed', async (event, manager) => {
      await this.billToNewParty(manager, event);
      await this.settlement.recheck(manager, [event.enrolmentId], 'billing party changed');
    });
    this.events.on('exam.resit_registered', (event, manager) => this.billResitFee(manager, event));
    this.events.on('exam.registration_withdrawn', (event, manager) => this.takeBackResitFee(manager, event));
  }

  /** Adds an item unless one with its key exists; true when it was added. */
  async add(manager: EntityManager, item: NewBillableItem): Promise<boolean> {
    if (!Number.isSafeInteger(item.unitPriceCents) || item.unitPriceCents < 0) throw new RangeError(`A billable amount is whole non-negative cents: ${item.unitPriceCents}`);
    const result = await manager
      .createQueryBuilder()
      .insert()
      .into(BillableItem)
      .values({ quantity: 1, studentId: null, enrolmentId: null, editionId: null, courseId: null, purchaseOrder: null, ...item, status: 'open', invoiceId: null })
      .orIgnore()
      .execute();
    return (result.raw as unknown[]).length > 0;
  }

  private async courseTerms(manager: EntityManager, courseId: string) {
    const course = await this.catalogue.get(courseId, manager);
    const examFee = course.otherFees.find((fee) => fee.kind === 'exam');
    return { title: course.titleNl, code: course.code, tuitionVat: course.tuitionVat as VatTreatment, examVat: (examFee?.vat ?? course.tuitionVat) as VatTreatment };
  }

  /** Tuition of a confirmed enrolment, whole; finance may split it into installments later. */
  async billTuition(manager: EntityManager, event: DomainEventMap['enrolment.confirmed']): Promise<void> {
    // Without a billing party there is no one to bill yet.
    if (event.tuitionCents <= 0 || !event.billingPartyId) return;
    // Tuition moved here from a transferred enrolment is already in the ledger.
    const moved = await manager.countBy(BillableItem, { enrolmentId: event.enrolmentId, kind: In(TUITION_KINDS) });
    if (moved > 0) return;
    const course = await this.courseTerms(manager, event.courseId);
    await this.add(manager, {
      key: `tuition:${event.enrolmentId}`,
      kind: 'tuition',
      billingPartyId: event.billingPartyId,
      studentId: event.studentId,
      enrolmentId: event.enrolmentId,
      editionId: event.editionId,
      courseId: event.courseId,
      description: `Cursusgeld ${course.code} ${course.title}`,
      unitPriceCents: event.tuitionCents,
      vatCategory: course.tuitionVat,
      purchaseOrder: event.purchaseOrder,
      billableOn: amsterdamDate(event.at),
    });
  }

  /** A cancellation: tuition not yet invoiced is withdrawn; the fee, when there is one, is billable. */
  async billCancellation(manager: EntityManager, event: DomainEventMap['enrolment.cancelled']): Promise<void> {
    const open = await manager.find(BillableItem, { where: { enrolmentId: event.enrolmentId, kind: In(TUITION_KINDS), status: 'open' }, lock: { mode: 'pessimistic_write' } });
    for (const item of open) {
      item.status = 'withdrawn';
      item.withdrawnReason = 'enrolment cancelled';
      await manager.save(item);
    }
    if (!event.cancellationFeeCents || event.cancellationFeeCents <= 0 || !event.billingPartyId) return;
    const course = await this.courseTerms(manager, event.courseId);
    await this.add(manager, {
      key: `cancellation_fee:${event.enrolmentId}`,
      kind: 'cancellation_fee',
      billingPartyId: event.billingPartyId,
      studentId: event.studentId,
      enrolmentId: event.enrolmentId,
      editionId: event.editionId,
      courseId: event.courseId,
      description: `Annuleringskosten ${course.code} ${course.title}`,
      unitPriceCents: event.cancellationFeeCents,
      vatCategory: course.tuitionVat,
      billableOn: amsterdamDate(event.at),
    });
  }

  /**
   * A transfer keeps what is owed: items not yet invoiced move to the new enrolment and edition
   * (enrolment raises no `enrolment.confirmed` for it). A seat that was not final before and is
   * now gets its tuition; one that goes to a waitlist has its open tuition withdrawn until confirmed.
   */
  async moveToNewEnrolment(manager: EntityManager, event: DomainEventMap['enrolment.transferred']): Promise<void> {
    const open = await manager.find(BillableItem, { where: { enrolmentId: event.enrolmentId, status: 'open' }, lock: { mode: 'pessimistic_write' } });
    for (const item of open) {
      if (!event.seated && TUITION_KINDS.includes(item.kind)) {
        item.status = 'withdrawn';
        item.withdrawnReason = 'transferred to a seat that is not final';
      } else {
        item.enrolmentId = event.toEnrolmentId;
        item.editionId = event.toEditionId;
        // Whole tuition not yet invoiced follows the new edition's price; installments stay as planned.
        if (item.kind === 'tuition' && event.tuitionCents > 0) item.unitPriceCents = event.tuitionCents;
      }
      await manager.save(item);
    }
    const tuitionBefore = await manager.countBy(BillableItem, { enrolmentId: In([event.enrolmentId, event.toEnrolmentId]), kind: In(TUITION_KINDS) });
    if (event.seated && tuitionBefore === 0 && event.billingPartyId) {
      await this.billTuition(manager, { ...event, enrolmentId: event.toEnrolmentId, editionId: event.toEditionId, billingPartyId: event.billingPartyId, purchaseOrder: null });
    }
  }

  /**
   * Who pays for an enrolment was set or changed: items not yet invoiced go to the new party
   * (with the new purchase order); what the enrolment owes and was never billed for want of a
   * billing party is billed now (tuition of a final seat, a cancellation fee, the resit fees
   * exams says it owes). Invoiced items
   * stay with their invoice: correcting those is a credit note.
   */
  async billToNewParty(manager: EntityManager, event: DomainEventMap['enrolment.billing_party_changed']): Promise<void> {
    const open = await manager.find(BillableItem, { where: { enrolmentId: event.enrolmentId, status: 'open' }, lock: { mode: 'pessimistic_write' } });
    for (const item of open) {
      item.billingPartyId = event.billingPartyId;
      item.purchaseOrder = event.purchaseOrder;
      await manager.save(item);
    }
    if (event.status === 'enrolled' || event.status === 'completed') await this.billTuition(manager, event);
    if (event.status === 'cancelled') await this.billCancellation(manager, { ...event, wasEnrolled: event.cancellationFeeCents !== null });
    // Resit fees registered while nobody was billed for the enrolment (each is billed once, by its key).
    for (const fee of await this.examFees.resitFeesOf(manager, event.enrolmentId)) await this.billResitFee(manager, fee);
  }

  /** The fee of a resit registered with exams (`exam.resit_registered`): billable to the enrolment's billing party. */
  async billResitFee(manager: EntityManager, event: DomainEventMap['exam.resit_registered']): Promise<void> {
    if (event.feeCents <= 0) return;
    const terms = await this.directory.billableTerms(event.enrolmentId, manager);
    if (!terms) throw new NotFoundError('Enrolment', event.enrolmentId);
    // Like tuition: without a billing party there is no one to bill yet.
    if (!terms.billingPartyId) return;
    const course = await this.courseTerms(manager, event.courseId);
    await this.add(manager, {
      key: `resit_fee:${event.registrationId}`,
      kind: 'resit_fee',
      billingPartyId: terms.billingPartyId,
      studentId: event.studentId,
      enrolmentId: event.enrolmentId,
      editionId: terms.editionId,
      courseId: event.courseId,
      description: `Herkansing ${course.code} ${course.title} (poging ${event.attempt})`,
      unitPriceCents: event.feeCents,
      vatCategory: course.examVat,
      purchaseOrder: terms.purchaseOrder,
      billableOn: amsterdamDate(event.at),
    });
  }

  /**
   * A withdrawn registration (`exam.registration_withdrawn`) takes its resit fee back: not yet
   * invoiced, the item is withdrawn (kept, with the reason); invoiced, it is marked `creditDue`
   * for finance to credit (`GET /billable-items?creditDue=true`), since an issued invoice never changes.
   */
  async takeBackResitFee(manager: EntityManager, event: DomainEventMap['exam.registration_withdrawn']): Promise<void> {
    const item = await manager.findOne(BillableItem, { where: { key: `resit_fee:${event.registrationId}` }, lock: { mode: 'pessimistic_write' } });
    if (!item) return;
    const why = `exam registration withdrawn (${event.reason.replace('_', ' ')})`;
    if (item.status === 'open') {
      item.status = 'withdrawn';
      item.withdrawnReason = why;
    } else if (item.status === 'invoiced' && !item.creditDue) {
      item.creditDue = why;
    } else {
      return;
    }
    await manager.save(item);
  }

  /** Materials and manual lines entered by finance. */
  async addManual(input: Omit<NewBillableItem, 'key'> & { key?: string }): Promise<BillableItem> {
    const party = await this.directory.billingParty(input.billingPartyId);
    if (!party) throw new NotFoundError('Billing party', input.billingPartyId);
    const key = input.key ?? `${input.kind}:${randomUUID()}`;
    return this.db.transaction(async (manager) => {
      const added = await this.add(manager, { ...input, key });
      if (!added) throw new BusinessRuleError('billable_item_exists', `An item with key ${key} already exists`);
      if (input.enrolmentId && TUITION_KINDS.includes(input.kind)) await this.settlement.recheck(manager, [input.enrolmentId], `new ${input.kind} item ${key}`);
      return manager.findOneByOrFail(BillableItem, { key });
    });
  }

  /**
   * A payment plan: an open tuition item becomes `terms` installments, due `intervalMonths`
   * apart from `firstDueOn`; the cents are spread evenly, the first installment taking the rest.
   */
  async splitIntoInstallments(itemId: string, terms: number, firstDueOn: string, intervalMonths: number): Promise<BillableItem[]> {
    return this.db.transaction(async (manager) => {
      const item = await manager.findOne(BillableItem, { where: { id: itemId }, lock: { mode: 'pessimistic_write' } });
      if (!item) throw new NotFoundError('Billable item', itemId);
      if (item.kind !== 'tuition') throw new InvalidInputError([{ field: 'itemId', rule: 'isTuition', message: 'Only tuition is paid in installments' }]);
      if (item.status !== 'open') throw new BusinessRuleError('billable_item_not_open', `Item ${item.key} is ${item.status}`);
      const amounts = installmentAmounts(lineNetCents(item), terms);
      item.status = 'withdrawn';
      item.withdrawnReason = `split into ${terms} installments`;
      await manager.save(item);
      const keys: string[] = [];
      for (let term = 1; term <= terms; term++) {
        const key = `${item.key}:${term}/${terms}`;
        keys.push(key);
        await this.add(manager, {
          key,
          kind: 'installment',
          billingPartyId: item.billingPartyId,
          studentId: item.studentId,
          enrolmentId: item.enrolmentId,
          editionId: item.editionId,
          courseId: item.courseId,
          description: `${item.description}, termijn ${term} van ${terms}`,
          unitPriceCents: amounts[term - 1],
          vatCategory: item.vatCategory,
          purchaseOrder: item.purchaseOrder,
          billableOn: addMonthsIso(firstDueOn, (term - 1) * intervalMonths),
        });
      }
      return manager.find(BillableItem, { where: { key: In(keys) }, order: { billableOn: 'ASC' } });
    });
  }
}
