import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DateTime } from 'luxon';
import { DataSource, EntityManager } from 'typeorm';
import { CatalogueService } from '../catalogue/catalogue.service';
import type { Course } from '../catalogue/course.entity';
import { INSTITUTE_ZONE, wallTimeToUtc } from '../kernel/time';
import type { Edition } from './edition.entity';
import { Location } from './location.entity';
import { placeOf } from './planning-mail.service';

/**
 * An edition as planning publishes it to the modules downstream: the fields they read, kept in
 * step with the entity, and read-only, since only planning changes an edition.
 */
export type PlannedEdition = Readonly<
  Pick<Edition, 'id' | 'code' | 'courseId' | 'locationId' | 'startDate' | 'enrolmentDeadline' | 'meetingCount' | 'priceOverrideCents'>
>;

/** What a mail about an edition says of it: the edition, its course, where it is held. */
export interface MailedEdition {
  edition: PlannedEdition;
  course: Course;
  /** "Utrecht, Jaarbeursplein 6", or the name of an online location. */
  location: string;
}

/** A planned session as a student's mail and calendar show it. */
export interface MailedEditionSession {
  id: string;
  date: string;
  startTime: string;
  endTime: string;
  /** The start and end in the institute's zone (ISO 8601 with offset). */
  startsAt: string;
  endsAt: string;
  sequence: number;
  updatedAt: Date;
  /** The place of the session's room, or else the edition's. */
  location: string;
  /** The room's name, not for an online location. */
  room: string | null;
  roomName: string | null;
  locationName: string | null;
}

/** An edition that still takes enrolments, with its location, as advice ranks it. */
export interface OpenEdition {
  editionId: string;
  editionCode: string;
  courseId: string;
  startDate: string;
  weekdays: number[];
  startTime: string;
  online: boolean;
  locationName: string;
  city: string;
  priceOverrideCents: number | null;
  capacity: number;
}

const instant = (date: string, time: string) => DateTime.fromJSDate(wallTimeToUtc(date, time)).setZone(INSTITUTE_ZONE).toISO()!;

/**
 * Planning's published reads of editions for the modules downstream: an edition as mailed,
 * its sessions as mailed, and the open editions advice ranks.
 */
@Injectable()
export class EditionReadModel {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly catalogue: CatalogueService,
  ) {}

  async mailed(manager: EntityManager, edition: PlannedEdition): Promise<MailedEdition> {
    const course = await this.catalogue.get(edition.courseId, manager);
    const location = await manager.findOneBy(Location, { id: edition.locationId });
    return { edition, course, location: location ? placeOf(location) : '' };
  }

  /** The planned sessions of an edition, in order, with their rooms and places. */
  async sessionsAsMailed(manager: EntityManager, mailed: MailedEdition): Promise<MailedEditionSession[]> {
    const rows: Array<{
      id: string;
      date: string;
      startTime: string;
      endTime: string;
      sequence: number;
      updatedAt: Date;
      roomName: string | null;
      locationName: string | null;
      locationCity: string | null;
      locationStreet: string | null;
      online: boolean | null;
    }> = await manager.query(
      `SELECT s.id, to_char(s.date, 'YYYY-MM-DD') AS date, s.start_time AS "startTime", s.end_time AS "endTime", s.sequence,
              s.updated_at AS "updatedAt", r.name AS "roomName", l.name AS "locationName", l.city AS "locationCity",
              l.street AS "locationStreet", l.online
         FROM session s LEFT JOIN room r ON r.id = s.room_id LEFT JOIN location l ON l.id = r.location_id
        WHERE s.edition_id = $1 AND s.status = 'planned'
        ORDER BY s.date, s.start_time`,
      [mailed.edition.id],
    );
    return rows.map((s) => ({
      id: s.id,
      date: s.date,
      startTime: s.startTime,
      endTime: s.endTime,
      startsAt: instant(s.date, s.startTime),
      endsAt: instant(s.date, s.endTime),
      sequence: s.sequence,
      updatedAt: s.updatedAt,
      location:
        s.locationName !== null
          ? placeOf({ name: s.locationName, city: s.locationCity ?? '', street: s.locationStreet ?? '', online: s.online ?? false })
          : mailed.location,
      room: s.online || s.roomName === null ? null : s.roomName,
      roomName: s.roomName,
      locationName: s.locationName,
    }));
  }

  /** How many sessions of the edition are planned. */
  async plannedSessionCount(manager: EntityManager, editionId: string): Promise<number> {
    const [{ count }] = await manager.query(`SELECT count(*)::int AS count FROM session WHERE edition_id = $1 AND status = 'planned'`, [editionId]);
    return count;
  }

  /** Editions that take enrolments on `today` (open or confirmed, deadline not passed), with their locations. */
  async openEditions(today: string, manager: EntityManager = this.db.manager): Promise<OpenEdition[]> {
    return manager.query(
      `SELECT e.id AS "editionId", e.code AS "editionCode", e.course_id AS "courseId", e.start_date::text AS "startDate", e.weekdays,
              e.start_time AS "startTime", l.online, l.name AS "locationName", l.city, e.price_override_cents::float8 AS "priceOverrideCents", e.capacity
         FROM edition e JOIN location l ON l.id = e.location_id
        WHERE e.status IN ('open', 'confirmed') AND coalesce(e.enrolment_deadline, e.start_date) >= $1::date`,
      [today],
    );
  }
}
