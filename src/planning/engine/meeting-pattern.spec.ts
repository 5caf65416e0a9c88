import { NonTeachingDays } from './holidays';
import type { MeetingPattern } from '../../catalogue/meeting-pattern';
import { generateMeetings } from './meeting-pattern';
import { isoWeekKey, resolveWallTime, wallTimeToUtc } from '../../kernel/time';

const days = new NonTeachingDays({ liberationDay: 'lustrum' });
const evening = { startTime: '18:00', endTime: '21:00', intervalWeeks: 1 };

function datesOf(pattern: MeetingPattern, calendar = days) {
  const series = generateMeetings(pattern, calendar);
  return { dates: series.meetings.map((m) => m.date), skipped: series.skipped, violations: series.violations };
}

describe('generateMeetings around holidays', () => {
  it('skips Easter Monday and continues the weekly series', () => {
    expect(datesOf({ ...evening, startDate: '2027-03-15', weekdays: [1], count: 4 })).toEqual({
      dates: ['2027-03-15', '2027-03-22', '2027-04-05', '2027-04-12'],
      skipped: [{ date: '2027-03-29', reason: 'Tweede Paasdag' }],
      violations: [],
    });
  });

  it('skips Koningsdag on Saturday 26 April 2025 (27 April is a Sunday)', () => {
    expect(datesOf({ ...evening, startDate: '2025-04-19', weekdays: [6], count: 2 })).toEqual({
      dates: ['2025-04-19', '2025-05-03'],
      skipped: [{ date: '2025-04-26', reason: 'Koningsdag' }],
      violations: [],
    });
  });

  it('skips Koningsdag on Tuesday 27 April 2027', () => {
    expect(datesOf({ ...evening, startDate: '2027-04-20', weekdays: [2], count: 2 }).skipped).toEqual([{ date: '2027-04-27', reason: 'Koningsdag' }]);
  });

  it('skips Ascension Day and Whit Monday', () => {
    expect(datesOf({ ...evening, startDate: '2027-04-29', weekdays: [4], count: 3 })).toEqual({
      dates: ['2027-04-29', '2027-05-13', '2027-05-20'],
      skipped: [{ date: '2027-05-06', reason: 'Hemelvaartsdag' }],
      violations: [],
    });
    expect(datesOf({ ...evening, startDate: '2027-05-10', weekdays: [1], count: 2 })).toEqual({
      dates: ['2027-05-10', '2027-05-24'],
      skipped: [{ date: '2027-05-17', reason: 'Tweede Pinksterdag' }],
      violations: [],
    });
  });

  it('skips Christmas, Boxing Day and New Year in a Friday+Saturday series', () => {
    expect(datesOf({ ...evening, startDate: '2026-12-18', weekdays: [5, 6], count: 4 })).toEqual({
      dates: ['2026-12-18', '2026-12-19', '2027-01-02', '2027-01-08'],
      skipped: [
        { date: '2026-12-25', reason: 'Eerste Kerstdag' },
        { date: '2026-12-26', reason: 'Tweede Kerstdag' },
        { date: '2027-01-01', reason: 'Nieuwjaarsdag' },
      ],
      violations: [],
    });
  });

  it('follows the Liberation Day policy', () => {
    const wednesday = { ...evening, startDate: '2027-05-05', weekdays: [3], count: 1 };
    expect(datesOf(wednesday, new NonTeachingDays({ liberationDay: 'every-year' })).dates).toEqual(['2027-05-12']);
    expect(datesOf(wednesday, new NonTeachingDays({ liberationDay: 'lustrum' })).dates).toEqual(['2027-05-05']);
    const monday2025 = { ...evening, startDate: '2025-05-05', weekdays: [1], count: 1 };
    expect(datesOf(monday2025, new NonTeachingDays({ liberationDay: 'lustrum' })).dates).toEqual(['2025-05-12']);
    expect(datesOf(monday2025, new NonTeachingDays({ liberationDay: 'never' })).dates).toEqual(['2025-05-05']);
  });
});

describe('generateMeetings patterns', () => {
  it('meets every other week, counting weeks from the week of the start date', () => {
    expect(datesOf({ ...evening, startDate: '2027-01-07', weekdays: [2, 4], count: 3, intervalWeeks: 2 }).dates).toEqual([
      '2027-01-07',
      '2027-01-19',
      '2027-01-21',
    ]);
  });

  it('numbers the meetings and carries the times', () => {
    expect(generateMeetings({ ...evening, startDate: '2027-01-06', weekdays: [4, 2], count: 2 }, days).meetings).toEqual([
      { number: 1, date: '2027-01-07', startTime: '18:00', endTime: '21:00' },
      { number: 2, date: '2027-01-12', startTime: '18:00', endTime: '21:00' },
    ]);
  });

  it('reports every broken field rule', () => {
    const series = generateMeetings({ startDate: '2027-02-30', weekdays: [], startTime: '21:00', endTime: '18:00', count: 0, intervalWeeks: 0 }, days);
    expect(series.meetings).toEqual([]);
    expect(series.violations.map((v) => [v.field, v.rule])).toEqual([
      ['startDate', 'date'],
      ['endTime', 'after_start'],
      ['count', 'positive'],
      ['weekdays', 'required'],
      ['intervalWeeks', 'positive'],
    ]);
    expect(series.violations[1].message).toBe('end time 18:00 is not after start time 21:00');
  });

  it('rejects weekdays outside 1–7, repeated weekdays and malformed times', () => {
    const series = generateMeetings({ startDate: '2027-01-04', weekdays: [1, 1, 8], startTime: '9:00', endTime: '24:00', count: 1, intervalWeeks: 1 }, days);
    expect(series.violations.map((v) => [v.field, v.rule])).toEqual([
      ['startTime', 'time'],
      ['endTime', 'time'],
      ['weekdays', 'iso_weekday'],
      ['weekdays', 'unique'],
    ]);
  });

  it('reports a pattern that yields too few dates within the three-year horizon', () => {
    const closed = new NonTeachingDays({ liberationDay: 'never', closingDays: [{ from: '2027-01-01', to: '2030-12-31', reason: 'Verbouwing' }] });
    const series = generateMeetings({ ...evening, startDate: '2027-01-04', weekdays: [1], count: 3 }, closed);
    expect(series.meetings).toEqual([]);
    expect(series.violations).toEqual([
      { field: 'count', rule: 'horizon', message: 'the pattern yields only 0 of 3 meetings between 2027-01-04 and 2030-01-05' },
    ]);
  });
});

describe('daylight saving time', () => {
  it('reports a start time that does not exist when the clocks go forward', () => {
    const series = generateMeetings({ startDate: '2027-03-21', weekdays: [7], startTime: '02:30', endTime: '04:00', count: 2, intervalWeeks: 1 }, days);
    expect(series.meetings.map((m) => m.date)).toEqual(['2027-03-21', '2027-04-04']);
    expect(series.skipped).toEqual([{ date: '2027-03-28', reason: 'Eerste Paasdag' }]);
    expect(series.violations).toEqual([]);
    const onTheDay = new NonTeachingDays({ liberationDay: 'never' });
    const spring = generateMeetings({ startDate: '2026-03-29', weekdays: [7], startTime: '02:30', endTime: '04:00', count: 1, intervalWeeks: 1 }, onTheDay);
    expect(spring.violations).toEqual([
      { field: 'startTime', rule: 'dst_nonexistent', message: '02:30 does not exist on 2026-03-29: the clocks go forward that night' },
    ]);
  });

  it('reports a time that occurs twice when the clocks go back', () => {
    const autumn = generateMeetings({ startDate: '2027-10-24', weekdays: [7], startTime: '01:00', endTime: '02:30', count: 2, intervalWeeks: 1 }, days);
    expect(autumn.violations).toEqual([
      { field: 'endTime', rule: 'dst_ambiguous', message: '02:30 occurs twice on 2027-10-31: the clocks go back that night' },
    ]);
  });

  it('converts wall time to UTC and names the DST problems', () => {
    expect(wallTimeToUtc('2027-03-09', '18:00').toISOString()).toBe('2027-03-09T17:00:00.000Z');
    expect(wallTimeToUtc('2027-07-06', '18:00').toISOString()).toBe('2027-07-06T16:00:00.000Z');
    expect(resolveWallTime('2027-03-28', '02:30')).toEqual({ kind: 'nonexistent' });
    expect(resolveWallTime('2027-10-31', '02:30')).toEqual({
      kind: 'ambiguous',
      earlier: new Date('2027-10-31T00:30:00Z'),
      later: new Date('2027-10-31T01:30:00Z'),
    });
    expect(resolveWallTime('2027-03-28', '03:00')).toEqual({ kind: 'exact', utc: new Date('2027-03-28T01:00:00Z') });
    expect(() => wallTimeToUtc('2027-10-31', '02:30')).toThrow('2027-10-31 02:30 is ambiguous in Europe/Amsterdam');
  });

  it('keys ISO weeks by the year of their Thursday', () => {
    expect(isoWeekKey('2027-01-01')).toBe('2026-W53');
    expect(isoWeekKey('2024-12-30')).toBe('2025-W01');
    expect(isoWeekKey('2027-03-09')).toBe('2027-W10');
  });
});
