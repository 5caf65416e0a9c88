import type { VatCategory } from './totals';

/** An address as it appears on a document. */
export interface DocumentAddress {
  street: string;
  houseNumber?: string;
  postcode: string;
  city: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
}

export interface DocumentSeller {
  name: string;
  address: DocumentAddress;
  /** Chamber of Commerce number, 8 digits. */
  kvkNumber: string;
  /** e.g. NL123456789B01. */
  vatNumber: string;
  iban: string;
  bic: string;
  crkboRegistration: string;
  email: string;
  phone: string;
  website: string;
  logo: { mediaType: 'image/png' | 'image/jpeg'; data: Buffer } | null;
}

export interface DocumentBuyer {
  kind: 'student' | 'employer';
  name: string;
  address: DocumentAddress | null;
  kvkNumber: string | null;
  vatNumber: string | null;
  /** Peppol participant id `scheme:value`, e.g. `0106:12345678`. */
  peppolId: string | null;
  email: string | null;
}

export interface DocumentLine {
  description: string;
  quantity: number;
  unitPriceCents: number;
  vatCategory: VatCategory;
}

/** What an invoice or credit note says: the one input of both the PDF and the e-invoice. */
export interface InvoiceDocument {
  kind: 'invoice' | 'credit_note';
  number: string;
  /** YYYY-MM-DD. */
  issueDate: string;
  dueDate: string;
  locale: 'nl' | 'en';
  seller: DocumentSeller;
  buyer: DocumentBuyer;
  /** The buyer's own reference (BT-10). */
  buyerReference: string | null;
  /** The buyer's purchase order (BT-13). */
  orderReference: string | null;
  paymentReference: string;
  lines: DocumentLine[];
  /** For a credit note: the invoice it corrects. */
  creditedInvoice: { number: string; issueDate: string } | null;
}

/** The legal ground for exempt education, printed on the invoice and carried in the e-invoice. */
export const EXEMPTION = {
  /** VATEX code for art. 132(1)(i) of Directive 2006/112/EC: education and vocational training. */
  code: 'VATEX-EU-132-1I',
  text: {
    nl: 'Vrijgesteld van btw op grond van art. 11 lid 1 onderdeel o Wet OB (beroepsonderwijs, CRKBO-geregistreerd)',
    en: 'Exempt from VAT under art. 11(1)(o) Dutch VAT Act (vocational education, CRKBO registered)',
  },
} as const;
