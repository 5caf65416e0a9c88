import { getVtimezoneComponent } from '@touch4it/ical-timezones';
import { ICalCalendar, ICalEventStatus } from 'ical-generator';
import { DateTime } from 'luxon';
import { INSTITUTE_ZONE, IsoDate, WallTime, wallTimeToUtc } from './time';

/** A session as it appears in a calendar feed. */
export interface CalendarSession {
  id: string;
  date: IsoDate;
  startTime: WallTime;
  endTime: WallTime;
  courseTitle: string;
  /** Raised on every change that subscribers should see, so that clients replace their copy. */
  sequence: number;
  cancelled?: boolean;
  roomName?: string;
  locationName?: string;
  teacherName?: string;
  /** When the session last changed; the DTSTAMP. */
  updatedAt: Date;
}

export interface CalendarFeed {
  /** Shown by calendar apps, e.g. "Wondzorg — voorjaar 2027" or "Lessen van Docent 1". */
  name: string;
  sessions: readonly CalendarSession[];
}

/** The UID stays the same across changes, so that clients update the event instead of adding one. */
export function sessionUid(sessionId: string): string {
  return `session-${sessionId}@registrar`;
}

/**
 * RFC 5545 text for an edition's or a teacher's sessions, in Europe/Amsterdam wall time with
 * the VTIMEZONE included; cancelled sessions stay in the feed as STATUS:CANCELLED so that
 * subscribed calendars remove them.
 */
export function buildCalendar(feed: CalendarFeed): string {
  const calendar = new ICalCalendar({
    name: feed.name,
    prodId: { company: 'Registrar', product: 'planning', language: 'NL' },
  });
  // No calendar-wide zone: ical-generator would then write DTSTAMP in local time, where RFC 5545
  // demands UTC. The generator still adds the VTIMEZONE for the zone the events carry.
  calendar.timezone({ name: null, generator: getVtimezoneComponent });
  for (const session of feed.sessions) {
    const where = [session.roomName, session.locationName].filter(Boolean).join(', ');
    const description = [where && `Lokaal: ${where}`, session.teacherName && `Docent: ${session.teacherName}`].filter(Boolean).join('\n');
    calendar.createEvent({
      id: sessionUid(session.id),
      // Luxon values, because ical-generator renders a plain Date in the process's own zone.
      start: DateTime.fromJSDate(wallTimeToUtc(session.date, session.startTime), { zone: INSTITUTE_ZONE }),
      end: DateTime.fromJSDate(wallTimeToUtc(session.date, session.endTime), { zone: INSTITUTE_ZONE }),
      timezone: INSTITUTE_ZONE,
      stamp: session.updatedAt,
      sequence: session.sequence,
      summary: session.courseTitle,
      location: where || null,
      description: description || null,
      status: session.cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    });
  }
  return calendar.toString();
}
