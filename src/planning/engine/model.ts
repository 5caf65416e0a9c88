import { IsoDate, isoWeekday, minutesOf, WallTime } from '../../kernel/time';

/** One meeting of an edition as the planning engine sees it. */
export interface PlannedSession {
  id: string;
  editionId: string;
  courseId: string;
  /** The course's discipline, so that discipline-wide expertise counts. */
  discipline?: string;
  date: IsoDate;
  startTime: WallTime;
  endTime: WallTime;
  teacherId?: string | null;
  roomId?: string | null;
  enrolledCount: number;
  /** The edition's capacity: a room is chosen for the seats the edition may fill, not only today's enrolments. */
  editionCapacity?: number;
  /** When set, the room must be at this location (e.g. the online location for an online edition). */
  locationId?: string;
}

export interface AvailabilityWindow {
  /** ISO weekday, 1 = Monday … 7 = Sunday. */
  weekday: number;
  from: WallTime;
  to: WallTime;
}

export interface BlockedPeriod {
  from: IsoDate;
  /** Inclusive. */
  to: IsoDate;
  reason: string;
}

export interface Teacher {
  id: string;
  name: string;
  /** Courses the teacher may teach. */
  courseIds: readonly string[];
  /** Disciplines in which the teacher may teach every course. */
  disciplines: readonly string[];
  availability: readonly AvailabilityWindow[];
  blocked: readonly BlockedPeriod[];
  /** Absent: no weekly maximum. */
  maxMeetingsPerWeek?: number;
}

export interface Room {
  id: string;
  name: string;
  /** Null for an online room: no seat limit, and parallel sessions each get their own meeting link. */
  capacity: number | null;
  locationId: string;
}

/** Seats a room must have for a session. */
export function requiredSeats(session: PlannedSession): number {
  return Math.max(session.enrolledCount, session.editionCapacity ?? 0);
}

/** Only physical rooms can be double-booked. */
export function isOnline(room: Room): boolean {
  return room.capacity === null;
}

export function roomFits(room: Room, seats: number): boolean {
  return room.capacity === null || room.capacity >= seats;
}

/** A teacher's rules that do not depend on other sessions, prepared once for many look-ups. */
export class TeacherRules {
  private readonly courseIds: Set<string>;
  private readonly disciplines: Set<string>;
  /** Per weekday: windows sorted and merged, so that adjacent windows cover a session spanning both. */
  private readonly windows = new Map<number, Array<[number, number]>>();

  constructor(readonly teacher: Teacher) {
    this.courseIds = new Set(teacher.courseIds);
    this.disciplines = new Set(teacher.disciplines);
    const byDay = new Map<number, Array<[number, number]>>();
    for (const w of teacher.availability) {
      byDay.set(w.weekday, [...(byDay.get(w.weekday) ?? []), [minutesOf(w.from), minutesOf(w.to)]]);
    }
    for (const [weekday, spans] of byDay) {
      spans.sort((a, b) => a[0] - b[0]);
      const merged: Array<[number, number]> = [];
      for (const [from, to] of spans) {
        const last = merged[merged.length - 1];
        if (last && from <= last[1]) last[1] = Math.max(last[1], to);
        else merged.push([from, to]);
      }
      this.windows.set(weekday, merged);
    }
  }

  hasExpertise(session: PlannedSession): boolean {
    return this.courseIds.has(session.courseId) || (session.discipline !== undefined && this.disciplines.has(session.discipline));
  }

  isAvailable(session: PlannedSession): boolean {
    const start = minutesOf(session.startTime);
    const end = minutesOf(session.endTime);
    return (this.windows.get(isoWeekday(session.date)) ?? []).some(([from, to]) => from <= start && end <= to);
  }

  blockedReason(date: IsoDate): string | undefined {
    return this.teacher.blocked.find((b) => b.from <= date && date <= b.to)?.reason;
  }
}
