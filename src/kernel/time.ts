import { DateTime, IANAZone } from 'luxon';

/** Calendar date `YYYY-MM-DD`. */
export type IsoDate = string;
/** Wall-clock time `HH:mm` in the institute's time zone. */
export type WallTime = string;

export const INSTITUTE_ZONE = 'Europe/Amsterdam';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const WALL_TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

export function isIsoDate(value: string): boolean {
  const m = ISO_DATE.exec(value);
  return m !== null && DateTime.fromISO(value, { zone: 'UTC' }).isValid;
}

export function isWallTime(value: string): boolean {
  return WALL_TIME.test(value);
}

/** Minutes since midnight; callers validate the format first. */
export function minutesOf(time: WallTime): number {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

// Plain UTC-midnight arithmetic: these run in the inner loops of conflict detection and assignment.
const DAY_MS = 24 * 3600 * 1000;

/** Days since 1970-01-01: orders as the dates do, and a day later is one more. */
export function dayNumber(date: IsoDate): number {
  return Date.parse(`${date}T00:00:00Z`) / DAY_MS;
}

function fromDayNumber(day: number): IsoDate {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** ISO weekday, 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: IsoDate): number {
  return ((dayNumber(date) + 3) % 7) + 1;
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return fromDayNumber(dayNumber(date) + days);
}

/** Key of the ISO week a date falls in, e.g. `2027-W10`; the week belongs to the year of its Thursday. */
export function isoWeekKey(date: IsoDate): string {
  const thursday = dayNumber(date) + 4 - isoWeekday(date);
  const year = new Date(thursday * DAY_MS).getUTCFullYear();
  const week = Math.floor((thursday - Date.UTC(year, 0, 1) / DAY_MS) / 7) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

const WEEKDAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

export function weekdayName(weekday: number): string {
  return WEEKDAY_NAMES[weekday - 1];
}

export type WallTimeResolution =
  | { kind: 'exact'; utc: Date }
  | { kind: 'ambiguous'; earlier: Date; later: Date }
  | { kind: 'nonexistent' };

/**
 * Which instants a wall-clock time on a date denotes. On the spring DST change a wall time
 * can fall in the gap (none), on the autumn change it can occur twice; luxon silently picks
 * one in both cases, so the candidates are checked against the zone's offsets instead.
 */
export function resolveWallTime(date: IsoDate, time: WallTime, zone = INSTITUTE_ZONE): WallTimeResolution {
  const tz = IANAZone.create(zone);
  const [y, mo, d] = date.split('-').map(Number);
  const asIfUtc = Date.UTC(y, mo - 1, d, Math.floor(minutesOf(time) / 60), minutesOf(time) % 60);
  const offsets = new Set([tz.offset(asIfUtc - DAY_MS), tz.offset(asIfUtc + DAY_MS)]);
  const instants = [...offsets]
    .map((offset) => asIfUtc - offset * 60_000)
    .filter((instant) => asIfUtc - tz.offset(instant) * 60_000 === instant)
    .sort((a, b) => a - b);
  if (instants.length === 0) return { kind: 'nonexistent' };
  if (instants.length === 1) return { kind: 'exact', utc: new Date(instants[0]) };
  return { kind: 'ambiguous', earlier: new Date(instants[0]), later: new Date(instants[1]) };
}

/** The UTC instant of a date + wall time in Europe/Amsterdam; throws when DST makes it missing or ambiguous. */
export function wallTimeToUtc(date: IsoDate, time: WallTime, zone = INSTITUTE_ZONE): Date {
  const resolved = resolveWallTime(date, time, zone);
  if (resolved.kind !== 'exact') {
    throw new RangeError(`${date} ${time} is ${resolved.kind} in ${zone} (daylight saving time change)`);
  }
  return resolved.utc;
}

/** A rule broken by input, phrased for the planner. */
export interface RuleViolation {
  field: string;
  rule: string;
  message: string;
}

/** Today's calendar day in the institute's zone. */
export function todayInAmsterdam(now = new Date()): IsoDate {
  return DateTime.fromJSDate(now, { zone: INSTITUTE_ZONE }).toISODate()!;
}
