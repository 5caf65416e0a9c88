import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { CatalogueService } from '../catalogue/catalogue.service';
import { BusinessRuleError, ConflictError, InvalidInputError, NotFoundError } from '../kernel/domain-errors';
import type { FieldError } from '../kernel/domain-errors';
import { JobContext, JobRequester, JobsService } from '../jobs/jobs.service';
import { EditionsService } from '../planning/editions.service';
import { todayInAmsterdam } from '../kernel/time';
import { LocationsService } from '../planning/locations.service';
import { PlanningBoardService } from '../planning/planning-board.service';
import { AppliedTimetableDto, ApplyTimetableDto, ProposedSittingDto, StartTimetablingDto, TimetableProposalDto, TimetablingJobDto, UnplacedExamDto } from './dto/timetabling.dto';
import { ExamResult } from './exam-result.entity';
import { ExamStudents } from './exam-students';
import { ExamSitting } from './exam-sitting.entity';
import { ExamSittingsService } from './exam-sittings.service';
import { fitRooms } from './room-fit';
import { checkSittingTimes } from './sitting-rules';
import { solveTimetable } from './timetabler/timetabler';

export const TIMETABLING_QUEUE = 'exams.timetable';

const DEFAULT_TIME_LIMIT_SECONDS = 10;
/** At most this often the job's progress is written. */
const PROGRESS_EVERY_MS = 250;

interface Exam {
  componentId: string;
  componentName: string;
  courseId: string;
  students: string[];
}

/**
 * Exam timetabling as a job, around the timetabler in `timetabler/`: the job proposes (its
 * result is the proposal, with its cost and the exams it could not place and why); applying
 * it is a separate, checked step that creates the sittings.
 */
@Injectable()
export class ExamTimetablingService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly jobs: JobsService,
    private readonly catalogue: CatalogueService,
    private readonly editions: EditionsService,
    private readonly locations: LocationsService,
    private readonly students: ExamStudents,
    private readonly board: PlanningBoardService,
    private readonly sittings: ExamSittingsService,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.jobs.define<StartTimetablingDto, TimetableProposalDto>(TIMETABLING_QUEUE, (job) => this.propose(job), { retryLimit: 0, expireInSeconds: 600 });
  }

  async start(input: StartTimetablingDto, requestedBy: JobRequester): Promise<string> {
    const errors: FieldError[] = [];
    const today = todayInAmsterdam();
    input.slots.forEach((slot, i) => {
      const checked = checkSittingTimes(slot, today);
      if ('errors' in checked) errors.push(...checked.errors.map((e) => ({ ...e, field: `slots[${i}].${e.field}` })));
    });
    for (const [i, id] of input.roomIds.entries()) {
      const room = await this.locations.room(id).catch(() => null);
      if (!room) errors.push({ field: `roomIds[${i}]`, rule: 'exists', message: `room ${id} does not exist` });
      else if (room.capacity === null) errors.push({ field: `roomIds[${i}]`, rule: 'physical_room', message: `room ${room.name} is online` });
    }
    if (input.editionIds === undefined && input.from! > input.to!) errors.push({ field: 'to', rule: 'after_from', message: `to (${input.to}) is before from (${input.from})` });
    if (errors.length > 0) throw new InvalidInputError(errors);
    const editionIds = input.editionIds ?? (await this.editionsMeeting(input.from!, input.to!));
    if (editionIds.length === 0) throw new BusinessRuleError('no_editions', `No edition meets between ${input.from} and ${input.to}`);
    for (const id of editionIds) await this.editions.edition(id);
    return this.jobs.start(TIMETABLING_QUEUE, { ...input, editionIds }, { requestedBy });
  }

  /** The editions with a planned session between the two days (inclusive). */
  private async editionsMeeting(from: string, to: string): Promise<string[]> {
    const board = await this.board.board(this.db.manager, from, to);
    return [...new Set(board.sessions.filter((s) => s.date >= from && s.date <= to).map((s) => s.editionId))];
  }

  async status(jobId: string): Promise<TimetablingJobDto> {
    const status = await this.jobs.status(jobId);
    if (status.queue !== TIMETABLING_QUEUE) throw new NotFoundError('Timetabling job', jobId);
    return { jobId, state: status.state, progress: status.progress, proposal: (status.result as TimetableProposalDto | null) ?? null, error: status.error };
  }

  /** The job: who sits which exam, free seats per slot, the timetabler, then a room per exam in its slot. Changes nothing. */
  async propose(job: JobContext<StartTimetablingDto>): Promise<TimetableProposalDto> {
    const manager = this.db.manager;
    const input = job.data;
    const timeLimitMs = (input.timeLimitSeconds ?? DEFAULT_TIME_LIMIT_SECONDS) * 1000;
    await job.progress(0, timeLimitMs);
    const exams = await this.examsOf(input.editionIds ?? []);
    const rooms = await Promise.all(input.roomIds.map((id) => this.locations.room(id, manager)));
    const capacity = new Map(rooms.map((r) => [r.id, r.capacity ?? 0]));
    const slots = input.slots.map((slot) => ({ ...slot, endTime: (checkSittingTimes(slot, '0000-01-01') as { endTime: string }).endTime }));
    const freePerSlot: string[][] = [];
    for (const slot of slots) freePerSlot.push(await this.sittings.freeRooms(manager, slot.date, slot.startTime, slot.endTime, input.roomIds));

    const numbers = new Map<string, number>();
    const numberOf = (studentId: string) => numbers.get(studentId) ?? (numbers.set(studentId, numbers.size), numbers.size - 1);
    let lastReport = 0;
    let written: Promise<void> = Promise.resolve();
    const timetable = await solveTimetable(
      {
        exams: exams.map((e) => ({ id: e.componentId, students: e.students.map(numberOf) })),
        slotCount: slots.length,
        seatsPerSlot: freePerSlot.map((free) => free.reduce((sum, id) => sum + capacity.get(id)!, 0)),
      },
      {
        timeLimitMs,
        onProgress: (progress) => {
          if (progress.elapsedMs - lastReport < PROGRESS_EVERY_MS) return;
          lastReport = progress.elapsedMs;
          // One write after the other, so that a late one never overwrites the final count; a failed
          // progress write (it only informs) does not stop the search.
          const done = Math.min(timeLimitMs, Math.round(progress.elapsedMs));
          written = written.then(() => job.progress(done, timeLimitMs)).catch(() => undefined);
        },
      },
    );

    const unplaced: UnplacedExamDto[] = timetable.unplaced.map((u) => {
      const exam = exams.find((e) => e.componentId === u.examId)!;
      return { componentId: exam.componentId, componentName: exam.componentName, studentCount: exam.students.length, reason: u.reason };
    });
    const proposed: ProposedSittingDto[] = [];
    slots.forEach((slot, k) => {
      const inSlot = exams.map((exam, index) => ({ exam: index, size: exam.students.length })).filter(({ exam }) => timetable.slots[exam] === k);
      const fitted = fitRooms(inSlot, freePerSlot[k].map((id) => ({ id, capacity: capacity.get(id)! })));
      for (const { exam: index } of inSlot) {
        const exam = exams[index];
        const roomId = fitted.rooms.get(index);
        if (!roomId) {
          unplaced.push({
            componentId: exam.componentId,
            componentName: exam.componentName,
            studentCount: exam.students.length,
            reason: `no free room for ${exam.students.length} students on ${slot.date} at ${slot.startTime}: the slot has seats enough only spread over rooms`,
          });
          continue;
        }
        proposed.push({ componentId: exam.componentId, componentName: exam.componentName, courseId: exam.courseId, studentCount: exam.students.length, date: slot.date, startTime: slot.startTime, durationMinutes: slot.durationMinutes, roomId });
      }
    });
    await written;
    await job.progress(timeLimitMs, timeLimitMs);
    return { cost: Math.round(timetable.cost * 1000) / 1000, slotsUsed: timetable.slotsUsed, sittings: proposed, unplaced };
  }

  /** The components of the editions' courses, each with the enrolled students who have not passed it. */
  private async examsOf(editionIds: readonly string[]): Promise<Exam[]> {
    const manager = this.db.manager;
    const byComponent = new Map<string, Exam>();
    for (const editionId of editionIds) {
      const edition = await this.editions.edition(editionId, manager);
      const course = await this.catalogue.get(edition.courseId, manager);
      const students = await this.students.enrolledIn(editionId, manager);
      for (const component of course.examComponents) {
        const exam = byComponent.get(component.id) ?? { componentId: component.id, componentName: `${course.code} ${component.name}`, courseId: course.id, students: [] };
        exam.students.push(...students.filter((s) => !exam.students.includes(s)));
        byComponent.set(component.id, exam);
      }
    }
    const exams = [...byComponent.values()];
    if (exams.length === 0) return [];
    const passed = await manager.find(ExamResult, { select: { studentId: true, componentId: true }, where: { componentId: In(exams.map((e) => e.componentId)), passed: true } });
    const done = new Set(passed.map((r) => `${r.componentId}:${r.studentId}`));
    for (const exam of exams) exam.students = exam.students.filter((s) => !done.has(`${exam.componentId}:${s}`));
    return exams.filter((e) => e.students.length > 0);
  }

  /** Creates the proposal's sittings (planned) in one transaction, each checked for conflicts as a new sitting is. */
  async apply(jobId: string, acceptance: ApplyTimetableDto): Promise<AppliedTimetableDto> {
    const { state, proposal } = await this.status(jobId);
    if (state !== 'completed' || !proposal) throw new ConflictError('timetable_not_ready', `Timetabling job ${jobId} is ${state}; only a completed proposal can be applied`);
    if (proposal.sittings.length === 0) throw new BusinessRuleError('timetable_empty', 'The proposal places no exam');
    return this.db.transaction(async (manager) => {
      await this.board.lock(manager);
      const sittingIds: string[] = [];
      for (const p of proposal.sittings) {
        const twin = await manager.findOneBy(ExamSitting, { componentId: p.componentId, date: p.date, startTime: p.startTime, roomId: p.roomId, status: In(['planned', 'open', 'closed', 'held']) });
        if (twin) throw new ConflictError('timetable_applied', `The proposal was applied already: sitting ${twin.id} is there`, { sittingId: twin.id });
        const sitting = await this.sittings.createIn(manager, {
          componentId: p.componentId,
          date: p.date,
          startTime: p.startTime,
          durationMinutes: p.durationMinutes,
          mode: 'on_site',
          roomId: p.roomId,
          invigilatorIds: [],
          capacity: p.studentCount,
          note: `Voorgesteld door roosterjob ${jobId}`,
          ...acceptance,
        });
        sittingIds.push(sitting.id);
      }
      return { sittingIds };
    });
  }
}
