import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Between, DataSource, In, MoreThanOrEqual } from 'typeorm';
import { CatalogueService } from '../catalogue/catalogue.service';
import { NotFoundError } from '../kernel/domain-errors';
import type { Actor } from '../kernel/request-context';
import { Edition } from './edition.entity';
import { EnrolledStudents } from './edition-participants';
import { OccupancyQuery, OtherOccupancies } from './other-occupancy';
import { buildCalendar, CalendarSession } from './engine/calendar';
import { Room } from './room.entity';
import { Session } from './session.entity';
import { Teacher } from './teacher.entity';
import { TeachersService } from './teachers.service';

/** Roles that may read any edition's calendar. */
const PLANNING_READERS = ['admin', 'planner', 'advisor', 'coordinator'];

/** RFC 5545 feeds: an edition's sessions for its students, a teacher's for the teacher. */
@Injectable()
export class CalendarService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly teachers: TeachersService,
    private readonly participants: EnrolledStudents,
    private readonly others: OtherOccupancies,
    private readonly catalogue: CatalogueService,
  ) {}

  /**
   * An edition's calendar: staff who plan or advise, the teachers of its sessions, and its
   * enrolled students may read it; to anyone else it does not exist.
   */
  async editionFeed(editionId: string, actor: Actor): Promise<string> {
    const edition = await this.db.getRepository(Edition).findOneBy({ id: editionId });
    if (!edition) throw new NotFoundError('Edition', editionId);
    const sessions = await this.db.getRepository(Session).find({ where: { editionId }, order: { date: 'ASC', startTime: 'ASC' } });
    if (!(await this.mayRead(actor, edition, sessions))) throw new NotFoundError('Edition', editionId);
    const course = await this.catalogue.course(edition.courseId);
    const title = [course.titleNl, edition.titleSuffix].filter(Boolean).join(' — ');
    return buildCalendar({ name: `${title} (${edition.code})`, sessions: await this.withOthers(await this.shown(sessions), { editionId }) });
  }

  /** A teacher's sessions, through the secret link; an unknown or rotated token is unknown. */
  async teacherFeed(token: string): Promise<string> {
    const teacher = await this.teachers.findByCalendarToken(token);
    if (!teacher) throw new NotFoundError('Calendar', 'for this link');
    const sessions = await this.db.getRepository(Session).find({ where: { teacherId: teacher.id }, order: { date: 'ASC', startTime: 'ASC' } });
    return buildCalendar({ name: `Lessen van ${teacher.name}`, sessions: await this.withOthers(await this.shown(sessions), { teacherId: teacher.id }) });
  }

  /** A teacher's own schedule between two days (inclusive), cancelled sessions included and marked. */
  async teacherSessions(teacherId: string, from: string, to?: string): Promise<CalendarSession[]> {
    await this.teachers.get(teacherId);
    const sessions = await this.db.getRepository(Session).find({
      where: { teacherId, date: to ? Between(from, to) : MoreThanOrEqual(from) },
      order: { date: 'ASC', startTime: 'ASC' },
    });
    return this.shown(sessions);
  }

  private async mayRead(actor: Actor, edition: Edition, sessions: Session[]): Promise<boolean> {
    if (actor.roles.some((role) => PLANNING_READERS.includes(role))) return true;
    if (actor.roles.includes('teacher') && actor.teacherId && sessions.some((s) => s.teacherId === actor.teacherId)) return true;
    return actor.roles.includes('student') && actor.studentId !== undefined && (await this.participants.isEnrolled(edition.id, actor.studentId));
  }

  /** The feed's sessions with other modules' occupancy (exam sittings) of the same edition or teacher, in time order. */
  private async withOthers(sessions: CalendarSession[], query: OccupancyQuery): Promise<CalendarSession[]> {
    const others = await this.others.list(this.db.manager, query);
    if (others.length === 0) return sessions;
    const roomIds = [...new Set(others.map((o) => o.roomId).filter((id): id is string => id !== null))];
    const rooms = new Map((await this.db.getRepository(Room).find({ where: { id: In(roomIds) }, relations: { location: true } })).map((r) => [r.id, r]));
    const shown = others.map((o): CalendarSession => {
      const room = o.roomId ? rooms.get(o.roomId) : undefined;
      return {
        id: o.id,
        uid: `${o.id}@registrar`,
        date: o.date,
        startTime: o.startTime,
        endTime: o.endTime,
        courseTitle: o.title,
        sequence: o.sequence,
        cancelled: o.cancelled,
        roomName: room?.name,
        locationName: room?.location.name,
        updatedAt: o.updatedAt,
      };
    });
    return [...sessions, ...shown].sort((a, b) => a.date.localeCompare(b.date) || a.startTime.localeCompare(b.startTime));
  }

  private async shown(sessions: Session[]): Promise<CalendarSession[]> {
    const ids = <K extends 'editionId' | 'roomId' | 'teacherId'>(key: K) => [...new Set(sessions.map((s) => s[key]).filter((id): id is string => id !== null))];
    const editions = new Map((await this.db.getRepository(Edition).findBy({ id: In(ids('editionId')) })).map((e) => [e.id, e]));
    const courses = new Map((await this.catalogue.courses([...new Set([...editions.values()].map((e) => e.courseId))])).map((c) => [c.id, c]));
    const rooms = new Map((await this.db.getRepository(Room).find({ where: { id: In(ids('roomId')) }, relations: { location: true } })).map((r) => [r.id, r]));
    const teachers = new Map((await this.db.getRepository(Teacher).findBy({ id: In(ids('teacherId')) })).map((t) => [t.id, t]));
    return sessions.map((s) => {
      const edition = editions.get(s.editionId)!;
      const room = s.roomId ? rooms.get(s.roomId) : undefined;
      return {
        id: s.id,
        date: s.date,
        startTime: s.startTime,
        endTime: s.endTime,
        courseTitle: `${courses.get(edition.courseId)!.titleNl} (${edition.code})`,
        sequence: s.sequence,
        cancelled: s.status === 'cancelled' || edition.status === 'cancelled',
        roomName: room?.name,
        locationName: room?.location.name,
        teacherName: s.teacherId ? teachers.get(s.teacherId)?.name : undefined,
        updatedAt: s.updatedAt,
      };
    });
  }
}
