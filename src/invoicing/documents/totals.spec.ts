import { collectionCostsCents } from './collection-costs';
import { creditorReference, isCreditorReference } from './payment-reference';
import { computeTotals, decimalAmount, decimalQuantity, divideRounded, lineNetCents, vatOn } from './totals';

describe('EN 16931 totals', () => {
  it('rounds half away from zero', () => {
    expect(divideRounded(5, 10)).toBe(1);
    expect(divideRounded(-5, 10)).toBe(-1);
    expect(divideRounded(4, 10)).toBe(0);
    expect(divideRounded(15, 10)).toBe(2);
    expect(divideRounded(-15, 10)).toBe(-2);
    expect(divideRounded(-4, 10)).toBe(0);
  });

  it('computes a line net as quantity × unit price rounded to cents (PEPPOL-EN16931-R120)', () => {
    expect(lineNetCents({ quantity: 3, unitPriceCents: 1999 })).toBe(5997);
    expect(lineNetCents({ quantity: 0.333, unitPriceCents: 1000 })).toBe(333);
    // 1.5 × 0.33 = 0.495 → 0.50 (half away from zero), not banker's 0.49 and not a float artefact
    expect(lineNetCents({ quantity: 1.5, unitPriceCents: 33 })).toBe(50);
    expect(lineNetCents({ quantity: 1.005, unitPriceCents: 100 })).toBe(101);
    expect(() => lineNetCents({ quantity: 1.0001, unitPriceCents: 100 })).toThrow(RangeError);
  });

  it('computes VAT per category on the category total, not per line (BR-S-09)', () => {
    // 3 × 0.06 at 21%: per line 0.0126 → 0.01 each = 0.03; on the category total 0.18 → 0.0378 → 0.04
    const totals = computeTotals([
      { quantity: 1, unitPriceCents: 6, vatCategory: 'rate_21' },
      { quantity: 1, unitPriceCents: 6, vatCategory: 'rate_21' },
      { quantity: 1, unitPriceCents: 6, vatCategory: 'rate_21' },
    ]);
    expect(totals.vat).toEqual([{ category: 'rate_21', percent: 21, taxableCents: 18, vatCents: 4 }]);
    expect(totals.vatCents).toBe(4);
  });

  it('keeps a breakdown per category, with sums that add up (BR-CO-10, BR-CO-14, BR-CO-15)', () => {
    const totals = computeTotals([
      { quantity: 1, unitPriceCents: 245000, vatCategory: 'exempt' },
      { quantity: 2, unitPriceCents: 4995, vatCategory: 'rate_9' },
      { quantity: 1, unitPriceCents: 3750, vatCategory: 'rate_21' },
      { quantity: 1, unitPriceCents: 1000, vatCategory: 'rate_0' },
    ]);
    expect(totals.vat.map((entry) => entry.category)).toEqual(['exempt', 'rate_21', 'rate_9', 'rate_0']);
    expect(totals.vat.find((entry) => entry.category === 'rate_9')).toEqual({ category: 'rate_9', percent: 9, taxableCents: 9990, vatCents: 899 });
    expect(totals.vat.find((entry) => entry.category === 'rate_21')!.vatCents).toBe(788); // 787.5 → 788
    expect(totals.vat.find((entry) => entry.category === 'exempt')!.vatCents).toBe(0);
    expect(totals.netCents).toBe(totals.lineNetCents.reduce((a, b) => a + b, 0));
    expect(totals.netCents).toBe(259740);
    expect(totals.vatCents).toBe(899 + 788);
    expect(totals.grossCents).toBe(totals.netCents + totals.vatCents);
  });

  it('rounds negative VAT half away from zero as well', () => {
    expect(vatOn(-250, 21)).toBe(-53); // -52.5 → -53
    expect(vatOn(250, 21)).toBe(53);
  });

  it('writes amounts with two decimals and quantities without trailing zeros', () => {
    expect(decimalAmount(123456)).toBe('1234.56');
    expect(decimalAmount(5)).toBe('0.05');
    expect(decimalAmount(-5)).toBe('-0.05');
    expect(decimalAmount(0)).toBe('0.00');
    expect(decimalQuantity(1)).toBe('1');
    expect(decimalQuantity(1.5)).toBe('1.5');
    expect(decimalQuantity(0.125)).toBe('0.125');
  });
});

describe('payment reference (ISO 11649)', () => {
  it('makes a reference whose check digits verify', () => {
    const reference = creditorReference('2027-000123');
    expect(reference).toMatch(/^RF[0-9]{2}2027000123$/);
    expect(isCreditorReference(reference)).toBe(true);
    expect(isCreditorReference(reference.replace('2027', '2028'))).toBe(false);
  });

  it('matches the standard example RF18539007547034', () => {
    expect(creditorReference('539007547034')).toBe('RF18539007547034');
  });
});

describe('statutory collection costs (WIK)', () => {
  it('is at least €40', () => {
    expect(collectionCostsCents(10_000)).toBe(4_000);
    expect(collectionCostsCents(26_666)).toBe(4_000);
  });
  it('is 15% of the first €2,500', () => {
    expect(collectionCostsCents(100_000)).toBe(15_000);
    expect(collectionCostsCents(250_000)).toBe(37_500);
  });
  it('adds 10% of the next €2,500 and 5% of the next €5,000', () => {
    expect(collectionCostsCents(500_000)).toBe(37_500 + 25_000);
    expect(collectionCostsCents(1_000_000)).toBe(37_500 + 25_000 + 25_000);
  });
  it('adds 1% up to €200,000 and 0.5% above, at most €6,775', () => {
    expect(collectionCostsCents(20_000_000)).toBe(87_500 + 190_000);
    expect(collectionCostsCents(100_000_000)).toBe(677_500);
  });
  it('is nothing for nothing owed', () => {
    expect(collectionCostsCents(0)).toBe(0);
  });
});
