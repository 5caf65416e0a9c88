import { DataSource } from 'typeorm';
import { DEMO_INSTITUTE } from '../../src/demo/demo-institute';
import { DomainEvents } from '../../src/events/domain-events';
import { LedgerService } from '../../src/invoicing/ledger.service';
import { SettingsService } from '../../src/settings/settings.service';
import { createCourse, createEdition, createStudent } from '../factories';
import { bearer, createTestApp, TestApp } from '../test-app';
import { createEmployer } from './factories';

describe('Invoicing: paid tuition, told to the other modules', () => {
  let t: TestApp;
  let finance: string;
  let advisor: string;
  let admin: string;
  let employer: { id: string };
  const heard: { type: 'paid' | 'unpaid'; enrolmentId: string; reason?: string }[] = [];

  beforeAll(async () => {
    t = await createTestApp({ RUN_WORKER: 'false' });
    await t.app.get(SettingsService).update({ ...DEMO_INSTITUTE });
    finance = (await t.signIn(['finance'])).token;
    advisor = (await t.signIn(['advisor'])).token;
    admin = (await t.signIn(['admin'])).token;
    employer = await createEmployer(t, finance);
    const events = t.app.get(DomainEvents);
    events.on('invoicing.tuition_paid', async (event) => void heard.push({ type: 'paid', enrolmentId: event.enrolmentId }));
    events.on('invoicing.tuition_unpaid', async (event) => void heard.push({ type: 'unpaid', enrolmentId: event.enrolmentId, reason: event.reason }));
  });
  afterAll(() => t.close());

  const heardOf = (enrolmentId: string) => heard.filter((e) => e.enrolmentId === enrolmentId).map((e) => e.type);

  /** A confirmed enrolment billed to the employer (its tuition in the ledger), and that tuition item. */
  async function enrolment(tuitionCents = 180_000) {
    const course = await createCourse(t, admin, { tuitionCents });
    const edition = await createEdition(t.app.get(DataSource), course.id, { status: 'open' });
    const student = await createStudent(t, advisor);
    const response = await t.http.post('/enrolments').set(bearer(advisor)).send({ studentId: student.id, editionId: edition.id, billingPartyId: employer.id }).expect(201);
    const items = (await t.http.get(`/billable-items?enrolmentId=${response.body.id}`).set(bearer(finance)).expect(200)).body.items as { id: string }[];
    return { id: response.body.id as string, studentId: student.id, courseId: course.id as string, itemIds: items.map((i) => i.id) };
  }

  async function invoiceFor(itemIds: string[]) {
    const draft = await t.http.post('/invoices').set(bearer(finance)).send({ billingPartyId: employer.id, itemIds }).expect(201);
    return (await t.http.post(`/invoices/${draft.body.id}/issue`).set(bearer(finance)).expect(200)).body as { id: string; grossCents: number };
  }

  const pay = (invoiceId: string, amountCents: number) =>
    t.http.post('/payments').set(bearer(finance)).send({ invoiceId, amountCents, paidOn: '2027-01-20', method: 'bank_transfer' }).expect(201);

  it('says the tuition is paid when the payment that settles its invoice comes in, once', async () => {
    const { id, itemIds } = await enrolment();
    expect(itemIds).toHaveLength(1);
    const invoice = await invoiceFor(itemIds);
    await pay(invoice.id, 80_000);
    expect(heardOf(id)).toEqual([]);
    await pay(invoice.id, invoice.grossCents - 80_000);
    expect(heardOf(id)).toEqual(['paid']);
    // Paying more keeps it paid (the rest is the employer's credit): nothing new to say.
    await pay(invoice.id, 1_000);
    expect(heardOf(id)).toEqual(['paid']);
  });

  it('says it is owed again when a new tuition installment is added to it, and paid again once that is paid', async () => {
    const { id, itemIds } = await enrolment();
    const invoice = await invoiceFor(itemIds);
    await pay(invoice.id, invoice.grossCents);
    // The API adds no tuition by hand; the ledger's own service does (a payment plan agreed later).
    const added = await t.app.get(LedgerService).addManual({
      billingPartyId: employer.id,
      kind: 'installment',
      enrolmentId: id,
      description: 'Cursusgeld, aanvullende termijn',
      quantity: 1,
      unitPriceCents: 25_000,
      vatCategory: 'exempt',
      billableOn: '2027-02-01',
    });
    expect(heardOf(id)).toEqual(['paid', 'unpaid']);
    expect(heard.find((e) => e.enrolmentId === id && e.type === 'unpaid')!.reason).toMatch(/new installment item/);
    const second = await invoiceFor([added.id]);
    await pay(second.id, second.grossCents);
    expect(heardOf(id)).toEqual(['paid', 'unpaid', 'paid']);
  });

  it('counts an invoice credited so that nothing is owed as paid', async () => {
    const { id, itemIds } = await enrolment();
    const invoice = await invoiceFor(itemIds);
    await t.http.post(`/invoices/${invoice.id}/credit-notes`).set(bearer(finance)).send({ full: true }).expect(201);
    expect(heardOf(id)).toEqual(['paid']);
  });

  it('counts an enrolment without tuition as paid from its confirmation', async () => {
    const { id, itemIds } = await enrolment(0);
    expect(itemIds).toEqual([]);
    expect(heardOf(id)).toEqual(['paid']);
  });

  it('says the tuition is paid when the rest is paid from the billing party’s credit', async () => {
    const first = await enrolment();
    const overpaid = await invoiceFor(first.itemIds);
    await pay(overpaid.id, overpaid.grossCents + 50_000);
    const { id, itemIds } = await enrolment(100_000);
    const invoice = await invoiceFor(itemIds);
    await pay(invoice.id, 60_000);
    expect(heardOf(id)).toEqual([]);
    await t.http.post(`/credit-balances/${employer.id}/applications`).set(bearer(finance)).send({ invoiceId: invoice.id, amountCents: 40_000 }).expect(201);
    expect(heardOf(id)).toEqual(['paid']);
  });

  it('counts tuition invoiced before a transfer for the new enrolment: paid once that invoice is paid, also after the transfer', async () => {
    const transferLater = async (enrolment: { id: string; courseId: string }) => {
      const to = await createEdition(t.app.get(DataSource), enrolment.courseId, { status: 'open', startDate: '2031-10-07' });
      return (await t.http.post(`/enrolments/${enrolment.id}/transfer`).set(bearer(advisor)).send({ editionId: to.id, reason: 'andere dag' }).expect(200)).body.id as string;
    };
    const paidFirst = await enrolment();
    const first = await invoiceFor(paidFirst.itemIds);
    await pay(first.id, first.grossCents);
    expect(heardOf(await transferLater(paidFirst))).toEqual(['paid']);

    const paidAfter = await enrolment();
    const second = await invoiceFor(paidAfter.itemIds);
    const carriedOn = await transferLater(paidAfter);
    expect(heardOf(carriedOn)).toEqual([]);
    await pay(second.id, second.grossCents);
    expect(heardOf(carriedOn)).toEqual(['paid']);
  });
});
