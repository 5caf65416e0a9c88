import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import PDFDocument from 'pdfkit';
import { DataSource } from 'typeorm';
import { DEMO_INSTITUTE } from '../src/demo/demo-institute';
import { BatchesService } from '../src/invoicing/batches.service';
import { sampleDocument } from '../src/invoicing/documents/test-document';
import { computeTotals } from '../src/invoicing/documents/totals';
import { SettingsService } from '../src/settings/settings.service';
import { startBenchApp } from './bench-app';
import { peakRssMb, report } from './harness';

const COUNT = Number(process.env.INVOICING_BENCH_COUNT ?? 10_000);
const LARGE = Number(process.env.INVOICING_BENCH_LARGE ?? COUNT * 5);
const PARTIES = 200;

/**
 * The baseline: raw pdfkit rendering the same one-page invoices, one after another, with the
 * embedded DejaVu Sans read from its file for every document, as pdfkit is usually used.
 */
async function rawPdfkit(count: number): Promise<number> {
  const font = readFileSync(resolve(process.cwd(), 'node_modules', 'dejavu-fonts-ttf', 'ttf', 'DejaVuSans.ttf'));
  const doc = sampleDocument();
  const totals = computeTotals(doc.lines);
  const began = process.hrtime.bigint();
  for (let i = 0; i < count; i++) {
    await new Promise<void>((done) => {
      const pdf = new PDFDocument({ size: 'A4', margin: 50 });
      pdf.on('data', () => undefined);
      pdf.on('end', () => done());
      pdf.registerFont('dejavu', font);
      pdf.font('dejavu').fontSize(10);
      pdf.text(doc.seller.name).text(`KvK ${doc.seller.kvkNumber} · ${doc.seller.vatNumber} · ${doc.seller.iban}`);
      pdf.moveDown().text(doc.buyer.name).text(`${doc.buyer.address!.street} ${doc.buyer.address!.houseNumber}`).text(`${doc.buyer.address!.postcode} ${doc.buyer.address!.city}`);
      pdf.moveDown().fontSize(16).text(`Factuur 2027-${String(i).padStart(6, '0')}`).fontSize(10);
      doc.lines.forEach((line, index) => pdf.text(`${line.description}  ${line.quantity} × ${line.unitPriceCents / 100}  ${totals.lineNetCents[index] / 100}`));
      pdf.moveDown().text(`Totaal ${totals.grossCents / 100}`).text(`Betalingskenmerk ${doc.paymentReference}`);
      pdf.end();
    });
  }
  return Number(process.hrtime.bigint() - began) / 1e9;
}

/** `count` billable items for `count` enrolments of PARTIES billing parties, billable in 2027-01. */
async function seedItems(db: DataSource, count: number, tag: string): Promise<string[]> {
  const parties = (await db.query(
    `INSERT INTO billing_party (kind, name, address, vat_number, kvk_number, contact_email, reference, peppol_id)
     SELECT 'employer', 'Zorggroep Łukasiewicz ' || i, '{"street":"Stationsplein","houseNumber":"1","postcode":"9711 AA","city":"Groningen","country":"NL"}',
            'NL987654321B01', lpad((10000000 + i)::text, 8, '0'), 'crediteuren' || i || '@zorggroep.example', 'PO-' || i, '0106:' || lpad((10000000 + i)::text, 8, '0')
       FROM generate_series(1, $1::int) AS i RETURNING id`,
    [PARTIES],
  )) as { id: string }[];
  await db.query(
    `INSERT INTO billable_item (key, kind, billing_party_id, enrolment_id, description, quantity, unit_price_cents, vat_category, purchase_order, billable_on)
     SELECT 'bench:' || $3 || ':' || i, 'tuition', ($1::uuid[])[1 + i % $2], gen_random_uuid(), 'Cursusgeld Post-hbo Wondzorg (Zoë Şahin)', 1, 245000, 'exempt', 'PO-' || i, '2027-01-04'
       FROM generate_series(1, $4::int) AS i`,
    [parties.map((party) => party.id), PARTIES, tag, count],
  );
  return parties.map((party) => party.id);
}

async function batch(batches: BatchesService, parties: string[]): Promise<{ seconds: number; billed: number; failed: number }> {
  const record = await batches.create({ period: '2027-01', billingPartyIds: parties, grouping: 'per_enrolment' }, null);
  const began = process.hrtime.bigint();
  const result = await batches.run(record.id);
  return { seconds: Number(process.hrtime.bigint() - began) / 1e9, billed: result.billed.length, failed: result.failed.length };
}

/**
 * `npm run bench -- invoicing`: a batch of COUNT invoices (PDF and UBL rendered on the worker
 * pool, mail queued with attachments) against raw pdfkit rendering COUNT one-page PDFs; then a
 * batch of LARGE invoices, whose peak memory should stay near the first one's.
 */
export async function invoicingBenchmark(): Promise<void> {
  const bench = await startBenchApp([], { RUN_WORKER: 'false' });
  try {
    const app = bench.app;
    await app.get(SettingsService).update({ ...DEMO_INSTITUTE });
    const db = app.get(DataSource);
    const batches = app.get(BatchesService);

    const raw = await rawPdfkit(COUNT);
    const small = await batch(batches, await seedItems(db, COUNT, 'small'));
    if (small.failed || small.billed !== COUNT) throw new Error(`The batch billed ${small.billed} of ${COUNT}, ${small.failed} failed`);
    const rssSmall = peakRssMb();
    report('invoicing', 'batch_time', small.seconds, 's', raw);
    report('invoicing', 'invoices_per_second', COUNT / small.seconds, 'invoices/s', COUNT / raw);

    const large = await batch(batches, await seedItems(db, LARGE, 'large'));
    if (large.failed || large.billed !== LARGE) throw new Error(`The batch billed ${large.billed} of ${LARGE}, ${large.failed} failed`);
    const rssLarge = peakRssMb();
    report('invoicing', 'memory_50k_vs_10k', rssLarge / rssSmall, 'ratio');
    process.stderr.write(`raw pdfkit ${COUNT}: ${raw.toFixed(1)} s; batch ${COUNT}: ${small.seconds.toFixed(1)} s (peak RSS ${rssSmall.toFixed(0)} MB); batch ${LARGE}: ${large.seconds.toFixed(1)} s (peak RSS ${rssLarge.toFixed(0)} MB)\n`);
  } finally {
    await bench.close();
  }
}
