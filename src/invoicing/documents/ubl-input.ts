import type { InvoiceDocument } from './invoice-document';

/**
 * Apart from the UBL builder, so that issuing an invoice checks its input without loading the
 * XML library: the e-invoice itself is made on a render thread.
 */
export class UblInputError extends Error {}

/** What a document needs before it can be a valid e-invoice; throws UblInputError naming what is missing. */
export function assertUblInput(doc: InvoiceDocument): void {
  if (!doc.buyer.address) throw new UblInputError('The buyer has no postal address');
  if (!doc.buyerReference && !doc.orderReference) throw new UblInputError('The invoice needs a buyer reference or an order reference');
  if (doc.kind === 'credit_note' && !doc.creditedInvoice) throw new UblInputError('A credit note references its invoice');
  if (doc.lines.length === 0) throw new UblInputError('A document has at least one line');
}
