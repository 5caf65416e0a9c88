import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import { AuditedByDigest } from '../audit/audited-by-digest.decorator';
import { centsTransformer } from '../kernel/money';
import type { DocumentBuyer } from './documents/invoice-document';
import type { VatBreakdown, VatCategory } from './documents/totals';

/** numeric(12,3) comes back from node-postgres as a string. */
const quantityTransformer = {
  to: (value: number | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};

export const INVOICE_KINDS = ['invoice', 'credit_note'] as const;
export type InvoiceKind = (typeof INVOICE_KINDS)[number];
export const INVOICE_STATUSES = ['draft', 'issued', 'partially_paid', 'paid', 'credited'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];
export const BILLABLE_KINDS = ['tuition', 'installment', 'exam_fee', 'resit_fee', 'material', 'cancellation_fee', 'manual'] as const;
export type BillableKind = (typeof BILLABLE_KINDS)[number];

/** An invoice or a credit note. A draft has no number; once issued it never changes but for its payment state. */
@Entity('invoice')
export class Invoice {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('text')
  kind: InvoiceKind;

  @Column('text')
  status: InvoiceStatus;

  @Column('text', { nullable: true })
  number: string | null;

  @Column('int', { nullable: true })
  year: number | null;

  @Column('int', { nullable: true })
  sequence: number | null;

  @Column('uuid')
  billingPartyId: string;

  @Column('uuid', { nullable: true })
  studentId: string | null;

  @Column('text')
  locale: 'nl' | 'en';

  @Column('jsonb', { nullable: true })
  buyer: DocumentBuyer | null;

  @Column('text', { nullable: true })
  buyerReference: string | null;

  @Column('text', { nullable: true })
  orderReference: string | null;

  @Column('date', { nullable: true })
  issueDate: string | null;

  @Column('date', { nullable: true })
  dueDate: string | null;

  @Column('int')
  paymentTermDays: number;

  @Column('text', { nullable: true })
  paymentReference: string | null;

  @Column('uuid', { nullable: true })
  creditedInvoiceId: string | null;

  @Column('bigint', { transformer: centsTransformer })
  netCents: number;

  @Column('bigint', { transformer: centsTransformer })
  vatCents: number;

  @Column('bigint', { transformer: centsTransformer })
  grossCents: number;

  @Column('jsonb')
  vatBreakdown: VatBreakdown[];

  @Column('bigint', { transformer: centsTransformer })
  paidCents: number;

  @Column('bigint', { transformer: centsTransformer })
  creditedCents: number;

  @Column('bytea', { nullable: true, select: false })
  pdf: Buffer | null;

  @Column('text', { nullable: true })
  pdfSha256: string | null;

  /** The UBL XML's UTF-8 bytes (the audit log notes a byte column by its size). */
  @Column('bytea', { nullable: true, select: false })
  ubl: Buffer | null;

  @Column('text', { nullable: true })
  ublSha256: string | null;

  @Column('boolean')
  wantsEInvoice: boolean;

  @Column('uuid', { nullable: true })
  batchId: string | null;

  @Column('int')
  reminderLevel: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;

  @VersionColumn()
  version: number;
}

@Entity('invoice_line')
export class InvoiceLine {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  invoiceId: string;

  @Column('int')
  position: number;

  @Column('text')
  description: string;

  @Column('numeric', { transformer: quantityTransformer })
  quantity: number;

  @Column('bigint', { transformer: centsTransformer })
  unitPriceCents: number;

  @Column('text')
  vatCategory: VatCategory;

  @Column('bigint', { transformer: centsTransformer })
  netCents: number;

  @Column('uuid', { nullable: true })
  billableItemId: string | null;
}

/** Something that can be billed, once: its key says what it is. */
@Entity('billable_item')
export class BillableItem {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('text')
  key: string;

  @Column('text')
  kind: BillableKind;

  @Column('uuid')
  billingPartyId: string;

  @Column('uuid', { nullable: true })
  studentId: string | null;

  @Column('uuid', { nullable: true })
  enrolmentId: string | null;

  @Column('uuid', { nullable: true })
  editionId: string | null;

  @Column('uuid', { nullable: true })
  courseId: string | null;

  @Column('text')
  description: string;

  @Column('numeric', { transformer: quantityTransformer })
  quantity: number;

  @Column('bigint', { transformer: centsTransformer })
  unitPriceCents: number;

  @Column('text')
  vatCategory: VatCategory;

  @Column('text', { nullable: true })
  purchaseOrder: string | null;

  @Column('date')
  billableOn: string;

  @Column('text')
  status: 'open' | 'invoiced' | 'withdrawn';

  @Column('uuid', { nullable: true })
  invoiceId: string | null;

  @Column('text', { nullable: true })
  withdrawnReason: string | null;

  /** Why this invoiced item should no longer have been billed: finance owes a credit note for it. */
  @Column('text', { nullable: true })
  creditDue: string | null;

  /** The credit note that credited this item. */
  @Column('uuid', { nullable: true })
  creditNoteId: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;

  @VersionColumn()
  version: number;
}

export const PAYMENT_METHODS = ['bank_transfer', 'ideal', 'card', 'cash', 'direct_debit'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

/**
 * Money received for an invoice, or refunded for a credit note; or the billing party's credit
 * spent: applied to an invoice (method `credit`) or refunded, drawn on `creditSourceId`.
 */
@Entity('payment')
export class Payment {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  invoiceId: string;

  @Column('text')
  kind: 'payment' | 'refund';

  @Column('bigint', { transformer: centsTransformer })
  amountCents: number;

  /** The part beyond what was due: the billing party's credit. */
  @Column('bigint', { transformer: centsTransformer })
  creditCents: number;

  @Column('date')
  paidOn: string;

  @Column('text')
  method: PaymentMethod | 'credit';

  @Column('text')
  reference: string;

  @Column('text', { nullable: true })
  counterpartyIban: string | null;

  @Column('text', { nullable: true })
  bankEntryId: string | null;

  /** The overpayment whose credit this application or refund spends. */
  @Column('uuid', { nullable: true })
  creditSourceId: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

export const REMINDER_LEVELS = ['first', 'second', 'notice', 'final_demand'] as const;
export type ReminderLevel = (typeof REMINDER_LEVELS)[number];

@Entity('invoice_reminder')
export class InvoiceReminder {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  invoiceId: string;

  @Column('text')
  level: ReminderLevel;

  @Column('date')
  sentOn: string;

  @Column('bigint', { transformer: centsTransformer })
  outstandingCents: number;

  @Column('bigint', { transformer: centsTransformer })
  collectionCostsCents: number;

  @Column('uuid', { nullable: true })
  mailId: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

@Entity('invoice_batch')
export class InvoiceBatch {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('text')
  period: string;

  @Column('jsonb')
  selection: Record<string, unknown>;

  @Column('text')
  status: 'queued' | 'running' | 'completed' | 'failed';

  @Column('uuid', { nullable: true })
  jobId: string | null;

  @AuditedByDigest()
  @Column('jsonb', { nullable: true })
  report: Record<string, unknown> | null;

  @Column('uuid', { nullable: true })
  requestedBy: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column('timestamptz', { nullable: true })
  finishedAt: Date | null;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;

  @VersionColumn()
  version: number;
}

@Entity('invoicing_settings')
export class InvoicingSettings {
  @PrimaryColumn('smallint', { select: false })
  id: number;

  @Column('int')
  firstReminderDays: number;

  @Column('int')
  secondReminderDays: number;

  @Column('int')
  finalStepDays: number;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;

  @VersionColumn()
  version: number;
}

export const INVOICING_ENTITIES = [Invoice, InvoiceLine, BillableItem, Payment, InvoiceReminder, InvoiceBatch, InvoicingSettings];
