import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, In } from 'typeorm';
import { CatalogueService } from '../catalogue/catalogue.service';
import type { Course } from '../catalogue/course.entity';
import { BusinessRuleError, InvalidInputError, NotFoundError } from '../kernel/domain-errors';
import { Page, pageFrom } from '../http/pagination';
import type { FieldError } from '../kernel/domain-errors';
import {
  ChangeEditionStatusDto,
  CreateEditionDto,
  EditionDetail,
  EditionQuery,
  UpdateEditionDto,
} from './dto/edition.dto';
import type { CreatedEdition } from './dto/planning.dto';
import { AddSessionDto, UpdateSessionDto } from './dto/session.dto';
import { Edition, EDITION_TRANSITIONS, EditionStatus } from './edition.entity';
import type { MeetingPattern } from '../catalogue/meeting-pattern';
import { generateMeetings } from './engine/meeting-pattern';
import type { PlannedSession } from './engine/model';
import { minutesOf, resolveWallTime } from '../kernel/time';
import { Location } from './location.entity';
import { NonTeachingDaysService } from './non-teaching-days.service';
import { acceptanceReason, PlanningBoardService } from './planning-board.service';
import { becauseOf } from '../audit/audit-reason';
import { PlanningMail } from './planning-mail.service';
import { Room } from './room.entity';
import { Session } from './session.entity';
import { Teacher } from './teacher.entity';
import { definedFields } from '../http/defined-fields';
import { staleVersion } from '../database/version-lock';
import { DomainEvents } from '../events/domain-events';
import type { SessionChanged } from './planning-events';

/** Statuses in which an edition's sessions can no longer change. */
const CLOSED: readonly EditionStatus[] = ['completed', 'cancelled'];

/** The event each status raises, where another module may care. */
const EDITION_EVENTS: Partial<Record<EditionStatus, 'edition.opened' | 'edition.confirmed' | 'edition.cancelled'>> = {
  open: 'edition.opened',
  confirmed: 'edition.confirmed',
  cancelled: 'edition.cancelled',
};

@Injectable()
export class EditionsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly board: PlanningBoardService,
    private readonly nonTeachingDays: NonTeachingDaysService,
    private readonly mail: PlanningMail,
    private readonly events: DomainEvents,
    private readonly catalogue: CatalogueService,
  ) {}

  async list(query: EditionQuery): Promise<Page<Edition>> {
    const qb = this.db.getRepository(Edition).createQueryBuilder('edition').orderBy('edition.startDate').addOrderBy('edition.code');
    if (query.courseId) qb.andWhere('edition.courseId = :courseId', { courseId: query.courseId });
    if (query.status) qb.andWhere('edition.status = :status', { status: query.status });
    if (query.startsFrom) qb.andWhere('edition.startDate >= :from', { from: query.startsFrom });
    if (query.startsUntil) qb.andWhere('edition.startDate <= :until', { until: query.startsUntil });
    return pageFrom(qb, query);
  }

  async get(id: string, manager: EntityManager = this.db.manager): Promise<EditionDetail> {
    const edition = await this.edition(id, manager);
    const sessions = await manager.find(Session, { where: { editionId: id }, order: { date: 'ASC', startTime: 'ASC' } });
    return { ...edition, sessions };
  }

  async edition(id: string, manager: EntityManager = this.db.manager, lock = false): Promise<Edition> {
    const edition = await this.find(id, manager, lock);
    if (!edition) throw new NotFoundError('Edition', id);
    return edition;
  }

  /** The code, course and start of each edition, for the modules that keep an edition's id (editions not found are left out). */
  async coursesOf(editionIds: readonly string[], manager: EntityManager = this.db.manager): Promise<Map<string, { code: string; courseId: string; startDate: string }>> {
    if (editionIds.length === 0) return new Map();
    const editions = await manager.find(Edition, { where: { id: In([...new Set(editionIds)]) }, select: { id: true, code: true, courseId: true, startDate: true } });
    return new Map(editions.map((e) => [e.id, { code: e.code, courseId: e.courseId, startDate: e.startDate }]));
  }

  /** The edition, or null; `lock` takes its row for the rest of the caller's transaction (`SELECT … FOR UPDATE`). */
  async find(id: string, manager: EntityManager = this.db.manager, lock = false): Promise<Edition | null> {
    return manager.findOne(Edition, { where: { id }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
  }

  /** Creates an edition in `draft` with the sessions its pattern yields; skipped dates are reported. */
  async create(input: CreateEditionDto): Promise<CreatedEdition> {
    return this.db.transaction(async (manager) => {
      await this.board.lock(manager);
      const [course] = await this.catalogue.courses([input.courseId], manager);
      if (!course) throw invalid('courseId', 'exists', `course ${input.courseId} does not exist`);
      if (course.retiredAt) {
        throw new BusinessRuleError('course_retired', `Course ${course.code} is retired: no new editions`, {}, [
          { field: 'courseId', rule: 'not_retired', message: `course ${course.code} is retired` },
        ]);
      }
      const location = await manager.findOneBy(Location, { id: input.locationId });
      if (!location) throw invalid('locationId', 'exists', `location ${input.locationId} does not exist`);
      const room = input.roomId ? await this.room(manager, input.roomId, 'roomId') : null;
      if (room && room.locationId !== location.id) throw invalid('roomId', 'at_location', `room ${room.name} is not at location ${location.name}`);
      const teacher = input.teacherId ? await this.teacher(manager, input.teacherId, 'teacherId') : null;

      const patternInput = input.pattern ?? course.defaultPattern;
      if (!patternInput) throw invalid('pattern', 'required', `course ${course.code} has no default pattern: give a pattern`);
      const pattern: MeetingPattern = { ...patternInput, startDate: input.startDate };
      const series = generateMeetings(pattern, await this.nonTeachingDays.calendar(manager));
      if (series.violations.length > 0) {
        throw new InvalidInputError(series.violations.map((v) => ({ ...v, field: v.field === 'startDate' ? 'startDate' : `pattern.${v.field}` })));
      }

      const capacity = input.capacity ?? course.maxParticipants;
      const minParticipants = input.minParticipants ?? Math.min(course.minParticipants, capacity);
      this.checkEditionFields({ capacity, minParticipants, startDate: input.startDate, enrolmentDeadline: input.enrolmentDeadline, goNoGoDate: input.goNoGoDate });
      if (room) assertRoomFits(room, capacity);

      const edition = await manager.save(
        manager.create(Edition, {
          code: input.code ?? (await this.nextCode(manager, course, input.startDate)),
          courseId: course.id,
          titleSuffix: input.titleSuffix ?? '',
          startDate: input.startDate,
          weekdays: [...pattern.weekdays].sort(),
          startTime: pattern.startTime,
          endTime: pattern.endTime,
          meetingCount: pattern.count,
          intervalWeeks: pattern.intervalWeeks,
          locationId: location.id,
          capacity,
          minParticipants,
          enrolmentDeadline: input.enrolmentDeadline ?? null,
          goNoGoDate: input.goNoGoDate ?? null,
          priceOverrideCents: input.priceOverrideCents ?? null,
          status: 'draft',
          statusChangedAt: new Date(),
          cancellationReason: null,
          goNoGoProposedAt: null,
        }),
      );
      const sessions = series.meetings.map((m) =>
        manager.create(Session, {
          editionId: edition.id,
          date: m.date,
          startTime: m.startTime,
          endTime: m.endTime,
          teacherId: teacher?.id ?? null,
          roomId: room?.id ?? null,
          status: 'planned',
          sequence: 0,
        }),
      );
      // Ids first, so that the conflict check can name the sessions.
      for (const session of sessions) session.id = randomUUID();
      const planned = sessions.map((s) => plannedOf(s, edition, course));
      const acceptedConflicts = await this.board.assertAcceptable(manager, planned, [], input);
      await manager.save(sessions, becauseOf(acceptanceReason(acceptedConflicts, input)));
      return { edition: await this.get(edition.id, manager), skippedDates: series.skipped, acceptedConflicts };
    });
  }

  async update(id: string, input: UpdateEditionDto): Promise<EditionDetail> {
    return this.db.transaction(async (manager) => {
      const edition = await this.edition(id, manager, true);
      const { version, ...changes } = definedFields(input);
      if (version !== edition.version) throw staleVersion(`Edition ${edition.code}`, edition.version);
      if (CLOSED.includes(edition.status)) throw closed(edition);
      const next = { ...edition, ...changes };
      this.checkEditionFields(next);
      if (changes.capacity !== undefined) {
        const rooms = await manager.query(
          `SELECT DISTINCT r.name, r.capacity FROM session s JOIN room r ON r.id = s.room_id
           WHERE s.edition_id = $1 AND s.status = 'planned' AND r.capacity IS NOT NULL ORDER BY r.capacity LIMIT 1`,
          [id],
        );
        if (rooms.length > 0) assertRoomFits(rooms[0], changes.capacity);
      }
      await manager.save(Object.assign(edition, changes));
      return this.get(id, manager);
    });
  }

  /** Moves an edition along `draft → open → confirmed → running → completed`, or cancels it. */
  async changeStatus(id: string, input: ChangeEditionStatusDto): Promise<EditionDetail> {
    return this.db.transaction(async (manager) => {
      const edition = await this.edition(id, manager, true);
      if (input.version !== edition.version) throw staleVersion(`Edition ${edition.code}`, edition.version);
      await this.transition(manager, edition, input.status, input.reason);
      return this.get(id, manager);
    });
  }

  /**
   * The status change itself, for requests and for the go/no-go check: confirming or
   * cancelling mails every enrolled student; cancelling cancels the sessions too.
   */
  async transition(manager: EntityManager, edition: Edition, to: EditionStatus, reason?: string): Promise<void> {
    if (!EDITION_TRANSITIONS[edition.status].includes(to)) {
      const allowed = EDITION_TRANSITIONS[edition.status];
      throw new BusinessRuleError(
        'invalid_status_transition',
        `Edition ${edition.code} is ${edition.status}; it can go to ${allowed.length > 0 ? allowed.join(' or ') : 'no other status'}, not ${to}`,
        { from: edition.status, to, allowed },
      );
    }
    if (to === 'open') {
      const course = await this.catalogue.course(edition.courseId, manager);
      if (course.retiredAt) throw new BusinessRuleError('course_retired', `Course ${course.code} is retired: the edition cannot open`);
    }
    Object.assign(edition, { status: to, statusChangedAt: new Date(), ...(to === 'cancelled' ? { cancellationReason: reason ?? null } : {}) });
    await manager.save(edition, becauseOf(reason));
    if (to === 'cancelled') {
      const sessions = await manager.findBy(Session, { editionId: edition.id, status: 'planned' });
      await manager.save(sessions.map((s) => Object.assign(s, { status: 'cancelled', sequence: s.sequence + 1 })));
    }
    if (to === 'confirmed' || to === 'cancelled') await this.mail.editionDecided(manager, edition);
    const event = EDITION_EVENTS[to];
    if (event) await this.events.publish(manager, event, { editionId: edition.id, courseId: edition.courseId, at: new Date() });
  }

  async addSession(editionId: string, input: AddSessionDto): Promise<Session> {
    return this.db.transaction(async (manager) => {
      await this.board.lock(manager);
      const edition = await this.edition(editionId, manager, true);
      if (CLOSED.includes(edition.status)) throw closed(edition);
      const session = manager.create(Session, {
        id: randomUUID(),
        editionId,
        date: input.date,
        startTime: input.startTime ?? edition.startTime,
        endTime: input.endTime ?? edition.endTime,
        teacherId: input.teacherId ?? null,
        roomId: input.roomId ?? null,
        status: 'planned',
        sequence: 0,
      });
      await this.checkSession(manager, session, edition);
      const course = await this.catalogue.course(edition.courseId, manager);
      const accepted = await this.board.assertAcceptable(manager, [plannedOf(session, edition, course)], [], input);
      const saved = await manager.save(session, becauseOf(acceptanceReason(accepted, input)));
      await this.mail.sessionChanged(manager, edition, null, await this.mail.stateOf(manager, saved));
      await this.sessionChanged(manager, saved, 'added');
      return saved;
    });
  }

  /** Moves a session or changes its teacher or room, with optimistic locking on its version. */
  async updateSession(id: string, input: UpdateSessionDto): Promise<Session> {
    return this.db.transaction(async (manager) => {
      await this.board.lock(manager);
      const session = await this.lockedSession(manager, id, input.version);
      const edition = await this.edition(session.editionId, manager);
      if (CLOSED.includes(edition.status)) throw closed(edition);
      const before = await this.mail.stateOf(manager, session);
      const { version: _version, acceptConflicts: _accept, reason: _reason, ...changes } = definedFields(input);
      const next = Object.assign(manager.create(Session, { ...session }), changes);
      await this.checkSession(manager, next, edition);
      const course = await this.catalogue.course(edition.courseId, manager);
      const accepted = await this.board.assertAcceptable(manager, [plannedOf(next, edition, course)], [], input);
      const visible = (['date', 'startTime', 'endTime', 'teacherId', 'roomId'] as const).some((f) => next[f] !== session[f]);
      if (!visible) return session;
      Object.assign(session, changes, { sequence: session.sequence + 1 });
      const saved = await manager.save(session, becauseOf(acceptanceReason(accepted, input)));
      await this.mail.sessionChanged(manager, edition, before, await this.mail.stateOf(manager, saved));
      await this.sessionChanged(manager, saved, 'changed');
      return saved;
    });
  }

  /** Cancels one session; it stays in calendars as cancelled. */
  async cancelSession(id: string, version: number, reason?: string): Promise<Session> {
    return this.db.transaction(async (manager) => {
      await this.board.lock(manager);
      const session = await this.lockedSession(manager, id, version);
      const edition = await this.edition(session.editionId, manager);
      if (CLOSED.includes(edition.status)) throw closed(edition);
      if (session.status === 'cancelled') return session;
      const before = await this.mail.stateOf(manager, session);
      const saved = await manager.save(Object.assign(session, { status: 'cancelled', sequence: session.sequence + 1 }), becauseOf(reason));
      await this.mail.sessionChanged(manager, edition, before, await this.mail.stateOf(manager, saved), reason);
      await this.sessionChanged(manager, saved, 'cancelled');
      return saved;
    });
  }

  /** Tells the other modules; one edition's sessions cancelled with it are told as the edition's cancellation. */
  sessionChanged(manager: EntityManager, session: Session, change: SessionChanged['change']): Promise<void> {
    return this.events.publish(manager, 'session.changed', { sessionId: session.id, editionId: session.editionId, change, at: new Date() });
  }

  /** Reads a session for change, locked, and refuses a stale version. */
  async lockedSession(manager: EntityManager, id: string, version: number): Promise<Session> {
    const session = await manager.findOne(Session, { where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!session) throw new NotFoundError('Session', id);
    if (session.version !== version) {
      throw staleVersion(`Session ${id}`, session.version);
    }
    return session;
  }

  /** Rules a single session must meet whatever the rest of the planning looks like. */
  async checkSession(manager: EntityManager, session: Session, edition: Edition): Promise<void> {
    const errors: FieldError[] = [];
    if (minutesOf(session.endTime) <= minutesOf(session.startTime)) {
      errors.push({ field: 'endTime', rule: 'after_start', message: `end time ${session.endTime} is not after start time ${session.startTime}` });
    }
    for (const field of ['startTime', 'endTime'] as const) {
      const resolved = resolveWallTime(session.date, session[field]);
      if (resolved.kind === 'nonexistent') {
        errors.push({ field, rule: 'dst_nonexistent', message: `${session[field]} does not exist on ${session.date}: the clocks go forward that night` });
      } else if (resolved.kind === 'ambiguous') {
        errors.push({ field, rule: 'dst_ambiguous', message: `${session[field]} occurs twice on ${session.date}: the clocks go back that night` });
      }
    }
    if (errors.length > 0) throw new InvalidInputError(errors);
    if (session.roomId) assertRoomFits(await this.room(manager, session.roomId, 'roomId'), edition.capacity);
    if (session.teacherId) await this.teacher(manager, session.teacherId, 'teacherId');
  }

  private checkEditionFields(e: { capacity: number; minParticipants: number; startDate: string; enrolmentDeadline?: string | null; goNoGoDate?: string | null }): void {
    const errors: FieldError[] = [];
    if (e.minParticipants > e.capacity) {
      errors.push({ field: 'minParticipants', rule: 'at_most_capacity', message: `minParticipants (${e.minParticipants}) is above the capacity (${e.capacity})` });
    }
    if (e.goNoGoDate && e.goNoGoDate > e.startDate) {
      errors.push({ field: 'goNoGoDate', rule: 'not_after_start', message: `the go/no-go date ${e.goNoGoDate} is after the start date ${e.startDate}` });
    }
    if (e.enrolmentDeadline && e.enrolmentDeadline > e.startDate) {
      errors.push({ field: 'enrolmentDeadline', rule: 'not_after_start', message: `the enrolment deadline ${e.enrolmentDeadline} is after the start date ${e.startDate}` });
    }
    if (errors.length > 0) throw new InvalidInputError(errors);
  }

  private async room(manager: EntityManager, id: string, field: string): Promise<Room> {
    const room = await manager.findOneBy(Room, { id });
    if (!room) throw invalid(field, 'exists', `room ${id} does not exist`);
    if (!room.active) throw new BusinessRuleError('room_inactive', `Room ${room.name} is no longer in use`, {}, [{ field, rule: 'active', message: `room ${room.name} is inactive` }]);
    return room;
  }

  private async teacher(manager: EntityManager, id: string, field: string): Promise<Teacher> {
    const teacher = await manager.findOneBy(Teacher, { id });
    if (!teacher) throw invalid(field, 'exists', `teacher ${id} does not exist`);
    if (!teacher.active) throw new BusinessRuleError('teacher_inactive', `${teacher.name} no longer teaches`, {}, [{ field, rule: 'active', message: `teacher ${teacher.name} is inactive` }]);
    return teacher;
  }

  /** `<course code>-<year>-<nn>`, the next free number for the course in the start year. */
  private async nextCode(manager: EntityManager, course: Course, startDate: string): Promise<string> {
    const prefix = `${course.code}-${startDate.slice(0, 4)}-`;
    const taken = await manager.find(Edition, { select: { code: true }, where: { courseId: course.id } });
    const numbers = taken.filter((e) => e.code.startsWith(prefix)).map((e) => Number(e.code.slice(prefix.length)) || 0);
    return `${prefix}${String(Math.max(0, ...numbers) + 1).padStart(2, '0')}`;
  }
}

export function plannedOf(session: Session, edition: Edition, course: Course): PlannedSession {
  return {
    id: session.id,
    editionId: edition.id,
    courseId: course.id,
    discipline: course.discipline,
    date: session.date,
    startTime: session.startTime,
    endTime: session.endTime,
    teacherId: session.teacherId,
    roomId: session.roomId,
    // Enrolled students are judged against the room by the edition's capacity, which is the most it may hold.
    enrolledCount: 0,
    editionCapacity: edition.capacity,
    locationId: edition.locationId,
  };
}

/** Capacity is at most the smallest room the edition uses (online rooms have no limit). */
export function assertRoomFits(room: Pick<Room, 'name' | 'capacity'>, capacity: number): void {
  if (room.capacity !== null && room.capacity < capacity) {
    throw new BusinessRuleError('capacity_above_room', `Room ${room.name} has ${room.capacity} seats, fewer than the edition's capacity of ${capacity}`, {}, [
      { field: 'capacity', rule: 'at_most_room_capacity', message: `capacity ${capacity} is above the ${room.capacity} seats of room ${room.name}` },
    ]);
  }
}

const invalid = (field: string, rule: string, message: string) => new InvalidInputError([{ field, rule, message }]);
const closed = (edition: Edition) => new BusinessRuleError('edition_closed', `Edition ${edition.code} is ${edition.status}: its sessions can no longer change`);
