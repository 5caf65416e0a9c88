import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { DEMO_INSTITUTE } from '../../src/demo/demo-institute';
import { SettingsService } from '../../src/settings/settings.service';
import { bearer, createTestApp, TestApp } from '../test-app';
import { binary, createEmployer, createPrivatePayer, issuedInvoice, pdfText, tuitionLine } from './factories';

describe('Invoices', () => {
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

  it('bills ledger items and manual lines on a draft without a number, then issues it with the next number, PDF and UBL', async () => {
    const employer = await createEmployer(t, finance);
    const item = await t.http
      .post('/billable-items')
      .set(bearer(finance))
      .send({ billingPartyId: employer.id, kind: 'material', description: 'Studieboek „Wondzorg in de praktijk”', quantity: 2, unitPriceCents: 4995, vatCategory: 'rate_9', billableOn: '2027-01-01' })
      .expect(201);
    const draft = await t.http
      .post('/invoices')
      .set(bearer(finance))
      .send({ billingPartyId: employer.id, itemIds: [item.body.id], lines: [tuitionLine(), { description: 'Diner', quantity: 1, unitPriceCents: 3750, vatCategory: 'rate_21' }] })
      .expect(201);
    expect(draft.body).toMatchObject({ status: 'draft', number: null, netCents: 9990 + 245000 + 3750, vatCents: 899 + 788, buyerReference: 'PO-2027-0042', orderReference: null });
    expect(draft.body.lines.map((line: { billableItemId: string | null }) => line.billableItemId)).toEqual([item.body.id, null, null]);

    // the item is billed once: a second invoice cannot take it
    const again = await t.http.post('/invoices').set(bearer(finance)).send({ billingPartyId: employer.id, itemIds: [item.body.id] }).expect(422);
    expect(again.body.code).toBe('billable_item_not_open');

    const issued = await t.http.post(`/invoices/${draft.body.id}/issue`).set(bearer(finance)).expect(200);
    expect(issued.body.number).toMatch(/^20\d{2}-\d{6}$/);
    expect(issued.body).toMatchObject({ status: 'issued', grossCents: draft.body.grossCents, paymentReference: expect.stringMatching(/^RF\d{2}/) });
    await t.http.post(`/invoices/${draft.body.id}/issue`).set(bearer(finance)).expect(422);

    const pdf = await t.http.get(`/invoices/${draft.body.id}/pdf`).set(bearer(finance)).buffer(true).parse(binary).expect(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const digest = createHash('sha256').update(pdf.body as Buffer).digest('hex');
    expect(pdf.headers['x-content-sha256']).toBe(digest);
    expect(issued.body.pdfSha256).toBe(digest);
    const text = pdfText(pdf.body as Buffer);
    for (const expected of [issued.body.number, 'Zorggroep Noord B.V.', 'Amstel Academie voor Post-hbo Onderwijs', 'KvK 34281937', 'NL812345678B01', 'Studieboek „Wondzorg in de praktijk”', 'PO-2027-0042', 'art. 11 lid 1 onderdeel o']) {
      expect(text).toContain(expected);
    }

    const ubl = await t.http.get(`/invoices/${draft.body.id}/ubl`).set(bearer(finance)).expect(200);
    expect(ubl.headers['content-type']).toContain('application/xml');
    expect(ubl.text).toContain('<cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0</cbc:CustomizationID>');
    expect(ubl.text).toContain(`<cbc:ID>${issued.body.number}</cbc:ID>`);
    expect(createHash('sha256').update(ubl.text).digest('hex')).toBe(issued.body.ublSha256);

    // the mail went with the PDF and, for this employer, the e-invoice
    const [mail] = (await db.query(`SELECT id FROM mail_message WHERE idempotency_key = $1`, [`invoice-issued:${draft.body.id}`])) as { id: string }[];
    const attachments = (await db.query(`SELECT filename FROM mail_attachment WHERE message_id = $1 ORDER BY filename`, [mail.id])) as { filename: string }[];
    expect(attachments.map((a) => a.filename)).toEqual(expect.arrayContaining([`${issued.body.number}.pdf`, `${issued.body.number}.xml`]));
  });

  it('keeps an issued invoice as it is: the database refuses changes and deletion', async () => {
    const payer = await createPrivatePayer(t, finance);
    const invoice = await issuedInvoice(t, finance, payer.id);
    await expect(db.query(`UPDATE invoice SET gross_cents = 1 WHERE id = $1`, [invoice.id])).rejects.toThrow(/cannot change/);
    await expect(db.query(`DELETE FROM invoice WHERE id = $1`, [invoice.id])).rejects.toThrow(/never deleted/);
    await expect(db.query(`UPDATE invoice_line SET unit_price_cents = 1 WHERE invoice_id = $1`, [invoice.id])).rejects.toThrow(/cannot change/);
  });

  it('refuses a negative quantity, an unknown VAT rate and an empty invoice with 400, storing nothing', async () => {
    const payer = await createPrivatePayer(t, finance);
    const before = Number((await db.query(`SELECT count(*) FROM invoice WHERE billing_party_id = $1`, [payer.id]))[0].count);
    const negative = await t.http.post('/invoices').set(bearer(finance)).send({ billingPartyId: payer.id, lines: [tuitionLine({ quantity: -1 })] }).expect(400);
    expect(JSON.stringify(negative.body)).toContain('quantity');
    const rate = await t.http.post('/invoices').set(bearer(finance)).send({ billingPartyId: payer.id, lines: [tuitionLine({ vatCategory: 'rate_6' })] }).expect(400);
    expect(JSON.stringify(rate.body)).toContain('vatCategory');
    await t.http.post('/invoices').set(bearer(finance)).send({ billingPartyId: payer.id, lines: [] }).expect(400);
    const after = Number((await db.query(`SELECT count(*) FROM invoice WHERE billing_party_id = $1`, [payer.id]))[0].count);
    expect(after).toBe(before);
  });

  it('credits partly and fully in its own series, referencing the invoice, never more than is left', async () => {
    const payer = await createPrivatePayer(t, finance);
    const invoice = await issuedInvoice(t, finance, payer.id, [tuitionLine({ unitPriceCents: 100000 })]);
    const partial = await t.http.post(`/invoices/${invoice.id}/credit-notes`).set(bearer(finance)).send({ lines: [tuitionLine({ description: 'Korting', unitPriceCents: 30000 })] }).expect(201);
    expect(partial.body).toMatchObject({ kind: 'credit_note', creditedInvoiceId: invoice.id, grossCents: 30000, number: expect.stringMatching(/^C20\d{2}-\d{6}$/) });
    const ubl = await t.http.get(`/invoices/${partial.body.id}/ubl`).set(bearer(finance)).expect(200);
    expect(ubl.text).toContain('<CreditNote');
    expect(ubl.text).toMatch(new RegExp(`<cac:BillingReference>\\s*<cac:InvoiceDocumentReference>\\s*<cbc:ID>${invoice.number}</cbc:ID>`));

    const tooMuch = await t.http.post(`/invoices/${invoice.id}/credit-notes`).set(bearer(finance)).send({ lines: [tuitionLine({ unitPriceCents: 70001 })] }).expect(422);
    expect(tooMuch.body).toMatchObject({ code: 'credit_exceeds_invoice', leftCents: 70000 });
    await t.http.post(`/invoices/${invoice.id}/credit-notes`).set(bearer(finance)).send({ lines: [tuitionLine({ unitPriceCents: 70000 })] }).expect(201);
    const original = await t.http.get(`/invoices/${invoice.id}`).set(bearer(finance)).expect(200);
    expect(original.body).toMatchObject({ status: 'credited', creditedCents: 100000, outstandingCents: 0 });
    await t.http.post(`/invoices/${invoice.id}/credit-notes`).set(bearer(finance)).send({ full: true }).expect(422);
  });

  it('gives 100 concurrent issues the numbers that follow, without a gap or a duplicate', async () => {
    const payer = await createPrivatePayer(t, finance);
    const drafts = await Promise.all(
      Array.from({ length: 100 }, (_, index) => t.http.post('/invoices').set(bearer(finance)).send({ billingPartyId: payer.id, lines: [tuitionLine({ unitPriceCents: 1000 + index })] }).expect(201)),
    );
    const issued = await Promise.all(drafts.map((draft) => t.http.post(`/invoices/${draft.body.id}/issue`).set(bearer(finance))));
    expect(issued.filter((response) => response.status !== 200).map((response) => response.body)).toEqual([]);
    const sequences = issued.map((response) => Number(String(response.body.number).slice(5))).sort((a, b) => a - b);
    expect(new Set(sequences).size).toBe(100);
    expect(sequences[99] - sequences[0]).toBe(99);
    // and the series as a whole has no gap
    const [series] = (await db.query(`SELECT count(*)::int AS n, max(sequence) AS top FROM invoice WHERE kind = 'invoice' AND year = $1`, [Number(String(issued[0].body.number).slice(0, 4))])) as { n: number; top: number }[];
    expect(series.n).toBe(series.top);
  });

  describe('who sees what', () => {
    it('lets a student read and download their own issued invoices only', async () => {
      const payer = await createPrivatePayer(t, finance);
      const own = await issuedInvoice(t, finance, payer.id);
      const other = await issuedInvoice(t, finance, (await createPrivatePayer(t, finance)).id);
      const draft = await t.http.post('/invoices').set(bearer(finance)).send({ billingPartyId: payer.id, lines: [tuitionLine()] }).expect(201);
      const student = await t.signIn(['student'], { studentId: payer.studentId });
      await t.http.get(`/invoices/${own.id}`).set(bearer(student.token)).expect(200);
      await t.http.get(`/invoices/${own.id}/pdf`).set(bearer(student.token)).expect(200);
      await t.http.get(`/invoices/${own.id}/ubl`).set(bearer(student.token)).expect(200);
      await t.http.get(`/invoices/${other.id}`).set(bearer(student.token)).expect(404);
      await t.http.get(`/invoices/${other.id}/pdf`).set(bearer(student.token)).expect(404);
      await t.http.get(`/invoices/${draft.body.id}`).set(bearer(student.token)).expect(404);
      const list = await t.http.get('/invoices').set(bearer(student.token)).expect(200);
      expect(list.body.items.map((invoice: { id: string }) => invoice.id)).toEqual([own.id]);
      await t.http.post('/invoices').set(bearer(student.token)).send({ billingPartyId: payer.id, lines: [tuitionLine()] }).expect(403);
      await t.http.post(`/invoices/${own.id}/credit-notes`).set(bearer(student.token)).send({ full: true }).expect(403);
      await t.http.post('/payments').set(bearer(student.token)).send({}).expect(403);
    });

    it('keeps other staff out of invoicing', async () => {
      const advisor = (await t.signIn(['advisor'])).token;
      await t.http.get('/invoices').set(bearer(advisor)).expect(403);
      await t.http.get('/payments').set(bearer(advisor)).expect(403);
      await t.http.post('/invoice-batches/dry-run').set(bearer(advisor)).send({ period: '2027-01' }).expect(403);
    });

    it('audits every change with its actor', async () => {
      const payer = await createPrivatePayer(t, finance);
      const invoice = await issuedInvoice(t, finance, payer.id);
      const entries = (await db.query(`SELECT action, actor_id FROM audit_entry WHERE entity = 'invoice' AND entity_id = $1 ORDER BY occurred_at`, [invoice.id])) as { action: string; actor_id: string | null }[];
      expect(entries.map((entry) => entry.action)).toEqual(['create', 'update']);
      expect(entries.every((entry) => entry.actor_id)).toBe(true);
    });
  });
});
