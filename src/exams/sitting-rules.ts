import type { FieldError } from '../kernel/domain-errors';
import { IsoDate, isIsoDate, isWallTime, minutesOf, WallTime } from '../kernel/time';

const DAY_MINUTES = 24 * 60;

const wallTime = (minutes: number): WallTime => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** When a sitting of `durationMinutes` from `start` ends; null when that is after midnight (a sitting ends on its day). */
export function endOf(start: WallTime, durationMinutes: number): WallTime | null {
  const end = minutesOf(start) + durationMinutes;
  return end < DAY_MINUTES ? wallTime(end) : null;
}

export interface SittingTimes {
  date: IsoDate;
  startTime: WallTime;
  durationMinutes: number;
}

/**
 * The rules of a sitting's date and time that a DTO cannot check alone: a date that exists,
 * not in the past, and an end before midnight. Answers the end time when all hold.
 */
export function checkSittingTimes(times: SittingTimes, today: IsoDate): { endTime: WallTime } | { errors: FieldError[] } {
  const errors: FieldError[] = [];
  if (!isIsoDate(times.date)) errors.push({ field: 'date', rule: 'calendar_date', message: `date ${times.date} does not exist` });
  else if (times.date < today) errors.push({ field: 'date', rule: 'not_in_past', message: `date ${times.date} is in the past` });
  if (!isWallTime(times.startTime)) errors.push({ field: 'startTime', rule: 'time', message: `startTime must be HH:mm, not ${times.startTime}` });
  if (errors.length > 0) return { errors };
  const endTime = endOf(times.startTime, times.durationMinutes);
  if (endTime === null) {
    return {
      errors: [{ field: 'durationMinutes', rule: 'ends_before_midnight', message: `a sitting from ${times.startTime} lasting ${times.durationMinutes} minutes would end after midnight` }],
    };
  }
  return { endTime };
}

/** Something that holds a room, teachers or students for a while on a day. */
export interface Booking {
  /** e.g. `sitting <id>` or `session <id>`. */
  ref: string;
  date: IsoDate;
  startTime: WallTime;
  endTime: WallTime;
  roomId?: string | null;
  teacherIds?: readonly string[];
}

/** Touching times (one ends as the next starts) do not overlap. */
export function overlaps(a: Pick<Booking, 'date' | 'startTime' | 'endTime'>, b: Pick<Booking, 'date' | 'startTime' | 'endTime'>): boolean {
  return a.date === b.date && minutesOf(a.startTime) < minutesOf(b.endTime) && minutesOf(b.startTime) < minutesOf(a.endTime);
}

export type SittingConflictKind = 'room_double_booked' | 'invigilator_double_booked' | 'student_double_booked';

export interface SittingConflict {
  kind: SittingConflictKind;
  /** The other sitting or session. */
  with: string;
  roomId?: string;
  teacherId?: string;
  studentId?: string;
  message: string;
}

/** A sitting's room and invigilators against other bookings (sittings and sessions) on its day. */
export function resourceConflicts(sitting: Booking, others: readonly Booking[]): SittingConflict[] {
  const found: SittingConflict[] = [];
  for (const other of others) {
    if (other.ref === sitting.ref || !overlaps(sitting, other)) continue;
    if (sitting.roomId && other.roomId === sitting.roomId) {
      found.push({ kind: 'room_double_booked', with: other.ref, roomId: sitting.roomId, message: `the room is taken by ${other.ref} (${other.startTime}–${other.endTime})` });
    }
    for (const teacherId of sitting.teacherIds ?? []) {
      if (other.teacherIds?.includes(teacherId)) {
        found.push({ kind: 'invigilator_double_booked', with: other.ref, teacherId, message: `invigilator ${teacherId} is busy with ${other.ref} (${other.startTime}–${other.endTime})` });
      }
    }
  }
  return found;
}

/** A student's own bookings (other sittings, sessions of their editions) against the sitting. */
export function studentConflicts(sitting: Booking, studentId: string, theirs: readonly Booking[]): SittingConflict[] {
  return theirs
    .filter((other) => other.ref !== sitting.ref && overlaps(sitting, other))
    .map((other) => ({
      kind: 'student_double_booked' as const,
      with: other.ref,
      studentId,
      message: `student ${studentId} has ${other.ref} at the same time (${other.startTime}–${other.endTime})`,
    }));
}
