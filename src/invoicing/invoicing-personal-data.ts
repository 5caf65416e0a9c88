import { Injectable, OnModuleInit } from '@nestjs/common';
import { PersonalDataRegistry } from '../privacy/personal-data-registry';

/**
 * A student's invoices and payments, for the student's export and erasure. Nothing is erased:
 * the law (art. 52 AWR) keeps invoices seven years after the year of issue, names and all.
 */
@Injectable()
export class InvoicingPersonalData implements OnModuleInit {
  constructor(private readonly registry: PersonalDataRegistry) {}

  onModuleInit(): void {
    this.registry.register({
      module: 'invoicing',
      describe: 'Invoices and credit notes to the student or about their enrolments, billable items, payments and reminders.',
      export: async (studentId, manager) => ({
        sections: {
          invoices: await manager.query(
            `SELECT id, kind, number, status, issue_date, due_date, buyer, net_cents, vat_cents, gross_cents, paid_cents, credited_cents
               FROM invoice WHERE student_id = $1 ORDER BY created_at`,
            [studentId],
          ),
          billableItems: await manager.query(`SELECT id, key, kind, description, quantity, unit_price_cents, status, billable_on FROM billable_item WHERE student_id = $1`, [studentId]),
          payments: await manager.query(
            `SELECT p.id, p.invoice_id, p.amount_cents, p.paid_on, p.method, p.reference FROM payment p JOIN invoice i ON i.id = p.invoice_id WHERE i.student_id = $1`,
            [studentId],
          ),
        },
      }),
      erase: async (studentId, manager) => {
        const [{ until }]: { until: string | null }[] = await manager.query(
          `SELECT make_date(max(extract(year FROM issue_date))::int + 7, 12, 31)::text AS until FROM invoice WHERE student_id = $1 AND issue_date IS NOT NULL`,
          [studentId],
        );
        return {
          erased: [],
          retained: until ? [{ what: 'issued invoices and credit notes with the buyer\u2019s name and address, and their payments', until, reason: 'fiscal retention duty of 7 years (art. 52 AWR)' }] : [],
        };
      },
      retention: [{ what: 'issued invoices, credit notes and payments', period: '7 years after the end of the year of issue' }],
    });
  }
}
