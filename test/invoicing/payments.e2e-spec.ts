import { DataSource } from 'typeorm';
import { DEMO_INSTITUTE } from '../../src/demo/demo-institute';
import { camtStatement } from '../../src/invoicing/camt053-sample';
import { SettingsService } from '../../src/settings/settings.service';
import { bearer, createTestApp, TestApp } from '../test-app';
import { createPrivatePayer, issuedInvoice, tuitionLine } from './factories';

describe('Payments', () => {
  let t: TestApp;
  let db: DataSource;
  let finance: string;

  beforeAll(async () => {
    t = await createTestApp({ RUN_WORKER: 'false' });
    db = t.app.get(DataSource);
    await t.app.get(SettingsService).update({ ...DEMO_INSTITUTE });
    finance = (await t.signIn(['finance'])).token;
  });
  afterAll(() => t.close());

  const pay = (invoiceId: string, amountCents: number, extra: Record<string, unknown> = {}) =>
    t.http.post('/payments').set(bearer(finance)).send({ invoiceId, amountCents, paidOn: '2027-01-20', method: 'bank_transfer', ...extra });

  it('takes partial payments, then keeps an overpayment as credit', async () => {
    const payer = await createPrivatePayer(t, finance);
    const invoice = await issuedInvoice(t, finance, payer.id, [tuitionLine({ unitPriceCents: 100000 })]);
    await pay(invoice.id, 40000, { counterpartyIban: 'NL91 ABNA 0417 1643 00' }).expect(201);
    expect((await t.http.get(`/invoices/${invoice.id}`).set(bearer(finance))).body).toMatchObject({ status: 'partially_paid', paidCents: 40000, outstandingCents: 60000 });
    const over = await pay(invoice.id, 70000).expect(201);
    expect(over.body).toMatchObject({ amountCents: 70000, creditCents: 10000, kind: 'payment' });
    expect((await t.http.get(`/invoices/${invoice.id}`).set(bearer(finance))).body).toMatchObject({ status: 'paid', paidCents: 100000, outstandingCents: 0 });
    const list = await t.http.get(`/payments?invoiceId=${invoice.id}`).set(bearer(finance)).expect(200);
    expect(list.body.total).toBe(2);
  });

  it('refuses a payment on a draft (422), a bad IBAN (400) and a zero amount (400), storing nothing', async () => {
    const payer = await createPrivatePayer(t, finance);
    const draft = await t.http.post('/invoices').set(bearer(finance)).send({ billingPartyId: payer.id, lines: [tuitionLine()] }).expect(201);
    const onDraft = await pay(draft.body.id, 1000).expect(422);
    expect(onDraft.body.code).toBe('invoice_not_issued');
    const invoice = await issuedInvoice(t, finance, payer.id);
    const iban = await pay(invoice.id, 1000, { counterpartyIban: 'NL91ABNA0417164301' }).expect(400);
    expect(iban.body.errors).toEqual([expect.objectContaining({ field: 'counterpartyIban', rule: 'isIban' })]);
    await pay(invoice.id, 0).expect(400);
    expect(Number((await db.query(`SELECT count(*) FROM payment WHERE invoice_id IN ($1, $2)`, [draft.body.id, invoice.id]))[0].count)).toBe(0);
  });

  it('refunds a paid invoice through its credit note, not more than was credited', async () => {
    const payer = await createPrivatePayer(t, finance);
    const invoice = await issuedInvoice(t, finance, payer.id, [tuitionLine({ unitPriceCents: 50000 })]);
    await pay(invoice.id, 50000).expect(201);
    const note = await t.http.post(`/invoices/${invoice.id}/credit-notes`).set(bearer(finance)).send({ lines: [tuitionLine({ unitPriceCents: 20000 })] }).expect(201);
    expect(note.body).toMatchObject({ status: 'issued', outstandingCents: 20000 });
    const tooMuch = await pay(note.body.id, 20001).expect(422);
    expect(tooMuch.body.code).toBe('refund_exceeds_credit_note');
    const refund = await pay(note.body.id, 20000).expect(201);
    expect(refund.body.kind).toBe('refund');
    expect((await t.http.get(`/invoices/${note.body.id}`).set(bearer(finance))).body.status).toBe('paid');
    expect((await t.http.get(`/invoices/${invoice.id}`).set(bearer(finance))).body).toMatchObject({ paidCents: 30000, creditedCents: 20000, status: 'paid' });
  });

  it('imports a CAMT.053 statement: matches by payment reference or number, reports the rest, imports an entry once', async () => {
    const payer = await createPrivatePayer(t, finance);
    const first = await issuedInvoice(t, finance, payer.id, [tuitionLine({ unitPriceCents: 12345 })]);
    const second = await issuedInvoice(t, finance, payer.id, [tuitionLine({ unitPriceCents: 50000 })]);
    const tag = first.id.slice(0, 8);
    const statement = camtStatement([
      { ref: `${tag}-1`, amount: '123.45', remittance: String(first.paymentReference), structured: true },
      { ref: `${tag}-2`, amount: '200.00', remittance: `termijn factuur ${second.number}` },
      { ref: `${tag}-3`, amount: '10.00', remittance: 'gift zonder kenmerk' },
      { ref: `${tag}-4`, amount: '5.00', remittance: 'kosten', credit: false },
    ]);
    const report = await t.http.post('/payments/camt053').set(bearer(finance)).send({ statement }).expect(200);
    expect(report.body).toMatchObject({ entries: 4, ignoredDebits: 1, alreadyImported: [] });
    expect(report.body.matched).toEqual([
      expect.objectContaining({ entryId: `${tag}-1`, invoiceId: first.id, amountCents: 12345 }),
      expect.objectContaining({ entryId: `${tag}-2`, invoiceId: second.id, amountCents: 20000 }),
    ]);
    expect(report.body.unmatched).toEqual([expect.objectContaining({ entryId: `${tag}-3`, reason: 'no payment reference or invoice number' })]);
    expect((await t.http.get(`/invoices/${first.id}`).set(bearer(finance))).body.status).toBe('paid');
    expect((await t.http.get(`/invoices/${second.id}`).set(bearer(finance))).body.status).toBe('partially_paid');

    const again = await t.http.post('/payments/camt053').set(bearer(finance)).send({ statement }).expect(200);
    expect(again.body.alreadyImported).toEqual([`${tag}-1`, `${tag}-2`]);
    expect(again.body.matched).toEqual([]);
  });

  it('refuses a statement that is not well-formed or not CAMT.053 with 400', async () => {
    const broken = await t.http.post('/payments/camt053').set(bearer(finance)).send({ statement: '<Document><BkToCstmrStmt></Document>' }).expect(400);
    expect(broken.body.errors).toEqual([expect.objectContaining({ field: 'statement', rule: 'wellFormed' })]);
    const foreign = await t.http
      .post('/payments/camt053')
      .set(bearer(finance))
      .send({ statement: camtStatement([], 'urn:iso:std:iso:20022:tech:xsd:camt.054.001.02') })
      .expect(400);
    expect(foreign.body.errors).toEqual([expect.objectContaining({ field: 'statement', rule: 'namespace' })]);
  });
});
