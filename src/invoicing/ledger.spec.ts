import { installmentAmounts } from './ledger.service';

describe('installments', () => {
  it('splits into whole cents that add up, the first taking the rest', () => {
    expect(installmentAmounts(100_000, 3)).toEqual([33_334, 33_333, 33_333]);
    expect(installmentAmounts(180_000, 3)).toEqual([60_000, 60_000, 60_000]);
    expect(installmentAmounts(5, 4)).toEqual([2, 1, 1, 1]);
    for (const [total, terms] of [[249_500, 7], [1, 2], [99_999, 12]]) {
      const amounts = installmentAmounts(total, terms);
      expect(amounts).toHaveLength(terms);
      expect(amounts.reduce((sum, amount) => sum + amount, 0)).toBe(total);
      expect(Math.max(...amounts) - Math.min(...amounts)).toBeLessThan(terms);
    }
  });

  it('refuses what cannot be split', () => {
    expect(() => installmentAmounts(100, 0)).toThrow(RangeError);
    expect(() => installmentAmounts(10.5, 2)).toThrow(RangeError);
  });
});
