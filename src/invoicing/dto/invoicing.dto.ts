import { OmitType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { PageQuery } from '../../http/pagination';
import { QueryBoolean, Trim } from '../../http/transforms';
import { VAT_CATEGORIES, type VatCategory } from '../documents/totals';
import { BILLABLE_KINDS, type BillableKind, INVOICE_KINDS, type InvoiceKind, PAYMENT_METHODS, type PaymentMethod, REMINDER_LEVELS, type ReminderLevel } from '../invoicing.entities';

const ISO_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;
export const SHOWN_STATUSES = ['draft', 'issued', 'partially_paid', 'paid', 'overdue', 'credited'] as const;
export type ShownStatusDto = (typeof SHOWN_STATUSES)[number];

export class LineInputDto {
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  description: string;

  /** Positive, at most three decimals; a correction is a credit note. */
  @IsNumber({ maxDecimalPlaces: 3, allowNaN: false, allowInfinity: false })
  @Min(0.001, { message: 'quantity must be positive; a correction is a credit note' })
  @Max(100000)
  quantity: number;

  /** Euro cents, not negative. */
  @IsInt()
  @Min(0)
  @Max(100_000_000_00)
  unitPriceCents: number;

  /** `exempt` (vocational education, art. 11 lid 1 o Wet OB), `rate_21`, `rate_9` or `rate_0`. */
  @IsIn(VAT_CATEGORIES, { message: `vatCategory must be one of ${VAT_CATEGORIES.join(', ')}` })
  vatCategory: VatCategory;
}

export class CreateInvoiceDto {
  @IsUUID()
  billingPartyId: string;

  /** Open ledger items of this billing party to bill. */
  @IsOptional()
  @IsUUID('all', { each: true })
  @ArrayMaxSize(500)
  itemIds?: string[];

  /** Manual lines. */
  @IsOptional()
  @ValidateNested({ each: true })
  @Type(() => LineInputDto)
  @ArrayMaxSize(500)
  lines?: LineInputDto[];

  /** The buyer's reference; defaults to the billing party's. */
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(100)
  buyerReference?: string;

  /** The buyer's purchase order; defaults to the items' purchase order. */
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(100)
  orderReference?: string;
}

export class CreditInvoiceDto {
  /** Credit everything (only when nothing was credited yet). */
  @IsOptional()
  @IsBoolean()
  full?: boolean;

  /** The lines to credit, as positive amounts. */
  @IsOptional()
  @ValidateNested({ each: true })
  @Type(() => LineInputDto)
  @ArrayNotEmpty()
  @ArrayMaxSize(500)
  lines?: LineInputDto[];

  /** Ledger items billed on this invoice to credit whole (their lines as invoiced); settles their `creditDue`. */
  @IsOptional()
  @IsUUID('all', { each: true })
  @ArrayNotEmpty()
  @ArrayMaxSize(500)
  itemIds?: string[];
}

export class InvoiceQuery extends PageQuery {
  @IsOptional()
  @IsIn(SHOWN_STATUSES)
  status?: ShownStatusDto;

  @IsOptional()
  @IsIn(INVOICE_KINDS)
  kind?: InvoiceKind;

  @IsOptional()
  @IsUUID()
  billingPartyId?: string;

  @IsOptional()
  @IsUUID()
  studentId?: string;
}


export class InvoiceLineDto {
  position: number;
  description: string;
  quantity: number;
  unitPriceCents: number;
  vatCategory: VatCategory;
  netCents: number;
  billableItemId: string | null;
}

export class InvoiceDto {
  id: string;
  kind: InvoiceKind;
  /** `overdue` is an issued or partly paid invoice past its due date. */
  status: ShownStatusDto;
  /** Null while a draft. */
  number: string | null;
  billingPartyId: string;
  studentId: string | null;
  locale: 'nl' | 'en';
  buyerReference: string | null;
  orderReference: string | null;
  issueDate: string | null;
  dueDate: string | null;
  paymentReference: string | null;
  creditedInvoiceId: string | null;
  netCents: number;
  vatCents: number;
  grossCents: number;
  paidCents: number;
  creditedCents: number;
  /** Still to be paid (negative: to be refunded). */
  outstandingCents: number;
  vatBreakdown: VatRateTotalDto[];
  lines: InvoiceLineDto[];
  pdfSha256: string | null;
  ublSha256: string | null;
  reminderLevel: number;
  batchId: string | null;
  createdAt: Date;
}

export class InvoiceSummaryDto {
  id: string;
  kind: InvoiceKind;
  status: ShownStatusDto;
  number: string | null;
  billingPartyId: string;
  studentId: string | null;
  issueDate: string | null;
  dueDate: string | null;
  grossCents: number;
  paidCents: number;
  creditedCents: number;
  outstandingCents: number;
}

export class BillableItemInputDto {
  @IsUUID()
  billingPartyId: string;

  @IsIn(['material', 'manual', 'exam_fee'])
  kind: BillableKind;

  @IsOptional()
  @IsUUID()
  studentId?: string;

  @IsOptional()
  @IsUUID()
  enrolmentId?: string;

  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  description: string;

  @IsNumber({ maxDecimalPlaces: 3, allowNaN: false, allowInfinity: false })
  @Min(0.001)
  @Max(100000)
  quantity: number;

  @IsInt()
  @Min(0)
  @Max(100_000_000_00)
  unitPriceCents: number;

  @IsIn(VAT_CATEGORIES, { message: `vatCategory must be one of ${VAT_CATEGORIES.join(', ')}` })
  vatCategory: VatCategory;

  /** The first day it may be billed, YYYY-MM-DD. */
  @Matches(ISO_DATE, { message: 'billableOn must be a date YYYY-MM-DD' })
  billableOn: string;

  /** A key of your own that makes the item unique (a retry then adds nothing). */
  @IsOptional()
  @Matches(/^[a-z_]+:[A-Za-z0-9:/_-]{1,200}$/, { message: 'key must look like kind:identifier' })
  key?: string;
}

export class SplitItemDto {
  /** Number of installments. */
  @IsInt()
  @Min(2)
  @Max(24)
  terms: number;

  @Matches(ISO_DATE, { message: 'firstDueOn must be a date YYYY-MM-DD' })
  firstDueOn: string;

  @IsInt()
  @Min(1)
  @Max(12)
  intervalMonths: number;
}

export class BillableItemQuery extends PageQuery {
  @IsOptional()
  @IsUUID()
  billingPartyId?: string;

  @IsOptional()
  @IsUUID()
  enrolmentId?: string;

  @IsOptional()
  @IsIn(['open', 'invoiced', 'withdrawn'])
  status?: 'open' | 'invoiced' | 'withdrawn';

  /** true: invoiced items owed a credit note (`creditDue`) that no credit note settled yet. */
  @IsOptional()
  @QueryBoolean()
  @IsBoolean()
  creditDue?: boolean;
}

export class BillableItemDto {
  id: string;
  key: string;
  kind: BillableKind;
  billingPartyId: string;
  studentId: string | null;
  enrolmentId: string | null;
  editionId: string | null;
  courseId: string | null;
  description: string;
  quantity: number;
  unitPriceCents: number;
  vatCategory: VatCategory;
  purchaseOrder: string | null;
  billableOn: string;
  status: 'open' | 'invoiced' | 'withdrawn';
  invoiceId: string | null;
  withdrawnReason: string | null;
  /** Why this invoiced item should no longer have been billed: a credit note is owed for it. */
  creditDue: string | null;
  /** The credit note that credited it. */
  creditNoteId: string | null;
  createdAt: Date;
}

export class PaymentInputDto {
  @IsUUID()
  invoiceId: string;

  /** Euro cents; a refund against a credit note, a payment against an invoice. */
  @IsInt()
  @Min(1)
  @Max(100_000_000_00)
  amountCents: number;

  @Matches(ISO_DATE, { message: 'paidOn must be a date YYYY-MM-DD' })
  paidOn: string;

  @IsIn(PAYMENT_METHODS)
  method: PaymentMethod;

  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(140)
  reference?: string;

  /** The payer's (or, for a refund, the payee's) IBAN; its checksum is checked. */
  @IsOptional()
  @IsString()
  @MaxLength(42)
  counterpartyIban?: string;
}

export class PaymentQuery extends PageQuery {
  @IsOptional()
  @IsUUID()
  invoiceId?: string;
}

export class PaymentDto {
  id: string;
  invoiceId: string;
  kind: 'payment' | 'refund';
  amountCents: number;
  /** The part beyond what was due, kept as credit of the billing party. */
  creditCents: number;
  paidOn: string;
  /** `credit`: the billing party's credit applied to the invoice. */
  method: PaymentMethod | 'credit';
  reference: string;
  counterpartyIban: string | null;
  bankEntryId: string | null;
  /** For credit applied or refunded: the overpayment it was drawn on. */
  creditSourceId: string | null;
  createdAt: Date;
}

export class CreditApplicationDto {
  /** An issued, not fully paid invoice of the same billing party. */
  @IsUUID()
  invoiceId: string;

  /** Euro cents; left out: as much as the balance and the amount due allow. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100_000_000_00)
  amountCents?: number;

  /** The day the credit is applied (default today). */
  @IsOptional()
  @Matches(ISO_DATE, { message: 'appliedOn must be a date YYYY-MM-DD' })
  appliedOn?: string;
}

/** A refund of credit: at most the balance, paid to the payee's IBAN (checked) when given; by bank transfer unless said otherwise. */
export class CreditRefundDto extends OmitType(PaymentInputDto, ['invoiceId', 'method'] as const) {
  @IsOptional()
  @IsIn(PAYMENT_METHODS)
  method?: PaymentMethod;
}

export class CreditSourceDto {
  /** The overpayment. */
  paymentId: string;
  invoiceId: string;
  invoiceNumber: string;
  paidOn: string;
  creditCents: number;
  usedCents: number;
  leftCents: number;
}

export class CreditBalanceDto {
  billingPartyId: string;
  balanceCents: number;
  /** Overpayments with credit left, oldest first: spent in this order. */
  sources: CreditSourceDto[];
}

export class CreditMovementDto {
  billingPartyId: string;
  amountCents: number;
  /** What is left after this. */
  balanceCents: number;
  /** One row per overpayment drawn on. */
  payments: PaymentDto[];
}

export class CamtImportDto {
  /** The CAMT.053 statement's XML. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(20_000_000)
  statement: string;
}

export class CamtMatchDto {
  entryId: string;
  invoiceId: string;
  invoiceNumber: string;
  amountCents: number;
  creditCents: number;
}

export class CamtUnmatchedDto {
  entryId: string;
  amountCents: number;
  remittance: string;
  reason: string;
}

export class CamtImportReportDto {
  entries: number;
  matched: CamtMatchDto[];
  unmatched: CamtUnmatchedDto[];
  alreadyImported: string[];
  ignoredDebits: number;
}

export class BatchSelectionDto {
  /** YYYY-MM: bills items billable up to the end of this month. */
  @Matches(PERIOD, { message: 'period must be a month YYYY-MM' })
  period: string;

  @IsOptional()
  @IsUUID('all', { each: true })
  @ArrayMaxSize(500)
  editionIds?: string[];

  @IsOptional()
  @IsIn(BILLABLE_KINDS, { each: true })
  kinds?: BillableKind[];

  @IsOptional()
  @IsUUID('all', { each: true })
  @ArrayMaxSize(5000)
  billingPartyIds?: string[];

  /** One invoice per enrolment (default), or one per billing party with all its items. */
  @IsOptional()
  @IsIn(['per_enrolment', 'per_party'])
  grouping?: 'per_enrolment' | 'per_party';
}

export class VatRateTotalDto {
  category: VatCategory;
  percent: number;
  taxableCents: number;
  vatCents: number;
}

export class PartyTotalDto {
  billingPartyId: string;
  name: string;
  invoices: number;
  items: number;
  totalCents: number;
}

export class BatchWarningDto {
  billingPartyId: string;
  name: string;
  /** `credit_available`: the party has credit a run does not spend; apply or refund it (see `creditCents`). */
  warning: 'missing_address' | 'no_vat_number_for_e_invoice' | 'no_email' | 'unknown_billing_party' | 'credit_available';
  creditCents?: number;
}

export class DryRunReportDto {
  period: string;
  invoices: number;
  items: number;
  totalCents: number;
  totalsPerVatRate: VatRateTotalDto[];
  perBillingParty: PartyTotalDto[];
  warnings: BatchWarningDto[];
}

export class BatchBilledDto {
  invoiceId: string;
  number: string;
  billingPartyId: string;
  items: number;
  totalCents: number;
}

export class BatchSkippedDto {
  billingPartyId: string;
  items: number;
  reason: string;
}

export class BatchFailedDto {
  billingPartyId: string;
  items: number;
  error: string;
}

export class BatchReportDto {
  billed: BatchBilledDto[];
  skipped: BatchSkippedDto[];
  failed: BatchFailedDto[];
}

export class InvoiceBatchDto {
  id: string;
  period: string;
  selection: BatchSelectionDto;
  status: 'queued' | 'running' | 'completed' | 'failed';
  /** Its job: progress at GET /jobs/{jobId}. */
  jobId: string | null;
  report: BatchReportDto | null;
  requestedBy: string | null;
  createdAt: Date;
  finishedAt: Date | null;
}

export class ReminderDto {
  id: string;
  invoiceId: string;
  level: ReminderLevel;
  sentOn: string;
  outstandingCents: number;
  /** Stated in the 14-day notice; due only when that period passes unpaid. */
  collectionCostsCents: number;
  mailId: string | null;
}

export class ReminderSentDto {
  invoiceId: string;
  number: string;
  level: ReminderLevel;
  collectionCostsCents: number;
}

export class ReminderRunDto {
  today: string;
  sent: ReminderSentDto[];
}

export class ReminderRunInputDto {
  /** Run as of this day (default today). */
  @IsOptional()
  @Matches(ISO_DATE, { message: 'today must be a date YYYY-MM-DD' })
  today?: string;
}

export class AgeingRowDto {
  billingPartyId: string;
  name: string;
  currentCents: number;
  days0to30Cents: number;
  days31to60Cents: number;
  days61to90Cents: number;
  days90PlusCents: number;
  totalCents: number;
}

export class RevenueRowDto {
  period: string;
  vatCategory: string;
  percent: number;
  netCents: number;
  vatCents: number;
}

export class DateRangeQuery {
  @Matches(ISO_DATE, { message: 'from must be a date YYYY-MM-DD' })
  from: string;

  @Matches(ISO_DATE, { message: 'to must be a date YYYY-MM-DD' })
  to: string;
}

export class ExportQuery extends DateRangeQuery {
  @IsOptional()
  @IsIn(['csv', 'xlsx'])
  format?: 'csv' | 'xlsx';
}

export const REMINDER_LEVEL_VALUES = REMINDER_LEVELS;
