import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces';
import { DocumentAddress, DocumentBuyer, EXEMPTION, InvoiceDocument } from './invoice-document';
import { assertUblInput } from './ubl-input';
import { UBL_CATEGORY_CODE, computeTotals, decimalAmount, decimalQuantity } from './totals';

export const PEPPOL_CUSTOMIZATION_ID = 'urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0';
export const PEPPOL_PROFILE_ID = 'urn:fdc:peppol.eu:2017:poacc:billing:01:1.0';
const NS = {
  invoice: 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2',
  creditNote: 'urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2',
  cac: 'urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2',
  cbc: 'urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2',
};
/** EAS scheme of a Dutch KvK number. */
export const KVK_SCHEME = '0106';

/**
 * The buyer's electronic address (BT-49, mandatory in Peppol, its scheme from the EAS list:
 * PEPPOL-EN16931-CL008, which has no e-mail scheme): the buyer's Peppol id, else its KvK
 * number. A consumer has neither; their e-invoice is a copy for their own records, not routed
 * over Peppol, and carries the seller's own address (0106 and its KvK number) there.
 */
export function buyerEndpoint(buyer: DocumentBuyer, sellerKvk: string): { scheme: string; id: string } {
  if (buyer.peppolId) {
    const [scheme, ...rest] = buyer.peppolId.split(':');
    if (/^[0-9]{4}$/.test(scheme) && rest.join(':')) return { scheme, id: rest.join(':') };
  }
  if (buyer.kvkNumber) return { scheme: KVK_SCHEME, id: buyer.kvkNumber };
  return { scheme: KVK_SCHEME, id: sellerKvk };
}

function address(party: XMLBuilder, value: DocumentAddress): void {
  const postal = party.ele('cac:PostalAddress');
  postal.ele('cbc:StreetName').txt([value.street, value.houseNumber].filter(Boolean).join(' '));
  postal.ele('cbc:CityName').txt(value.city);
  postal.ele('cbc:PostalZone').txt(value.postcode);
  postal.ele('cac:Country').ele('cbc:IdentificationCode').txt(value.country);
}

function taxScheme(parent: XMLBuilder): void {
  parent.ele('cac:TaxScheme').ele('cbc:ID').txt('VAT');
}

/**
 * UBL 2.1 invoice or credit note following Peppol BIS Billing 3.0 (EN 16931), with the Dutch
 * (NL-R) rules: KvK numbers with scheme 0106, a credit note references its invoice.
 */
export function buildUbl(doc: InvoiceDocument): string {
  assertUblInput(doc);
  const isCredit = doc.kind === 'credit_note';
  const endpoint = buyerEndpoint(doc.buyer, doc.seller.kvkNumber);
  const totals = computeTotals(doc.lines);
  const amount = (parent: XMLBuilder, name: string, cents: number) => parent.ele(name, { currencyID: 'EUR' }).txt(decimalAmount(cents));

  const root = create({ version: '1.0', encoding: 'UTF-8' }).ele(isCredit ? NS.creditNote : NS.invoice, isCredit ? 'CreditNote' : 'Invoice', {
    'xmlns:cac': NS.cac,
    'xmlns:cbc': NS.cbc,
  });
  root.ele('cbc:CustomizationID').txt(PEPPOL_CUSTOMIZATION_ID);
  root.ele('cbc:ProfileID').txt(PEPPOL_PROFILE_ID);
  root.ele('cbc:ID').txt(doc.number);
  root.ele('cbc:IssueDate').txt(doc.issueDate);
  if (!isCredit) root.ele('cbc:DueDate').txt(doc.dueDate);
  root.ele(isCredit ? 'cbc:CreditNoteTypeCode' : 'cbc:InvoiceTypeCode').txt(isCredit ? '381' : '380');
  root.ele('cbc:DocumentCurrencyCode').txt('EUR');
  if (doc.buyerReference) root.ele('cbc:BuyerReference').txt(doc.buyerReference);
  if (doc.orderReference) root.ele('cac:OrderReference').ele('cbc:ID').txt(doc.orderReference);
  if (doc.creditedInvoice) {
    const reference = root.ele('cac:BillingReference').ele('cac:InvoiceDocumentReference');
    reference.ele('cbc:ID').txt(doc.creditedInvoice.number);
    reference.ele('cbc:IssueDate').txt(doc.creditedInvoice.issueDate);
  }

  const seller = root.ele('cac:AccountingSupplierParty').ele('cac:Party');
  seller.ele('cbc:EndpointID', { schemeID: KVK_SCHEME }).txt(doc.seller.kvkNumber);
  seller.ele('cac:PartyName').ele('cbc:Name').txt(doc.seller.name);
  address(seller, doc.seller.address);
  const sellerTax = seller.ele('cac:PartyTaxScheme');
  sellerTax.ele('cbc:CompanyID').txt(doc.seller.vatNumber);
  taxScheme(sellerTax);
  const sellerLegal = seller.ele('cac:PartyLegalEntity');
  sellerLegal.ele('cbc:RegistrationName').txt(doc.seller.name);
  sellerLegal.ele('cbc:CompanyID', { schemeID: KVK_SCHEME }).txt(doc.seller.kvkNumber);
  if (doc.seller.phone || doc.seller.email) {
    // Peppol allows no empty element (PEPPOL-EN16931-R008).
    const sellerContact = seller.ele('cac:Contact');
    if (doc.seller.phone) sellerContact.ele('cbc:Telephone').txt(doc.seller.phone);
    if (doc.seller.email) sellerContact.ele('cbc:ElectronicMail').txt(doc.seller.email);
  }

  const buyer = root.ele('cac:AccountingCustomerParty').ele('cac:Party');
  buyer.ele('cbc:EndpointID', { schemeID: endpoint.scheme }).txt(endpoint.id);
  buyer.ele('cac:PartyName').ele('cbc:Name').txt(doc.buyer.name);
  address(buyer, doc.buyer.address!);
  if (doc.buyer.vatNumber) {
    const buyerTax = buyer.ele('cac:PartyTaxScheme');
    buyerTax.ele('cbc:CompanyID').txt(doc.buyer.vatNumber);
    taxScheme(buyerTax);
  }
  const buyerLegal = buyer.ele('cac:PartyLegalEntity');
  buyerLegal.ele('cbc:RegistrationName').txt(doc.buyer.name);
  if (doc.buyer.kvkNumber) buyerLegal.ele('cbc:CompanyID', { schemeID: KVK_SCHEME }).txt(doc.buyer.kvkNumber);
  if (doc.buyer.email) buyer.ele('cac:Contact').ele('cbc:ElectronicMail').txt(doc.buyer.email);

  const means = root.ele('cac:PaymentMeans');
  if (isCredit) {
    // A refund: no account of ours to pay into; the due date of the credit note goes here (BT-9).
    means.ele('cbc:PaymentMeansCode').txt('57');
    means.ele('cbc:PaymentDueDate').txt(doc.dueDate);
    means.ele('cbc:PaymentID').txt(doc.paymentReference);
  } else {
    means.ele('cbc:PaymentMeansCode', { name: 'SEPA credit transfer' }).txt('58');
    means.ele('cbc:PaymentID').txt(doc.paymentReference);
    const account = means.ele('cac:PayeeFinancialAccount');
    account.ele('cbc:ID').txt(doc.seller.iban.replace(/\s+/g, ''));
    account.ele('cbc:Name').txt(doc.seller.name);
    if (doc.seller.bic) account.ele('cac:FinancialInstitutionBranch').ele('cbc:ID').txt(doc.seller.bic);
  }
  root.ele('cac:PaymentTerms').ele('cbc:Note').txt(doc.locale === 'nl' ? `Betalen vóór ${doc.dueDate} o.v.v. ${doc.paymentReference}` : `Pay by ${doc.dueDate} quoting ${doc.paymentReference}`);

  const taxTotal = root.ele('cac:TaxTotal');
  amount(taxTotal, 'cbc:TaxAmount', totals.vatCents);
  for (const entry of totals.vat) {
    const subtotal = taxTotal.ele('cac:TaxSubtotal');
    amount(subtotal, 'cbc:TaxableAmount', entry.taxableCents);
    amount(subtotal, 'cbc:TaxAmount', entry.vatCents);
    const category = subtotal.ele('cac:TaxCategory');
    category.ele('cbc:ID').txt(UBL_CATEGORY_CODE[entry.category]);
    category.ele('cbc:Percent').txt(String(entry.percent));
    if (entry.category === 'exempt') {
      category.ele('cbc:TaxExemptionReasonCode').txt(EXEMPTION.code);
      category.ele('cbc:TaxExemptionReason').txt(EXEMPTION.text[doc.locale]);
    }
    taxScheme(category);
  }

  const monetary = root.ele('cac:LegalMonetaryTotal');
  amount(monetary, 'cbc:LineExtensionAmount', totals.netCents);
  amount(monetary, 'cbc:TaxExclusiveAmount', totals.netCents);
  amount(monetary, 'cbc:TaxInclusiveAmount', totals.grossCents);
  amount(monetary, 'cbc:PayableAmount', totals.grossCents);

  doc.lines.forEach((line, index) => {
    const element = root.ele(isCredit ? 'cac:CreditNoteLine' : 'cac:InvoiceLine');
    element.ele('cbc:ID').txt(String(index + 1));
    element.ele(isCredit ? 'cbc:CreditedQuantity' : 'cbc:InvoicedQuantity', { unitCode: 'C62' }).txt(decimalQuantity(line.quantity));
    amount(element, 'cbc:LineExtensionAmount', totals.lineNetCents[index]);
    const item = element.ele('cac:Item');
    item.ele('cbc:Name').txt(line.description);
    const category = item.ele('cac:ClassifiedTaxCategory');
    category.ele('cbc:ID').txt(UBL_CATEGORY_CODE[line.vatCategory]);
    category.ele('cbc:Percent').txt(String(totals.vat.find((entry) => entry.category === line.vatCategory)!.percent));
    taxScheme(category);
    amount(element.ele('cac:Price'), 'cbc:PriceAmount', line.unitPriceCents);
  });
  return root.end({ prettyPrint: true });
}
