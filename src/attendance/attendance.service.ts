import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { CatalogueService } from '../catalogue/catalogue.service';
import { EnrolmentDirectory } from '../enrolment/enrolment-directory';
import { BusinessRuleError, InvalidInputError, NotFoundError } from '../kernel/domain-errors';
import type { Actor } from '../kernel/request-context';
import { todayInAmsterdam } from '../kernel/time';
import { EditionsService } from '../planning/editions.service';
import type { Session } from '../planning/session.entity';
import { AttendanceRecord, AttendanceRequirement } from './attendance.entity';
import { attendanceSummary, AttendanceSummary, meetsMinimum } from './attendance-percentage';
import {
  AttendanceRequirementDto,
  EditionAttendance,
  RecordAttendanceDto,
  SessionAttendance,
  StudentAttendance,
} from './dto/attendance.dto';

/**
 * Who was present at each session, recorded in bulk per session by the session's teacher or
 * a planner, and the attendance percentage per student and edition that diplomas ask for.
 */
@Injectable()
export class AttendanceService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly editions: EditionsService,
    private readonly enrolment: EnrolmentDirectory,
    private readonly catalogue: CatalogueService,
  ) {}

  async record(actor: Actor, editionId: string, sessionId: string, input: RecordAttendanceDto): Promise<SessionAttendance> {
    await this.db.transaction(async (manager) => {
      const session = await this.sessionFor(actor, editionId, sessionId, manager);
      if (session.status === 'cancelled') throw new BusinessRuleError('session_cancelled', `Session ${sessionId} was cancelled: nobody attended it`);
      if (session.date > todayInAmsterdam()) {
        throw new BusinessRuleError('session_not_held_yet', `Session ${sessionId} is on ${session.date}: presence is recorded once it has taken place`);
      }
      const holders = new Set((await this.enrolment.enrolledOrCompleted(editionId, manager)).map((h) => h.studentId));
      const strangers = input.records.map((r, index) => ({ ...r, index })).filter((r) => !holders.has(r.studentId));
      if (strangers.length > 0) {
        throw new InvalidInputError(
          strangers.map((r) => ({ field: `records[${r.index}].studentId`, rule: 'enrolled', message: `student ${r.studentId} is not enrolled in this edition` })),
        );
      }
      if (input.records.length === 0) return;
      await manager.query(
        `INSERT INTO attendance_record (session_id, edition_id, student_id, present, recorded_by, recorded_at)
         SELECT $1, $2, student_id, present, $3, now() FROM unnest($4::uuid[], $5::boolean[]) AS r(student_id, present)
         ON CONFLICT (session_id, student_id) DO UPDATE SET present = EXCLUDED.present, recorded_by = EXCLUDED.recorded_by, recorded_at = now()`,
        [sessionId, editionId, actor.id, input.records.map((r) => r.studentId), input.records.map((r) => r.present)],
      );
    });
    return this.ofSession(actor, editionId, sessionId);
  }

  async ofSession(actor: Actor, editionId: string, sessionId: string): Promise<SessionAttendance> {
    const manager = this.db.manager;
    const session = await this.sessionFor(actor, editionId, sessionId, manager);
    const [holders, records] = await Promise.all([
      this.enrolment.enrolledOrCompleted(editionId, manager),
      manager.find(AttendanceRecord, { where: { sessionId } }),
    ]);
    const byStudent = new Map(records.map((r) => [r.studentId, r]));
    return {
      sessionId,
      editionId,
      date: session.date,
      startTime: session.startTime,
      endTime: session.endTime,
      entries: holders.map((h) => ({
          studentId: h.studentId,
          studentNumber: h.studentNumber,
          name: h.name,
          present: byStudent.get(h.studentId)?.present ?? null,
        recordedAt: byStudent.get(h.studentId)?.recordedAt ?? null,
      })),
    };
  }

  async ofEdition(editionId: string): Promise<EditionAttendance> {
    const manager = this.db.manager;
    const { courseId, summaries, held, absent } = await this.summaries(editionId, manager);
    const minimumPercent = await this.minimumPercent(courseId, manager);
    const holders = await this.enrolment.enrolledOrCompleted(editionId, manager);
    return {
      editionId,
      courseId,
      minimumPercent,
      sessionsHeld: held,
      students: holders.map((h) => {
        const summary = summaries.get(h.studentId) ?? absent;
        return { studentId: h.studentId, studentNumber: h.studentNumber, name: h.name, ...summary, meetsMinimum: meetsMinimum(summary, minimumPercent) };
      }),
    };
  }

  /** A student's own presence, per edition they attended or were recorded in. */
  async ofStudent(studentId: string): Promise<StudentAttendance> {
    const manager = this.db.manager;
    if (!(await this.enrolment.student(studentId, manager))) throw new NotFoundError('Student', studentId);
    const records = await manager.find(AttendanceRecord, { where: { studentId } });
    const completed = await this.enrolment.completedCourses(studentId, manager);
    const editionIds = [...new Set([...records.map((r) => r.editionId), ...completed.map((c) => c.editionId)])];
    const present = new Map(records.map((r) => [r.sessionId, r.present]));
    const today = todayInAmsterdam();
    const editions = [];
    for (const editionId of editionIds) {
      const edition = await this.editions.get(editionId, manager);
      const heldSessions = edition.sessions.filter((s) => s.status !== 'cancelled' && s.date <= today);
      const summary = attendanceSummary(
        heldSessions.map((s) => s.id),
        new Set(records.filter((r) => r.present).map((r) => r.sessionId)),
      );
      editions.push({
        editionId,
        courseId: edition.courseId,
        ...summary,
        minimumPercent: await this.minimumPercent(edition.courseId, manager),
        sessions: heldSessions.map((s) => ({ sessionId: s.id, date: s.date, startTime: s.startTime, endTime: s.endTime, present: present.get(s.id) ?? null })),
      });
    }
    return { studentId, editions };
  }

  /**
   * The published read model: each student's attendance in an edition. A student who was
   * present at no session held is not in the map: `absent` is theirs.
   */
  async summaries(
    editionId: string,
    manager: EntityManager = this.db.manager,
  ): Promise<{ courseId: string; held: number; summaries: Map<string, AttendanceSummary>; absent: AttendanceSummary }> {
    const edition = await this.editions.get(editionId, manager);
    const today = todayInAmsterdam();
    const heldIds = edition.sessions.filter((s) => s.status !== 'cancelled' && s.date <= today).map((s) => s.id);
    const rows: { student_id: string; sessions: string[] }[] = heldIds.length
      ? await manager.query(
          `SELECT student_id, array_agg(session_id) AS sessions FROM attendance_record
            WHERE edition_id = $1 AND present AND session_id = ANY($2::uuid[]) GROUP BY student_id`,
          [editionId, heldIds],
        )
      : [];
    return {
      courseId: edition.courseId,
      held: heldIds.length,
      summaries: new Map(rows.map((row) => [row.student_id, attendanceSummary(heldIds, new Set(row.sessions))])),
      absent: attendanceSummary(heldIds, new Set()),
    };
  }

  /** The course's minimum attendance for its diploma, or null. */
  async minimumPercent(courseId: string, manager: EntityManager = this.db.manager): Promise<number | null> {
    return (await manager.findOneBy(AttendanceRequirement, { courseId }))?.minimumPercent ?? null;
  }

  async requirement(courseId: string): Promise<AttendanceRequirementDto> {
    await this.catalogue.get(courseId);
    return { courseId, minimumPercent: await this.minimumPercent(courseId) };
  }

  async setRequirement(courseId: string, minimumPercent: number | null): Promise<AttendanceRequirementDto> {
    await this.db.transaction(async (manager) => {
      await this.catalogue.get(courseId, manager);
      const existing = await manager.findOneBy(AttendanceRequirement, { courseId });
      // save and remove, not raw SQL: the audit log records who changed the requirement.
      if (minimumPercent === null) {
        if (existing) await manager.remove(existing);
      } else {
        await manager.save(Object.assign(existing ?? manager.create(AttendanceRequirement, { courseId }), { minimumPercent }));
      }
    });
    return this.requirement(courseId);
  }

  /** The session within its edition; a teacher reaches only their own sessions (others do not exist to them). */
  private async sessionFor(actor: Actor, editionId: string, sessionId: string, manager: EntityManager): Promise<Session> {
    const edition = await this.editions.get(editionId, manager);
    const session = edition.sessions.find((s) => s.id === sessionId);
    if (!session) throw new NotFoundError('Session', sessionId);
    const staff = actor.roles.some((role) => role === 'planner' || role === 'coordinator' || role === 'admin');
    if (!staff && (!actor.teacherId || session.teacherId !== actor.teacherId)) throw new NotFoundError('Session', sessionId);
    return session;
  }
}
