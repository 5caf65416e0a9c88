import { getVtimezoneComponent } from '@touch4it/ical-timezones';
import { ICalCalendar, ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import { DateTime } from 'luxon';

const ZONE = 'Europe/Amsterdam';

export interface CeremonyEvent {
  id: string;
  title: string;
  startsAt: Date;
  endsAt: Date;
  place: string;
  address: string;
  programme: string;
  updatedAt: Date;
  sequence: number;
}

/**
 * The ceremony as an .ics attachment (PUBLISH: the answer goes through the invitation's link,
 * not back by calendar mail), in Amsterdam time with its VTIMEZONE.
 */
export function ceremonyCalendar(event: CeremonyEvent, organizer: { name: string; email: string }): { filename: string; contentType: string; content: Buffer } {
  const calendar = new ICalCalendar({ name: event.title, prodId: { company: 'Registrar', product: 'ceremonies', language: 'NL' }, method: ICalCalendarMethod.PUBLISH });
  calendar.timezone({ name: null, generator: getVtimezoneComponent });
  calendar.createEvent({
    id: `ceremony-${event.id}@registrar`,
    start: DateTime.fromJSDate(event.startsAt, { zone: ZONE }),
    end: DateTime.fromJSDate(event.endsAt, { zone: ZONE }),
    timezone: ZONE,
    stamp: event.updatedAt,
    sequence: event.sequence,
    organizer,
    summary: event.title,
    location: `${event.place}, ${event.address}`,
    description: event.programme,
    status: ICalEventStatus.CONFIRMED,
  });
  return { filename: 'diploma-uitreiking.ics', contentType: 'text/calendar; charset=utf-8; method=PUBLISH', content: Buffer.from(calendar.toString(), 'utf8') };
}
