import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, Not } from 'typeorm';
import { becauseOf } from '../audit/audit-reason';
import { CatalogueService } from '../catalogue/catalogue.service';
import { lockVersion } from '../database/version-lock';
import { BusinessRuleError, ConflictError, InvalidInputError, NotFoundError } from '../kernel/domain-errors';
import { definedFields } from '../http/defined-fields';
import { Page, pageFrom } from '../http/pagination';
import { Actor, RequestContext } from '../kernel/request-context';
import { todayInAmsterdam } from '../kernel/time';
import { EditionsService } from '../planning/editions.service';
import { LocationsService } from '../planning/locations.service';
import { OtherOccupancies, OccupancyQuery, OtherOccupancy } from '../planning/other-occupancy';
import { PlanningBoardService } from '../planning/planning-board.service';
import { TeachersService } from '../planning/teachers.service';
import { ChangeSittingStatusDto, CreateSittingDto, SittingConflictAcceptanceDto, SittingQuery, UpdateSittingDto } from './dto/sitting.dto';
import { DomainEvents } from '../events/domain-events';
import { registrationWithdrawn } from './exam-events';
import { ExamRegistration } from './exam-registration.entity';
import { ExamStudents } from './exam-students';
import { ExamSitting, ExamSittingStatusChange, SITTING_TRANSITIONS } from './exam-sitting.entity';
import { ExamMail } from './exam-mail.service';
import { Booking, checkSittingTimes, overlaps, resourceConflicts, SittingConflict, studentConflicts } from './sitting-rules';

/** Staff who may see every sitting. */
export const EXAM_STAFF = ['admin', 'planner', 'coordinator', 'advisor'] as const;

const isStaff = (actor: Actor) => actor.roles.some((role) => (EXAM_STAFF as readonly string[]).includes(role));

/** The id planning's calendars and conflicts know a sitting by. */
export const occupancyId = (sittingId: string) => `exam-sitting-${sittingId}`;

const bookingOf = (s: Pick<ExamSitting, 'id' | 'date' | 'startTime' | 'endTime' | 'roomId' | 'invigilatorIds'>): Booking => ({
  ref: `sitting ${s.id}`,
  date: s.date,
  startTime: s.startTime,
  endTime: s.endTime,
  roomId: s.roomId,
  teacherIds: s.invigilatorIds,
});

/**
 * Exam sittings: when and where a component is taken, by whom it is invigilated, and how many
 * may register. Sittings take planning's rooms and teachers: they are checked against planning's
 * sessions (and each other) under planning's lock, and planning sees them through the
 * occupancy this service registers.
 */
@Injectable()
export class ExamSittingsService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly catalogue: CatalogueService,
    private readonly board: PlanningBoardService,
    private readonly locations: LocationsService,
    private readonly teachers: TeachersService,
    private readonly editions: EditionsService,
    private readonly occupancies: OtherOccupancies,
    private readonly students: ExamStudents,
    private readonly mail: ExamMail,
    private readonly events: DomainEvents,
  ) {}

  onModuleInit(): void {
    this.occupancies.register({ name: 'exam-sittings', occupancy: (manager, query) => this.occupancy(manager, query) });
  }

  async list(query: SittingQuery, actor: Actor): Promise<Page<ExamSitting>> {
    const qb = this.db.getRepository(ExamSitting).createQueryBuilder('s');
    if (query.from) qb.andWhere('s.date >= :from', { from: query.from });
    if (query.to) qb.andWhere('s.date <= :to', { to: query.to });
    if (query.componentId) qb.andWhere('s.componentId = :componentId', { componentId: query.componentId });
    if (query.courseId) qb.andWhere('s.courseId = :courseId', { courseId: query.courseId });
    if (query.status) qb.andWhere('s.status = :status', { status: query.status });
    if (query.invigilatorId) qb.andWhere(':invigilator = ANY(s.invigilatorIds)', { invigilator: query.invigilatorId });
    if (!isStaff(actor)) {
      // A teacher sees what they invigilate; a student the sittings open for registration.
      const own: string[] = [];
      if (actor.teacherId) own.push(':self = ANY(s.invigilatorIds)');
      if (actor.studentId) own.push(`s.status = 'open'`);
      qb.andWhere(own.length > 0 ? `(${own.join(' OR ')})` : 'false', { self: actor.teacherId });
    }
    qb.orderBy('s.date').addOrderBy('s.startTime').addOrderBy('s.id');
    return pageFrom(qb, query);
  }

  async get(id: string, actor: Actor): Promise<ExamSitting> {
    const sitting = await this.db.getRepository(ExamSitting).findOneBy({ id });
    if (!sitting || !this.maySee(actor, sitting)) throw new NotFoundError('Exam sitting', id);
    return sitting;
  }

  maySee(actor: Actor, sitting: ExamSitting): boolean {
    if (isStaff(actor)) return true;
    if (actor.teacherId && sitting.invigilatorIds.includes(actor.teacherId)) return true;
    return actor.studentId !== undefined && sitting.status === 'open';
  }

  async create(input: CreateSittingDto): Promise<ExamSitting> {
    return this.db.transaction(async (manager) => {
      await this.board.lock(manager);
      return this.createIn(manager, input);
    });
  }

  /** Creates a sitting inside the caller's transaction, which holds planning's lock. */
  async createIn(manager: EntityManager, input: CreateSittingDto): Promise<ExamSitting> {
    const component = await this.catalogue.examComponent(input.componentId, manager);
    const draft = manager.create(ExamSitting, {
      componentId: component.id,
      courseId: component.courseId,
      editionId: input.editionId ?? null,
      date: input.date,
      startTime: input.startTime,
      durationMinutes: input.durationMinutes,
      mode: input.mode,
      roomId: input.roomId ?? null,
      invigilatorIds: input.invigilatorIds ?? [],
      capacity: input.capacity,
      resitFeeCents: input.resitFeeCents ?? null,
      note: input.note ?? null,
      status: 'planned',
      sequence: 0,
      resultsPublishedAt: null,
    });
    await this.check(manager, draft, 0);
    const accepted = await this.assertNoConflicts(manager, draft, input);
    return manager.save(draft, becauseOf(accepted));
  }

  /** Of these rooms, those that no session or sitting takes between start and end on the date. */
  async freeRooms(manager: EntityManager, date: string, startTime: string, endTime: string, roomIds: readonly string[]): Promise<string[]> {
    const slot: Booking = { ref: 'slot', date, startTime, endTime };
    const taken = new Set((await this.bookingsOn(manager, date)).filter((b) => b.roomId && overlaps(slot, b)).map((b) => b.roomId!));
    return roomIds.filter((id) => !taken.has(id));
  }

  async update(id: string, input: UpdateSittingDto): Promise<ExamSitting> {
    return this.db.transaction(async (manager) => {
      await this.board.lock(manager);
      await lockVersion(manager, ExamSitting, id, input.version, 'Exam sitting');
      const sitting = await manager.findOneByOrFail(ExamSitting, { id });
      if (sitting.status === 'held' || sitting.status === 'cancelled') {
        throw new BusinessRuleError('sitting_not_changeable', `Sitting ${id} is ${sitting.status} and can no longer change`);
      }
      const before = { ...sitting };
      const { version: _version, acceptConflicts: _accept, reason: _reason, ...fields } = definedFields(input);
      Object.assign(sitting, fields);
      if (input.mode === 'online' && input.roomId === undefined) sitting.roomId = null;
      const registered = await manager.countBy(ExamRegistration, { sittingId: id, status: 'registered' });
      await this.check(manager, sitting, registered);
      const moved = (['date', 'startTime', 'endTime', 'roomId', 'mode'] as const).some((f) => before[f] !== sitting[f]);
      const accepted = moved || before.invigilatorIds.join() !== sitting.invigilatorIds.join() ? await this.assertNoConflicts(manager, sitting, input) : undefined;
      if (moved) sitting.sequence += 1;
      const saved = await manager.save(sitting, becauseOf(accepted));
      if (moved) await this.mail.sittingChanged(manager, saved, before);
      return saved;
    });
  }

  async changeStatus(id: string, input: ChangeSittingStatusDto): Promise<ExamSitting> {
    return this.db.transaction(async (manager) => {
      await lockVersion(manager, ExamSitting, id, input.version, 'Exam sitting');
      const sitting = await manager.findOneByOrFail(ExamSitting, { id });
      return this.transition(manager, sitting, input.status, input.reason);
    });
  }

  /** Moves a sitting along its life cycle; a cancellation withdraws its registrations (`exam.registration_withdrawn` each) and tells the students. */
  async transition(manager: EntityManager, sitting: ExamSitting, to: ExamSitting['status'], reason?: string): Promise<ExamSitting> {
    const from = sitting.status;
    if (!SITTING_TRANSITIONS[from].includes(to)) {
      throw new BusinessRuleError('invalid_status_transition', `A sitting that is ${from} cannot become ${to}`, { from, to, allowed: SITTING_TRANSITIONS[from] });
    }
    if (to === 'held' && sitting.date > todayInAmsterdam()) {
      throw new BusinessRuleError('sitting_not_yet_held', `Sitting ${sitting.id} is on ${sitting.date} and cannot be held before that day`);
    }
    sitting.status = to;
    if (to === 'cancelled') sitting.sequence += 1;
    const saved = await manager.save(sitting);
    await manager.insert(ExamSittingStatusChange, { sittingId: sitting.id, fromStatus: from, toStatus: to, reason: reason ?? null, actorId: RequestContext.current().actor?.id ?? null });
    if (to === 'cancelled') {
      const registrations = await manager.findBy(ExamRegistration, { sittingId: sitting.id, status: 'registered' });
      await this.mail.sittingCancelled(manager, saved, registrations, reason ?? null);
      if (registrations.length > 0) {
        const cancelledAt = new Date();
        await manager.update(ExamRegistration, { id: In(registrations.map((r) => r.id)) }, { status: 'cancelled', cancelledAt });
        for (const registration of registrations) {
          await this.events.publish(manager, 'exam.registration_withdrawn', registrationWithdrawn({ ...registration, cancelledAt }, 'sitting_cancelled'));
        }
      }
    }
    return saved;
  }

  /** Deletes a planned sitting nobody registered for; anything else is cancelled instead. */
  async remove(id: string, version: number): Promise<void> {
    await this.db.transaction(async (manager) => {
      await lockVersion(manager, ExamSitting, id, version, 'Exam sitting');
      const sitting = await manager.findOneByOrFail(ExamSitting, { id });
      const registrations = await manager.countBy(ExamRegistration, { sittingId: id });
      if (sitting.status !== 'planned' || registrations > 0) {
        throw new BusinessRuleError('sitting_not_deletable', `Only a planned sitting without registrations can be deleted; cancel sitting ${id} instead`);
      }
      await manager.delete(ExamSittingStatusChange, { sittingId: id });
      await manager.delete(ExamSitting, { id });
    });
  }

  /** Every clash of the sitting as it stands: room, invigilators, registered students. */
  async conflicts(id: string, manager: EntityManager = this.db.manager): Promise<SittingConflict[]> {
    const sitting = await manager.findOneBy(ExamSitting, { id });
    if (!sitting) throw new NotFoundError('Exam sitting', id);
    if (sitting.status === 'cancelled') return [];
    return this.conflictsOf(manager, sitting);
  }

  async conflictsOf(manager: EntityManager, sitting: ExamSitting): Promise<SittingConflict[]> {
    const booking = bookingOf(sitting);
    const others = await this.bookingsOn(manager, sitting.date, sitting.id);
    const found = resourceConflicts(booking, others);
    const students = sitting.id ? (await manager.findBy(ExamRegistration, { sittingId: sitting.id, status: 'registered' })).map((r) => r.studentId) : [];
    found.push(...(await this.studentClashes(manager, sitting, students)));
    return found;
  }

  /** The clashes of these students with the sitting: their other sittings, and sessions of editions they are enrolled in. */
  async studentClashes(manager: EntityManager, sitting: ExamSitting, studentIds: readonly string[]): Promise<SittingConflict[]> {
    if (studentIds.length === 0) return [];
    const theirSittings: Array<{ student_id: string; id: string; start_time: string; end_time: string }> = await manager.query(
      `SELECT r.student_id, s.id, s.start_time, s.end_time FROM exam_registration r JOIN exam_sitting s ON s.id = r.sitting_id
        WHERE r.status = 'registered' AND s.status <> 'cancelled' AND s.date = $1 AND s.id <> $2 AND r.student_id = ANY($3::uuid[])`,
      [sitting.date, sitting.id ?? '00000000-0000-0000-0000-000000000000', studentIds],
    );
    const board = await this.board.board(manager, sitting.date, sitting.date);
    const sessions = board.sessions.filter((s) => s.date === sitting.date);
    const enrolled = new Map<string, Set<string>>();
    for (const editionId of new Set(sessions.map((s) => s.editionId))) {
      enrolled.set(editionId, new Set(await this.students.enrolledIn(editionId, manager)));
    }
    const found: SittingConflict[] = [];
    for (const studentId of studentIds) {
      const theirs: Booking[] = [
        ...theirSittings.filter((r) => r.student_id === studentId).map((r) => ({ ref: `sitting ${r.id}`, date: sitting.date, startTime: r.start_time, endTime: r.end_time })),
        ...sessions.filter((s) => enrolled.get(s.editionId)?.has(studentId)).map((s) => ({ ref: `session ${s.id}`, date: s.date, startTime: s.startTime, endTime: s.endTime })),
      ];
      found.push(...studentConflicts(bookingOf(sitting), studentId, theirs));
    }
    return found;
  }

  /**
   * Refuses a change that creates conflicts (409 `sitting_conflicts`) unless they are accepted
   * with a reason; answers the audit log's reason for the save then.
   */
  async assertNoConflicts(manager: EntityManager, sitting: ExamSitting, acceptance: SittingConflictAcceptanceDto): Promise<string | undefined> {
    const found = await this.conflictsOf(manager, sitting);
    if (found.length === 0) return undefined;
    if (!acceptance.acceptConflicts) {
      throw new ConflictError(
        'sitting_conflicts',
        `The sitting would clash ${found.length} time(s): ${found.map((c) => c.message).join('; ')}. Send acceptConflicts: true with a reason to save it anyway.`,
        { conflicts: found },
      );
    }
    return `Accepted sitting conflicts (${[...new Set(found.map((c) => c.kind))].join(', ')}): ${acceptance.reason}`;
  }

  /** Sittings (not cancelled) and planning's sessions on a day, as bookings. */
  private async bookingsOn(manager: EntityManager, date: string, exceptSittingId?: string): Promise<Booking[]> {
    const sittings = await manager.find(ExamSitting, { where: { date, status: Not('cancelled') } });
    const board = await this.board.board(manager, date, date);
    return [
      ...sittings.filter((s) => s.id !== exceptSittingId).map(bookingOf),
      ...board.sessions
        .filter((s) => s.date === date)
        .map((s) => ({ ref: `session ${s.id}`, date: s.date, startTime: s.startTime, endTime: s.endTime, roomId: s.roomId ?? null, teacherIds: s.teacherId ? [s.teacherId] : [] })),
    ];
  }

  /** The rules of a sitting that need the database: times, room by mode and size, invigilators, edition, capacity above registrations. */
  private async check(manager: EntityManager, sitting: ExamSitting, registered: number): Promise<void> {
    const times = checkSittingTimes(sitting, todayInAmsterdam());
    if ('errors' in times) throw new InvalidInputError(times.errors);
    sitting.endTime = times.endTime;
    if (sitting.mode === 'on_site' && !sitting.roomId) {
      throw new InvalidInputError([{ field: 'roomId', rule: 'required_on_site', message: 'an on-site sitting needs a room' }]);
    }
    if (sitting.mode === 'online' && sitting.roomId) {
      throw new InvalidInputError([{ field: 'roomId', rule: 'absent_online', message: 'an online sitting has no room' }]);
    }
    if (sitting.roomId) {
      const room = await this.locations.room(sitting.roomId, manager);
      if (room.capacity === null) throw new InvalidInputError([{ field: 'roomId', rule: 'physical_room', message: `room ${room.name} is online; an on-site sitting needs a physical room` }]);
      if (!room.active) throw new BusinessRuleError('room_inactive', `Room ${room.name} is no longer in use`);
      if (sitting.capacity > room.capacity) {
        throw new BusinessRuleError('capacity_above_room', `Room ${room.name} has ${room.capacity} seats; the sitting cannot take ${sitting.capacity}`);
      }
    }
    for (const teacherId of sitting.invigilatorIds) await this.teachers.get(teacherId, manager);
    if (sitting.editionId) {
      const edition = await this.editions.edition(sitting.editionId, manager);
      if (edition.courseId !== sitting.courseId) {
        throw new InvalidInputError([{ field: 'editionId', rule: 'same_course', message: `edition ${edition.code} is not of the component's course` }]);
      }
    }
    if (sitting.capacity < registered) {
      throw new BusinessRuleError('capacity_below_registrations', `${registered} students are registered; the capacity cannot go below that`);
    }
  }

  /** Planning's view of sittings: their room and invigilators taken, and the editions whose calendars show them. */
  private async occupancy(manager: EntityManager, query: OccupancyQuery): Promise<OtherOccupancy[]> {
    const qb = manager.getRepository(ExamSitting).createQueryBuilder('s');
    if (query.from) qb.andWhere('s.date >= :from', { from: query.from });
    if (query.to) qb.andWhere('s.date <= :to', { to: query.to });
    if (query.teacherId) qb.andWhere(':teacher = ANY(s.invigilatorIds)', { teacher: query.teacherId });
    if (query.editionId) {
      qb.andWhere(
        `(s.editionId = :edition OR EXISTS (SELECT 1 FROM exam_registration r WHERE r.sitting_id = s.id AND r.edition_id = :edition AND r.status = 'registered'))`,
        { edition: query.editionId },
      );
    }
    const sittings = await qb.orderBy('s.date').addOrderBy('s.startTime').getMany();
    if (sittings.length === 0) return [];
    const courses = new Map<string, string>();
    const components = new Map<string, string>();
    for (const s of sittings) {
      if (!components.has(s.componentId)) {
        const component = await this.catalogue.examComponent(s.componentId, manager);
        components.set(s.componentId, component.name);
        if (!courses.has(s.courseId)) courses.set(s.courseId, (await this.catalogue.get(s.courseId, manager)).titleNl);
      }
    }
    const editions: Array<{ sitting_id: string; edition_id: string }> = await manager.query(
      `SELECT DISTINCT sitting_id, edition_id FROM exam_registration WHERE status = 'registered' AND sitting_id = ANY($1::uuid[])`,
      [sittings.map((s) => s.id)],
    );
    return sittings.map((s) => ({
      id: occupancyId(s.id),
      title: `Tentamen ${courses.get(s.courseId)} — ${components.get(s.componentId)}`,
      date: s.date,
      startTime: s.startTime,
      endTime: s.endTime,
      roomId: s.roomId,
      teacherIds: s.invigilatorIds,
      editionIds: [...new Set([...(s.editionId ? [s.editionId] : []), ...editions.filter((e) => e.sitting_id === s.id).map((e) => e.edition_id)])],
      cancelled: s.status === 'cancelled',
      sequence: s.sequence,
      updatedAt: s.updatedAt,
    }));
  }
}
