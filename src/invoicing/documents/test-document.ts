import type { InvoiceDocument } from './invoice-document';

/** A complete invoice document for the renderers' tests and the benchmark. */
export function sampleDocument(overrides: Partial<InvoiceDocument> = {}): InvoiceDocument {
  return {
    kind: 'invoice',
    number: '2027-000123',
    issueDate: '2027-01-04',
    dueDate: '2027-02-03',
    locale: 'nl',
    seller: {
      name: 'Opleidingsinstituut Zuidas B.V.',
      address: { street: 'Gustav Mahlerlaan', houseNumber: '10', postcode: '1082 PP', city: 'Amsterdam', country: 'NL' },
      kvkNumber: '12345678',
      vatNumber: 'NL123456789B01',
      iban: 'NL91ABNA0417164300',
      bic: 'ABNANL2A',
      crkboRegistration: 'CRKBO-2019-0042',
      email: 'finance@zuidas.example',
      phone: '+31201234567',
      website: 'https://zuidas.example',
      logo: null,
    },
    buyer: {
      kind: 'student',
      name: 'Zoë Şahin-Łukasiewicz',
      address: { street: 'Prinsengracht', houseNumber: '263', postcode: '1016 GV', city: 'Amsterdam', country: 'NL' },
      kvkNumber: null,
      vatNumber: null,
      peppolId: null,
      email: 'zoe@example.nl',
    },
    buyerReference: 'STU-000042',
    orderReference: null,
    paymentReference: 'RF182027000123',
    lines: [
      { description: 'Collegegeld Post-hbo Verpleegkunde (voorjaar 2027)', quantity: 1, unitPriceCents: 245000, vatCategory: 'exempt' },
      { description: 'Studieboek „Zorg & ethiek”', quantity: 2, unitPriceCents: 4995, vatCategory: 'rate_9' },
      { description: 'Diner diploma-uitreiking', quantity: 1, unitPriceCents: 3750, vatCategory: 'rate_21' },
    ],
    creditedInvoice: null,
    ...overrides,
  };
}
