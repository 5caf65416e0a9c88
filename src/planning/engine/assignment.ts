import { NonTeachingDays } from './holidays';
import { isOnline, PlannedSession, requiredSeats, Room, roomFits, Teacher, TeacherRules } from './model';
import { IsoDate, isoWeekday, isoWeekKey, minutesOf, WallTime, weekdayName } from '../../kernel/time';

/** Time a teacher or room is already taken outside the sessions being planned; a teacher's counts as a meeting. */
export interface Commitment {
  teacherId?: string;
  roomId?: string;
  date: IsoDate;
  startTime: WallTime;
  endTime: WallTime;
}

export interface AssignmentInput {
  sessions: readonly PlannedSession[];
  teachers: readonly Teacher[];
  rooms: readonly Room[];
  nonTeachingDays: NonTeachingDays;
  commitments?: readonly Commitment[];
  /** Also replace teachers and rooms that sessions already have. */
  reassignExisting?: boolean;
}

export interface SessionAssignment {
  sessionId: string;
  teacherId: string | null;
  roomId: string | null;
}

export interface UnplacedSession {
  sessionId: string;
  date: IsoDate;
  reasons: string[];
}

export interface AssignmentResult {
  /** One per input session, in input order: the teacher and room it ends up with. */
  assignments: SessionAssignment[];
  /** Sessions left without a teacher or a room, with the reasons in plain words. */
  unplaced: UnplacedSession[];
  /** Sessions that have both a teacher and a room. */
  placedCount: number;
}

interface Slot {
  session: PlannedSession;
  start: number;
  end: number;
  week: string;
  seats: number;
}

interface Booking {
  sessionId: string | null;
  start: number;
  end: number;
}

/** Who holds which times, per resource (teacher or room) per date, with meeting counts per ISO week. */
class Occupancy {
  private readonly byDay = new Map<string, Booking[]>();
  private readonly perWeek = new Map<string, number>();
  private readonly totals = new Map<string, number>();

  overlapping(resourceId: string, date: IsoDate, start: number, end: number): Booking[] {
    return (this.byDay.get(`${resourceId}\u0000${date}`) ?? []).filter((b) => b.start < end && start < b.end);
  }

  weekCount(resourceId: string, week: string): number {
    return this.perWeek.get(`${resourceId}\u0000${week}`) ?? 0;
  }

  load(resourceId: string): number {
    return this.totals.get(resourceId) ?? 0;
  }

  add(resourceId: string, date: IsoDate, week: string, booking: Booking): void {
    const key = `${resourceId}\u0000${date}`;
    this.byDay.set(key, [...(this.byDay.get(key) ?? []), booking]);
    this.count(resourceId, week, 1);
  }

  remove(resourceId: string, date: IsoDate, week: string, sessionId: string): void {
    const key = `${resourceId}\u0000${date}`;
    this.byDay.set(key, this.byDay.get(key)!.filter((b) => b.sessionId !== sessionId));
    this.count(resourceId, week, -1);
  }

  private count(resourceId: string, week: string, delta: number): void {
    const weekKey = `${resourceId}\u0000${week}`;
    this.perWeek.set(weekKey, (this.perWeek.get(weekKey) ?? 0) + delta);
    this.totals.set(resourceId, (this.totals.get(resourceId) ?? 0) + delta);
  }
}

/** One kind of resource a session needs: a teacher or a room. */
interface ResourceKind {
  occupancy: Occupancy;
  holder: Map<string, string | null>;
  /** Sessions whose resource of this kind stays as it is. */
  fixed: Set<string>;
  /** Resources that satisfy every rule not depending on other sessions, in order of preference. */
  candidates(slot: Slot): string[];
  /** Resources that any number of sessions may use at once. */
  shared: Set<string>;
  weeklyMax(resourceId: string): number | undefined;
}

/** The evolving plan, with an undo journal so that trial moves can be taken back. */
class PlanningState {
  readonly slots: Slot[];
  readonly slotById: Map<string, Slot>;
  readonly teacherRules: TeacherRules[];
  readonly teacherKind: ResourceKind;
  readonly roomKind: ResourceKind;
  private readonly journal: Array<() => void> = [];

  constructor(readonly input: AssignmentInput) {
    this.slots = input.sessions.map((session) => ({
      session,
      start: minutesOf(session.startTime),
      end: minutesOf(session.endTime),
      week: isoWeekKey(session.date),
      seats: requiredSeats(session),
    }));
    this.slotById = new Map(this.slots.map((s) => [s.session.id, s]));
    this.teacherRules = input.teachers.map((t) => new TeacherRules(t));
    const maxPerWeek = new Map(input.teachers.map((t) => [t.id, t.maxMeetingsPerWeek]));

    const teacherCandidates = new Map<string, string[]>();
    this.teacherKind = {
      occupancy: new Occupancy(),
      holder: new Map(),
      fixed: new Set(),
      candidates: (slot) => {
        let ids = teacherCandidates.get(slot.session.id);
        if (!ids) {
          ids = this.teacherRules.filter((r) => qualifies(r, slot.session)).map((r) => r.teacher.id);
          teacherCandidates.set(slot.session.id, ids);
        }
        return ids;
      },
      weeklyMax: (id) => maxPerWeek.get(id),
      shared: new Set(),
    };
    // Smallest fitting room first; an online room without seat limit comes last.
    const roomsBySize = [...input.rooms].sort((a, b) => (a.capacity ?? Infinity) - (b.capacity ?? Infinity));
    this.roomKind = {
      occupancy: new Occupancy(),
      holder: new Map(),
      fixed: new Set(),
      candidates: (slot) => roomsBySize.filter((r) => roomAllowed(r, slot)).map((r) => r.id),
      weeklyMax: () => undefined,
      shared: new Set(input.rooms.filter(isOnline).map((r) => r.id)),
    };

    for (const c of input.commitments ?? []) {
      const booking = { sessionId: null, start: minutesOf(c.startTime), end: minutesOf(c.endTime) };
      if (c.teacherId) this.teacherKind.occupancy.add(c.teacherId, c.date, isoWeekKey(c.date), booking);
      if (c.roomId) this.roomKind.occupancy.add(c.roomId, c.date, isoWeekKey(c.date), booking);
    }
    for (const slot of this.slots) {
      const { session } = slot;
      for (const [kind, current] of [[this.teacherKind, session.teacherId], [this.roomKind, session.roomId]] as const) {
        kind.holder.set(session.id, null);
        if (current && !input.reassignExisting) {
          kind.fixed.add(session.id);
          this.assign(kind, slot, current);
        }
      }
    }
    this.journal.length = 0;
  }

  isTeachingDay(slot: Slot): boolean {
    return this.input.nonTeachingDays.isTeachingDay(slot.session.date);
  }

  canHaveRoom(slot: Slot): boolean {
    return this.roomKind.holder.get(slot.session.id) !== null || this.roomKind.candidates(slot).length > 0;
  }

  needs(kind: ResourceKind, slot: Slot): boolean {
    return kind.holder.get(slot.session.id) === null && this.isTeachingDay(slot);
  }

  isFree(kind: ResourceKind, resourceId: string, slot: Slot): boolean {
    if (kind.shared.has(resourceId)) return true;
    const max = kind.weeklyMax(resourceId);
    return (
      kind.occupancy.overlapping(resourceId, slot.session.date, slot.start, slot.end).length === 0 &&
      (max === undefined || kind.occupancy.weekCount(resourceId, slot.week) < max)
    );
  }

  assign(kind: ResourceKind, slot: Slot, resourceId: string): void {
    const { session } = slot;
    kind.occupancy.add(resourceId, session.date, slot.week, { sessionId: session.id, start: slot.start, end: slot.end });
    kind.holder.set(session.id, resourceId);
    this.journal.push(() => this.release(kind, slot, resourceId));
  }

  unassign(kind: ResourceKind, slot: Slot): void {
    const resourceId = kind.holder.get(slot.session.id)!;
    this.release(kind, slot, resourceId);
    this.journal.push(() => {
      kind.occupancy.add(resourceId, slot.session.date, slot.week, { sessionId: slot.session.id, start: slot.start, end: slot.end });
      kind.holder.set(slot.session.id, resourceId);
    });
  }

  private release(kind: ResourceKind, slot: Slot, resourceId: string): void {
    kind.occupancy.remove(resourceId, slot.session.date, slot.week, slot.session.id);
    kind.holder.set(slot.session.id, null);
  }

  mark(): number {
    return this.journal.length;
  }

  rollback(mark: number): void {
    while (this.journal.length > mark) this.journal.pop()!();
  }

  /** First candidate, in the kind's preference order, that is free for the slot. */
  placeFirstFree(kind: ResourceKind, slot: Slot, order: string[] = kind.candidates(slot)): boolean {
    const resourceId = order.find((id) => this.isFree(kind, id, slot));
    if (resourceId === undefined) return false;
    this.assign(kind, slot, resourceId);
    return true;
  }

  /**
   * Augmenting search: place the slot on a candidate after moving the movable sessions that
   * block it there to other candidates of theirs, up to `depth` moves deep; undone when it fails.
   */
  augment(kind: ResourceKind, slot: Slot, depth: number, visiting = new Set<string>()): boolean {
    if (this.placeFirstFree(kind, slot)) return true;
    if (depth === 0) return false;
    visiting.add(slot.session.id);
    for (const resourceId of kind.candidates(slot)) {
      const blockers = kind.occupancy.overlapping(resourceId, slot.session.date, slot.start, slot.end);
      if (blockers.some((b) => b.sessionId === null || kind.fixed.has(b.sessionId) || visiting.has(b.sessionId))) continue;
      const max = kind.weeklyMax(resourceId);
      if (max !== undefined && kind.occupancy.weekCount(resourceId, slot.week) - blockers.length >= max) continue;
      const mark = this.mark();
      const moved = blockers.map((b) => this.slotById.get(b.sessionId!)!);
      for (const other of moved) this.unassign(kind, other);
      this.assign(kind, slot, resourceId);
      if (moved.every((other) => this.augment(kind, other, depth - 1, visiting))) {
        visiting.delete(slot.session.id);
        return true;
      }
      this.rollback(mark);
    }
    visiting.delete(slot.session.id);
    return false;
  }

  result(): AssignmentResult {
    const assignments: SessionAssignment[] = [];
    const unplaced: UnplacedSession[] = [];
    for (const slot of this.slots) {
      const sessionId = slot.session.id;
      const teacherId = this.teacherKind.holder.get(sessionId)!;
      const roomId = this.roomKind.holder.get(sessionId)!;
      assignments.push({ sessionId, teacherId, roomId });
      if (teacherId === null || roomId === null) {
        unplaced.push({ sessionId, date: slot.session.date, reasons: this.reasonsUnplaced(slot) });
      }
    }
    return { assignments, unplaced, placedCount: assignments.length - unplaced.length };
  }

  private reasonsUnplaced(slot: Slot): string[] {
    const { session } = slot;
    const when = `${session.date} ${session.startTime}–${session.endTime}`;
    const closed = this.input.nonTeachingDays.reasonFor(session.date);
    if (closed !== undefined) return [`${session.date} is a non-teaching day (${closed})`];
    const reasons: string[] = [];
    const where = session.locationId ? ` at location ${session.locationId}` : '';
    const lacksTeacher = this.teacherKind.holder.get(session.id) === null;
    // A session no room can hold is not given a teacher, and one without a teacher is not given a room:
    // say only what stands in the way.
    if (!this.canHaveRoom(slot)) {
      if (lacksTeacher && this.teacherKind.candidates(slot).length === 0) reasons.push(this.teacherReason(slot, when));
      reasons.push(`no room${where} has ${slot.seats} seats`);
    } else if (lacksTeacher) {
      reasons.push(this.teacherReason(slot, when));
    } else {
      reasons.push(`no room${where} with at least ${slot.seats} seats is free on ${when}`);
    }
    return reasons;
  }

  private teacherReason(slot: Slot, when: string): string {
    const { session } = slot;
    const experts = this.teacherRules.filter((r) => r.hasExpertise(session));
    const course = `course ${session.courseId}`;
    if (experts.length === 0) return `no teacher has expertise for ${course}`;
    const available = experts.filter((r) => r.isAvailable(session));
    if (available.length === 0) {
      return `no teacher with expertise for ${course} is available on ${weekdayName(isoWeekday(session.date))} ${session.startTime}–${session.endTime}`;
    }
    if (available.every((r) => r.blockedReason(session.date) !== undefined)) {
      const who = available.map((r) => `${r.teacher.name}: ${r.blockedReason(session.date)}`).join('; ');
      return `every teacher with expertise for ${course} who is available then is blocked on ${session.date} (${who})`;
    }
    return `no teacher with expertise for ${course} is free on ${when} (all are booked or at their weekly maximum)`;
  }
}

function qualifies(rules: TeacherRules, session: PlannedSession): boolean {
  return rules.hasExpertise(session) && rules.isAvailable(session) && rules.blockedReason(session.date) === undefined;
}

function roomAllowed(room: Room, slot: Slot): boolean {
  return roomFits(room, slot.seats) && (slot.session.locationId === undefined || room.locationId === slot.session.locationId);
}

function byDateAndTime(a: Slot, b: Slot): number {
  return a.session.date.localeCompare(b.session.date) || a.start - b.start || a.session.id.localeCompare(b.session.id);
}

/** How deep the repair pass may push other sessions aside to place one. */
const REPAIR_DEPTH = 3;

/**
 * Assigns a teacher and a room to every session lacking one, within every hard rule:
 * expertise, availability, blocked dates, non-teaching days, no double booking, room seats
 * for the edition's capacity, the teacher's weekly maximum. Editions with the fewest
 * qualified teachers go first and get one teacher for all their sessions where possible
 * (the least loaded such teacher, to spread the work); the rest fall back to a teacher per
 * session. Rooms go by best fit, largest groups first. A repair pass then tries to place
 * what is left by moving other new assignments aside. Deterministic for the same input.
 */
export function assignSessions(input: AssignmentInput): AssignmentResult {
  const state = new PlanningState(input);
  assignTeachers(state);
  assignRooms(state);
  return state.result();
}

function assignTeachers(state: PlanningState): void {
  const kind = state.teacherKind;
  const editions = new Map<string, Slot[]>();
  for (const slot of [...state.slots].sort(byDateAndTime)) {
    if (!state.needs(kind, slot) || !state.canHaveRoom(slot)) continue;
    const open = editions.get(slot.session.editionId);
    if (open) open.push(slot);
    else editions.set(slot.session.editionId, [slot]);
  }
  const scarcity = (open: Slot[]) => Math.min(...open.map((s) => kind.candidates(s).length));
  const order = [...editions.entries()].sort(
    ([idA, a], [idB, b]) => scarcity(a) - scarcity(b) || b.length - a.length || idA.localeCompare(idB),
  );
  const flexibility = new Map(state.teacherRules.map((r) => [r.teacher.id, r.teacher.courseIds.length + r.teacher.disciplines.length * 10]));

  const unplaced: Slot[] = [];
  for (const [editionId, open] of order) {
    // Teachers already on this edition, by how many of its sessions they teach.
    const onEdition = new Map<string, number>();
    for (const slot of state.slots) {
      const teacherId = kind.holder.get(slot.session.id);
      if (slot.session.editionId === editionId && teacherId) onEdition.set(teacherId, (onEdition.get(teacherId) ?? 0) + 1);
    }
    const preference = (ids: string[]) =>
      [...ids].sort(
        (a, b) =>
          (onEdition.get(b) ?? 0) - (onEdition.get(a) ?? 0) ||
          kind.occupancy.load(a) - kind.occupancy.load(b) ||
          flexibility.get(a)! - flexibility.get(b)!,
      );
    const common = open.slice(1).reduce((ids, slot) => ids.filter((id) => kind.candidates(slot).includes(id)), kind.candidates(open[0]));
    const wholeEdition = preference(common).some((teacherId) => {
      const mark = state.mark();
      if (open.every((slot) => state.isFree(kind, teacherId, slot) && (state.assign(kind, slot, teacherId), true))) return true;
      state.rollback(mark);
      return false;
    });
    if (wholeEdition) continue;
    for (const slot of open) {
      if (!state.placeFirstFree(kind, slot, preference(kind.candidates(slot)))) {
        unplaced.push(slot);
        continue;
      }
      const teacherId = kind.holder.get(slot.session.id)!;
      onEdition.set(teacherId, (onEdition.get(teacherId) ?? 0) + 1);
    }
  }
  for (const slot of unplaced) state.augment(kind, slot, REPAIR_DEPTH);
}

function assignRooms(state: PlanningState): void {
  const kind = state.roomKind;
  // Only sessions that have a teacher take a room: a session that cannot take place should not hold one.
  const open = state.slots
    .filter((slot) => state.needs(kind, slot) && state.teacherKind.holder.get(slot.session.id) !== null)
    .sort((a, b) => b.seats - a.seats || byDateAndTime(a, b));
  const unplaced = open.filter((slot) => !state.placeFirstFree(kind, slot));
  for (const slot of unplaced) state.augment(kind, slot, REPAIR_DEPTH);
}

/**
 * The plain baseline: sessions in date order, each taking the first free qualified teacher
 * and then the first free fitting room, both in input order. For comparison only.
 */
export function assignGreedy(input: AssignmentInput): AssignmentResult {
  const state = new PlanningState(input);
  const inputRoomOrder = input.rooms.map((r) => r.id);
  for (const slot of [...state.slots].sort(byDateAndTime)) {
    if (state.needs(state.teacherKind, slot) && state.canHaveRoom(slot)) state.placeFirstFree(state.teacherKind, slot);
    if (state.needs(state.roomKind, slot) && state.teacherKind.holder.get(slot.session.id) !== null) {
      const fitting = new Set(state.roomKind.candidates(slot));
      state.placeFirstFree(state.roomKind, slot, inputRoomOrder.filter((id) => fitting.has(id)));
    }
  }
  return state.result();
}
