import { createHash } from 'node:crypto';
import { renderInvoicePdf } from './invoice-pdf';
import type { InvoiceDocument } from './invoice-document';
import { buildUbl } from './ubl';

export interface RenderedDocuments {
  pdf: Buffer;
  pdfSha256: string;
  ubl: string;
  ublSha256: string;
}

export const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

/** The PDF and the e-invoice of a document, with their digests: what is stored and sent. */
export async function renderDocuments(doc: InvoiceDocument): Promise<RenderedDocuments> {
  const ubl = buildUbl(doc);
  const pdf = await renderInvoicePdf(doc);
  return { pdf, pdfSha256: sha256(pdf), ubl, ublSha256: sha256(ubl) };
}
