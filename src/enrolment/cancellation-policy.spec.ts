import { cancellationFee, todayInAmsterdam } from './cancellation-policy';

describe('cancellation fee', () => {
  const terms = { freeCancellationDays: 28, cancellationFeePercent: 50 };

  it('is free while the free period lasts, up to exactly N days before the start', () => {
    expect(cancellationFee(terms, 249_500, '2027-03-01', '2027-01-15')).toBe(0);
    expect(cancellationFee(terms, 249_500, '2027-03-01', '2027-02-01')).toBe(0);
  });

  it('is the percentage of the tuition after that, rounded to cents', () => {
    expect(cancellationFee(terms, 249_500, '2027-03-01', '2027-02-02')).toBe(124_750);
    expect(cancellationFee({ freeCancellationDays: 14, cancellationFeePercent: 33 }, 100_001, '2027-03-01', '2027-02-28')).toBe(33_000);
  });

  it('is due after the start too', () => {
    expect(cancellationFee(terms, 100_000, '2027-03-01', '2027-03-10')).toBe(50_000);
  });

  it('counts calendar days in Amsterdam, across a DST change', () => {
    expect(cancellationFee({ freeCancellationDays: 2, cancellationFeePercent: 100 }, 1_000, '2027-03-29', '2027-03-27')).toBe(0);
    expect(todayInAmsterdam(new Date('2026-12-31T23:30:00Z'))).toBe('2027-01-01');
  });
});
