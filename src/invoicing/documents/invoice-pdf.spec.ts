import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { renderInvoicePdf, formatMoney } from './invoice-pdf';
import { sampleDocument } from './test-document';

function pdfText(pdf: Buffer): string {
  return execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf }).toString('utf8');
}

describe('invoice PDF', () => {
  it('carries every field art. 35a Wet OB asks for, in Dutch, with the names as written', async () => {
    const pdf = await renderInvoicePdf(sampleDocument());
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = pdfText(pdf);
    for (const expected of [
      'Factuur 2027-000123', // number
      'Factuurdatum: 04-01-2027', // date
      'Vervaldatum: 03-02-2027',
      'Opleidingsinstituut Zuidas B.V.', // supplier name and address
      'Gustav Mahlerlaan 10',
      '1082 PP Amsterdam',
      'KvK 12345678', // chamber of commerce
      'Btw-nr. NL123456789B01', // VAT number
      'IBAN NL91ABNA0417164300',
      'CRKBO-registratie CRKBO-2019-0042',
      'Zoë Şahin-Łukasiewicz', // customer name and address, Unicode
      'Prinsengracht 263',
      '1016 GV Amsterdam',
      'Uw referentie: STU-000042',
      'Collegegeld Post-hbo Verpleegkunde', // description
      'Studieboek „Zorg & ethiek”',
      'Btw 9% grondslag € 99,90', // amount per rate
      'Btw 21% grondslag € 37,50',
      'Btw vrijgesteld grondslag € 2.450,00',
      '€ 8,99', // VAT amount per rate
      '€ 7,88',
      'art. 11 lid 1 onderdeel o Wet OB', // ground for exemption
      'Totaal btw',
      '€ 16,87',
      'Totaal te betalen',
      '€ 2.604,27',
      'RF182027000123', // payment reference
    ]) {
      expect(text.replace(/\s+/g, ' ')).toContain(expected);
    }
  });

  it('comes out in English for an English billing party, with a purchase order', async () => {
    const text = pdfText(
      await renderInvoicePdf(
        sampleDocument({
          locale: 'en',
          orderReference: 'PO-4711',
          buyer: { ...sampleDocument().buyer, name: 'Nguyễn Thị Minh Khai', vatNumber: 'NL987654321B01' },
        }),
      ),
    ).replace(/\s+/g, ' ');
    expect(text).toContain('Invoice 2027-000123');
    expect(text).toContain('Invoice date: 4 Jan 2027');
    expect(text).toContain('Purchase order: PO-4711');
    expect(text).toContain('Nguyễn Thị Minh Khai');
    expect(text).toContain('Customer VAT number: NL987654321B01');
    expect(text).toContain('Exempt from VAT under art. 11(1)(o)');
    expect(text).toContain('Total due € 2,604.27');
  });

  it('renders a credit note that names the invoice it corrects', async () => {
    const text = pdfText(
      await renderInvoicePdf(
        sampleDocument({
          kind: 'credit_note',
          number: 'C2027-000001',
          creditedInvoice: { number: '2027-000123', issueDate: '2027-01-04' },
          lines: [{ description: 'Creditering collegegeld', quantity: 1, unitPriceCents: 100000, vatCategory: 'exempt' }],
        }),
      ),
    ).replace(/\s+/g, ' ');
    expect(text).toContain('Creditnota C2027-000001');
    expect(text).toContain('Crediteert factuur: 2027-000123 (04-01-2027)');
    expect(text).toContain('Totaal gecrediteerd € 1.000,00');
  });

  it('renders the same document to the same bytes', async () => {
    const digest = async () => createHash('sha256').update(await renderInvoicePdf(sampleDocument())).digest('hex');
    expect(await digest()).toBe(await digest());
  });

  it('runs onto a second page for many lines', async () => {
    const lines = Array.from({ length: 80 }, (_, index) => ({ description: `Les ${index + 1}`, quantity: 1, unitPriceCents: 1000, vatCategory: 'exempt' as const }));
    const text = pdfText(await renderInvoicePdf(sampleDocument({ lines })));
    expect(text).toContain('Les 80');
    expect(text.split('\f').filter((page) => page.trim()).length).toBeGreaterThan(1);
  });

  it('formats money both ways', () => {
    expect(formatMoney(123456789, 'nl')).toBe('€ 1.234.567,89');
    expect(formatMoney(-5, 'en')).toBe('-€ 0.05');
  });
});
