import type { ModuleRef } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { UsersService } from '../auth/users.service';
import { BillingPartiesService } from '../enrolment/billing-parties.service';
import { StudentsService } from '../enrolment/students.service';
import { RequestContext } from '../kernel/request-context';
import { BatchesService } from '../invoicing/batches.service';
import { CreditsService } from '../invoicing/credits.service';
import { addDaysIso, amsterdamDate } from '../invoicing/dates';
import { InvoicesService } from '../invoicing/invoices.service';
import { PaymentsService } from '../invoicing/payments.service';
import { RemindersService } from '../invoicing/reminders.service';
import { DEMO_STAFF } from './demo-institute';

type Line = { description: string; quantity: number; unitPriceCents: number; vatCategory: 'exempt' | 'rate_21' | 'rate_9' | 'rate_0' };

const TUITION: Line = { description: 'Cursusgeld Post-hbo Wondzorg (voorjaar)', quantity: 1, unitPriceCents: 189_500, vatCategory: 'exempt' };
const BOOK: Line = { description: 'Studieboek „Wondzorg in de praktijk”', quantity: 1, unitPriceCents: 4_950, vatCategory: 'rate_9' };
const DINNER: Line = { description: 'Diner bij de diploma-uitreiking', quantity: 2, unitPriceCents: 3_750, vatCategory: 'rate_21' };

/**
 * Invoices in every state for the demo institute: a student paying privately (draft, partly
 * paid, overdue with a first reminder, credited) and an employer that wants Peppol e-invoices
 * (issued, paid with €25 too much, that credit applied to another invoice), and one invoice run
 * over what the demo enrolments put in the ledger.
 */
export async function seedDemoInvoices(db: DataSource, users: UsersService, modules: ModuleRef): Promise<void> {
  const get = <T>(type: new (...args: never[]) => T) => modules.get(type, { strict: false });
  const [students, parties, invoices, payments, credits, reminders, batches] = [
    get(StudentsService),
    get(BillingPartiesService),
    get(InvoicesService),
    get(PaymentsService),
    get(CreditsService),
    get(RemindersService),
    get(BatchesService),
  ];
  const financeEmail = DEMO_STAFF.find((staff) => staff.role === 'finance')!.email;
  const financeUser = (await users.findByEmail(financeEmail))!;
  const actor = { id: financeUser.id, email: financeUser.email, roles: financeUser.roles };

  await RequestContext.run({ requestId: 'demo-seed-invoicing', actor }, async () => {
    const student = await students.create({
      givenNames: 'Thị Minh Khai',
      familyName: 'Nguyễn',
      email: 'minh.khai.nguyen@privemail.example',
      locale: 'en',
      address: { street: 'Kanaalweg', houseNumber: '41', postcode: '3526 KM', city: 'Utrecht', country: 'NL' },
    } as never);
    const privatePayer = await parties.create({ kind: 'student', studentId: student.id, reference: 'Zelfbetaler' } as never);
    const employer = await parties.create({
      kind: 'employer',
      name: 'Zorggroep Łukasiewicz B.V.',
      address: { street: 'Catharijnesingel', houseNumber: '30', postcode: '3511 GB', city: 'Utrecht', country: 'NL' },
      vatNumber: 'NL855123456B01',
      kvkNumber: '65432109',
      contactName: 'Crediteurenadministratie',
      contactEmail: 'facturen@zorggroep-lukasiewicz.example',
      reference: 'PO 2027-0815',
      peppolId: '0106:65432109',
    } as never);

    const today = amsterdamDate(new Date());
    const issuedOn = async (billingPartyId: string, lines: Line[], day = today) => {
      const draft = await invoices.createDraft({ billingPartyId, lines });
      return db.transaction((manager) => invoices.issueIn(manager, draft.id, { today: day }));
    };

    // draft
    await invoices.createDraft({ billingPartyId: privatePayer.id, lines: [BOOK] });
    // partially paid
    const partly = await issuedOn(privatePayer.id, [TUITION, BOOK]);
    await payments.register({ invoiceId: partly.id, amountCents: 50_000, paidOn: today, method: 'bank_transfer', reference: partly.paymentReference! });
    // overdue with a first reminder: issued 60 days ago with 30 days to pay
    await issuedOn(privatePayer.id, [DINNER], addDaysIso(today, -60));
    await reminders.run(today);
    // credited
    const credited = await issuedOn(privatePayer.id, [BOOK]);
    await invoices.credit(credited.id, { full: true });
    // issued to the employer, with its Peppol e-invoice; and one paid
    await issuedOn(employer.id, [TUITION, TUITION]);
    const paid = await issuedOn(employer.id, [BOOK, DINNER]);
    await payments.register({ invoiceId: paid.id, amountCents: paid.grossCents + 2_500, paidOn: today, method: 'bank_transfer', reference: paid.paymentReference! });
    // the €25 paid too much, applied to the next invoice
    const offset = await issuedOn(employer.id, [BOOK]);
    await credits.apply(employer.id, { invoiceId: offset.id, appliedOn: today });

    // one invoice run over the ledger (the demo enrolments' tuition), with its report
    const batch = await batches.create({ period: today.slice(0, 7), grouping: 'per_enrolment' }, actor.id);
    await batches.run(batch.id);
  });
}
