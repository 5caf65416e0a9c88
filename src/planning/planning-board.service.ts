import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { CatalogueService } from '../catalogue/catalogue.service';
import { ConflictError } from '../kernel/domain-errors';
import { EnrolledStudents } from './edition-participants';
import { BusyTime, Conflict, detectConflicts } from './engine/conflicts';
import { NonTeachingDays } from './engine/holidays';
import type { PlannedSession, Room as PlanningRoom, Teacher as PlanningTeacher } from './engine/model';
import { addDays, IsoDate, isoWeekday } from '../kernel/time';
import { NonTeachingDaysService } from './non-teaching-days.service';
import { OtherOccupancies } from './other-occupancy';
import { Room } from './room.entity';
import { Teacher } from './teacher.entity';

/** Everything the engine needs to judge or plan a stretch of time. */
export interface PlanningBoard {
  sessions: PlannedSession[];
  teachers: PlanningTeacher[];
  rooms: PlanningRoom[];
  nonTeachingDays: NonTeachingDays;
  /** Teachers' and rooms' time taken by other modules (exam sittings), not cancelled. */
  busy: BusyTime[];
}

/** A request's permission to save despite the conflicts it creates, with the planner's reason. */
export interface ConflictAcceptance {
  acceptConflicts?: boolean;
  reason?: string;
}

interface SessionRow {
  id: string;
  edition_id: string;
  course_id: string;
  date: string;
  start_time: string;
  end_time: string;
  teacher_id: string | null;
  room_id: string | null;
  capacity: number;
  location_id: string;
}

const SESSION_COLUMNS = `
  s.id, s.edition_id, e.course_id, to_char(s.date, 'YYYY-MM-DD') AS date, s.start_time, s.end_time,
  s.teacher_id, s.room_id, e.capacity, e.location_id`;
const SESSION_SOURCE = `
  session s JOIN edition e ON e.id = s.edition_id
  WHERE s.status = 'planned' AND e.status <> 'cancelled'`;

export const mondayOf = (date: IsoDate) => addDays(date, 1 - isoWeekday(date));

/** A stable identity for a conflict, to tell conflicts a change creates from those that were there. */
const conflictKey = (c: Conflict) => [c.kind, c.teacherId ?? '', c.roomId ?? '', [...c.sessionIds].sort().join(','), [...(c.busyIds ?? [])].sort().join(',')].join('|');

/**
 * Reads the planning from the database in the engine's terms and judges changes: the one
 * place where conflicts are found, for lists and for every change that is saved.
 */
/** The audit log's reason for a change saved with conflicts accepted; none when it created none. */
export function acceptanceReason(accepted: readonly Conflict[], acceptance: ConflictAcceptance): string | null {
  if (accepted.length === 0) return null;
  const kinds = [...new Set(accepted.map((c) => c.kind))].join(', ');
  return `Accepted planning conflicts (${kinds})${acceptance.reason ? `: ${acceptance.reason}` : ''}`;
}

@Injectable()
export class PlanningBoardService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly nonTeachingDays: NonTeachingDaysService,
    private readonly participants: EnrolledStudents,
    private readonly others: OtherOccupancies,
    private readonly catalogue: CatalogueService,
  ) {}

  /**
   * Serialises changes to the planning for the rest of the transaction, so that two changes
   * made at once cannot each pass the conflict check and together create a conflict.
   */
  async lock(manager: EntityManager): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('registrar:planning'))`);
  }

  /** The planned sessions in whole ISO weeks from `from` to `to` (weeks, for the weekly maximum). */
  async board(manager: EntityManager, from: IsoDate, to: IsoDate): Promise<PlanningBoard> {
    const [first, last] = [mondayOf(from), addDays(mondayOf(to), 6)];
    const rows: SessionRow[] = await manager.query(`SELECT ${SESSION_COLUMNS} FROM ${SESSION_SOURCE} AND s.date BETWEEN $1 AND $2`, [first, last]);
    const board = await this.assemble(manager, rows);
    const busy = (await this.others.list(manager, { from: first, to: last })).filter((o) => !o.cancelled);
    return { ...board, busy: busy.map(({ id, title, date, startTime, endTime, roomId, teacherIds }) => ({ id, title, date, startTime, endTime, roomId, teacherIds })) };
  }

  /** The planned sessions of the given editions only. */
  async editionSessions(manager: EntityManager, editionIds: readonly string[]): Promise<PlannedSession[]> {
    const rows: SessionRow[] = await manager.query(`SELECT ${SESSION_COLUMNS} FROM ${SESSION_SOURCE} AND s.edition_id = ANY($1::uuid[]) ORDER BY s.date, s.start_time`, [
      editionIds,
    ]);
    return this.toPlanned(manager, rows);
  }

  async resources(manager: EntityManager): Promise<Omit<PlanningBoard, 'sessions' | 'busy'>> {
    // One after the other: inside a transaction they share one connection.
    const teachers = await manager.find(Teacher, { where: { active: true } });
    const rooms = await manager.find(Room, { where: { active: true }, relations: { location: true } });
    const nonTeachingDays = await this.nonTeachingDays.calendar(manager);
    return {
      teachers: teachers.map(toPlanningTeacher),
      rooms: rooms.map((r) => ({ id: r.id, name: `${r.location.name}, ${r.name}`, capacity: r.capacity, locationId: r.locationId })),
      nonTeachingDays,
    };
  }

  /** Every conflict on dates from `from` to `to`. */
  async conflictsBetween(from: IsoDate, to: IsoDate, manager: EntityManager = this.db.manager): Promise<Conflict[]> {
    return detectConflicts(await this.board(manager, from, to)).filter((c) => c.date >= from && c.date <= to);
  }

  /** Every conflict that involves a session of the edition. */
  async conflictsOfEdition(editionId: string, manager: EntityManager = this.db.manager): Promise<Conflict[]> {
    const own = await this.editionSessions(manager, [editionId]);
    if (own.length === 0) return [];
    const ids = new Set(own.map((s) => s.id));
    const board = await this.board(manager, own[0].date, own[own.length - 1].date);
    return detectConflicts(board).filter((c) => c.sessionIds.some((id) => ids.has(id)));
  }

  /**
   * Judges a change before it is saved: `changed` are sessions as they will be (new ones
   * included), `removed` the ids of sessions that will no longer take place. Conflicts the
   * change creates answer 409 with the list, unless the request accepts them; then the
   * acceptance and its reason go into the audit log with the change.
   */
  async assertAcceptable(manager: EntityManager, proposed: PlannedSession[], removed: string[], acceptance: ConflictAcceptance): Promise<Conflict[]> {
    const enrolled = await this.participants.countEnrolled([...new Set(proposed.map((s) => s.editionId))], manager);
    const changed = proposed.map((s) => ({ ...s, enrolledCount: enrolled.get(s.editionId) ?? 0 }));
    const before = await this.editionSessionsById(manager, [...changed.map((s) => s.id), ...removed]);
    const dates = [...changed, ...before.values()].map((s) => s.date).sort();
    if (dates.length === 0) return [];
    const board = await this.board(manager, dates[0], dates[dates.length - 1]);
    const touched = new Set([...changed.map((s) => s.id), ...removed]);
    const involves = (c: Conflict) => c.sessionIds.some((id) => touched.has(id));
    const existing = new Set(detectConflicts(board).filter(involves).map(conflictKey));
    const after = { ...board, sessions: [...board.sessions.filter((s) => !touched.has(s.id)), ...changed] };
    const created = detectConflicts(after).filter((c) => involves(c) && !existing.has(conflictKey(c)));
    if (created.length === 0) return [];
    if (!acceptance.acceptConflicts) {
      throw new ConflictError(
        'planning_conflicts',
        `The change would create ${created.length} conflict(s): ${created.map((c) => c.message).join('; ')}. Send acceptConflicts: true to save it anyway.`,
        { conflicts: created },
      );
    }
    return created;
  }

  /** Sessions as the engine sees them, with the enrolled count for room sizes and the course's discipline for expertise. */
  async toPlanned(manager: EntityManager, rows: SessionRow[]): Promise<PlannedSession[]> {
    const enrolled = await this.participants.countEnrolled([...new Set(rows.map((r) => r.edition_id))], manager);
    const disciplines = await this.catalogue.disciplines([...new Set(rows.map((r) => r.course_id))], manager);
    return rows.map((r) => ({
      id: r.id,
      editionId: r.edition_id,
      courseId: r.course_id,
      discipline: disciplines.get(r.course_id),
      date: r.date,
      startTime: r.start_time,
      endTime: r.end_time,
      teacherId: r.teacher_id,
      roomId: r.room_id,
      enrolledCount: enrolled.get(r.edition_id) ?? 0,
      editionCapacity: r.capacity,
      locationId: r.location_id,
    }));
  }

  private async editionSessionsById(manager: EntityManager, ids: string[]): Promise<Map<string, PlannedSession>> {
    const rows: SessionRow[] = await manager.query(`SELECT ${SESSION_COLUMNS} FROM ${SESSION_SOURCE} AND s.id = ANY($1::uuid[])`, [ids]);
    return new Map((await this.toPlanned(manager, rows)).map((s) => [s.id, s]));
  }

  private async assemble(manager: EntityManager, rows: SessionRow[]): Promise<Omit<PlanningBoard, 'busy'>> {
    const sessions = await this.toPlanned(manager, rows);
    return { sessions, ...(await this.resources(manager)) };
  }
}

export function toPlanningTeacher(t: Teacher): PlanningTeacher {
  return {
    id: t.id,
    name: t.name,
    courseIds: t.courseIds,
    disciplines: t.disciplines,
    availability: t.availability,
    blocked: t.blockedPeriods,
    ...(t.maxMeetingsPerWeek !== null ? { maxMeetingsPerWeek: t.maxMeetingsPerWeek } : {}),
  };
}
