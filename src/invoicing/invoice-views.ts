import type { InvoiceDto, InvoiceSummaryDto } from './dto/invoicing.dto';
import { shownStatus } from './invoices.service';
import type { Invoice, InvoiceLine } from './invoicing.entities';

export function outstandingOf(invoice: Pick<Invoice, 'grossCents' | 'creditedCents' | 'paidCents' | 'status'>): number {
  return invoice.status === 'draft' ? 0 : invoice.grossCents - invoice.creditedCents - invoice.paidCents;
}

export function invoiceSummary(invoice: Invoice, today: string): InvoiceSummaryDto {
  return {
    id: invoice.id,
    kind: invoice.kind,
    status: shownStatus(invoice, today),
    number: invoice.number,
    billingPartyId: invoice.billingPartyId,
    studentId: invoice.studentId,
    issueDate: invoice.issueDate,
    dueDate: invoice.dueDate,
    grossCents: invoice.grossCents,
    paidCents: invoice.paidCents,
    creditedCents: invoice.creditedCents,
    outstandingCents: outstandingOf(invoice),
  };
}

export function invoiceView(invoice: Invoice, lines: InvoiceLine[], today: string): InvoiceDto {
  return {
    ...invoiceSummary(invoice, today),
    locale: invoice.locale,
    buyerReference: invoice.buyerReference,
    orderReference: invoice.orderReference,
    paymentReference: invoice.paymentReference,
    creditedInvoiceId: invoice.creditedInvoiceId,
    netCents: invoice.netCents,
    vatCents: invoice.vatCents,
    vatBreakdown: invoice.vatBreakdown,
    lines: lines.map((line) => ({
      position: line.position,
      description: line.description,
      quantity: line.quantity,
      unitPriceCents: line.unitPriceCents,
      vatCategory: line.vatCategory,
      netCents: line.netCents,
      billableItemId: line.billableItemId,
    })),
    pdfSha256: invoice.pdfSha256,
    ublSha256: invoice.ublSha256,
    reminderLevel: invoice.reminderLevel,
    batchId: invoice.batchId,
    createdAt: invoice.createdAt,
  };
}
