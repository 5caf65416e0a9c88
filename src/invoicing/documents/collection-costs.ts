/**
 * Statutory extrajudicial collection costs for consumers (Besluit vergoeding voor
 * buitengerechtelijke incassokosten, art. 6:96 BW): a staggered percentage of the principal,
 * at least €40 and at most €6,775. They may be charged only after the 14-day notice.
 */
const BRACKETS: readonly { upToCents: number; permille: number }[] = [
  { upToCents: 250_000, permille: 150 },
  { upToCents: 500_000, permille: 100 },
  { upToCents: 1_000_000, permille: 50 },
  { upToCents: 20_000_000, permille: 10 },
  { upToCents: Number.POSITIVE_INFINITY, permille: 5 },
];

export const COLLECTION_COSTS_MIN_CENTS = 4_000;
export const COLLECTION_COSTS_MAX_CENTS = 677_500;

export function collectionCostsCents(principalCents: number): number {
  if (!Number.isSafeInteger(principalCents) || principalCents <= 0) return 0;
  let remaining = principalCents;
  let lower = 0;
  let thousandthsOfCents = 0;
  for (const bracket of BRACKETS) {
    const width = bracket.upToCents - lower;
    const part = Math.min(remaining, width);
    thousandthsOfCents += part * bracket.permille;
    remaining -= part;
    lower = bracket.upToCents;
    if (remaining <= 0) break;
  }
  const cents = Math.round(thousandthsOfCents / 1000);
  return Math.min(COLLECTION_COSTS_MAX_CENTS, Math.max(COLLECTION_COSTS_MIN_CENTS, cents));
}
