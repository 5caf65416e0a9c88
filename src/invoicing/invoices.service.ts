import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, IsNull } from 'typeorm';
import type { Actor } from '../kernel/request-context';
import { STAFF } from '../kernel/role';
import { BusinessRuleError, InvalidInputError, NotFoundError } from '../kernel/domain-errors';
import { EnrolmentDirectory } from '../enrolment/enrolment-directory';
import { MailOutbox } from '../mail/mail-outbox.service';
import { SettingsService } from '../settings/settings.service';
import { Page, PageQuery, pageFrom } from '../http/pagination';
import { addDaysIso, amsterdamDate } from './dates';
import { RenderPool } from './documents/render-pool';
import { DocumentBuyer, DocumentSeller, InvoiceDocument } from './documents/invoice-document';
import { creditorReference } from './documents/payment-reference';
import { computeTotals, lineNetCents, VatCategory } from './documents/totals';
import { assertUblInput, UblInputError } from './documents/ubl-input';
import { BillableItem, Invoice, InvoiceKind, InvoiceLine, InvoiceStatus } from './invoicing.entities';
import { TuitionSettlement } from './tuition-settlement';

export interface LineInput {
  description: string;
  quantity: number;
  unitPriceCents: number;
  vatCategory: VatCategory;
}

export interface DraftInput {
  billingPartyId: string;
  itemIds?: string[];
  lines?: LineInput[];
  buyerReference?: string | null;
  orderReference?: string | null;
}

export interface CreditInput {
  /** Credit the whole remainder; otherwise the lines and the ledger items. */
  full?: boolean;
  lines?: LineInput[];
  /** Ledger items billed on the invoice, credited whole as they were invoiced. */
  itemIds?: string[];
  reason?: string;
}

export type ShownStatus = InvoiceStatus | 'overdue';

export interface InvoiceFilter extends PageQuery {
  status?: ShownStatus;
  kind?: InvoiceKind;
  billingPartyId?: string;
  studentId?: string;
}

/** The status as shown: an issued or partly paid invoice past its due date is overdue. */
export function shownStatus(invoice: Pick<Invoice, 'status' | 'dueDate' | 'kind'>, today: string): ShownStatus {
  if (invoice.kind === 'invoice' && (invoice.status === 'issued' || invoice.status === 'partially_paid') && invoice.dueDate && invoice.dueDate < today) return 'overdue';
  return invoice.status;
}

/** The stored status from the amounts. */
export function settledStatus(invoice: Pick<Invoice, 'grossCents' | 'paidCents' | 'creditedCents' | 'kind'>): InvoiceStatus {
  if (invoice.kind === 'invoice' && invoice.creditedCents > 0 && invoice.creditedCents >= invoice.grossCents) return 'credited';
  const due = invoice.grossCents - invoice.creditedCents;
  if (invoice.paidCents >= due) return 'paid';
  return invoice.paidCents > 0 ? 'partially_paid' : 'issued';
}

export const isStaff = (actor: Actor) => actor.roles.some((role) => STAFF.includes(role));

/**
 * Invoices and credit notes: drafts from ledger items or manual lines, issued with the next
 * number of the year's series (a counter row locked in the issuing transaction: no gap, no
 * duplicate), rendered to PDF and UBL at issue and kept as rendered, never changed afterwards.
 */
@Injectable()
export class InvoicesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly directory: EnrolmentDirectory,
    private readonly settings: SettingsService,
    private readonly outbox: MailOutbox,
    private readonly renderer: RenderPool,
    private readonly settlement: TuitionSettlement,
  ) {}

  async list(filter: InvoiceFilter, actor: Actor): Promise<Page<Invoice>> {
    const today = amsterdamDate(new Date());
    const qb = this.db.getRepository(Invoice).createQueryBuilder('invoice').orderBy('invoice.created_at', 'DESC').addOrderBy('invoice.id');
    if (!isStaff(actor)) qb.andWhere('invoice.student_id = :own AND invoice.status <> :draft', { own: actor.studentId ?? null, draft: 'draft' });
    if (filter.kind) qb.andWhere('invoice.kind = :kind', { kind: filter.kind });
    if (filter.billingPartyId) qb.andWhere('invoice.billing_party_id = :party', { party: filter.billingPartyId });
    if (filter.studentId) qb.andWhere('invoice.student_id = :student', { student: filter.studentId });
    if (filter.status === 'overdue') {
      qb.andWhere(`invoice.kind = 'invoice' AND invoice.status IN ('issued', 'partially_paid') AND invoice.due_date < :today`, { today });
    } else if (filter.status) {
      qb.andWhere('invoice.status = :status', { status: filter.status });
      if (filter.status === 'issued' || filter.status === 'partially_paid') qb.andWhere('(invoice.due_date >= :today)', { today });
    }
    return pageFrom(qb, filter);
  }

  /** An invoice its reader may see: staff any, a student only an issued invoice of their own (else 404). */
  async get(id: string, actor: Actor, manager: EntityManager = this.db.manager): Promise<Invoice> {
    const invoice = await manager.findOneBy(Invoice, { id });
    if (!invoice || (!isStaff(actor) && (invoice.studentId === null || invoice.studentId !== actor.studentId || invoice.status === 'draft'))) {
      throw new NotFoundError('Invoice', id);
    }
    return invoice;
  }

  lines(invoiceId: string, manager: EntityManager = this.db.manager): Promise<InvoiceLine[]> {
    return manager.find(InvoiceLine, { where: { invoiceId }, order: { position: 'ASC' } });
  }

  async document(id: string, actor: Actor, format: 'pdf' | 'ubl'): Promise<{ invoice: Invoice; content: Buffer; sha256: string }> {
    const invoice = await this.get(id, actor);
    if (invoice.status === 'draft') throw new BusinessRuleError('invoice_not_issued', 'A draft has no documents yet; issue it first');
    const row = await this.db.getRepository(Invoice).createQueryBuilder('invoice').addSelect(format === 'pdf' ? 'invoice.pdf' : 'invoice.ubl').where('invoice.id = :id', { id }).getOneOrFail();
    const content = format === 'pdf' ? row.pdf! : row.ubl!;
    return { invoice, content, sha256: format === 'pdf' ? invoice.pdfSha256! : invoice.ublSha256! };
  }

  async createDraft(input: DraftInput): Promise<Invoice> {
    return this.db.transaction((manager) => this.createDraftIn(manager, input));
  }

  /** A draft in the caller's transaction: its ledger items are locked and marked invoiced with it. */
  async createDraftIn(manager: EntityManager, input: DraftInput, batchId: string | null = null): Promise<Invoice> {
    const party = await this.directory.billingParty(input.billingPartyId, manager);
    if (!party) throw new NotFoundError('Billing party', input.billingPartyId);
    const itemIds = input.itemIds ?? [];
    const manual = input.lines ?? [];
    if (itemIds.length + manual.length === 0) throw new InvalidInputError([{ field: 'lines', rule: 'arrayNotEmpty', message: 'An invoice needs at least one line or item' }]);
    checkLines(manual, 'lines');
    const items = itemIds.length
      ? await manager.find(BillableItem, { where: { id: In(itemIds) }, order: { billableOn: 'ASC', createdAt: 'ASC' }, lock: { mode: 'pessimistic_write' } })
      : [];
    for (const id of itemIds) {
      const item = items.find((candidate) => candidate.id === id);
      if (!item) throw new NotFoundError('Billable item', id);
      if (item.status !== 'open') throw new BusinessRuleError('billable_item_not_open', `Item ${item.key} is already ${item.status}`, { itemId: id });
      if (item.billingPartyId !== input.billingPartyId) throw new BusinessRuleError('billable_item_other_party', `Item ${item.key} is billed to another party`, { itemId: id });
    }
    const orderReference = input.orderReference ?? (items.find((item) => item.purchaseOrder)?.purchaseOrder || null);
    const buyerReference = input.buyerReference ?? (party.reference || null);
    const allLines: (LineInput & { billableItemId: string | null })[] = [
      ...items.map((item) => ({ description: item.description, quantity: item.quantity, unitPriceCents: item.unitPriceCents, vatCategory: item.vatCategory, billableItemId: item.id })),
      ...manual.map((line) => ({ ...line, billableItemId: null })),
    ];
    const totals = computeTotals(allLines);
    const invoice = await manager.save(
      manager.create(Invoice, {
        kind: 'invoice',
        status: 'draft',
        number: null,
        billingPartyId: input.billingPartyId,
        studentId: party.kind === 'student' ? (party.studentId ?? null) : null,
        locale: party.locale ?? 'nl',
        buyer: null,
        buyerReference,
        orderReference,
        paymentTermDays: party.paymentTermDays ?? 30,
        creditedInvoiceId: null,
        netCents: totals.netCents,
        vatCents: totals.vatCents,
        grossCents: totals.grossCents,
        vatBreakdown: totals.vat,
        paidCents: 0,
        creditedCents: 0,
        wantsEInvoice: Boolean(party.peppolId),
        batchId,
        reminderLevel: 0,
      }),
    );
    await manager.save(
      allLines.map((line, index) =>
        manager.create(InvoiceLine, { ...line, invoiceId: invoice.id, position: index + 1, netCents: totals.lineNetCents[index] }),
      ),
    );
    for (const item of items) {
      item.status = 'invoiced';
      item.invoiceId = invoice.id;
      await manager.save(item);
    }
    return invoice;
  }

  async issue(id: string): Promise<Invoice> {
    // Read before the transaction: a second connection wanted while holding the number lock starves the pool.
    const seller = await this.seller();
    return this.db.transaction((manager) => this.issueIn(manager, id, { seller }));
  }

  /** The seller's particulars from the institute settings. */
  async seller(): Promise<DocumentSeller> {
    const [settings, logo] = await Promise.all([this.settings.get(), this.settings.findImage('logo')]);
    const address = settings.postalAddress?.street ? settings.postalAddress : settings.visitingAddress;
    return {
      name: settings.name,
      address: { street: address.street, postcode: address.postcode, city: address.city, country: address.country },
      kvkNumber: settings.kvkNumber,
      vatNumber: settings.vatNumber,
      iban: settings.iban,
      bic: settings.bic,
      crkboRegistration: settings.crkboRegistration,
      email: settings.email,
      phone: settings.phone,
      website: settings.website,
      logo: logo ? { mediaType: logo.mediaType, data: logo.data } : null,
    };
  }

  /** The buyer's facts as they are now, for the document. */
  async buyer(manager: EntityManager, billingPartyId: string): Promise<DocumentBuyer & { locale: 'nl' | 'en' }> {
    const party = await this.directory.billingParty(billingPartyId, manager);
    if (!party) throw new NotFoundError('Billing party', billingPartyId);
    return {
      kind: party.kind,
      name: party.name,
      address: party.address ? { street: party.address.street, houseNumber: party.address.houseNumber, postcode: party.address.postcode, city: party.address.city, country: party.address.country } : null,
      kvkNumber: party.kvkNumber ?? null,
      vatNumber: party.vatNumber ?? null,
      peppolId: party.peppolId ?? null,
      email: party.contactEmail ?? null,
      locale: party.locale ?? 'nl',
    };
  }

  /** Issues one draft in the caller's transaction (see issueManyIn). */
  async issueIn(manager: EntityManager, id: string, options: { seller?: DocumentSeller; today?: string } = {}): Promise<Invoice> {
    const [issued] = await this.issueManyIn(manager, [id], options);
    return issued;
  }

  /**
   * Issues drafts in the caller's transaction: each takes the next number of the year's series
   * (the counter row stays locked until the transaction ends, so no other issue can take a
   * number in between, and a rollback gives the numbers back), the documents are rendered (on
   * the render pool's threads, all at once) and stored with their SHA-256, and the mails are
   * queued with them attached.
   */
  async issueManyIn(manager: EntityManager, ids: string[], options: { seller?: DocumentSeller; today?: string } = {}): Promise<Invoice[]> {
    const seller = options.seller ?? (await this.seller());
    const issueDate = options.today ?? amsterdamDate(new Date());
    const year = Number(issueDate.slice(0, 4));
    const prepared: { invoice: Invoice; doc: InvoiceDocument; buyer: DocumentBuyer }[] = [];
    for (const id of ids) {
      const invoice = await manager.findOne(Invoice, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!invoice) throw new NotFoundError('Invoice', id);
      if (invoice.status !== 'draft') throw new BusinessRuleError('invoice_not_draft', `Invoice ${invoice.number} is already issued`);
      const lines = await this.lines(id, manager);
      const { locale, ...buyer } = await this.buyer(manager, invoice.billingPartyId);
      if (!buyer.address) throw new BusinessRuleError('billing_party_without_address', 'The billing party has no postal address; an invoice needs one');
      const credited = invoice.creditedInvoiceId ? await manager.findOneByOrFail(Invoice, { id: invoice.creditedInvoiceId }) : null;
      const sequence = await this.nextNumber(manager, invoice.kind, year);
      const number = `${invoice.kind === 'credit_note' ? 'C' : ''}${year}-${String(sequence).padStart(6, '0')}`;
      const dueDate = addDaysIso(issueDate, invoice.paymentTermDays);
      const paymentReference = creditorReference(number);
      Object.assign(invoice, { year, sequence, number, issueDate, dueDate, paymentReference, buyer, locale });
      prepared.push({
        invoice,
        buyer,
        doc: {
          kind: invoice.kind,
          number,
          issueDate,
          dueDate,
          locale,
          seller,
          buyer,
          buyerReference: invoice.buyerReference,
          orderReference: invoice.orderReference,
          paymentReference,
          lines: lines.map((line) => ({ description: line.description, quantity: line.quantity, unitPriceCents: line.unitPriceCents, vatCategory: line.vatCategory })),
          creditedInvoice: credited ? { number: credited.number!, issueDate: credited.issueDate! } : null,
        },
      });
    }
    for (const { doc } of prepared) {
      try {
        assertUblInput(doc);
      } catch (error) {
        if (error instanceof UblInputError) throw new BusinessRuleError('e_invoice_incomplete', `${doc.number}: ${error.message}`);
        throw error;
      }
    }
    // All renders start at once on the pool; each invoice is saved and mailed as soon as its documents are
    // there, while the pool's threads render the next ones.
    const rendering = prepared.map(({ doc }) => this.renderer.render(doc));
    rendering.forEach((promise) => promise.catch(() => undefined));
    const issued: Invoice[] = [];
    for (const [index, { invoice, buyer, doc }] of prepared.entries()) {
      const documents = await rendering[index];
      Object.assign(invoice, { status: 'issued', pdf: documents.pdf, pdfSha256: documents.pdfSha256, ubl: Buffer.from(documents.ubl, 'utf8'), ublSha256: documents.ublSha256 });
      issued.push(await manager.save(invoice));
      if (!buyer.email) continue;
      const attachments = [{ filename: `${doc.number}.pdf`, contentType: 'application/pdf', content: documents.pdf }];
      if (buyer.kind === 'employer' && invoice.wantsEInvoice) attachments.push({ filename: `${doc.number}.xml`, contentType: 'application/xml', content: Buffer.from(documents.ubl) });
      await this.outbox.enqueue(manager, {
        type: 'invoice-issued',
        locale: doc.locale,
        to: { email: buyer.email, name: buyer.name },
        ...(invoice.studentId ? { studentId: invoice.studentId } : {}),
        billingPartyId: invoice.billingPartyId,
        data: {
          recipientName: buyer.name,
          creditNote: invoice.kind === 'credit_note',
          number: doc.number,
          issueDate: doc.issueDate,
          dueDate: doc.dueDate,
          totalCents: invoice.grossCents,
          paymentReference: doc.paymentReference,
          iban: seller.iban,
        },
        attachments,
        idempotencyKey: `invoice-issued:${invoice.id}`,
      });
    }
    return issued;
  }

  /** The next number of a series and year; the counter row is locked until the caller's transaction ends. */
  private async nextNumber(manager: EntityManager, series: InvoiceKind, year: number): Promise<number> {
    const [row] = (await manager.query(
      `INSERT INTO invoice_number_counter (series, year, last_number) VALUES ($1, $2, 1)
       ON CONFLICT (series, year) DO UPDATE SET last_number = invoice_number_counter.last_number + 1
       RETURNING last_number`,
      [series, year],
    )) as { last_number: number }[];
    return row.last_number;
  }

  /**
   * A credit note for an issued invoice, issued at once: the whole remainder, or the given
   * lines, never more than is left to credit.
   */
  async credit(invoiceId: string, input: CreditInput): Promise<Invoice> {
    const seller = await this.seller();
    return this.db.transaction(async (manager) => {
      const original = await manager.findOne(Invoice, { where: { id: invoiceId }, lock: { mode: 'pessimistic_write' } });
      if (!original) throw new NotFoundError('Invoice', invoiceId);
      if (original.kind !== 'invoice') throw new BusinessRuleError('not_an_invoice', 'Only an invoice can be credited');
      if (original.status === 'draft') throw new BusinessRuleError('invoice_not_issued', 'A draft is changed, not credited');
      const left = original.grossCents - original.creditedCents;
      let lines: LineInput[];
      let items: BillableItem[];
      if (input.full) {
        items = await manager.find(BillableItem, { where: { invoiceId: original.id, creditNoteId: IsNull() }, lock: { mode: 'pessimistic_write' } });
        if (left <= 0) throw new BusinessRuleError('nothing_left_to_credit', `Invoice ${original.number} is fully credited`);
        if (original.creditedCents === 0) {
          lines = (await this.lines(original.id, manager)).map(({ description, quantity, unitPriceCents, vatCategory }) => ({ description, quantity, unitPriceCents, vatCategory }));
        } else {
          throw new BusinessRuleError('partly_credited', `Invoice ${original.number} is partly credited already; credit the rest by lines`);
        }
      } else {
        checkLines(input.lines ?? [], 'lines');
        items = await this.itemsToCredit(manager, original, input.itemIds ?? []);
        lines = [...(input.lines ?? []), ...items.map(({ description, quantity, unitPriceCents, vatCategory }) => ({ description, quantity, unitPriceCents, vatCategory }))];
        if (!lines.length) throw new InvalidInputError([{ field: 'lines', rule: 'arrayNotEmpty', message: 'Give the lines or items to credit, or full: true' }]);
      }
      const totals = computeTotals(lines);
      if (totals.grossCents > left) {
        throw new BusinessRuleError('credit_exceeds_invoice', `The credit note of ${totals.grossCents} cents is more than the ${left} cents left to credit on ${original.number}`, { leftCents: left });
      }
      const note = await manager.save(
        manager.create(Invoice, {
          kind: 'credit_note',
          status: 'draft',
          number: null,
          billingPartyId: original.billingPartyId,
          studentId: original.studentId,
          locale: original.locale,
          buyer: null,
          buyerReference: original.buyerReference,
          orderReference: original.orderReference,
          paymentTermDays: 14,
          creditedInvoiceId: original.id,
          netCents: totals.netCents,
          vatCents: totals.vatCents,
          grossCents: totals.grossCents,
          vatBreakdown: totals.vat,
          paidCents: 0,
          creditedCents: 0,
          wantsEInvoice: original.wantsEInvoice,
          batchId: null,
          reminderLevel: 0,
        }),
      );
      await manager.save(lines.map((line, index) => manager.create(InvoiceLine, { ...line, invoiceId: note.id, position: index + 1, netCents: totals.lineNetCents[index], billableItemId: null })));
      original.creditedCents += totals.grossCents;
      original.status = settledStatus(original);
      await manager.save(original);
      await this.settlement.invoicesChanged(manager, [original.id], `credit note on ${original.number}`);
      const issued = await this.issueIn(manager, note.id, { seller });
      for (const item of items) {
        item.creditNoteId = note.id;
        await manager.save(item);
      }
      // What the customer had not paid is settled by the credit note itself; only the rest is refunded
      // (a refund is registered as a payment against the credit note).
      const refundable = Math.min(issued.grossCents, Math.max(0, original.paidCents - (original.grossCents - original.creditedCents)));
      issued.paidCents = issued.grossCents - refundable;
      issued.status = settledStatus(issued);
      return manager.save(issued);
    });
  }

  /** Items the credit note credits whole: each billed on this invoice and not credited before. */
  private async itemsToCredit(manager: EntityManager, invoice: Invoice, itemIds: string[]): Promise<BillableItem[]> {
    const wanted = [...new Set(itemIds)];
    if (wanted.length === 0) return [];
    const items = await manager.find(BillableItem, { where: { id: In(wanted) }, lock: { mode: 'pessimistic_write' } });
    return wanted.map((id) => {
      const item = items.find((candidate) => candidate.id === id);
      if (!item) throw new NotFoundError('Billable item', id);
      if (item.invoiceId !== invoice.id) throw new BusinessRuleError('billable_item_not_on_invoice', `Item ${item.key} is not billed on invoice ${invoice.number}`, { itemId: id });
      if (item.creditNoteId) throw new BusinessRuleError('billable_item_already_credited', `Item ${item.key} is credited already`, { itemId: id, creditNoteId: item.creditNoteId });
      return item;
    });
  }
}

/** Lines from a client: positive quantities with at most three decimals, whole non-negative cents. */
export function checkLines(lines: LineInput[], field: string): void {
  lines.forEach((line, index) => {
    if (!(line.quantity > 0)) throw new InvalidInputError([{ field: `${field}.${index}.quantity`, rule: 'isPositive', message: 'A quantity is positive; a correction is a credit note' }]);
    try {
      lineNetCents(line);
    } catch {
      throw new InvalidInputError([{ field: `${field}.${index}.quantity`, rule: 'maxDecimalPlaces', message: 'A quantity has at most three decimals' }]);
    }
  });
}
