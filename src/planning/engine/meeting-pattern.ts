import { type MeetingPattern, validateMeetingPattern } from '../../catalogue/meeting-pattern';
import { NonTeachingDays } from './holidays';
import {
  addDays,
  IsoDate,
  isoWeekday,
  resolveWallTime,
  RuleViolation,
  WallTime,
} from '../../kernel/time';

export interface Meeting {
  /** 1-based position in the series. */
  number: number;
  date: IsoDate;
  startTime: WallTime;
  endTime: WallTime;
}

export interface SkippedDate {
  date: IsoDate;
  reason: string;
}

/** The meetings are usable only when `violations` is empty. */
export interface MeetingSeries {
  meetings: Meeting[];
  skipped: SkippedDate[];
  violations: RuleViolation[];
}

/** How far ahead a series may reach before the pattern counts as unworkable. */
export const PATTERN_HORIZON_DAYS = 3 * 366;

/**
 * Exactly `count` meetings from the start date on. A candidate date that is a non-teaching day
 * is reported as skipped and the series continues after it, so it still has `count` meetings.
 * Weeks are counted from the ISO week of the start date; with an interval of 2 the weekdays of
 * every other week are candidates. Meetings whose start or end time does not exist or occurs
 * twice because of a DST change are reported as violations.
 */
export function generateMeetings(pattern: MeetingPattern, nonTeachingDays: NonTeachingDays): MeetingSeries {
  const violations = validateMeetingPattern(pattern);
  if (violations.length > 0) return { meetings: [], skipped: [], violations };

  const meetings: Meeting[] = [];
  const skipped: SkippedDate[] = [];
  const weekdays = new Set(pattern.weekdays);
  for (let offset = 0; offset < PATTERN_HORIZON_DAYS && meetings.length < pattern.count; offset++) {
    const date = addDays(pattern.startDate, offset);
    const week = Math.floor((offset + isoWeekday(pattern.startDate) - 1) / 7);
    if (!weekdays.has(isoWeekday(date)) || week % pattern.intervalWeeks !== 0) continue;
    const reason = nonTeachingDays.reasonFor(date);
    if (reason !== undefined) {
      skipped.push({ date, reason });
      continue;
    }
    meetings.push({ number: meetings.length + 1, date, startTime: pattern.startTime, endTime: pattern.endTime });
    for (const field of ['startTime', 'endTime'] as const) {
      const violation = daylightSavingViolation(field, date, pattern[field]);
      if (violation) violations.push(violation);
    }
  }
  if (meetings.length < pattern.count) {
    violations.push({
      field: 'count',
      rule: 'horizon',
      message: `the pattern yields only ${meetings.length} of ${pattern.count} meetings between ${pattern.startDate} and ${addDays(pattern.startDate, PATTERN_HORIZON_DAYS - 1)}`,
    });
  }
  return { meetings, skipped, violations };
}

function daylightSavingViolation(field: string, date: IsoDate, time: WallTime): RuleViolation | undefined {
  const resolved = resolveWallTime(date, time);
  if (resolved.kind === 'nonexistent') {
    return { field, rule: 'dst_nonexistent', message: `${time} does not exist on ${date}: the clocks go forward that night` };
  }
  if (resolved.kind === 'ambiguous') {
    return { field, rule: 'dst_ambiguous', message: `${time} occurs twice on ${date}: the clocks go back that night` };
  }
  return undefined;
}
