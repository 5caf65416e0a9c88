import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { ConflictError, NotFoundError } from '../kernel/domain-errors';
import { JobContext, type JobRequester, JobsService } from '../jobs/jobs.service';
import { ApplyAssignmentDto, AssignmentJobDto, AssignmentProposal, ProposedAssignment, StartAssignmentDto } from './dto/planning.dto';
import { Edition } from './edition.entity';
import { assignSessions, Commitment } from './engine/assignment';
import { EditionsService } from './editions.service';
import { acceptanceReason, PlanningBoardService } from './planning-board.service';
import { becauseOf } from '../audit/audit-reason';
import { PlanningMail } from './planning-mail.service';
import { Session } from './session.entity';

export const ASSIGN_QUEUE = 'planning.assign';

/**
 * Automatic assignment of teachers and rooms as a job: the job only proposes (the proposal is
 * its result); applying it is a separate, checked step, refused when a session changed since.
 */
@Injectable()
export class AssignmentService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly jobs: JobsService,
    private readonly board: PlanningBoardService,
    private readonly mail: PlanningMail,
    private readonly editions: EditionsService,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.jobs.define<StartAssignmentDto, AssignmentProposal>(ASSIGN_QUEUE, (job) => this.propose(job), { retryLimit: 1, expireInSeconds: 600 });
  }

  async start(input: StartAssignmentDto, requestedBy: JobRequester): Promise<string> {
    const found = await this.db.getRepository(Edition).countBy({ id: In(input.editionIds) });
    if (found !== input.editionIds.length) {
      throw new NotFoundError('Edition', `among ${input.editionIds.length - found} of the given ids`);
    }
    return this.jobs.start(ASSIGN_QUEUE, { editionIds: input.editionIds, reassignExisting: input.reassignExisting ?? false }, { requestedBy });
  }

  async status(jobId: string): Promise<AssignmentJobDto> {
    const status = await this.jobs.status(jobId);
    if (status.queue !== ASSIGN_QUEUE) throw new NotFoundError('Assignment job', jobId);
    return {
      jobId,
      state: status.state,
      progress: status.progress,
      proposal: (status.result as AssignmentProposal | null) ?? null,
      error: status.error,
    };
  }

  /** The job: reads the planning, runs the engine, and returns the proposal. Changes nothing. */
  async propose(job: JobContext<StartAssignmentDto>): Promise<AssignmentProposal> {
    const manager = this.db.manager;
    const { editionIds, reassignExisting } = job.data;
    const sessions = await this.board.editionSessions(manager, editionIds);
    await job.progress(0, sessions.length);
    const empty = { editionIds, sessionCount: 0, placedCount: 0, changes: [], unplaced: [] };
    if (sessions.length === 0) return empty;
    const dates = sessions.map((s) => s.date).sort();
    const around = await this.board.board(manager, dates[0], dates[dates.length - 1]);
    const own = new Set(editionIds);
    // Other editions' sessions keep their teachers and rooms: they are taken time.
    const commitments: Commitment[] = around.sessions
      .filter((s) => !own.has(s.editionId) && (s.teacherId || s.roomId))
      .map((s) => ({ teacherId: s.teacherId ?? undefined, roomId: s.roomId ?? undefined, date: s.date, startTime: s.startTime, endTime: s.endTime }));
    const result = assignSessions({ sessions, teachers: around.teachers, rooms: around.rooms, nonTeachingDays: around.nonTeachingDays, commitments, reassignExisting });
    const versions = new Map(
      (await manager.find(Session, { select: { id: true, version: true }, where: { id: In(sessions.map((s) => s.id)) } })).map((s) => [s.id, s.version]),
    );
    const byId = new Map(sessions.map((s) => [s.id, s]));
    const changes: ProposedAssignment[] = result.assignments
      .filter((a) => a.teacherId !== (byId.get(a.sessionId)!.teacherId ?? null) || a.roomId !== (byId.get(a.sessionId)!.roomId ?? null))
      .map((a) => {
        const s = byId.get(a.sessionId)!;
        return {
          sessionId: s.id,
          editionId: s.editionId,
          version: versions.get(s.id)!,
          date: s.date,
          startTime: s.startTime,
          endTime: s.endTime,
          teacherId: a.teacherId,
          roomId: a.roomId,
          previousTeacherId: s.teacherId ?? null,
          previousRoomId: s.roomId ?? null,
        };
      });
    await job.progress(sessions.length, sessions.length);
    return { editionIds, sessionCount: sessions.length, placedCount: result.placedCount, changes, unplaced: result.unplaced };
  }

  /** Applies a completed proposal in one transaction; 409 when any of its sessions changed since. */
  async apply(jobId: string, acceptance: ApplyAssignmentDto): Promise<{ applied: number }> {
    const { state, proposal } = await this.status(jobId);
    if (state !== 'completed' || !proposal) {
      throw new ConflictError('assignment_not_ready', `Assignment job ${jobId} is ${state}; only a completed proposal can be applied`);
    }
    return this.db.transaction(async (manager) => {
      await this.board.lock(manager);
      const ids = proposal.changes.map((c) => c.sessionId);
      const sessions = new Map(
        (await manager.find(Session, { where: { id: In(ids) }, lock: { mode: 'pessimistic_write' } })).map((s) => [s.id, s]),
      );
      const stale = proposal.changes.filter((c) => sessions.get(c.sessionId)?.version !== c.version || sessions.get(c.sessionId)?.status !== 'planned');
      if (stale.length > 0) {
        throw new ConflictError('proposal_stale', `${stale.length} session(s) changed since the proposal was made; start a new assignment`, {
          sessionIds: stale.map((c) => c.sessionId),
        });
      }
      const current = await this.board.editionSessions(manager, proposal.editionIds);
      const change = new Map(proposal.changes.map((c) => [c.sessionId, c]));
      const proposed = current.filter((s) => change.has(s.id)).map((s) => ({ ...s, teacherId: change.get(s.id)!.teacherId, roomId: change.get(s.id)!.roomId }));
      const accepted = await this.board.assertAcceptable(manager, proposed, [], acceptance);
      const reason = acceptanceReason(accepted, acceptance);
      const editions = new Map((await manager.findBy(Edition, { id: In(proposal.editionIds) })).map((e) => [e.id, e]));
      for (const c of proposal.changes) {
        const session = sessions.get(c.sessionId)!;
        const before = await this.mail.stateOf(manager, session);
        const saved = await manager.save(Object.assign(session, { teacherId: c.teacherId, roomId: c.roomId, sequence: session.sequence + 1 }), becauseOf(reason));
        await this.mail.sessionChanged(manager, editions.get(c.editionId)!, before, await this.mail.stateOf(manager, saved));
        await this.editions.sessionChanged(manager, saved, 'changed');
      }
      return { applied: proposal.changes.length };
    });
  }
}
