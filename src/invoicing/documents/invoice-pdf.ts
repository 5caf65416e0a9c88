import { create as parseFont, Font } from 'fontkit';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import PDFDocument from 'pdfkit';
import { DocumentAddress, EXEMPTION, InvoiceDocument } from './invoice-document';
import { computeTotals, VatCategory } from './totals';

/**
 * The fonts are parsed once per process and handed to every document as parsed fonts: parsing
 * the TrueType file anew for each document was most of the time a PDF took.
 */
let fonts: { regular: Font; bold: Font } | undefined;
const FONT_DIRECTORY = resolve(process.cwd(), 'node_modules', 'dejavu-fonts-ttf', 'ttf');
function loadFonts(): { regular: Font; bold: Font } {
  fonts ??= {
    regular: parseFont(readFileSync(resolve(FONT_DIRECTORY, 'DejaVuSans.ttf'))),
    bold: parseFont(readFileSync(resolve(FONT_DIRECTORY, 'DejaVuSans-Bold.ttf'))),
  };
  return fonts;
}

const TEXT = {
  nl: {
    invoice: 'Factuur',
    credit_note: 'Creditnota',
    number: 'Nummer',
    issueDate: 'Factuurdatum',
    dueDate: 'Vervaldatum',
    reference: 'Uw referentie',
    order: 'Inkoopordernummer',
    credits: 'Crediteert factuur',
    description: 'Omschrijving',
    quantity: 'Aantal',
    unitPrice: 'Prijs',
    vat: 'Btw',
    amount: 'Bedrag',
    exempt: 'vrijgesteld',
    breakdown: 'Btw-specificatie',
    taxable: 'grondslag',
    net: 'Totaal excl. btw',
    vatTotal: 'Totaal btw',
    total: 'Totaal te betalen',
    totalCredit: 'Totaal gecrediteerd',
    pay: (amount: string, due: string, iban: string, name: string, reference: string) =>
      `Gelieve ${amount} vóór ${due} over te maken op ${iban} t.n.v. ${name}, onder vermelding van betalingskenmerk ${reference}.`,
    refund: (amount: string, due: string) => `Wij betalen ${amount} uiterlijk ${due} aan u terug.`,
    kvk: 'KvK',
    vatNumber: 'Btw-nr.',
    customerVat: 'Btw-nummer klant',
    crkbo: 'CRKBO-registratie',
  },
  en: {
    invoice: 'Invoice',
    credit_note: 'Credit note',
    number: 'Number',
    issueDate: 'Invoice date',
    dueDate: 'Due date',
    reference: 'Your reference',
    order: 'Purchase order',
    credits: 'Credits invoice',
    description: 'Description',
    quantity: 'Qty',
    unitPrice: 'Price',
    vat: 'VAT',
    amount: 'Amount',
    exempt: 'exempt',
    breakdown: 'VAT breakdown',
    taxable: 'taxable',
    net: 'Total excl. VAT',
    vatTotal: 'Total VAT',
    total: 'Total due',
    totalCredit: 'Total credited',
    pay: (amount: string, due: string, iban: string, name: string, reference: string) =>
      `Please transfer ${amount} by ${due} to ${iban} in the name of ${name}, quoting payment reference ${reference}.`,
    refund: (amount: string, due: string) => `We will refund ${amount} to you by ${due}.`,
    kvk: 'Chamber of Commerce',
    vatNumber: 'VAT no.',
    customerVat: 'Customer VAT number',
    crkbo: 'CRKBO registration',
  },
} as const;

/** €1.234,56 (nl) or €1,234.56 (en). */
export function formatMoney(cents: number, locale: 'nl' | 'en'): string {
  const sign = cents < 0 ? '-' : '';
  const magnitude = Math.abs(cents);
  const whole = String(Math.floor(magnitude / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, locale === 'nl' ? '.' : ',');
  const fraction = String(magnitude % 100).padStart(2, '0');
  return `${sign}€ ${whole}${locale === 'nl' ? ',' : '.'}${fraction}`;
}

/** 2027-01-31 as 31-01-2027 (nl) or 31 Jan 2027 (en). */
export function formatDate(isoDate: string, locale: 'nl' | 'en'): string {
  const [year, month, day] = isoDate.split('-');
  if (locale === 'nl') return `${day}-${month}-${year}`;
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  return `${Number(day)} ${months[Number(month) - 1]} ${year}`;
}

function addressLines(address: DocumentAddress | null): string[] {
  if (!address) return [];
  return [[address.street, address.houseNumber].filter(Boolean).join(' '), `${address.postcode} ${address.city}`, address.country === 'NL' ? '' : address.country].filter(Boolean);
}

function vatLabel(category: VatCategory, locale: 'nl' | 'en'): string {
  return category === 'exempt' ? TEXT[locale].exempt : `${category === 'rate_21' ? 21 : category === 'rate_9' ? 9 : 0}%`;
}

/** The invoice or credit note as a one-page (or longer) A4 PDF with an embedded Unicode font. */
export function renderInvoicePdf(doc: InvoiceDocument): Promise<Buffer> {
  const { regular, bold } = loadFonts();
  const t = TEXT[doc.locale];
  const totals = computeTotals(doc.lines);
  const money = (cents: number) => formatMoney(cents, doc.locale);
  const date = (iso: string) => formatDate(iso, doc.locale);
  const title = t[doc.kind];

  const pdf = new PDFDocument({
    size: 'A4',
    margin: 50,
    // A fixed creation date: the same invoice renders to the same bytes.
    info: { Title: `${title} ${doc.number}`, Author: doc.seller.name, CreationDate: new Date(`${doc.issueDate}T00:00:00Z`) },
    // No default Helvetica: loading its metrics for every document cost more than a millisecond.
    font: null as unknown as string,
  });
  const chunks: Buffer[] = [];
  pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });
  pdf.registerFont('regular', regular as unknown as string);
  pdf.registerFont('bold', bold as unknown as string);

  const left = 50;
  const right = 545;
  if (doc.seller.logo) {
    try {
      pdf.image(doc.seller.logo.data, left, 40, { fit: [140, 60] });
    } catch {
      // A logo pdfkit cannot read leaves the header without it rather than failing the invoice.
    }
  }
  const seller = doc.seller;
  pdf.font('bold').fontSize(10).text(seller.name, 330, 40, { width: 215, align: 'right' });
  pdf
    .font('regular')
    .fontSize(8)
    .text([...addressLines(seller.address), seller.phone, seller.email, seller.website].filter(Boolean).join('\n'), { width: 215, align: 'right' })
    .text(`${t.kvk} ${seller.kvkNumber} · ${t.vatNumber} ${seller.vatNumber}`, { width: 215, align: 'right' })
    .text(`IBAN ${seller.iban}${seller.bic ? ` · BIC ${seller.bic}` : ''}`, { width: 215, align: 'right' })
    .text(`${t.crkbo} ${seller.crkboRegistration}`, { width: 215, align: 'right' });

  pdf.font('regular').fontSize(10).text([doc.buyer.name, ...addressLines(doc.buyer.address)].join('\n'), left, 150, { width: 260 });
  if (doc.buyer.vatNumber) pdf.fontSize(8).text(`${t.customerVat}: ${doc.buyer.vatNumber}`, { width: 260 });

  pdf.font('bold').fontSize(16).text(`${title} ${doc.number}`, left, 240);
  const facts: [string, string][] = [
    [t.number, doc.number],
    [t.issueDate, date(doc.issueDate)],
    [t.dueDate, date(doc.dueDate)],
  ];
  if (doc.buyerReference) facts.push([t.reference, doc.buyerReference]);
  if (doc.orderReference) facts.push([t.order, doc.orderReference]);
  if (doc.creditedInvoice) facts.push([t.credits, `${doc.creditedInvoice.number} (${date(doc.creditedInvoice.issueDate)})`]);
  let y = 268;
  for (const [label, value] of facts) {
    pdf.font('regular').fontSize(9).text(`${label}:`, left, y, { width: 130 });
    pdf.text(value, left + 130, y, { width: 300 });
    y += 13;
  }

  y += 12;
  const columns = { description: left, quantity: 300, unitPrice: 345, vat: 420, amount: 465 };
  const header = (): void => {
    pdf.font('bold').fontSize(9);
    pdf.text(t.description, columns.description, y, { width: 245 });
    pdf.text(t.quantity, columns.quantity, y, { width: 40, align: 'right' });
    pdf.text(t.unitPrice, columns.unitPrice, y, { width: 70, align: 'right' });
    pdf.text(t.vat, columns.vat, y, { width: 40, align: 'right' });
    pdf.text(t.amount, columns.amount, y, { width: 80, align: 'right' });
    y += 14;
    pdf.moveTo(left, y - 2).lineTo(right, y - 2).lineWidth(0.5).stroke();
  };
  header();
  doc.lines.forEach((line, index) => {
    pdf.font('regular').fontSize(9);
    const height = pdf.heightOfString(line.description, { width: 245 });
    if (y + height > 760) {
      pdf.addPage();
      y = 50;
      header();
      pdf.font('regular').fontSize(9);
    }
    pdf.text(line.description, columns.description, y, { width: 245 });
    pdf.text(String(line.quantity).replace('.', doc.locale === 'nl' ? ',' : '.'), columns.quantity, y, { width: 40, align: 'right' });
    pdf.text(money(line.unitPriceCents), columns.unitPrice, y, { width: 70, align: 'right' });
    pdf.text(vatLabel(line.vatCategory, doc.locale), columns.vat, y, { width: 40, align: 'right' });
    pdf.text(money(totals.lineNetCents[index]), columns.amount, y, { width: 80, align: 'right' });
    y += Math.max(height, 11) + 3;
  });
  pdf.moveTo(left, y).lineTo(right, y).lineWidth(0.5).stroke();
  y += 8;

  if (y > 640) {
    pdf.addPage();
    y = 50;
  }
  pdf.font('bold').fontSize(9).text(t.breakdown, left, y);
  y += 13;
  for (const entry of totals.vat) {
    pdf.font('regular').fontSize(9);
    pdf.text(`${t.vat} ${vatLabel(entry.category, doc.locale)} ${t.taxable} ${money(entry.taxableCents)}`, left, y, { width: 300 });
    pdf.text(money(entry.vatCents), columns.amount, y, { width: 80, align: 'right' });
    y += 12;
  }
  if (totals.vat.some((entry) => entry.category === 'exempt')) {
    pdf.fontSize(8).text(EXEMPTION.text[doc.locale], left, y, { width: 400 });
    y = pdf.y + 4;
  }
  y += 6;
  const sums: [string, number, boolean][] = [
    [t.net, totals.netCents, false],
    [t.vatTotal, totals.vatCents, false],
    [doc.kind === 'credit_note' ? t.totalCredit : t.total, totals.grossCents, true],
  ];
  for (const [label, cents, strong] of sums) {
    pdf.font(strong ? 'bold' : 'regular').fontSize(strong ? 10 : 9);
    pdf.text(label, 300, y, { width: 160 });
    pdf.text(money(cents), columns.amount, y, { width: 80, align: 'right' });
    y += 14;
  }
  y += 10;
  const instruction =
    doc.kind === 'credit_note'
      ? t.refund(money(totals.grossCents), date(doc.dueDate))
      : t.pay(money(totals.grossCents), date(doc.dueDate), seller.iban, seller.name, doc.paymentReference);
  pdf.font('regular').fontSize(9).text(instruction, left, y, { width: right - left });
  pdf.end();
  return done;
}
