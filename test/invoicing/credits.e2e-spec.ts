import { DataSource } from 'typeorm';
import { DEMO_INSTITUTE } from '../../src/demo/demo-institute';
import { SettingsService } from '../../src/settings/settings.service';
import { bearer, createTestApp, TestApp } from '../test-app';
import { createEmployer, createPrivatePayer, issuedInvoice, tuitionLine } from './factories';

describe('A billing party’s credit', () => {
  let t: TestApp;
  let db: DataSource;
  let finance: { token: string; id: string; email: string };

  beforeAll(async () => {
    t = await createTestApp({ RUN_WORKER: 'false' });
    db = t.app.get(DataSource);
    await t.app.get(SettingsService).update({ ...DEMO_INSTITUTE });
    finance = await t.signIn(['finance']);
  });
  afterAll(() => t.close());

  const pay = (invoiceId: string, amountCents: number) =>
    t.http.post('/payments').set(bearer(finance.token)).send({ invoiceId, amountCents, paidOn: '2027-01-20', method: 'bank_transfer' }).expect(201);
  const balance = async (partyId: string) => (await t.http.get(`/credit-balances/${partyId}`).set(bearer(finance.token)).expect(200)).body;
  const apply = (partyId: string, body: Record<string, unknown>) => t.http.post(`/credit-balances/${partyId}/applications`).set(bearer(finance.token)).send(body);
  const refund = (partyId: string, body: Record<string, unknown>) => t.http.post(`/credit-balances/${partyId}/refunds`).set(bearer(finance.token)).send(body);
  const invoice = async (id: string) => (await t.http.get(`/invoices/${id}`).set(bearer(finance.token)).expect(200)).body;

  /** A party with an overpaid invoice: `creditCents` of credit. */
  async function partyWithCredit(creditCents: number) {
    const payer = await createPrivatePayer(t, finance.token);
    const overpaid = await issuedInvoice(t, finance.token, payer.id, [tuitionLine({ unitPriceCents: 20_000 })]);
    await pay(overpaid.id, 20_000 + creditCents);
    return { payer, overpaid };
  }

  it('applies credit to an open invoice of the same party, as a payment by credit naming the overpayment, audited with its actor', async () => {
    const { payer, overpaid } = await partyWithCredit(10_000);
    const before = await balance(payer.id);
    expect(before).toMatchObject({ billingPartyId: payer.id, balanceCents: 10_000 });
    expect(before.sources).toEqual([expect.objectContaining({ invoiceId: overpaid.id, invoiceNumber: overpaid.number, creditCents: 10_000, usedCents: 0, leftCents: 10_000 })]);
    const open = await issuedInvoice(t, finance.token, payer.id, [tuitionLine({ unitPriceCents: 25_000 })]);

    const applied = await apply(payer.id, { invoiceId: open.id, appliedOn: '2027-02-01' }).expect(201);
    expect(applied.body).toMatchObject({ billingPartyId: payer.id, amountCents: 10_000, balanceCents: 0 });
    expect(applied.body.payments).toEqual([
      expect.objectContaining({ invoiceId: open.id, kind: 'payment', method: 'credit', amountCents: 10_000, creditCents: 0, paidOn: '2027-02-01', creditSourceId: before.sources[0].paymentId }),
    ]);
    expect(applied.body.payments[0].reference).toContain(overpaid.number);
    expect(await invoice(open.id)).toMatchObject({ status: 'partially_paid', paidCents: 10_000, outstandingCents: 15_000 });
    expect(await invoice(overpaid.id)).toMatchObject({ status: 'paid', paidCents: 20_000 });
    expect(await balance(payer.id)).toMatchObject({ balanceCents: 0, sources: [] });
    const [entry] = (await db.query(`SELECT actor_id, actor_email FROM audit_entry WHERE entity = 'payment' AND entity_id = $1`, [applied.body.payments[0].id])) as { actor_id: string; actor_email: string }[];
    expect(entry).toEqual({ actor_id: finance.id, actor_email: finance.email });
    expect((await apply(payer.id, { invoiceId: open.id }).expect(422)).body.code).toBe('no_credit');
  });

  it('draws on several overpayments, oldest first, and stops at the amount due', async () => {
    const { payer } = await partyWithCredit(3_000);
    const second = await issuedInvoice(t, finance.token, payer.id, [tuitionLine({ unitPriceCents: 10_000 })]);
    await pay(second.id, 15_000);
    const open = await issuedInvoice(t, finance.token, payer.id, [tuitionLine({ unitPriceCents: 6_000 })]);
    const applied = await apply(payer.id, { invoiceId: open.id }).expect(201);
    expect(applied.body).toMatchObject({ amountCents: 6_000, balanceCents: 2_000 });
    expect(applied.body.payments.map((p: { amountCents: number }) => p.amountCents)).toEqual([3_000, 3_000]);
    expect(await invoice(open.id)).toMatchObject({ status: 'paid', outstandingCents: 0 });
  });

  it('refuses, naming the rule and storing nothing: more than the balance or the amount due, a draft, a credited invoice, a credit note, another party’s invoice', async () => {
    const { payer, overpaid } = await partyWithCredit(10_000);
    const open = await issuedInvoice(t, finance.token, payer.id, [tuitionLine({ unitPriceCents: 5_000 })]);
    const draft = await t.http.post('/invoices').set(bearer(finance.token)).send({ billingPartyId: payer.id, lines: [tuitionLine()] }).expect(201);
    const credited = await issuedInvoice(t, finance.token, payer.id, [tuitionLine({ unitPriceCents: 5_000 })]);
    const note = await t.http.post(`/invoices/${credited.id}/credit-notes`).set(bearer(finance.token)).send({ full: true }).expect(201);
    const other = await createEmployer(t, finance.token);
    const othersInvoice = await issuedInvoice(t, finance.token, other.id);

    const refused = async (body: Record<string, unknown>, code: string) => expect((await apply(payer.id, body).expect(422)).body).toMatchObject({ code, detail: expect.any(String) });
    await refused({ invoiceId: open.id, amountCents: 5_001 }, 'credit_exceeds_amount_due');
    await refused({ invoiceId: draft.body.id }, 'invoice_not_issued');
    await refused({ invoiceId: credited.id }, 'invoice_credited');
    await refused({ invoiceId: note.body.id }, 'not_an_invoice');
    await refused({ invoiceId: othersInvoice.id }, 'invoice_other_party');
    await refused({ invoiceId: overpaid.id }, 'invoice_settled');
    const big = await issuedInvoice(t, finance.token, payer.id, [tuitionLine({ unitPriceCents: 50_000 })]);
    const tooMuch = await apply(payer.id, { invoiceId: big.id, amountCents: 10_001 }).expect(422);
    expect(tooMuch.body).toMatchObject({ code: 'credit_exceeds_balance', balanceCents: 10_000 });
    await apply(payer.id, { invoiceId: big.id, amountCents: 0 }).expect(400);
    await t.http.get(`/credit-balances/${other.id}x`).set(bearer(finance.token)).expect(400);
    expect((await refund(payer.id, { amountCents: 10_001, paidOn: '2027-02-01' }).expect(422)).body.code).toBe('credit_exceeds_balance');
    expect((await refund(payer.id, { amountCents: 100, paidOn: '2027-02-01', counterpartyIban: 'NL91ABNA0417164301' }).expect(400)).body.errors).toEqual([
      expect.objectContaining({ field: 'counterpartyIban', rule: 'isIban' }),
    ]);

    expect(await balance(payer.id)).toMatchObject({ balanceCents: 10_000 });
    const [{ count }] = await db.query(`SELECT count(*)::int AS count FROM payment WHERE credit_source_id IS NOT NULL AND invoice_id IN (SELECT id FROM invoice WHERE billing_party_id = $1)`, [payer.id]);
    expect(count).toBe(0);
  });

  it('refunds credit: recorded against the overpaid invoice, the balance reduced, the invoice untouched', async () => {
    const { payer, overpaid } = await partyWithCredit(7_500);
    const refunded = await refund(payer.id, { amountCents: 5_000, paidOn: '2027-02-03', counterpartyIban: 'NL91 ABNA 0417 1643 00' }).expect(201);
    expect(refunded.body).toMatchObject({ amountCents: 5_000, balanceCents: 2_500 });
    expect(refunded.body.payments).toEqual([
      expect.objectContaining({ invoiceId: overpaid.id, kind: 'refund', method: 'bank_transfer', amountCents: 5_000, counterpartyIban: 'NL91ABNA0417164300', creditSourceId: expect.any(String) }),
    ]);
    expect(await invoice(overpaid.id)).toMatchObject({ status: 'paid', paidCents: 20_000 });
    expect(await balance(payer.id)).toMatchObject({ balanceCents: 2_500 });
  });

  it('never spends the same credit twice when applications and refunds come at once', async () => {
    const { payer } = await partyWithCredit(10_000);
    const open = await Promise.all([1, 2, 3, 4, 5, 6].map(() => issuedInvoice(t, finance.token, payer.id, [tuitionLine({ unitPriceCents: 3_000 })])));
    const answers = await Promise.all([
      ...open.map((candidate) => apply(payer.id, { invoiceId: candidate.id, amountCents: 3_000 })),
      ...[1, 2, 3, 4].map(() => refund(payer.id, { amountCents: 3_000, paidOn: '2027-02-01' })),
    ]);
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 201)).toHaveLength(3);
    expect(statuses.filter((status) => status === 422)).toHaveLength(7);
    expect(answers.filter((answer) => answer.status === 422).every((answer) => answer.body.code === 'credit_exceeds_balance')).toBe(true);
    expect(await balance(payer.id)).toMatchObject({ balanceCents: 1_000 });
    const [{ spent }] = await db.query(`SELECT coalesce(sum(amount_cents), 0)::int AS spent FROM payment WHERE credit_source_id IN (SELECT p.id FROM payment p JOIN invoice i ON i.id = p.invoice_id WHERE i.billing_party_id = $1)`, [payer.id]);
    expect(spent).toBe(9_000);
  });

  it('is left to finance by an invoice run: the dry run warns of it', async () => {
    const { payer } = await partyWithCredit(4_000);
    await t.http
      .post('/billable-items')
      .set(bearer(finance.token))
      .send({ billingPartyId: payer.id, kind: 'material', description: 'Lesboek', quantity: 1, unitPriceCents: 4_950, vatCategory: 'rate_9', billableOn: '2031-03-15' })
      .expect(201);
    const dry = await t.http.post('/invoice-batches/dry-run').set(bearer(finance.token)).send({ period: '2031-03', billingPartyIds: [payer.id] }).expect(200);
    expect(dry.body.warnings).toEqual(expect.arrayContaining([expect.objectContaining({ billingPartyId: payer.id, warning: 'credit_available', creditCents: 4_000 })]));
  });

  it('is for finance only', async () => {
    const { payer } = await partyWithCredit(1_000);
    const advisor = await t.signIn(['advisor']);
    await t.http.get(`/credit-balances/${payer.id}`).set(bearer(advisor.token)).expect(403);
    await t.http.post(`/credit-balances/${payer.id}/refunds`).set(bearer(advisor.token)).send({ amountCents: 100, paidOn: '2027-02-01' }).expect(403);
  });
});
