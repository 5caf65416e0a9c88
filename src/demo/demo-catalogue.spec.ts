import { DateTime } from 'luxon';
import { weeksUntilDemoStart } from './demo-catalogue';

describe('weeksUntilDemoStart', () => {
  it('moves the drawn plan by whole weeks so that it starts at least ten weeks after the first boot', () => {
    expect(weeksUntilDemoStart('2026-11-20')).toBe(0); // ten weeks on is 29 January: the drawn 2 February fits
    expect(weeksUntilDemoStart('2026-11-27')).toBe(1); // ten weeks on is 5 February: one week later, 9 February
    expect(weeksUntilDemoStart('2027-06-01')).toBe(27);
  });

  it('keeps the weekday', () => {
    const start = DateTime.fromISO('2027-02-02').plus({ weeks: weeksUntilDemoStart('2028-03-15') });
    expect(start.weekday).toBe(2);
    expect(start.diff(DateTime.fromISO('2028-03-15'), 'weeks').weeks).toBeGreaterThanOrEqual(10);
  });
});
