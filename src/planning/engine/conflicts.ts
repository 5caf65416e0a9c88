import { NonTeachingDays } from './holidays';
import { AvailabilityWindow, isOnline, PlannedSession, Room, Teacher, TeacherRules } from './model';
import { isoWeekday, isoWeekKey, isWallTime, minutesOf, RuleViolation, weekdayName } from '../../kernel/time';

export type ConflictKind =
  | 'teacher_double_booked'
  | 'room_double_booked'
  | 'teacher_unavailable'
  | 'teacher_blocked'
  | 'teacher_lacks_expertise'
  | 'room_too_small'
  | 'non_teaching_day'
  | 'teacher_over_weekly_maximum';

export interface Conflict {
  kind: ConflictKind;
  sessionIds: string[];
  teacherId?: string;
  roomId?: string;
  date: string;
  message: string;
}

export interface ConflictInput {
  sessions: readonly PlannedSession[];
  teachers: readonly Teacher[];
  rooms: readonly Room[];
  nonTeachingDays: NonTeachingDays;
}

/**
 * Every broken planning rule in a schedule. Sessions naming a teacher or room that is not in
 * the input are checked only on what is known. Double bookings are found by sorting each
 * resource's sessions per date and sweeping, so the cost grows with n log n, not n².
 */
export function detectConflicts(input: ConflictInput): Conflict[] {
  const conflicts: Conflict[] = [];
  const rules = new Map(input.teachers.map((t) => [t.id, new TeacherRules(t)]));
  const rooms = new Map(input.rooms.map((r) => [r.id, r]));

  for (const session of input.sessions) {
    const reason = input.nonTeachingDays.reasonFor(session.date);
    if (reason !== undefined) {
      conflicts.push({ kind: 'non_teaching_day', sessionIds: [session.id], date: session.date, message: `session ${session.id} is planned on ${session.date}, a non-teaching day (${reason})` });
    }
    const teacher = session.teacherId ? rules.get(session.teacherId) : undefined;
    if (teacher) conflicts.push(...teacherConflicts(session, teacher));
    const room = session.roomId ? rooms.get(session.roomId) : undefined;
    if (room && room.capacity !== null && session.enrolledCount > room.capacity) {
      conflicts.push({ kind: 'room_too_small', sessionIds: [session.id], roomId: room.id, date: session.date, message: `room ${room.name} has ${room.capacity} seats, session ${session.id} has ${session.enrolledCount} participants` });
    }
  }

  conflicts.push(...doubleBookings(input.sessions, 'teacherId', 'teacher_double_booked', (id) => rules.get(id)?.teacher.name ?? id));
  const physical = input.sessions.filter((s) => !s.roomId || !rooms.has(s.roomId) || !isOnline(rooms.get(s.roomId)!));
  conflicts.push(...doubleBookings(physical, 'roomId', 'room_double_booked', (id) => rooms.get(id)?.name ?? id));
  conflicts.push(...weeklyMaximumExceeded(input.sessions, rules));
  return conflicts;
}

function teacherConflicts(session: PlannedSession, rules: TeacherRules): Conflict[] {
  const teacher = rules.teacher;
  const base = { sessionIds: [session.id], teacherId: teacher.id, date: session.date };
  const found: Conflict[] = [];
  if (!rules.hasExpertise(session)) {
    found.push({ ...base, kind: 'teacher_lacks_expertise', message: `${teacher.name} has no expertise for course ${session.courseId} (session ${session.id})` });
  }
  if (!rules.isAvailable(session)) {
    found.push({ ...base, kind: 'teacher_unavailable', message: `${teacher.name} is not available on ${weekdayName(isoWeekday(session.date))} ${session.startTime}–${session.endTime} (session ${session.id} on ${session.date})` });
  }
  const blocked = rules.blockedReason(session.date);
  if (blocked !== undefined) {
    found.push({ ...base, kind: 'teacher_blocked', message: `${teacher.name} is blocked on ${session.date} (${blocked}) but teaches session ${session.id}` });
  }
  return found;
}

function doubleBookings(
  sessions: readonly PlannedSession[],
  field: 'teacherId' | 'roomId',
  kind: 'teacher_double_booked' | 'room_double_booked',
  nameOf: (id: string) => string,
): Conflict[] {
  const groups = new Map<string, PlannedSession[]>();
  for (const session of sessions) {
    const id = session[field];
    if (!id) continue;
    const key = `${id}\u0000${session.date}`;
    const group = groups.get(key);
    if (group) group.push(session);
    else groups.set(key, [session]);
  }
  const found: Conflict[] = [];
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    group.sort((a, b) => minutesOf(a.startTime) - minutesOf(b.startTime));
    // Sessions that have started and not yet ended; touching times (one ends as the next starts) do not clash.
    let active: PlannedSession[] = [];
    for (const session of group) {
      const start = minutesOf(session.startTime);
      active = active.filter((a) => minutesOf(a.endTime) > start);
      for (const other of active) {
        const id = session[field]!;
        found.push({
          kind,
          sessionIds: [other.id, session.id],
          ...(field === 'teacherId' ? { teacherId: id } : { roomId: id }),
          date: session.date,
          message: `${nameOf(id)} is booked twice on ${session.date}: session ${other.id} (${other.startTime}–${other.endTime}) and session ${session.id} (${session.startTime}–${session.endTime})`,
        });
      }
      active.push(session);
    }
  }
  return found;
}

function weeklyMaximumExceeded(sessions: readonly PlannedSession[], rules: Map<string, TeacherRules>): Conflict[] {
  const weeks = new Map<string, PlannedSession[]>();
  for (const session of sessions) {
    const max = session.teacherId ? rules.get(session.teacherId)?.teacher.maxMeetingsPerWeek : undefined;
    if (max === undefined) continue;
    const key = `${session.teacherId}\u0000${isoWeekKey(session.date)}`;
    const week = weeks.get(key);
    if (week) week.push(session);
    else weeks.set(key, [session]);
  }
  const found: Conflict[] = [];
  for (const week of weeks.values()) {
    const teacher = rules.get(week[0].teacherId!)!.teacher;
    if (week.length <= teacher.maxMeetingsPerWeek!) continue;
    week.sort((a, b) => a.date.localeCompare(b.date) || a.startTime.localeCompare(b.startTime));
    found.push({
      kind: 'teacher_over_weekly_maximum',
      sessionIds: week.map((s) => s.id),
      teacherId: teacher.id,
      date: week[teacher.maxMeetingsPerWeek!].date,
      message: `${teacher.name} has ${week.length} sessions in week ${isoWeekKey(week[0].date)}, more than the maximum of ${teacher.maxMeetingsPerWeek}`,
    });
  }
  return found;
}

/** Rules for a teacher's weekly availability: valid weekdays and times, from before to, no overlaps on a weekday. */
export function validateAvailabilityWindows(windows: readonly AvailabilityWindow[]): RuleViolation[] {
  const violations: RuleViolation[] = [];
  const valid: Array<AvailabilityWindow & { index: number }> = [];
  windows.forEach((w, index) => {
    const field = `availability[${index}]`;
    if (!Number.isInteger(w.weekday) || w.weekday < 1 || w.weekday > 7) {
      violations.push({ field, rule: 'iso_weekday', message: `weekday must be 1 (Monday) to 7 (Sunday), not ${w.weekday}` });
    } else if (!isWallTime(w.from) || !isWallTime(w.to)) {
      violations.push({ field, rule: 'time', message: `times must be HH:mm, not ${w.from}–${w.to}` });
    } else if (minutesOf(w.to) <= minutesOf(w.from)) {
      violations.push({ field, rule: 'after_start', message: `window ${w.from}–${w.to} on ${weekdayName(w.weekday)} does not end after it starts` });
    } else {
      valid.push({ ...w, index });
    }
  });
  valid.sort((a, b) => a.weekday - b.weekday || minutesOf(a.from) - minutesOf(b.from));
  // The window reaching furthest so far on the weekday: a short window can hide behind a long one.
  let reach: (AvailabilityWindow & { index: number }) | undefined;
  for (const cur of valid) {
    if (reach && reach.weekday === cur.weekday && minutesOf(cur.from) < minutesOf(reach.to)) {
      violations.push({
        field: `availability[${cur.index}]`,
        rule: 'no_overlap',
        message: `window ${cur.from}–${cur.to} overlaps ${reach.from}–${reach.to} on ${weekdayName(cur.weekday)}`,
      });
    }
    if (!reach || reach.weekday !== cur.weekday || minutesOf(cur.to) > minutesOf(reach.to)) reach = cur;
  }
  return violations;
}
