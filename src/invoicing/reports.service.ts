import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { amsterdamDate } from './dates';
import { decimalAmount } from './documents/totals';

export interface AgeingRow {
  billingPartyId: string;
  name: string;
  /** Not yet due. */
  currentCents: number;
  days0to30Cents: number;
  days31to60Cents: number;
  days61to90Cents: number;
  days90PlusCents: number;
  totalCents: number;
}

export interface RevenueRow {
  period: string;
  vatCategory: string;
  percent: number;
  netCents: number;
  vatCents: number;
}

const EXPORT_COLUMNS = [
  'record',
  'number',
  'kind',
  'status',
  'issueDate',
  'dueDate',
  'billingPartyId',
  'customer',
  'netAmount',
  'vatAmount',
  'grossAmount',
  'paidAmount',
  'paymentDate',
  'paymentMethod',
  'paymentReference',
] as const;

/** Outstanding amounts by age, revenue per period and VAT rate, and the accountant's export. */
@Injectable()
export class InvoiceReportsService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async ageing(today = amsterdamDate(new Date())): Promise<AgeingRow[]> {
    const rows = (await this.db.query(
      `WITH open AS (
         SELECT billing_party_id, buyer->>'name' AS name, gross_cents - credited_cents - paid_cents AS outstanding, $1::date - due_date AS age
           FROM invoice
          WHERE kind = 'invoice' AND status IN ('issued', 'partially_paid'))
       SELECT billing_party_id, min(name) AS name,
              sum(outstanding) FILTER (WHERE age <= 0) AS current,
              sum(outstanding) FILTER (WHERE age BETWEEN 1 AND 30) AS d30,
              sum(outstanding) FILTER (WHERE age BETWEEN 31 AND 60) AS d60,
              sum(outstanding) FILTER (WHERE age BETWEEN 61 AND 90) AS d90,
              sum(outstanding) FILTER (WHERE age > 90) AS d90plus,
              sum(outstanding) AS total
         FROM open GROUP BY billing_party_id ORDER BY sum(outstanding) DESC`,
      [today],
    )) as Record<string, string | null>[];
    const cents = (value: string | null) => Number(value ?? 0);
    return rows.map((row) => ({
      billingPartyId: row.billing_party_id!,
      name: row.name ?? '',
      currentCents: cents(row.current),
      days0to30Cents: cents(row.d30),
      days31to60Cents: cents(row.d60),
      days61to90Cents: cents(row.d90),
      days90PlusCents: cents(row.d90plus),
      totalCents: cents(row.total),
    }));
  }

  /** Net revenue and VAT per month and VAT rate, credit notes subtracted. */
  async revenue(from: string, to: string): Promise<RevenueRow[]> {
    const rows = (await this.db.query(
      `SELECT to_char(i.issue_date, 'YYYY-MM') AS period, b->>'category' AS category, (b->>'percent')::numeric AS percent,
              sum(CASE WHEN i.kind = 'credit_note' THEN -1 ELSE 1 END * (b->>'taxableCents')::bigint) AS net,
              sum(CASE WHEN i.kind = 'credit_note' THEN -1 ELSE 1 END * (b->>'vatCents')::bigint) AS vat
         FROM invoice i CROSS JOIN jsonb_array_elements(i.vat_breakdown) b
        WHERE i.status <> 'draft' AND i.issue_date BETWEEN $1 AND $2
        GROUP BY 1, 2, 3 ORDER BY 1, 2`,
      [from, to],
    )) as { period: string; category: string; percent: string; net: string; vat: string }[];
    return rows.map((row) => ({ period: row.period, vatCategory: row.category, percent: Number(row.percent), netCents: Number(row.net), vatCents: Number(row.vat) }));
  }

  /** Issued invoices and credit notes, then payments and refunds, in the given date range. */
  private async exportRows(from: string, to: string): Promise<Record<(typeof EXPORT_COLUMNS)[number], string>[]> {
    const invoices = (await this.db.query(
      `SELECT number, kind, status, issue_date::text, due_date::text, billing_party_id, buyer->>'name' AS customer, net_cents, vat_cents, gross_cents, paid_cents, payment_reference
         FROM invoice WHERE status <> 'draft' AND issue_date BETWEEN $1 AND $2 ORDER BY kind, year, sequence`,
      [from, to],
    )) as Record<string, string>[];
    const payments = (await this.db.query(
      `SELECT i.number, p.kind, p.paid_on::text, p.method, p.amount_cents, p.reference, i.billing_party_id, i.buyer->>'name' AS customer
         FROM payment p JOIN invoice i ON i.id = p.invoice_id WHERE p.paid_on BETWEEN $1 AND $2 ORDER BY p.paid_on, p.created_at`,
      [from, to],
    )) as Record<string, string>[];
    const money = (cents: string | number) => decimalAmount(Number(cents));
    return [
      ...invoices.map((row) => ({
        record: 'invoice',
        number: row.number,
        kind: row.kind,
        status: row.status,
        issueDate: row.issue_date,
        dueDate: row.due_date,
        billingPartyId: row.billing_party_id,
        customer: row.customer ?? '',
        netAmount: money(row.net_cents),
        vatAmount: money(row.vat_cents),
        grossAmount: money(row.gross_cents),
        paidAmount: money(row.paid_cents),
        paymentDate: '',
        paymentMethod: '',
        paymentReference: row.payment_reference ?? '',
      })),
      ...payments.map((row) => ({
        record: row.kind,
        number: row.number,
        kind: '',
        status: '',
        issueDate: '',
        dueDate: '',
        billingPartyId: row.billing_party_id,
        customer: row.customer ?? '',
        netAmount: '',
        vatAmount: '',
        grossAmount: '',
        paidAmount: money(row.amount_cents),
        paymentDate: row.paid_on,
        paymentMethod: row.method,
        paymentReference: row.reference,
      })),
    ];
  }

  async csv(from: string, to: string): Promise<string> {
    const quote = (value: string) => (/[",;\n\r]/.test(value) || /^[=+\-@]/.test(value) ? `"${value.replace(/^([=+\-@])/, "'$1").replace(/"/g, '""')}"` : value);
    const rows = await this.exportRows(from, to);
    return [EXPORT_COLUMNS.join(','), ...rows.map((row) => EXPORT_COLUMNS.map((column) => quote(row[column])).join(','))].join('\r\n') + '\r\n';
  }

  async xlsx(from: string, to: string): Promise<Buffer> {
    const rows = await this.exportRows(from, to);
    // Loaded when first asked for: it is the heaviest library the server would otherwise load at boot.
    const { default: ExcelJS } = await import('exceljs');
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('Invoices and payments');
    sheet.columns = EXPORT_COLUMNS.map((column) => ({ header: column, key: column, width: 16 }));
    const numeric = new Set(['netAmount', 'vatAmount', 'grossAmount', 'paidAmount']);
    for (const row of rows) {
      sheet.addRow(Object.fromEntries(EXPORT_COLUMNS.map((column) => [column, numeric.has(column) && row[column] !== '' ? Number(row[column]) : row[column]])));
    }
    for (const column of numeric) sheet.getColumn(column).numFmt = '#,##0.00';
    return Buffer.from(await book.xlsx.writeBuffer());
  }
}
