import { ValueTransformer } from 'typeorm';

/**
 * Money is stored as integer euro cents in `bigint` columns. node-postgres returns bigint
 * as a string; we read it as a number, refusing anything a JavaScript number cannot hold
 * exactly rather than silently rounding an amount.
 */
export const centsTransformer: ValueTransformer = {
  to(value: number | null | undefined): string | null | undefined {
    if (value === null || value === undefined) return value;
    if (!Number.isSafeInteger(value)) throw new RangeError(`An amount in cents must be a safe integer, got ${value}`);
    return String(value);
  },
  from(value: string | null): number | null {
    if (value === null) return null;
    const cents = Number(value);
    if (!Number.isSafeInteger(cents)) throw new RangeError(`Stored amount ${value} is outside the safe integer range`);
    return cents;
  },
};

/**
 * The one rounding rule for money: `numerator / denominator` to whole cents, half away from
 * zero (0.5 ct → 1 ct, −0.5 ct → −1 ct), computed exactly in integers.
 */
export function roundToCents(numerator: bigint, denominator: bigint): number {
  if (denominator <= 0n) throw new RangeError(`A denominator must be positive, got ${denominator}`);
  const negative = numerator < 0n;
  const magnitude = negative ? -numerator : numerator;
  let cents = magnitude / denominator;
  if ((magnitude % denominator) * 2n >= denominator) cents += 1n;
  const result = Number(negative ? -cents : cents);
  if (!Number.isSafeInteger(result)) throw new RangeError(`An amount of ${result} cents is outside the safe integer range`);
  return result;
}

/**
 * The VAT on a net amount in cents at a rate in percent (e.g. 21, 9, 0; at most two decimals),
 * rounded half away from zero to whole cents: a credit's VAT is the exact negative of the
 * invoice's.
 */
export function vatCents(netCents: number, ratePercent: number): number {
  if (!Number.isSafeInteger(netCents)) throw new RangeError(`A net amount in cents must be a safe integer, got ${netCents}`);
  const rateHundredths = Math.round(ratePercent * 100);
  if (!Number.isFinite(ratePercent) || ratePercent < 0 || Math.abs(ratePercent * 100 - rateHundredths) > 1e-9) {
    throw new RangeError(`A VAT rate must be a non-negative percentage with at most two decimals, got ${ratePercent}`);
  }
  return roundToCents(BigInt(netCents) * BigInt(rateHundredths), 10_000n);
}
