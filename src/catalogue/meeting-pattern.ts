import { isIsoDate, isWallTime, minutesOf, type IsoDate, type RuleViolation, type WallTime } from '../kernel/time';

/** How an edition meets: from `startDate` on, on the given weekdays every `intervalWeeks` weeks. */
export interface MeetingPattern {
  startDate: IsoDate;
  /** ISO weekdays, 1 = Monday … 7 = Sunday. */
  weekdays: readonly number[];
  startTime: WallTime;
  endTime: WallTime;
  count: number;
  intervalWeeks: number;
}

/** The pattern's own field rules, independent of the calendar. */
export function validateMeetingPattern(pattern: MeetingPattern): RuleViolation[] {
  const violations: RuleViolation[] = [];
  const add = (field: string, rule: string, message: string) => violations.push({ field, rule, message });
  if (!isIsoDate(pattern.startDate)) add('startDate', 'date', `start date "${pattern.startDate}" is not a date (YYYY-MM-DD)`);
  for (const field of ['startTime', 'endTime'] as const) {
    if (!isWallTime(pattern[field])) add(field, 'time', `${field} "${pattern[field]}" is not a time (HH:mm)`);
  }
  if (isWallTime(pattern.startTime) && isWallTime(pattern.endTime) && minutesOf(pattern.endTime) <= minutesOf(pattern.startTime)) {
    add('endTime', 'after_start', `end time ${pattern.endTime} is not after start time ${pattern.startTime}`);
  }
  if (!Number.isInteger(pattern.count) || pattern.count < 1) {
    add('count', 'positive', `number of meetings must be a whole number of at least 1, not ${pattern.count}`);
  }
  if (pattern.weekdays.length === 0) add('weekdays', 'required', 'at least one weekday is needed');
  if (pattern.weekdays.some((d) => !Number.isInteger(d) || d < 1 || d > 7)) {
    add('weekdays', 'iso_weekday', `weekdays must be 1 (Monday) to 7 (Sunday), not ${pattern.weekdays.join(', ')}`);
  }
  if (new Set(pattern.weekdays).size !== pattern.weekdays.length) {
    add('weekdays', 'unique', `weekdays are listed more than once: ${pattern.weekdays.join(', ')}`);
  }
  if (!Number.isInteger(pattern.intervalWeeks) || pattern.intervalWeeks < 1) {
    add('intervalWeeks', 'positive', `interval must be a whole number of at least 1 week, not ${pattern.intervalWeeks}`);
  }
  return violations;
}
