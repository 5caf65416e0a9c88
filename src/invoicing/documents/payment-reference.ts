/**
 * The payment reference on an invoice: an ISO 11649 structured creditor reference ("RF" + two
 * check digits + the invoice number's digits), which banks carry through to the statement.
 */
function mod97(digits: string): number {
  let remainder = 0;
  for (const digit of digits) remainder = (remainder * 10 + Number(digit)) % 97;
  return remainder;
}

/** Letters count as 10..35 in the ISO 7064 check. */
function numeric(text: string): string {
  return [...text.toUpperCase()].map((char) => (/[0-9]/.test(char) ? char : String(char.charCodeAt(0) - 55))).join('');
}

export function creditorReference(invoiceNumber: string): string {
  const body = invoiceNumber.replace(/[^0-9A-Za-z]/g, '').toUpperCase();
  const check = 98 - mod97(numeric(`${body}RF00`));
  return `RF${String(check).padStart(2, '0')}${body}`;
}

export function isCreditorReference(reference: string): boolean {
  const compact = reference.replace(/\s+/g, '').toUpperCase();
  if (!/^RF[0-9]{2}[0-9A-Z]{1,21}$/.test(compact)) return false;
  return mod97(numeric(compact.slice(4) + compact.slice(0, 4))) === 1;
}
