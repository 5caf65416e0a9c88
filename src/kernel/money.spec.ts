import { centsTransformer } from './money';

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
