import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { EnrolmentDirectory } from '../enrolment/enrolment-directory';
import { DomainEvents } from '../events/domain-events';
import type { InvoiceStatus } from './invoicing.entities';

interface TuitionFact {
  enrolmentId: string;
  studentId: string;
  courseId: string;
  at: Date;
}

/** Nothing is owed any more for the enrolment's tuition: every tuition item billed and its invoice paid or credited. */
export type TuitionPaid = TuitionFact;

/** The enrolment's tuition was paid and is owed again (a refund, a new tuition item, a transfer); `reason` says which. */
export interface TuitionUnpaid extends TuitionFact {
  reason: string;
}

declare module '../events/domain-events' {
  interface DomainEventMap {
    'invoicing.tuition_paid': TuitionPaid;
    'invoicing.tuition_unpaid': TuitionUnpaid;
  }
}

/** A tuition or installment item of the enrolment that is not withdrawn, with the status of the invoice holding it. */
export interface TuitionItem {
  itemStatus: 'open' | 'invoiced';
  invoiceStatus: InvoiceStatus | null;
}

/**
 * The rule: the tuition is paid when every item of it is on an issued invoice that is paid, or
 * credited so that nothing is owed. An enrolment without tuition items is paid only when its
 * agreed tuition is zero; with tuition agreed but not billed (no billing party yet) it is not.
 */
export function tuitionSettled(items: TuitionItem[], agreedTuitionCents: number): boolean {
  if (items.length === 0) return agreedTuitionCents <= 0;
  return items.every((item) => item.itemStatus === 'invoiced' && (item.invoiceStatus === 'paid' || item.invoiceStatus === 'credited'));
}

/**
 * Tells the other modules when an enrolment's tuition becomes paid and when it stops being so.
 * Every change that can move it (a payment or refund, a credit note, a new, withdrawn or moved
 * tuition item) calls `recheck` in its transaction; the last state announced is kept per
 * enrolment in `tuition_settlement`, so an event is raised only when the state changes. A
 * transfer's new enrolment is judged with the tuition of the one it came from (`tuition_transfer`).
 */
@Injectable()
export class TuitionSettlement {
  constructor(
    private readonly events: DomainEvents,
    private readonly directory: EnrolmentDirectory,
  ) {}

  /**
   * After a change to these invoices (a payment, a refund, a credit note): the enrolments whose
   * tuition they hold, and those the students were transferred to since.
   */
  async invoicesChanged(manager: EntityManager, invoiceIds: string[], reason: string): Promise<void> {
    const rows: { enrolmentId: string }[] = await manager.query(
      `WITH RECURSIVE held (id) AS (
         SELECT enrolment_id FROM billable_item WHERE invoice_id = ANY($1) AND enrolment_id IS NOT NULL AND kind IN ('tuition', 'installment')
         UNION
         SELECT t.to_enrolment_id FROM held h JOIN tuition_transfer t ON t.from_enrolment_id = h.id)
       SELECT id AS "enrolmentId" FROM held`,
      [invoiceIds],
    );
    await this.recheck(
      manager,
      rows.map((r) => r.enrolmentId),
      reason,
    );
  }

  /** A transfer: the new enrolment carries on the old one's tuition, invoiced or paid before it. */
  async transferred(manager: EntityManager, fromEnrolmentId: string, toEnrolmentId: string): Promise<void> {
    await manager.query(`INSERT INTO tuition_transfer (from_enrolment_id, to_enrolment_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [fromEnrolmentId, toEnrolmentId]);
    await this.recheck(manager, [fromEnrolmentId, toEnrolmentId], 'enrolment transferred');
  }

  /** Judges the enrolments' tuition again and raises an event for each whose state changed. */
  async recheck(manager: EntityManager, enrolmentIds: string[], reason: string): Promise<void> {
    for (const enrolmentId of [...new Set(enrolmentIds)].sort()) {
      // The row is locked before the items are read: a concurrent payment for another invoice of
      // the same enrolment waits here and then reads this one's committed change, so the last
      // of them sees everything paid.
      await manager.query(`INSERT INTO tuition_settlement (enrolment_id, paid) VALUES ($1, false) ON CONFLICT (enrolment_id) DO NOTHING`, [enrolmentId]);
      const [{ paid: before }]: { paid: boolean }[] = await manager.query(`SELECT paid FROM tuition_settlement WHERE enrolment_id = $1 FOR UPDATE`, [enrolmentId]);
      const terms = await this.directory.billableTerms(enrolmentId, manager);
      if (!terms) continue;
      // The tuition of the enrolment and of those it was transferred from: one course, one tuition.
      const items: TuitionItem[] = await manager.query(
        `WITH RECURSIVE chain (id) AS (
           SELECT $1::uuid
           UNION
           SELECT t.from_enrolment_id FROM chain c JOIN tuition_transfer t ON t.to_enrolment_id = c.id)
         SELECT b.status AS "itemStatus", i.status AS "invoiceStatus"
           FROM billable_item b LEFT JOIN invoice i ON i.id = b.invoice_id
          WHERE b.enrolment_id IN (SELECT id FROM chain) AND b.kind IN ('tuition', 'installment') AND b.status <> 'withdrawn'`,
        [enrolmentId],
      );
      const paid = tuitionSettled(items, terms.tuitionCents);
      if (paid === before) continue;
      await manager.query(`UPDATE tuition_settlement SET paid = $2, changed_at = now() WHERE enrolment_id = $1`, [enrolmentId, paid]);
      const fact = { enrolmentId, studentId: terms.studentId, courseId: terms.courseId, at: new Date() };
      if (paid) await this.events.publish(manager, 'invoicing.tuition_paid', fact);
      else await this.events.publish(manager, 'invoicing.tuition_unpaid', { ...fact, reason });
    }
  }
}
