import { CronSchedule } from './cron-schedule';

const MINUTE = 60_000;

/** The due times found by a check every minute (half a second past it, as the clock fires) from `from` to `to` (UTC). */
function dueTimesChecked(expression: string, from: string, to: string): string[] {
  const schedule = new CronSchedule(expression);
  const found: string[] = [];
  for (let at = Date.parse(from) + 500; at < Date.parse(to); at += MINUTE) {
    const due = schedule.dueAt(new Date(at));
    if (due) found.push(due.toISOString());
  }
  return found;
}

describe('CronSchedule.dueAt', () => {
  it('is due from the due time itself until a minute after it', () => {
    const daily = new CronSchedule('0 7 * * *');
    // 2027-06-01 07:00 in Amsterdam (summer time) is 05:00 UTC.
    expect(daily.dueAt(new Date('2027-06-01T05:00:00.000Z'))?.toISOString()).toBe('2027-06-01T05:00:00.000Z');
    expect(daily.dueAt(new Date('2027-06-01T05:00:59.999Z'))?.toISOString()).toBe('2027-06-01T05:00:00.000Z');
    expect(daily.dueAt(new Date('2027-06-01T05:01:00.000Z'))).toBeNull();
    expect(daily.dueAt(new Date('2027-06-01T04:59:59.999Z'))).toBeNull();
  });

  it('keeps 07:00 on the Amsterdam clock across both changes of summer time', () => {
    // Sunday 28 March 2027 the clocks go forward (UTC+1 to UTC+2); Sunday 31 October back.
    expect(dueTimesChecked('0 7 * * *', '2027-03-27T00:00:00Z', '2027-03-30T00:00:00Z')).toEqual([
      '2027-03-27T06:00:00.000Z',
      '2027-03-28T05:00:00.000Z',
      '2027-03-29T05:00:00.000Z',
    ]);
    expect(dueTimesChecked('0 7 * * *', '2027-10-30T00:00:00Z', '2027-11-02T00:00:00Z')).toEqual([
      '2027-10-30T05:00:00.000Z',
      '2027-10-31T06:00:00.000Z',
      '2027-11-01T06:00:00.000Z',
    ]);
  });

  it('runs a daily 02:30 at 03:00 on the day 02:30 does not exist', () => {
    expect(dueTimesChecked('30 2 * * *', '2027-03-27T00:00:00Z', '2027-03-30T00:00:00Z')).toEqual([
      '2027-03-27T01:30:00.000Z',
      '2027-03-28T01:00:00.000Z',
      '2027-03-29T00:30:00.000Z',
    ]);
  });

  it('runs a daily 02:30 once on the day 02:30 comes twice, at its first pass', () => {
    expect(dueTimesChecked('30 2 * * *', '2027-10-30T00:00:00Z', '2027-11-02T00:00:00Z')).toEqual([
      '2027-10-30T00:30:00.000Z',
      '2027-10-31T00:30:00.000Z',
      '2027-11-01T01:30:00.000Z',
    ]);
  });

  it('runs every ten minutes of real time through the skipped and the repeated hour', () => {
    const everyTenMinutes = (from: string) => Array.from({ length: 12 }, (_, i) => new Date(Date.parse(from) + i * 10 * MINUTE).toISOString());
    // 01:00–03:00 local time on 28 March is 00:00–01:00 UTC, 02:00–02:59 not existing.
    expect(dueTimesChecked('*/10 * * * *', '2027-03-28T00:00:00Z', '2027-03-28T02:00:00Z')).toEqual(everyTenMinutes('2027-03-28T00:00:00Z'));
    // 02:00–02:59 local time on 31 October comes twice: 00:00–00:59 and 01:00–01:59 UTC.
    expect(dueTimesChecked('*/10 * * * *', '2027-10-31T00:00:00Z', '2027-10-31T02:00:00Z')).toEqual(everyTenMinutes('2027-10-31T00:00:00Z'));
  });

  it('refuses an expression that is not a five-field cron', () => {
    expect(() => new CronSchedule('0 0 7 * * *')).toThrow(/5 parts/);
    expect(() => new CronSchedule('61 7 * * *')).toThrow(/minute/);
  });
});
