import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { DEMO_INSTITUTE } from '../../src/demo/demo-institute';
import { BatchesService } from '../../src/invoicing/batches.service';
import { InvoicesService } from '../../src/invoicing/invoices.service';
import { LedgerService } from '../../src/invoicing/ledger.service';
import { SettingsService } from '../../src/settings/settings.service';
import { createCourse, createEdition, createStudent } from '../factories';
import { bearer, createTestApp, TestApp } from '../test-app';
import { binary, createEmployer, createPrivatePayer, issuedInvoice, tuitionLine } from './factories';

describe('Invoicing: ledger, batches, reminders, reports', () => {
  let t: TestApp;
  let db: DataSource;
  let finance: string;
  let advisor: string;
  let admin: string;

  beforeAll(async () => {
    t = await createTestApp({ RUN_WORKER: 'false' });
    db = t.app.get(DataSource);
    await t.app.get(SettingsService).update({ ...DEMO_INSTITUTE });
    finance = (await t.signIn(['finance'])).token;
    advisor = (await t.signIn(['advisor'])).token;
    admin = (await t.signIn(['admin'])).token;
  });
  afterAll(() => t.close());

  const items = async (query: string) => (await t.http.get(`/billable-items?${query}&pageSize=100`).set(bearer(finance)).expect(200)).body.items as Record<string, unknown>[];

  /** A confirmed enrolment of a new student, paid by the given party. */
  async function enrolment(billingPartyId: string) {
    const course = await createCourse(t, admin, { tuitionCents: 180_000 });
    const edition = await createEdition(db, course.id, { status: 'open' });
    const student = await createStudent(t, advisor);
    const response = await t.http.post('/enrolments').set(bearer(advisor)).send({ studentId: student.id, editionId: edition.id, billingPartyId }).expect(201);
    return { id: response.body.id as string, courseId: course.id, editionId: edition.id, studentId: student.id };
  }

  it('puts the tuition of a confirmed enrolment in the ledger once, and splits it into installments', async () => {
    const employer = await createEmployer(t, finance);
    const enrolled = await enrolment(employer.id);
    const [tuition] = await items(`enrolmentId=${enrolled.id}`);
    expect(tuition).toMatchObject({ key: `tuition:${enrolled.id}`, kind: 'tuition', unitPriceCents: 180_000, vatCategory: 'exempt', status: 'open', billingPartyId: employer.id });
    const split = await t.http.post(`/billable-items/${tuition.id}/installments`).set(bearer(finance)).send({ terms: 3, firstDueOn: '2027-01-01', intervalMonths: 2 }).expect(201);
    expect(split.body.map((item: { unitPriceCents: number; billableOn: string }) => [item.unitPriceCents, item.billableOn])).toEqual([
      [60_000, '2027-01-01'],
      [60_000, '2027-03-01'],
      [60_000, '2027-05-01'],
    ]);
    await t.http.post(`/billable-items/${tuition.id}/installments`).set(bearer(finance)).send({ terms: 3, firstDueOn: '2027-01-01', intervalMonths: 2 }).expect(422);
  });

  it('moves open tuition to the new enrolment of a transfer, at the new edition’s price', async () => {
    const employer = await createEmployer(t, finance);
    const enrolled = await enrolment(employer.id);
    const to = await createEdition(db, enrolled.courseId, { status: 'open', startDate: '2031-10-07', priceOverrideCents: 199_000 });
    const moved = await t.http.post(`/enrolments/${enrolled.id}/transfer`).set(bearer(advisor)).send({ editionId: to.id, reason: 'andere dag' }).expect(200);
    expect(await items(`enrolmentId=${enrolled.id}`)).toEqual([]);
    expect(await items(`enrolmentId=${moved.body.id}`)).toEqual([
      expect.objectContaining({ key: `tuition:${enrolled.id}`, kind: 'tuition', editionId: to.id, unitPriceCents: 199_000, status: 'open' }),
    ]);
  });

  it('bills a cancellation fee and withdraws tuition not yet invoiced', async () => {
    const payer = await createPrivatePayer(t, finance);
    const enrolled = await enrolment(payer.id);
    const ledger = t.app.get(LedgerService);
    await db.transaction((manager) =>
      ledger.billCancellation(manager, { enrolmentId: enrolled.id, studentId: enrolled.studentId, editionId: enrolled.editionId, courseId: enrolled.courseId, billingPartyId: payer.id, cancellationFeeCents: 9_000, wasEnrolled: true, at: new Date() }),
    );
    const byKind = Object.fromEntries((await items(`enrolmentId=${enrolled.id}`)).map((item) => [item.kind, item]));
    expect(byKind.tuition).toMatchObject({ status: 'withdrawn' });
    expect(byKind.cancellation_fee).toMatchObject({ key: `cancellation_fee:${enrolled.id}`, unitPriceCents: 9_000, status: 'open' });
  });

  it('bills a resit fee once, to the enrolment’s billing party (billResitFee, for exam.resit_registered)', async () => {
    const employer = await createEmployer(t, finance);
    const enrolled = await enrolment(employer.id);
    const ledger = t.app.get(LedgerService);
    const event = { registrationId: randomUUID(), studentId: enrolled.studentId, enrolmentId: enrolled.id, courseId: enrolled.courseId, componentId: randomUUID(), attempt: 2, feeCents: 7_500, at: new Date('2027-02-10T10:00:00Z') };
    await db.transaction((manager) => ledger.billResitFee(manager, event));
    await db.transaction((manager) => ledger.billResitFee(manager, event));
    const resits = (await items(`enrolmentId=${enrolled.id}`)).filter((item) => item.kind === 'resit_fee');
    expect(resits).toEqual([expect.objectContaining({ key: `resit_fee:${event.registrationId}`, unitPriceCents: 7_500, billingPartyId: employer.id, billableOn: '2027-02-10' })]);
  });

  it('dry-runs a batch without changing anything, then bills each item once however often it runs', async () => {
    const employer = await createEmployer(t, finance);
    const noAddress = await createPrivatePayer(t, finance, await t.aStudent());
    const payer = await createPrivatePayer(t, finance);
    const add = (billingPartyId: string, description: string, unitPriceCents: number, vatCategory: string) =>
      t.http.post('/billable-items').set(bearer(finance)).send({ billingPartyId, kind: 'material', description, quantity: 1, unitPriceCents, vatCategory, billableOn: '2031-01-15' }).expect(201);
    await add(employer.id, 'Lesboek', 4_950, 'rate_9');
    await add(employer.id, 'Diner', 3_750, 'rate_21');
    await add(payer.id, 'Herkansing', 7_500, 'exempt');
    const selection = { period: '2031-01', billingPartyIds: [employer.id, payer.id], grouping: 'per_party' };
    const dry = await t.http.post('/invoice-batches/dry-run').set(bearer(finance)).send(selection).expect(200);
    expect(dry.body).toMatchObject({ invoices: 2, items: 3, totalCents: 4_950 + 446 + 3_750 + 788 + 7_500 });
    expect(dry.body.totalsPerVatRate).toEqual([
      { category: 'exempt', percent: 0, taxableCents: 7_500, vatCents: 0 },
      { category: 'rate_21', percent: 21, taxableCents: 3_750, vatCents: 788 },
      { category: 'rate_9', percent: 9, taxableCents: 4_950, vatCents: 446 },
    ]);
    expect(dry.body.perBillingParty).toHaveLength(2);
    expect((await items(`billingPartyId=${employer.id}&status=open`)).length).toBe(2);
    await add(noAddress.id, 'Lesboek', 4_950, 'rate_9');
    const warned = await t.http.post('/invoice-batches/dry-run').set(bearer(finance)).send({ period: '2031-01', billingPartyIds: [noAddress.id] }).expect(200);
    expect(warned.body.warnings).toEqual(expect.arrayContaining([expect.objectContaining({ billingPartyId: noAddress.id, warning: 'missing_address' })]));
    const skipped = await t.app.get(BatchesService).run((await t.app.get(BatchesService).create({ period: '2031-01', billingPartyIds: [noAddress.id] }, null)).id);
    expect(skipped).toEqual({ billed: [], skipped: [{ billingPartyId: noAddress.id, items: 1, reason: 'billing party has no postal address' }], failed: [] });

    const batches = t.app.get(BatchesService);
    // two runs at the same moment: every item billed exactly once
    const [a, b] = await Promise.all([batches.create(selection as never, null), batches.create(selection as never, null)]);
    const [first, second] = await Promise.all([batches.run(a.id), batches.run(b.id)]);
    expect(first.billed.length + second.billed.length).toBe(2);
    expect(first.failed).toEqual([]);
    expect(second.failed).toEqual([]);
    const rerun = await batches.run((await batches.create(selection as never, null)).id);
    expect(rerun.billed).toEqual([]);
    const billed = (await db.query(`SELECT billable_item_id FROM invoice_line l JOIN invoice i ON i.id = l.invoice_id WHERE i.billing_party_id IN ($1, $2)`, [employer.id, payer.id])) as unknown[];
    expect(billed).toHaveLength(3);
    expect((await items(`billingPartyId=${employer.id}&status=open`)).length).toBe(0);
    const stored = await t.http.get(`/invoice-batches/${a.id}`).set(bearer(finance)).expect(200);
    expect(stored.body).toMatchObject({ status: 'completed', report: { billed: expect.any(Array), skipped: expect.any(Array), failed: [] } });
  });

  it('starts a run as a job with progress', async () => {
    const started = await t.http.post('/invoice-batches').set(bearer(finance)).send({ period: '2020-01', billingPartyIds: [randomUUID()] }).expect(202);
    expect(started.body).toMatchObject({ status: 'queued', jobId: expect.any(String) });
    await t.http.get(`/jobs/${started.body.jobId}`).set(bearer(finance)).expect(200);
  });

  it('reminds twice, then sends a consumer the 14-day notice with the statutory costs and a business the final demand', async () => {
    const payer = await createPrivatePayer(t, finance);
    const employer = await createEmployer(t, finance);
    const consumer = await issuedInvoice(t, finance, payer.id, [tuitionLine({ unitPriceCents: 100_000 })]);
    const business = await issuedInvoice(t, finance, employer.id, [tuitionLine({ unitPriceCents: 100_000 })]);
    const due = String(consumer.dueDate);
    const day = (offset: number) => new Date(Date.parse(`${due}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);
    const run = async (offset: number) => (await t.http.post('/invoice-reports/reminders/run').set(bearer(finance)).send({ today: day(offset) }).expect(200)).body.sent as { invoiceId: string; level: string; collectionCostsCents: number }[];
    const ours = <T extends { invoiceId: string }>(sent: T[]) => sent.filter((entry) => entry.invoiceId === consumer.id || entry.invoiceId === business.id);
    expect(ours(await run(3))).toEqual([]);
    expect(ours(await run(8)).map((entry) => entry.level)).toEqual(['first', 'first']);
    expect(ours(await run(9))).toEqual([]);
    expect(ours(await run(22)).map((entry) => entry.level)).toEqual(['second', 'second']);
    const last = ours(await run(36));
    expect(last).toEqual(
      expect.arrayContaining([
        { invoiceId: consumer.id, number: consumer.number, level: 'notice', collectionCostsCents: 15_000 },
        { invoiceId: business.id, number: business.number, level: 'final_demand', collectionCostsCents: 0 },
      ]),
    );
    const history = await t.http.get(`/invoices/${consumer.id}/reminders`).set(bearer(finance)).expect(200);
    expect(history.body.map((entry: { level: string }) => entry.level)).toEqual(['first', 'second', 'notice']);
    const [mail] = (await db.query(`SELECT id, subject FROM mail_message WHERE idempotency_key = $1`, [`invoice-reminder:${consumer.id}:notice`])) as { id: string; subject: string }[];
    expect(mail.subject).toContain('Veertiendagenbrief');
    const attachments = (await db.query(`SELECT filename FROM mail_attachment WHERE message_id = $1`, [mail.id])) as { filename: string }[];
    expect(attachments.map((a) => a.filename)).toContain(`${consumer.number}.pdf`);
  });

  it('shows an issued invoice past its due date as overdue, and finds it by that status', async () => {
    const payer = await createPrivatePayer(t, finance);
    const invoices = t.app.get(InvoicesService);
    const draft = await invoices.createDraft({ billingPartyId: payer.id, lines: [tuitionLine() as never] });
    const longAgo = new Date(Date.now() - 90 * 86_400_000).toISOString().slice(0, 10);
    await db.transaction((manager) => invoices.issueIn(manager, draft.id, { today: longAgo }));
    const current = await issuedInvoice(t, finance, payer.id);
    const overdue = await t.http.get(`/invoices?status=overdue&billingPartyId=${payer.id}`).set(bearer(finance)).expect(200);
    expect(overdue.body.items.map((invoice: { id: string; status: string }) => [invoice.id, invoice.status])).toEqual([[draft.id, 'overdue']]);
    const issued = await t.http.get(`/invoices?status=issued&billingPartyId=${payer.id}`).set(bearer(finance)).expect(200);
    expect(issued.body.items.map((invoice: { id: string }) => invoice.id)).toEqual([current.id]);
    const ageing = await t.http.get('/invoice-reports/ageing').set(bearer(finance)).expect(200);
    expect(ageing.body.find((row: { billingPartyId: string }) => row.billingPartyId === payer.id)).toMatchObject({ days31to60Cents: 245_000, days61to90Cents: 0, currentCents: 245_000 }); // due 60 days ago
  });

  it('reports ageing and revenue, and exports CSV and XLSX', async () => {
    const payer = await createPrivatePayer(t, finance);
    await issuedInvoice(t, finance, payer.id, [tuitionLine({ unitPriceCents: 10_000 }), tuitionLine({ description: 'Boek', unitPriceCents: 1_000, vatCategory: 'rate_9' })]);
    const ageing = await t.http.get('/invoice-reports/ageing').set(bearer(finance)).expect(200);
    expect(ageing.body.find((row: { billingPartyId: string }) => row.billingPartyId === payer.id)).toMatchObject({ currentCents: 11_090, totalCents: 11_090 });
    const today = new Date().toISOString().slice(0, 10);
    const revenue = await t.http.get(`/invoice-reports/revenue?from=2000-01-01&to=2099-12-31`).set(bearer(finance)).expect(200);
    expect(revenue.body).toEqual(expect.arrayContaining([expect.objectContaining({ vatCategory: 'rate_9', percent: 9 })]));
    const csv = await t.http.get(`/invoice-reports/export?from=${today}&to=${today}`).set(bearer(finance)).expect(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.text.split('\r\n')[0]).toBe('record,number,kind,status,issueDate,dueDate,billingPartyId,customer,netAmount,vatAmount,grossAmount,paidAmount,paymentDate,paymentMethod,paymentReference');
    expect(csv.text).toContain('110.90');
    const xlsx = await t.http.get(`/invoice-reports/export?from=${today}&to=${today}&format=xlsx`).set(bearer(finance)).buffer(true).parse(binary).expect(200);
    expect((xlsx.body as Buffer).subarray(0, 2).toString()).toBe('PK');
  });
});
