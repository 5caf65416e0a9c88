import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { electronicFormatIBAN, isValidIBAN } from 'ibantools';
import { DataSource, EntityManager } from 'typeorm';
import { BusinessRuleError, InvalidInputError, NotFoundError } from '../kernel/domain-errors';
import { Page, PageQuery, pageFrom } from '../http/pagination';
import { settledStatus } from './invoices.service';
import { Invoice, Payment, PaymentMethod } from './invoicing.entities';
import { TuitionSettlement } from './tuition-settlement';
import { lazyImport } from '../kernel/lazy-import';

/** The statement parser and its XML libraries, loaded with the first statement. */
const camt053 = lazyImport(() => import('./camt053'));

export interface PaymentInput {
  invoiceId: string;
  amountCents: number;
  paidOn: string;
  method: PaymentMethod;
  reference?: string;
  counterpartyIban?: string | null;
  bankEntryId?: string | null;
}

export interface CamtImportReport {
  entries: number;
  matched: { entryId: string; invoiceId: string; invoiceNumber: string; amountCents: number; creditCents: number }[];
  unmatched: { entryId: string; amountCents: number; remittance: string; reason: string }[];
  alreadyImported: string[];
  ignoredDebits: number;
}

/** An IBAN in electronic form after its checksum passed; a 400 naming the field otherwise. */
export function checkedIban(iban: string | null | undefined, field: string): string | null {
  if (iban === null || iban === undefined || iban === '') return null;
  const electronic = electronicFormatIBAN(iban);
  if (!electronic || !isValidIBAN(electronic)) throw new InvalidInputError([{ field, rule: 'isIban', message: `${iban} is not a valid IBAN (checksum or length)` }]);
  return electronic;
}

/**
 * Money in and out: payments against issued invoices (partial, or more than due, the excess
 * kept as the billing party's credit, spent through `CreditsService`), refunds against credit
 * notes, and bank statements (CAMT.053) matched by payment reference.
 */
@Injectable()
export class PaymentsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly settlement: TuitionSettlement,
  ) {}

  list(query: PageQuery & { invoiceId?: string }): Promise<Page<Payment>> {
    const qb = this.db.getRepository(Payment).createQueryBuilder('payment').orderBy('payment.created_at', 'DESC').addOrderBy('payment.id');
    if (query.invoiceId) qb.where('payment.invoice_id = :invoiceId', { invoiceId: query.invoiceId });
    return pageFrom(qb, query);
  }

  async register(input: PaymentInput): Promise<Payment> {
    const iban = checkedIban(input.counterpartyIban, 'counterpartyIban');
    return this.db.transaction((manager) => this.registerIn(manager, { ...input, counterpartyIban: iban }));
  }

  async registerIn(manager: EntityManager, input: PaymentInput): Promise<Payment> {
    if (!Number.isSafeInteger(input.amountCents) || input.amountCents <= 0) {
      throw new InvalidInputError([{ field: 'amountCents', rule: 'isPositive', message: 'An amount is a positive whole number of cents' }]);
    }
    const invoice = await manager.findOne(Invoice, { where: { id: input.invoiceId }, lock: { mode: 'pessimistic_write' } });
    if (!invoice) throw new NotFoundError('Invoice', input.invoiceId);
    if (invoice.status === 'draft') throw new BusinessRuleError('invoice_not_issued', 'A draft cannot be paid: issue it first');
    let creditCents = 0;
    if (invoice.kind === 'invoice') {
      const due = Math.max(0, invoice.grossCents - invoice.creditedCents - invoice.paidCents);
      creditCents = Math.max(0, input.amountCents - due);
      invoice.paidCents += input.amountCents - creditCents;
    } else {
      // A refund paid out for a credit note; the credited invoice no longer counts that money as paid.
      const refundable = invoice.grossCents - invoice.paidCents;
      if (input.amountCents > refundable) {
        throw new BusinessRuleError('refund_exceeds_credit_note', `At most ${refundable} cents is left to refund on ${invoice.number}`, { refundableCents: refundable });
      }
      invoice.paidCents += input.amountCents;
      const original = await manager.findOne(Invoice, { where: { id: invoice.creditedInvoiceId! }, lock: { mode: 'pessimistic_write' } });
      if (original) {
        original.paidCents -= input.amountCents;
        original.status = settledStatus(original);
        await manager.save(original);
      }
    }
    invoice.status = settledStatus(invoice);
    await manager.save(invoice);
    // A payment may settle the tuition on the invoice; a refund reopens what the credited invoice holds.
    await this.settlement.invoicesChanged(manager, [invoice.kind === 'invoice' ? invoice.id : invoice.creditedInvoiceId!], invoice.kind === 'invoice' ? 'payment' : `refund on ${invoice.number}`);
    return manager.save(
      manager.create(Payment, {
        invoiceId: invoice.id,
        kind: invoice.kind === 'invoice' ? 'payment' : 'refund',
        amountCents: input.amountCents,
        creditCents,
        paidOn: input.paidOn,
        method: input.method,
        reference: input.reference ?? '',
        counterpartyIban: input.counterpartyIban ?? null,
        bankEntryId: input.bankEntryId ?? null,
      }),
    );
  }

  /**
   * Imports a CAMT.053 statement in one transaction: each credit entry whose payment reference
   * (or invoice number) names an issued invoice becomes a payment; an entry imported before is
   * skipped; the rest is reported. A statement that is not well-formed or not CAMT.053 is refused whole.
   */
  async importCamt053(xml: string): Promise<CamtImportReport> {
    const { Camt053Error, parseCamt053, referencesIn } = await camt053();
    let entries;
    try {
      entries = parseCamt053(xml);
    } catch (error) {
      if (error instanceof Camt053Error) throw new InvalidInputError([{ field: 'statement', rule: error.rule, message: error.message }]);
      throw error;
    }
    return this.db.transaction(async (manager) => {
      const report: CamtImportReport = { entries: entries.length, matched: [], unmatched: [], alreadyImported: [], ignoredDebits: 0 };
      for (const entry of entries) {
        if (!entry.credit) {
          report.ignoredDebits++;
          continue;
        }
        if (await manager.existsBy(Payment, { bankEntryId: entry.entryId })) {
          report.alreadyImported.push(entry.entryId);
          continue;
        }
        const unmatched = (reason: string) => report.unmatched.push({ entryId: entry.entryId, amountCents: entry.amountCents, remittance: entry.remittance, reason });
        if (entry.currency !== 'EUR') {
          unmatched(`currency ${entry.currency}`);
          continue;
        }
        const { creditorReference, invoiceNumber } = referencesIn(entry.remittance);
        if (!creditorReference && !invoiceNumber) {
          unmatched('no payment reference or invoice number');
          continue;
        }
        const invoice = await manager
          .getRepository(Invoice)
          .createQueryBuilder('invoice')
          .where(`invoice.kind = 'invoice' AND invoice.status <> 'draft'`)
          .andWhere('(invoice.payment_reference = :reference OR invoice.number = :number)', { reference: creditorReference ?? '', number: invoiceNumber ?? '' })
          .getOne();
        if (!invoice) {
          unmatched(`no issued invoice with reference ${creditorReference ?? invoiceNumber}`);
          continue;
        }
        const iban = entry.counterpartyIban && isValidIBAN(entry.counterpartyIban) ? entry.counterpartyIban : null;
        const payment = await this.registerIn(manager, {
          invoiceId: invoice.id,
          amountCents: entry.amountCents,
          paidOn: entry.bookedOn || new Date().toISOString().slice(0, 10),
          method: 'bank_transfer',
          reference: entry.remittance.slice(0, 140),
          counterpartyIban: iban,
          bankEntryId: entry.entryId,
        });
        report.matched.push({ entryId: entry.entryId, invoiceId: invoice.id, invoiceNumber: invoice.number!, amountCents: entry.amountCents, creditCents: payment.creditCents });
      }
      return report;
    });
  }
}
