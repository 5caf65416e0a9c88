import { Camt053Error, parseCamt053, referencesIn } from './camt053';
import { camtStatement } from './camt053-sample';
import { creditorReference } from './documents/payment-reference';

describe('CAMT.053 statement', () => {
  it('reads credit entries with amount, date, reference and counterparty', () => {
    const entries = parseCamt053(
      camtStatement([
        { ref: 'E1', amount: '1225.50', remittance: 'RF182027000123', structured: true },
        { ref: 'E2', amount: '40', remittance: 'factuur 2027-000124 Zoë' },
        { ref: 'E3', amount: '12.30', remittance: 'bank costs', credit: false },
      ]),
    );
    expect(entries).toEqual([
      { entryId: 'E1', amountCents: 122550, currency: 'EUR', bookedOn: '2027-02-01', remittance: 'RF182027000123', counterpartyIban: 'NL91ABNA0417164300', counterpartyName: 'Zoë Şahin', credit: true },
      expect.objectContaining({ entryId: 'E2', amountCents: 4000, remittance: 'factuur 2027-000124 Zoë', credit: true }),
      expect.objectContaining({ entryId: 'E3', amountCents: 1230, credit: false }),
    ]);
  });

  it('refuses XML that is not well-formed', () => {
    expect(() => parseCamt053('<Document><BkToCstmrStmt></Document>')).toThrow(expect.objectContaining({ rule: 'wellFormed' }));
  });

  it('refuses an unknown namespace, e.g. a CAMT.054 or a pain file', () => {
    expect(() => parseCamt053(camtStatement([], 'urn:iso:std:iso:20022:tech:xsd:camt.054.001.02'))).toThrow(Camt053Error);
    expect(() => parseCamt053('<Document xmlns="urn:example"/>')).toThrow(expect.objectContaining({ rule: 'namespace' }));
  });

  it('accepts the later versions of camt.053', () => {
    expect(parseCamt053(camtStatement([{ ref: 'X', amount: '1.00', remittance: 'x' }], 'urn:iso:std:iso:20022:tech:xsd:camt.053.001.08'))).toHaveLength(1);
  });

  it('finds a payment reference or an invoice number in remittance text', () => {
    const reference = creditorReference('2027-000123');
    const grouped = reference.replace(/(.{4})/g, '$1 ');
    expect(referencesIn(`betaling ${grouped} dank`)).toEqual({ creditorReference: reference, invoiceNumber: null });
    expect(referencesIn('factuur 2027-000124')).toEqual({ creditorReference: null, invoiceNumber: '2027-000124' });
  });
});
