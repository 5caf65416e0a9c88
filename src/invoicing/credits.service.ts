import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { EnrolmentDirectory } from '../enrolment/enrolment-directory';
import { BusinessRuleError, InvalidInputError, NotFoundError } from '../kernel/domain-errors';
import { amsterdamDate } from './dates';
import { settledStatus } from './invoices.service';
import { Invoice, Payment, PaymentMethod } from './invoicing.entities';
import { checkedIban } from './payments.service';
import { TuitionSettlement } from './tuition-settlement';

/** An overpayment and what is left of its credit. */
export interface CreditSource {
  paymentId: string;
  invoiceId: string;
  invoiceNumber: string;
  paidOn: string;
  creditCents: number;
  usedCents: number;
  leftCents: number;
}

export interface CreditBalance {
  billingPartyId: string;
  balanceCents: number;
  /** The overpayments with credit left, oldest first: spent in this order. */
  sources: CreditSource[];
}

export interface CreditMovement {
  billingPartyId: string;
  amountCents: number;
  balanceCents: number;
  /** One row per overpayment drawn on. */
  payments: Payment[];
}

export interface CreditApplicationInput {
  invoiceId: string;
  /** Left out: as much as the balance and the amount due allow. */
  amountCents?: number;
  appliedOn?: string;
}

export interface CreditRefundInput {
  amountCents: number;
  paidOn: string;
  method?: PaymentMethod;
  reference?: string;
  counterpartyIban?: string | null;
}

/** The amount spent from each source, oldest first; the caller checked that the balance covers it. */
export function drawOnSources(sources: readonly Pick<CreditSource, 'paymentId' | 'leftCents'>[], amountCents: number): { paymentId: string; amountCents: number }[] {
  const draws: { paymentId: string; amountCents: number }[] = [];
  let rest = amountCents;
  for (const source of sources) {
    if (rest <= 0) break;
    const draw = Math.min(rest, source.leftCents);
    if (draw > 0) draws.push({ paymentId: source.paymentId, amountCents: draw });
    rest -= draw;
  }
  if (rest > 0) throw new RangeError(`The sources hold ${amountCents - rest} of the ${amountCents} cents asked`);
  return draws;
}

/**
 * How much credit goes to the invoice: the amount asked, or as much as balance and amount due
 * allow. Refused, naming the rule: another party's invoice, a credit note, a draft, a credited
 * or settled invoice, no credit, more than the balance or the amount due.
 */
export function creditToApply(
  invoice: Pick<Invoice, 'kind' | 'status' | 'billingPartyId' | 'number' | 'grossCents' | 'creditedCents' | 'paidCents'>,
  billingPartyId: string,
  balanceCents: number,
  amountCents?: number,
): number {
  if (invoice.billingPartyId !== billingPartyId) throw new BusinessRuleError('invoice_other_party', `Invoice ${invoice.number ?? '(draft)'} is billed to another party; credit is spent on the same party's invoices`);
  if (invoice.kind !== 'invoice') throw new BusinessRuleError('not_an_invoice', 'Credit is applied to an invoice, not to a credit note');
  if (invoice.status === 'draft') throw new BusinessRuleError('invoice_not_issued', 'Credit is applied to an issued invoice; issue the draft first');
  if (invoice.status === 'credited') throw new BusinessRuleError('invoice_credited', `Invoice ${invoice.number} is credited; nothing is due on it`);
  const dueCents = invoice.grossCents - invoice.creditedCents - invoice.paidCents;
  if (dueCents <= 0) throw new BusinessRuleError('invoice_settled', `Invoice ${invoice.number} is paid; nothing is due on it`);
  if (balanceCents <= 0) throw new BusinessRuleError('no_credit', 'The billing party has no credit to apply');
  const amount = amountCents ?? Math.min(balanceCents, dueCents);
  if (amount > balanceCents) throw new BusinessRuleError('credit_exceeds_balance', `The billing party has ${balanceCents} cents of credit, not ${amount}`, { balanceCents });
  if (amount > dueCents) throw new BusinessRuleError('credit_exceeds_amount_due', `${dueCents} cents is due on invoice ${invoice.number}, not ${amount}`, { dueCents });
  return amount;
}

/**
 * A billing party's credit from overpayments (`payment.creditCents`), and spending it: applied to
 * an open invoice of the same party, or refunded. Each spend is a payment row that names the
 * overpayment it draws on, so the balance is what the overpayments left, and the overpayments'
 * rows are locked while a spend counts them: two spends at once take turns and never spend the
 * same cents twice.
 */
@Injectable()
export class CreditsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly directory: EnrolmentDirectory,
    private readonly settlement: TuitionSettlement,
  ) {}

  async balance(billingPartyId: string): Promise<CreditBalance> {
    if (!(await this.directory.billingParty(billingPartyId))) throw new NotFoundError('Billing party', billingPartyId);
    return this.balanceIn(this.db.manager, billingPartyId);
  }

  /** The balance of each party that has credit left. */
  async balances(billingPartyIds: readonly string[], manager: EntityManager = this.db.manager): Promise<Map<string, number>> {
    if (billingPartyIds.length === 0) return new Map();
    const rows = (await manager.query(
      `SELECT billing_party_id AS party, sum(credit_cents - used_cents)::bigint AS left
         FROM (${OVERPAYMENTS}) overpayment
        WHERE billing_party_id = ANY($1)
        GROUP BY billing_party_id HAVING sum(credit_cents - used_cents) > 0`,
      [billingPartyIds],
    )) as { party: string; left: string }[];
    return new Map(rows.map((row) => [row.party, Number(row.left)]));
  }

  async apply(billingPartyId: string, input: CreditApplicationInput): Promise<CreditMovement> {
    return this.db.transaction(async (manager) => {
      const sources = await this.lockSources(manager, billingPartyId);
      const invoice = await manager.findOne(Invoice, { where: { id: input.invoiceId }, lock: { mode: 'pessimistic_write' } });
      if (!invoice) throw new NotFoundError('Invoice', input.invoiceId);
      const amount = creditToApply(invoice, billingPartyId, total(sources), input.amountCents);
      const appliedOn = input.appliedOn ?? amsterdamDate(new Date());
      const payments: Payment[] = [];
      for (const draw of drawOnSources(sources, amount)) {
        const source = sources.find((candidate) => candidate.paymentId === draw.paymentId)!;
        payments.push(
          await manager.save(
            manager.create(Payment, {
              invoiceId: invoice.id,
              kind: 'payment',
              amountCents: draw.amountCents,
              creditCents: 0,
              paidOn: appliedOn,
              method: 'credit',
              reference: `credit from the overpayment of ${source.invoiceNumber} on ${source.paidOn}`,
              counterpartyIban: null,
              bankEntryId: null,
              creditSourceId: source.paymentId,
            }),
          ),
        );
      }
      invoice.paidCents += amount;
      invoice.status = settledStatus(invoice);
      await manager.save(invoice);
      await this.settlement.invoicesChanged(manager, [invoice.id], 'credit applied');
      return { billingPartyId, amountCents: amount, balanceCents: total(sources) - amount, payments };
    });
  }

  /** Pays credit back: a refund recorded against the invoice each overpayment was made on. */
  async refund(billingPartyId: string, input: CreditRefundInput): Promise<CreditMovement> {
    if (!Number.isSafeInteger(input.amountCents) || input.amountCents <= 0) {
      throw new InvalidInputError([{ field: 'amountCents', rule: 'isPositive', message: 'An amount is a positive whole number of cents' }]);
    }
    const iban = checkedIban(input.counterpartyIban, 'counterpartyIban');
    return this.db.transaction(async (manager) => {
      const sources = await this.lockSources(manager, billingPartyId);
      const balance = total(sources);
      if (balance <= 0) throw new BusinessRuleError('no_credit', 'The billing party has no credit to refund');
      if (input.amountCents > balance) throw new BusinessRuleError('credit_exceeds_balance', `The billing party has ${balance} cents of credit, not ${input.amountCents}`, { balanceCents: balance });
      const payments: Payment[] = [];
      for (const draw of drawOnSources(sources, input.amountCents)) {
        const source = sources.find((candidate) => candidate.paymentId === draw.paymentId)!;
        payments.push(
          await manager.save(
            manager.create(Payment, {
              invoiceId: source.invoiceId,
              kind: 'refund',
              amountCents: draw.amountCents,
              creditCents: 0,
              paidOn: input.paidOn,
              method: input.method ?? 'bank_transfer',
              reference: input.reference ?? `refund of the overpayment of ${source.invoiceNumber} on ${source.paidOn}`,
              counterpartyIban: iban,
              bankEntryId: null,
              creditSourceId: source.paymentId,
            }),
          ),
        );
      }
      return { billingPartyId, amountCents: input.amountCents, balanceCents: balance - input.amountCents, payments };
    });
  }

  /**
   * The party's overpayments with credit left, oldest first, their rows locked until the caller's
   * transaction ends. The amounts are read after the lock is granted, so a spend that waited sees
   * what the one before it spent.
   */
  private async lockSources(manager: EntityManager, billingPartyId: string): Promise<CreditSource[]> {
    if (!(await this.directory.billingParty(billingPartyId, manager))) throw new NotFoundError('Billing party', billingPartyId);
    await manager.query(
      `SELECT p.id FROM payment p JOIN invoice i ON i.id = p.invoice_id WHERE i.billing_party_id = $1 AND p.credit_cents > 0 ORDER BY p.id FOR UPDATE OF p`,
      [billingPartyId],
    );
    return (await this.balanceIn(manager, billingPartyId)).sources;
  }

  private async balanceIn(manager: EntityManager, billingPartyId: string): Promise<CreditBalance> {
    const rows = (await manager.query(
      `SELECT id AS "paymentId", invoice_id AS "invoiceId", number AS "invoiceNumber", paid_on::text AS "paidOn", credit_cents AS "creditCents", used_cents AS "usedCents"
         FROM (${OVERPAYMENTS}) overpayment
        WHERE billing_party_id = $1
        ORDER BY paid_on, created_at, id`,
      [billingPartyId],
    )) as Record<keyof CreditSource, string>[];
    const sources = rows
      .map((row) => ({ ...row, creditCents: Number(row.creditCents), usedCents: Number(row.usedCents), leftCents: Number(row.creditCents) - Number(row.usedCents) }))
      .filter((source) => source.leftCents > 0);
    return { billingPartyId, balanceCents: total(sources), sources };
  }
}

/** Every overpayment with its party and what applications and refunds have used of its credit. */
const OVERPAYMENTS = `
  SELECT p.id, p.invoice_id, i.billing_party_id, i.number, p.paid_on, p.created_at, p.credit_cents,
         coalesce((SELECT sum(s.amount_cents) FROM payment s WHERE s.credit_source_id = p.id), 0) AS used_cents
    FROM payment p JOIN invoice i ON i.id = p.invoice_id
   WHERE p.credit_cents > 0`;

function total(sources: readonly CreditSource[]): number {
  return sources.reduce((sum, source) => sum + source.leftCents, 0);
}
