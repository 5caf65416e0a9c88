import { renderDocuments, RenderedDocuments } from './document-renderer';
import type { InvoiceDocument } from './invoice-document';

/** A worker thread of the render pool: parses its fonts once, then renders document after document. */
export default async function render(doc: InvoiceDocument): Promise<RenderedDocuments> {
  const logo = doc.seller.logo;
  return renderDocuments(logo ? { ...doc, seller: { ...doc.seller, logo: { ...logo, data: Buffer.from(logo.data) } } } : doc);
}
