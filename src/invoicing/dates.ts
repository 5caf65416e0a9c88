import { DateTime } from 'luxon';

const ZONE = 'Europe/Amsterdam';

/** The calendar day of an instant in Amsterdam, YYYY-MM-DD. */
export function amsterdamDate(instant: Date): string {
  return DateTime.fromJSDate(instant, { zone: ZONE }).toISODate()!;
}

export function addDaysIso(isoDate: string, days: number): string {
  return DateTime.fromISO(isoDate, { zone: 'utc' }).plus({ days }).toISODate()!;
}

export function addMonthsIso(isoDate: string, months: number): string {
  return DateTime.fromISO(isoDate, { zone: 'utc' }).plus({ months }).toISODate()!;
}

/** Whole days from `from` to `to` (both YYYY-MM-DD). */
export function daysBetween(from: string, to: string): number {
  return Math.round(DateTime.fromISO(to, { zone: 'utc' }).diff(DateTime.fromISO(from, { zone: 'utc' }), 'days').days);
}

/** The first and last day of a period YYYY-MM. */
export function periodBounds(period: string): { first: string; last: string } {
  const first = DateTime.fromISO(`${period}-01`, { zone: 'utc' });
  return { first: first.toISODate()!, last: first.endOf('month').toISODate()! };
}
