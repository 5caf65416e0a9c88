import { getVtimezoneComponent } from '@touch4it/ical-timezones';
import { ICalCalendar, ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import { DateTime } from 'luxon';
import { INSTITUTE_ZONE, IsoDate, WallTime, wallTimeToUtc } from '../../kernel/time';

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

/** The institute as the organizer of the sessions it mails. */
export interface CalendarOrganizer {
  name: string;
  email: string;
}

/**
 * How a calendar sent by mail is meant (iTIP, RFC 5546). PUBLISH rather than REQUEST: a
 * session notice is one-way. With REQUEST, mail clients show Accept and Decline and send the
 * answer to the institute's address, where nobody reads it, while a student cannot leave a
 * course by declining; PUBLISH is offered by mail clients to add as it is, with no answer.
 * CANCEL withdraws published sessions.
 */
export type MailedCalendarMethod = 'PUBLISH' | 'CANCEL';

/** An .ics attachment whose Content-Type names the METHOD of its calendar, as RFC 6047 wants. */
export interface MailedCalendar {
  filename: string;
  contentType: string;
  content: Buffer;
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
export function buildCalendar(feed: CalendarFeed, mailed?: { method: MailedCalendarMethod; organizer: CalendarOrganizer }): string {
  const calendar = new ICalCalendar({
    name: feed.name,
    prodId: { company: 'Registrar', product: 'planning', language: 'NL' },
    method: mailed ? ICalCalendarMethod[mailed.method] : null,
  });
  const cancelling = mailed?.method === 'CANCEL';
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
      // A cancellation supersedes what was published at the session's current sequence.
      sequence: cancelling ? session.sequence + 1 : session.sequence,
      // iTIP wants an organizer; PUBLISH and CANCEL carry no attendees.
      organizer: mailed?.organizer ?? null,
      summary: session.courseTitle,
      location: where || null,
      description: description || null,
      status: session.cancelled || cancelling ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    });
  }
  return calendar.toString();
}

/** The calendar as an attachment: the same method in the Content-Type as in the METHOD line. */
export function mailedCalendar(filename: string, feed: CalendarFeed, method: MailedCalendarMethod, organizer: CalendarOrganizer): MailedCalendar {
  return {
    filename,
    contentType: `text/calendar; charset=utf-8; method=${method}`,
    content: Buffer.from(buildCalendar(feed, { method, organizer }), 'utf8'),
  };
}
