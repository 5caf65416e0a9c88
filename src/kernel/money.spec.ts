import { centsTransformer, roundToCents, vatCents } from './money';

describe('centsTransformer', () => {
  it('round-trips whole cents through the bigint string form', () => {
    expect(centsTransformer.to(125000)).toBe('125000');
    expect(centsTransformer.from('125000')).toBe(125000);
    expect(centsTransformer.from('-450')).toBe(-450);
  });

  it('keeps null and undefined', () => {
    expect(centsTransformer.to(null)).toBeNull();
    expect(centsTransformer.to(undefined)).toBeUndefined();
    expect(centsTransformer.from(null)).toBeNull();
  });

  it('refuses fractions and unsafe integers in both directions', () => {
    expect(() => centsTransformer.to(12.5)).toThrow(RangeError);
    expect(() => centsTransformer.to(Number.MAX_SAFE_INTEGER + 1)).toThrow(RangeError);
    expect(() => centsTransformer.from('9007199254740993')).toThrow(RangeError);
  });
});

describe('vatCents', () => {
  it('is the rate of the net amount in whole cents', () => {
    expect(vatCents(100_000, 21)).toBe(21_000);
    expect(vatCents(249_500, 9)).toBe(22_455);
    expect(vatCents(249_500, 0)).toBe(0);
    expect(vatCents(0, 21)).toBe(0);
  });

  it('rounds half a cent away from zero, the same for a credit as for an invoice', () => {
    expect(vatCents(50, 21)).toBe(11); // 10.5 ct
    expect(vatCents(-50, 21)).toBe(-11);
    expect(vatCents(2, 21)).toBe(0); // 0.42 ct
    expect(vatCents(3, 21)).toBe(1); // 0.63 ct
    expect(vatCents(-3, 21)).toBe(-1);
    expect(vatCents(150, 9)).toBe(14); // 13.5 ct
    expect(vatCents(1, 50)).toBe(1); // exactly half
  });

  it('is exact where floating point is not', () => {
    expect(vatCents(1_000, 2.15)).toBe(22); // 21.5 ct, at a rate binary floating point cannot hold
    expect(vatCents(201, 0.5)).toBe(1); // 1.005 ct
    expect(vatCents(Number.MAX_SAFE_INTEGER, 1)).toBe(90_071_992_547_410);
    expect(vatCents(10_000, 5.25)).toBe(525);
  });

  it('refuses fractions of cents, negative rates and rates with more than two decimals', () => {
    expect(() => vatCents(10.5, 21)).toThrow(RangeError);
    expect(() => vatCents(100, -21)).toThrow(RangeError);
    expect(() => vatCents(100, 21.005)).toThrow(RangeError);
    expect(() => vatCents(100, Number.NaN)).toThrow(RangeError);
  });
});

describe('roundToCents', () => {
  it('rounds an exact fraction half away from zero', () => {
    expect(roundToCents(5n, 2n)).toBe(3);
    expect(roundToCents(-5n, 2n)).toBe(-3);
    expect(roundToCents(7n, 3n)).toBe(2);
    expect(roundToCents(-7n, 3n)).toBe(-2);
    expect(() => roundToCents(1n, 0n)).toThrow(RangeError);
  });
});
