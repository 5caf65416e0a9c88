import { create } from 'xmlbuilder2';
import { sampleDocument } from './test-document';
import { buildUbl, buyerEndpoint, PEPPOL_CUSTOMIZATION_ID, PEPPOL_PROFILE_ID } from './ubl';
import { UblInputError } from './ubl-input';
import type { InvoiceDocument } from './invoice-document';

type Node = { [key: string]: Node | Node[] | string };

/** The document as a plain object: elements by their prefixed name, text in '#', attributes as '@name'. */
function parse(xml: string): Node {
  return create(xml).end({ format: 'object' }) as unknown as Node;
}
function all(node: Node, name: string): Node[] {
  const value = node[name];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]) as Node[];
}
function one(node: Node, path: string): Node {
  return path.split('/').reduce((current, name) => {
    const found = all(current, name);
    if (found.length !== 1) throw new Error(`expected one ${name} in ${path}, found ${found.length}`);
    return found[0];
  }, node);
}
/** The text of an element (with or without attributes). */
function text(node: Node, path: string): string {
  const element = one(node, path) as unknown as Node | string;
  return typeof element === 'string' ? element : (element['#'] as string);
}
function amount(node: Node, path: string): number {
  const element = one(node, path);
  expect(element['@currencyID']).toBe('EUR');
  expect(element['#'] as string).toMatch(/^-?[0-9]+\.[0-9]{2}$/); // BR-DEC: two decimals
  return Math.round(Number(element['#']) * 100);
}

function employerDocument(): InvoiceDocument {
  return sampleDocument({
    locale: 'en',
    buyer: {
      kind: 'employer',
      name: 'Zorggroep Noord B.V.',
      address: { street: 'Stationsplein', houseNumber: '1', postcode: '9711 AA', city: 'Groningen', country: 'NL' },
      kvkNumber: '87654321',
      vatNumber: 'NL987654321B01',
      peppolId: '0106:87654321',
      email: 'crediteuren@zorggroep.example',
    },
    buyerReference: null,
    orderReference: 'PO-2027-0042',
  });
}

describe('UBL 2.1 / Peppol BIS Billing 3.0 invoice', () => {
  const xml = buildUbl(sampleDocument());
  const invoice = one(parse(xml), 'Invoice');

  it('is a UBL 2.1 Invoice with the Peppol specification and profile (BT-24, BT-23, PEPPOL-EN16931-R001/R004)', () => {
    expect(invoice['@xmlns']).toBe('urn:oasis:names:specification:ubl:schema:xsd:Invoice-2');
    expect(text(invoice, 'cbc:CustomizationID')).toBe(PEPPOL_CUSTOMIZATION_ID);
    expect(text(invoice, 'cbc:ProfileID')).toBe(PEPPOL_PROFILE_ID);
    expect(text(invoice, 'cbc:InvoiceTypeCode')).toBe('380');
    expect(text(invoice, 'cbc:DocumentCurrencyCode')).toBe('EUR');
  });

  it('has the mandatory elements in schema order (BR-01..BR-16)', () => {
    const order = Object.keys(invoice).filter((key) => !key.startsWith('@'));
    expect(order).toEqual([
      'cbc:CustomizationID',
      'cbc:ProfileID',
      'cbc:ID',
      'cbc:IssueDate',
      'cbc:DueDate',
      'cbc:InvoiceTypeCode',
      'cbc:DocumentCurrencyCode',
      'cbc:BuyerReference',
      'cac:AccountingSupplierParty',
      'cac:AccountingCustomerParty',
      'cac:PaymentMeans',
      'cac:PaymentTerms',
      'cac:TaxTotal',
      'cac:LegalMonetaryTotal',
      'cac:InvoiceLine',
    ]);
    expect(text(invoice, 'cbc:ID')).toBe('2027-000123');
    expect(text(invoice, 'cbc:IssueDate')).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('has no empty element (PEPPOL-EN16931-R008)', () => {
    expect(xml).not.toMatch(/<[^>/]+\/>/);
    expect(xml).not.toMatch(/<([a-zA-Z:]+)[^>]*>\s*<\/\1>/);
  });

  it('carries the seller electronic address, KvK with scheme 0106 and VAT id (PEPPOL-EN16931-R020, NL-R-003, BR-CO-09)', () => {
    const seller = one(invoice, 'cac:AccountingSupplierParty/cac:Party');
    expect(one(seller, 'cbc:EndpointID')).toEqual({ '@schemeID': '0106', '#': '12345678' });
    expect(one(seller, 'cac:PartyLegalEntity/cbc:CompanyID')).toEqual({ '@schemeID': '0106', '#': '12345678' });
    expect(text(seller, 'cac:PartyTaxScheme/cbc:CompanyID')).toMatch(/^NL/);
    expect(text(seller, 'cac:PartyTaxScheme/cac:TaxScheme/cbc:ID')).toBe('VAT');
    // NL-R-002: street, city, postcode
    expect(text(seller, 'cac:PostalAddress/cbc:StreetName')).toBe('Gustav Mahlerlaan 10');
    expect(text(seller, 'cac:PostalAddress/cbc:CityName')).toBe('Amsterdam');
    expect(text(seller, 'cac:PostalAddress/cbc:PostalZone')).toBe('1082 PP');
    expect(text(seller, 'cac:PostalAddress/cac:Country/cbc:IdentificationCode')).toBe('NL');
  });

  it('carries the buyer electronic address, name and address (PEPPOL-EN16931-R010, BR-07, BR-10, BR-11, NL-R-004)', () => {
    const buyer = one(invoice, 'cac:AccountingCustomerParty/cac:Party');
    // a consumer has no Peppol address: the seller's own, in a scheme of the EAS list (PEPPOL-EN16931-CL008)
    expect(one(buyer, 'cbc:EndpointID')).toEqual({ '@schemeID': '0106', '#': '12345678' });
    expect(text(buyer, 'cac:PartyLegalEntity/cbc:RegistrationName')).toBe('Zoë Şahin-Łukasiewicz');
    expect(text(buyer, 'cac:PostalAddress/cbc:StreetName')).toBe('Prinsengracht 263');
    expect(text(buyer, 'cac:PostalAddress/cbc:PostalZone')).toBe('1016 GV');
    // a consumer has no KvK: no CompanyID without a scheme (NL-R-005)
    expect(all(one(buyer, 'cac:PartyLegalEntity'), 'cbc:CompanyID')).toHaveLength(0);
  });

  it('has a buyer reference or an order reference (PEPPOL-EN16931-R003)', () => {
    expect(text(invoice, 'cbc:BuyerReference')).toBe('STU-000042');
  });

  it('pays by SEPA credit transfer into the IBAN with the payment reference (BR-61, NL-R-006, NL-R-007)', () => {
    const means = one(invoice, 'cac:PaymentMeans');
    expect(text(means, 'cbc:PaymentMeansCode')).toBe('58');
    expect(text(means, 'cbc:PaymentID')).toBe('RF182027000123');
    expect(text(means, 'cac:PayeeFinancialAccount/cbc:ID')).toBe('NL91ABNA0417164300');
  });

  it('has totals that add up (BR-CO-10, BR-CO-13, BR-CO-14, BR-CO-15, BR-CO-16)', () => {
    const lines = all(invoice, 'cac:InvoiceLine');
    const lineSum = lines.reduce((sum, line) => sum + amount(line, 'cbc:LineExtensionAmount'), 0);
    const monetary = one(invoice, 'cac:LegalMonetaryTotal');
    expect(amount(monetary, 'cbc:LineExtensionAmount')).toBe(lineSum);
    expect(amount(monetary, 'cbc:TaxExclusiveAmount')).toBe(lineSum);
    const taxTotal = one(invoice, 'cac:TaxTotal');
    const subtotals = all(taxTotal, 'cac:TaxSubtotal');
    const vat = amount(taxTotal, 'cbc:TaxAmount');
    expect(subtotals.reduce((sum, subtotal) => sum + amount(subtotal, 'cbc:TaxAmount'), 0)).toBe(vat);
    expect(amount(monetary, 'cbc:TaxInclusiveAmount')).toBe(lineSum + vat);
    expect(amount(monetary, 'cbc:PayableAmount')).toBe(lineSum + vat);
    expect(lineSum).toBe(245000 + 9990 + 3750);
    expect(vat).toBe(899 + 788);
  });

  it('has one breakdown per category with taxable = sum of its lines and VAT = taxable × rate rounded (BR-S-08/09, BR-E-08/09, BR-CO-17/18)', () => {
    const lines = all(invoice, 'cac:InvoiceLine');
    const subtotals = all(one(invoice, 'cac:TaxTotal'), 'cac:TaxSubtotal');
    expect(subtotals.length).toBeGreaterThan(0);
    for (const subtotal of subtotals) {
      const id = text(subtotal, 'cac:TaxCategory/cbc:ID');
      const percent = Number(text(subtotal, 'cac:TaxCategory/cbc:Percent'));
      const linesOfCategory = lines.filter(
        (line) => text(line, 'cac:Item/cac:ClassifiedTaxCategory/cbc:ID') === id && Number(text(line, 'cac:Item/cac:ClassifiedTaxCategory/cbc:Percent')) === percent,
      );
      expect(linesOfCategory.length).toBeGreaterThan(0); // BR-S-01, BR-E-01
      const taxable = amount(subtotal, 'cbc:TaxableAmount');
      expect(taxable).toBe(linesOfCategory.reduce((sum, line) => sum + amount(line, 'cbc:LineExtensionAmount'), 0));
      const expectedVat = Math.sign(taxable) * Math.round((Math.abs(taxable) * percent) / 100);
      expect(amount(subtotal, 'cbc:TaxAmount')).toBe(expectedVat);
      expect(text(subtotal, 'cac:TaxCategory/cac:TaxScheme/cbc:ID')).toBe('VAT');
    }
  });

  it('gives exempt education category E, rate 0 and an exemption reason code and text; S and Z none (BR-E-05, BR-E-10, BR-S-10, BR-Z-10)', () => {
    const subtotals = all(one(invoice, 'cac:TaxTotal'), 'cac:TaxSubtotal');
    const exempt = subtotals.find((subtotal) => text(subtotal, 'cac:TaxCategory/cbc:ID') === 'E')!;
    expect(text(exempt, 'cac:TaxCategory/cbc:Percent')).toBe('0');
    expect(amount(exempt, 'cbc:TaxAmount')).toBe(0);
    expect(text(exempt, 'cac:TaxCategory/cbc:TaxExemptionReasonCode')).toBe('VATEX-EU-132-1I');
    expect(text(exempt, 'cac:TaxCategory/cbc:TaxExemptionReason')).toContain('11 lid 1 onderdeel o');
    for (const subtotal of subtotals.filter((entry) => text(entry, 'cac:TaxCategory/cbc:ID') !== 'E')) {
      expect(all(one(subtotal, 'cac:TaxCategory'), 'cbc:TaxExemptionReasonCode')).toHaveLength(0);
      expect(all(one(subtotal, 'cac:TaxCategory'), 'cbc:TaxExemptionReason')).toHaveLength(0);
    }
    const percents = subtotals.map((subtotal) => `${text(subtotal, 'cac:TaxCategory/cbc:ID')}${text(subtotal, 'cac:TaxCategory/cbc:Percent')}`);
    expect(percents).toEqual(['E0', 'S21', 'S9']);
  });

  it('gives every line an id, a quantity with unit code, a name, a tax category and a non-negative price (BR-21..BR-27)', () => {
    const lines = all(invoice, 'cac:InvoiceLine');
    expect(lines).toHaveLength(3);
    lines.forEach((line, index) => {
      expect(text(line, 'cbc:ID')).toBe(String(index + 1));
      expect(one(line, 'cbc:InvoicedQuantity')['@unitCode']).toBe('C62');
      expect(text(line, 'cac:Item/cbc:Name').length).toBeGreaterThan(0);
      expect(amount(line, 'cac:Price/cbc:PriceAmount')).toBeGreaterThanOrEqual(0);
      const quantity = Number(text(line, 'cbc:InvoicedQuantity'));
      expect(amount(line, 'cbc:LineExtensionAmount')).toBe(Math.round(quantity * amount(line, 'cac:Price/cbc:PriceAmount')));
    });
  });

  it('puts the buyer KvK with scheme 0106, its VAT id and Peppol endpoint for an employer, and the order reference (NL-R-005)', () => {
    const employer = one(parse(buildUbl(employerDocument())), 'Invoice');
    const buyer = one(employer, 'cac:AccountingCustomerParty/cac:Party');
    expect(one(buyer, 'cbc:EndpointID')).toEqual({ '@schemeID': '0106', '#': '87654321' });
    expect(one(buyer, 'cac:PartyLegalEntity/cbc:CompanyID')).toEqual({ '@schemeID': '0106', '#': '87654321' });
    expect(text(buyer, 'cac:PartyTaxScheme/cbc:CompanyID')).toBe('NL987654321B01');
    expect(text(employer, 'cac:OrderReference/cbc:ID')).toBe('PO-2027-0042');
    expect(all(employer, 'cbc:BuyerReference')).toHaveLength(0);
    const exempt = all(one(employer, 'cac:TaxTotal'), 'cac:TaxSubtotal').find((subtotal) => text(subtotal, 'cac:TaxCategory/cbc:ID') === 'E')!;
    expect(text(exempt, 'cac:TaxCategory/cbc:TaxExemptionReason')).toContain('Exempt'); // in the buyer's language
  });

  it('refuses a document that cannot be a valid e-invoice', () => {
    expect(() => buildUbl(sampleDocument({ buyerReference: null, orderReference: null }))).toThrow(UblInputError);
    expect(() => buildUbl(sampleDocument({ buyer: { ...sampleDocument().buyer, address: null } }))).toThrow(UblInputError);
    expect(() => buildUbl(sampleDocument({ lines: [] }))).toThrow(UblInputError);
    expect(() => buildUbl(sampleDocument({ kind: 'credit_note' }))).toThrow(UblInputError);
  });

  it('finds the buyer endpoint from the Peppol id, else KvK, always in a scheme of the EAS list (PEPPOL-EN16931-CL008)', () => {
    const buyer = sampleDocument().buyer;
    expect(buyerEndpoint({ ...buyer, peppolId: '9944:NL987654321B01' }, '12345678')).toEqual({ scheme: '9944', id: 'NL987654321B01' });
    expect(buyerEndpoint({ ...buyer, kvkNumber: '87654321' }, '12345678')).toEqual({ scheme: '0106', id: '87654321' });
    expect(buyerEndpoint(buyer, '12345678')).toEqual({ scheme: '0106', id: '12345678' });
    const eas = ['0002', '0007', '0009', '0037', '0060', '0088', '0096', '0097', '0106', '0130', '0190', '0192', '0208', '9944'];
    for (const candidate of [buyer, { ...buyer, peppolId: '0190:00000001234567890000' }]) expect(eas).toContain(buyerEndpoint(candidate, '12345678').scheme);
  });
});

describe('UBL 2.1 / Peppol BIS Billing 3.0 credit note', () => {
  const document = sampleDocument({
    kind: 'credit_note',
    number: 'C2027-000007',
    issueDate: '2027-02-10',
    dueDate: '2027-02-24',
    creditedInvoice: { number: '2027-000123', issueDate: '2027-01-04' },
    lines: [{ description: 'Creditering collegegeld', quantity: 1, unitPriceCents: 122500, vatCategory: 'exempt' }],
  });
  const creditNote = one(parse(buildUbl(document)), 'CreditNote');

  it('is a UBL CreditNote of type 381 referencing its invoice (BR-55, NL-R-001)', () => {
    expect(creditNote['@xmlns']).toBe('urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2');
    expect(text(creditNote, 'cbc:CreditNoteTypeCode')).toBe('381');
    expect(text(creditNote, 'cbc:CustomizationID')).toBe(PEPPOL_CUSTOMIZATION_ID);
    expect(text(creditNote, 'cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID')).toBe('2027-000123');
    expect(text(creditNote, 'cac:BillingReference/cac:InvoiceDocumentReference/cbc:IssueDate')).toBe('2027-01-04');
    expect(all(creditNote, 'cbc:DueDate')).toHaveLength(0); // not in the UBL 2.1 CreditNote schema
  });

  it('keeps its due date in the payment means (BT-9, BR-CO-25) with an allowed Dutch payment means code (NL-R-007)', () => {
    expect(text(creditNote, 'cac:PaymentMeans/cbc:PaymentDueDate')).toBe('2027-02-24');
    expect(['30', '48', '49', '57', '58', '59']).toContain(text(creditNote, 'cac:PaymentMeans/cbc:PaymentMeansCode'));
  });

  it('has credit note lines with credited quantities and totals that add up', () => {
    const lines = all(creditNote, 'cac:CreditNoteLine');
    expect(lines).toHaveLength(1);
    expect(one(lines[0], 'cbc:CreditedQuantity')['@unitCode']).toBe('C62');
    expect(amount(one(creditNote, 'cac:LegalMonetaryTotal'), 'cbc:PayableAmount')).toBe(122500);
    expect(Object.keys(creditNote).filter((key) => !key.startsWith('@'))).toEqual([
      'cbc:CustomizationID',
      'cbc:ProfileID',
      'cbc:ID',
      'cbc:IssueDate',
      'cbc:CreditNoteTypeCode',
      'cbc:DocumentCurrencyCode',
      'cbc:BuyerReference',
      'cac:BillingReference',
      'cac:AccountingSupplierParty',
      'cac:AccountingCustomerParty',
      'cac:PaymentMeans',
      'cac:PaymentTerms',
      'cac:TaxTotal',
      'cac:LegalMonetaryTotal',
      'cac:CreditNoteLine',
    ]);
  });
});
