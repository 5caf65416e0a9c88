import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { EntityManager, In, MoreThan } from 'typeorm';
import { UsersService } from '../auth/users.service';
import { CatalogueService } from '../catalogue/catalogue.service';
import type { Course } from '../catalogue/course.entity';
import { Environment } from '../config/environment';
import { MailOutbox } from '../mail/mail-outbox.service';
import { Edition } from './edition.entity';
import { EnrolledStudents } from './edition-participants';
import { INSTITUTE_ZONE, wallTimeToUtc } from '../kernel/time';
import { Location } from './location.entity';
import { Room } from './room.entity';
import { Session } from './session.entity';
import { Teacher } from './teacher.entity';

/** A session with the room (and its location) it is in, as mails and calendars show it. */
export interface SessionState {
  session: Session;
  room: Room | null;
}

interface MailedSession {
  startsAt: string;
  endsAt: string;
  location: string;
  room: string | null;
}

type Locale = 'nl' | 'en';

const instant = (date: string, time: string) => DateTime.fromJSDate(wallTimeToUtc(date, time)).setZone(INSTITUTE_ZONE).toISO()!;
const courseName = (course: Course, locale: Locale) => (locale === 'en' && course.titleEn ? course.titleEn : course.titleNl);

/**
 * Planning's mail, always written into the outbox inside the transaction of the change:
 * a session moved, an edition confirmed or cancelled, a go/no-go proposal for the planners.
 * Students come from `EditionParticipants`; with no enrolment module nobody is enrolled yet.
 */
@Injectable()
export class PlanningMail {
  constructor(
    private readonly outbox: MailOutbox,
    private readonly participants: EnrolledStudents,
    private readonly env: Environment,
    private readonly catalogue: CatalogueService,
    private readonly users: UsersService,
  ) {}

  /**
   * A session of an edition past `draft` was added, cancelled, moved, or changed room or
   * teacher: its teachers and its enrolled students are told. A mail without a previous
   * session announces an added one; without a new session, a cancelled one. A replaced
   * teacher hears that the session left their schedule, the new one that it joined theirs.
   */
  async sessionChanged(manager: EntityManager, edition: Edition, before: SessionState | null, after: SessionState, reason?: string): Promise<number> {
    if (edition.status === 'draft') return 0;
    const wasPlanned = before?.session.status === 'planned';
    const isPlanned = after.session.status === 'planned';
    if (!wasPlanned && !isPlanned) return 0;
    const moved = wasPlanned && isPlanned && (['date', 'startTime', 'endTime', 'roomId'] as const).some((f) => before!.session[f] !== after.session[f]);
    const teacherBefore = wasPlanned ? before!.session.teacherId : null;
    const teacherAfter = isPlanned ? after.session.teacherId : null;
    if (wasPlanned && isPlanned && !moved && teacherBefore === teacherAfter) return 0;

    const course = await this.catalogue.course(edition.courseId, manager);
    // A student awaiting the admission decision gets the sessions as they then stand with the confirmation.
    const students = (await this.participants.enrolled(edition.id, manager)).filter((student) => student.final);
    const location = await this.locationName(manager, edition.locationId);
    const previousSession = wasPlanned ? shown(before!, location) : undefined;
    const newSession = isPlanned ? shown(after, location) : undefined;
    const key = `session-changed:${after.session.id}:${after.session.sequence}`;
    const common = { editionCode: edition.code, ...definedOnly({ reason }) };

    // Each teacher sees the change as it touches their own schedule.
    const teacherViews = new Map<string, { previousSession?: MailedSession; newSession?: MailedSession }>();
    if (teacherBefore) teacherViews.set(teacherBefore, { previousSession });
    if (teacherAfter) teacherViews.set(teacherAfter, { ...(teacherAfter === teacherBefore ? { previousSession } : {}), newSession });
    let sent = 0;
    for (const [teacherId, view] of teacherViews) {
      const teacher = await manager.findOneBy(Teacher, { id: teacherId });
      if (!teacher) continue;
      await this.outbox.enqueue(manager, {
        type: 'teacher-session-changed',
        locale: teacher.locale,
        to: { email: teacher.email, name: teacher.name },
        data: {
          ...common,
          ...definedOnly(view),
          teacherName: teacher.name,
          courseName: courseName(course, teacher.locale),
          studentCount: students.length,
        },
        idempotencyKey: `${key}:teacher:${teacher.id}`,
      });
      sent++;
    }
    if (!moved && wasPlanned === isPlanned) return sent; // only the teacher changed: students keep their schedule
    for (const student of students) {
      await this.outbox.enqueue(manager, {
        type: 'session-changed',
        locale: student.locale,
        to: { email: student.email, name: student.name },
        studentId: student.studentId,
        data: { ...common, ...definedOnly({ previousSession, newSession }), studentName: student.name, courseName: courseName(course, student.locale) },
        idempotencyKey: `${key}:student:${student.studentId}`,
      });
      sent++;
    }
    return sent;
  }

  /** The session as mails show it. */
  async stateOf(manager: EntityManager, session: Session): Promise<SessionState> {
    const room = session.roomId ? await manager.findOne(Room, { where: { id: session.roomId }, relations: { location: true } }) : null;
    return { session: { ...session }, room };
  }

  /**
   * The edition was confirmed or cancelled: every enrolled student hears it. A cancellation also
   * reaches those holding a seat pending admission; a confirmation lists sessions as theirs, so
   * they have it from their own confirmation once admitted.
   */
  async editionDecided(manager: EntityManager, edition: Edition): Promise<number> {
    const holding = await this.participants.enrolled(edition.id, manager);
    const students = edition.status === 'confirmed' ? holding.filter((student) => student.final) : holding;
    if (students.length === 0) return 0;
    const course = await this.catalogue.course(edition.courseId, manager);
    const location = await this.locationName(manager, edition.locationId);
    const data =
      edition.status === 'confirmed'
        ? { sessions: await this.sessionsOf(manager, edition, location) }
        : { alternatives: await this.alternatives(manager, edition) };
    for (const student of students) {
      await this.outbox.enqueue(manager, {
        type: edition.status === 'confirmed' ? 'edition-confirmed' : 'edition-cancelled',
        locale: student.locale,
        to: { email: student.email, name: student.name },
        studentId: student.studentId,
        data: { studentName: student.name, courseName: courseName(course, student.locale), editionCode: edition.code, startDate: edition.startDate, ...data },
        idempotencyKey: `edition-${edition.status}:${edition.id}:${student.studentId}`,
      });
    }
    return students.length;
  }

  /** The edition lacks its minimum on its go/no-go date: every planner is asked to decide. */
  async proposeCancellation(manager: EntityManager, edition: Edition, enrolledCount: number): Promise<number> {
    const course = await this.catalogue.course(edition.courseId, manager);
    const planners = await this.users.activeWithAnyRole(['planner'], manager);
    for (const planner of planners) {
      await this.outbox.enqueue(manager, {
        type: 'go-no-go-proposal',
        locale: planner.locale,
        to: { email: planner.email, name: planner.displayName },
        userId: planner.id,
        data: {
          plannerName: planner.displayName,
          courseName: courseName(course, planner.locale),
          editionCode: edition.code,
          startDate: edition.startDate,
          goNoGoDate: edition.goNoGoDate!, // proposed only for an edition whose go/no-go date has come
          enrolledCount,
          minimumParticipants: edition.minParticipants,
          capacity: edition.capacity,
          decisionUrl: `${this.env.PUBLIC_URL}/editions/${edition.id}`,
        },
        idempotencyKey: `go-no-go-proposal:${edition.id}:${planner.id}`,
      });
    }
    return planners.length;
  }

  private async sessionsOf(manager: EntityManager, edition: Edition, location: string): Promise<MailedSession[]> {
    const sessions = await manager.find(Session, { where: { editionId: edition.id, status: 'planned' }, order: { date: 'ASC', startTime: 'ASC' } });
    const rooms = await this.roomsById(manager, sessions);
    return sessions.map((session) => shown({ session, room: session.roomId ? (rooms.get(session.roomId) ?? null) : null }, location));
  }

  /** Later editions of the same course that a student could switch to. */
  private async alternatives(manager: EntityManager, edition: Edition): Promise<Array<{ editionCode: string; startDate: string; location: string }>> {
    const later = await manager.find(Edition, {
      where: { courseId: edition.courseId, status: In(['open', 'confirmed']), startDate: MoreThan(edition.startDate) },
      order: { startDate: 'ASC' },
      take: 3,
    });
    const result = [];
    for (const e of later) result.push({ editionCode: e.code, startDate: e.startDate, location: await this.locationName(manager, e.locationId) });
    return result;
  }

  private async roomsById(manager: EntityManager, sessions: Session[]): Promise<Map<string, Room>> {
    const ids = [...new Set(sessions.map((s) => s.roomId).filter((id): id is string => id !== null))];
    if (ids.length === 0) return new Map();
    const rooms = await manager.find(Room, { where: { id: In(ids) }, relations: { location: true } });
    return new Map(rooms.map((r) => [r.id, r]));
  }

  private async locationName(manager: EntityManager, locationId: string): Promise<string> {
    return placeOf(await manager.findOneByOrFail(Location, { id: locationId }));
  }
}

/** Leaves out what is undefined, so that the template's optional variables are simply absent. */
function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function shown(state: SessionState, editionLocation: string): MailedSession {
  const { session, room } = state;
  return {
    startsAt: instant(session.date, session.startTime),
    endsAt: instant(session.date, session.endTime),
    location: room?.location ? placeOf(room.location) : editionLocation,
    room: room && !room.location?.online ? room.name : null,
  };
}

/** "Utrecht, Jaarbeursplein 6", or the name of an online location. */
export function placeOf(location: Pick<Location, 'online' | 'name' | 'city' | 'street'>): string {
  return location.online ? location.name : [location.city, location.street].filter(Boolean).join(', ') || location.name;
}
