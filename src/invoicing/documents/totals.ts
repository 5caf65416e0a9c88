/**
 * Invoice totals the way EN 16931 computes them: each line's net amount is quantity × unit
 * price rounded to whole cents; the VAT of a category is computed once on that category's
 * total of line net amounts and rounded to whole cents; the document totals are sums of those.
 * Rounding is half away from zero, at exactly those points and nowhere else.
 */

export const VAT_CATEGORIES = ['exempt', 'rate_21', 'rate_9', 'rate_0'] as const;
export type VatCategory = (typeof VAT_CATEGORIES)[number];

/** The percentage of each category. */
export const VAT_PERCENT: Record<VatCategory, number> = { exempt: 0, rate_21: 21, rate_9: 9, rate_0: 0 };

/** The UNCL5305 code a category carries in the e-invoice. */
export const UBL_CATEGORY_CODE: Record<VatCategory, 'E' | 'S' | 'Z'> = { exempt: 'E', rate_21: 'S', rate_9: 'S', rate_0: 'Z' };

/** Quantities are kept to three decimals; a quantity is handled as an integer count of thousandths. */
export const QUANTITY_SCALE = 1000;

export interface LineInput {
  /** Up to three decimals. */
  quantity: number;
  unitPriceCents: number;
  vatCategory: VatCategory;
}

export interface VatBreakdown {
  category: VatCategory;
  percent: number;
  taxableCents: number;
  vatCents: number;
}

export interface DocumentTotals {
  lineNetCents: number[];
  /** Sum of line net amounts (BT-106). */
  netCents: number;
  /** One entry per category present, in the order of VAT_CATEGORIES. */
  vat: VatBreakdown[];
  /** BT-110. */
  vatCents: number;
  /** BT-112: net + VAT. */
  grossCents: number;
}

/** `numerator / denominator` rounded half away from zero; both integers, denominator positive. */
export function divideRounded(numerator: number, denominator: number): number {
  if (!Number.isSafeInteger(numerator) || !Number.isSafeInteger(denominator) || denominator <= 0) {
    throw new RangeError(`Cannot divide ${numerator} by ${denominator} in whole cents`);
  }
  const sign = numerator < 0 ? -1 : 1;
  const magnitude = Math.abs(numerator);
  const quotient = Math.floor(magnitude / denominator);
  const remainder = magnitude - quotient * denominator;
  const rounded = remainder * 2 >= denominator ? quotient + 1 : quotient;
  return sign * rounded || 0;
}

/** A quantity as whole thousandths; refuses more than three decimals. */
export function quantityThousandths(quantity: number): number {
  const scaled = Math.round(quantity * QUANTITY_SCALE);
  if (!Number.isFinite(quantity) || Math.abs(scaled - quantity * QUANTITY_SCALE) > 1e-6) {
    throw new RangeError(`A quantity has at most three decimals, got ${quantity}`);
  }
  return scaled;
}

/** Line net amount: quantity × unit price, rounded to whole cents. */
export function lineNetCents(line: Pick<LineInput, 'quantity' | 'unitPriceCents'>): number {
  return divideRounded(quantityThousandths(line.quantity) * line.unitPriceCents, QUANTITY_SCALE);
}

/** VAT on a category's taxable amount, rounded to whole cents. */
export function vatOn(taxableCents: number, percent: number): number {
  // percent may carry decimals in law; keep it exact to two decimals.
  const basisPoints = Math.round(percent * 100);
  return divideRounded(taxableCents * basisPoints, 10000);
}

export function computeTotals(lines: readonly LineInput[]): DocumentTotals {
  const lineNet = lines.map(lineNetCents);
  const taxable = new Map<VatCategory, number>();
  lines.forEach((line, index) => taxable.set(line.vatCategory, (taxable.get(line.vatCategory) ?? 0) + lineNet[index]));
  const vat: VatBreakdown[] = VAT_CATEGORIES.filter((category) => taxable.has(category)).map((category) => {
    const taxableCents = taxable.get(category)!;
    const percent = VAT_PERCENT[category];
    return { category, percent, taxableCents, vatCents: vatOn(taxableCents, percent) };
  });
  const netCents = lineNet.reduce((sum, cents) => sum + cents, 0);
  const vatCents = vat.reduce((sum, entry) => sum + entry.vatCents, 0);
  return { lineNetCents: lineNet, netCents, vat, vatCents, grossCents: netCents + vatCents };
}

/** Cents as a decimal amount with two places, e.g. 123456 → "1234.56", -5 → "-0.05". */
export function decimalAmount(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const magnitude = Math.abs(cents);
  return `${sign}${Math.floor(magnitude / 100)}.${String(magnitude % 100).padStart(2, '0')}`;
}

/** A quantity for the e-invoice: up to three decimals, no trailing zeros beyond what is needed. */
export function decimalQuantity(quantity: number): string {
  const thousandths = quantityThousandths(quantity);
  const sign = thousandths < 0 ? '-' : '';
  const magnitude = Math.abs(thousandths);
  const whole = Math.floor(magnitude / QUANTITY_SCALE);
  const fraction = String(magnitude % QUANTITY_SCALE).padStart(3, '0').replace(/0+$/, '');
  return fraction ? `${sign}${whole}.${fraction}` : `${sign}${whole}`;
}
