import ICAL from 'ical.js';
import { buildCalendar, CalendarSession } from './calendar';

const updatedAt = new Date('2027-01-15T09:30:00Z');
const sessions: CalendarSession[] = [
  { id: 'e1-1', date: '2027-03-09', startTime: '18:00', endTime: '21:00', courseTitle: 'Wondzorg', sequence: 0, roomName: 'Lokaal 3', locationName: 'Utrecht', teacherName: 'Zoë Şahin-Łukasiewicz', updatedAt },
  { id: 'e1-2', date: '2027-06-08', startTime: '18:00', endTime: '21:00', courseTitle: 'Wondzorg', sequence: 3, cancelled: true, updatedAt },
];

describe('buildCalendar', () => {
  const component = new ICAL.Component(ICAL.parse(buildCalendar({ name: 'Wondzorg voorjaar 2027', sessions })));
  const zone = component.getFirstSubcomponent('vtimezone')!;
  ICAL.TimezoneService.register(zone);
  const events = component.getAllSubcomponents('vevent');

  it('carries the Europe/Amsterdam VTIMEZONE and wall times with TZID', () => {
    expect(zone.getFirstPropertyValue('tzid')).toBe('Europe/Amsterdam');
    const start = events[0].getFirstProperty('dtstart')!;
    expect(start.getParameter('tzid')).toBe('Europe/Amsterdam');
    expect(start.getFirstValue()!.toString()).toBe('2027-03-09T18:00:00');
  });

  it('maps to the right instants in winter and summer time', () => {
    const [winter, summer] = events.map((e) => new ICAL.Event(e));
    expect(winter.startDate.toJSDate().toISOString()).toBe('2027-03-09T17:00:00.000Z');
    expect(winter.endDate.toJSDate().toISOString()).toBe('2027-03-09T20:00:00.000Z');
    expect(summer.startDate.toJSDate().toISOString()).toBe('2027-06-08T16:00:00.000Z');
  });

  it('has stable UIDs, the sequence, the status, a UTC stamp and the room in location and description', () => {
    expect(events.map((e) => [e.getFirstPropertyValue('uid'), e.getFirstPropertyValue('sequence'), e.getFirstPropertyValue('status')])).toEqual([
      ['session-e1-1@registrar', 0, 'CONFIRMED'],
      ['session-e1-2@registrar', 3, 'CANCELLED'],
    ]);
    expect(events[0].getFirstPropertyValue('summary')).toBe('Wondzorg');
    expect(events[0].getFirstPropertyValue('location')).toBe('Lokaal 3, Utrecht');
    expect(events[0].getFirstPropertyValue('description')).toBe('Lokaal: Lokaal 3, Utrecht\nDocent: Zoë Şahin-Łukasiewicz');
    const stamp = events[0].getFirstPropertyValue('dtstamp') as ICAL.Time;
    expect(stamp.zone).toBe(ICAL.Timezone.utcTimezone);
    expect(stamp.toJSDate().toISOString()).toBe('2027-01-15T09:30:00.000Z');
  });
});

describe('buildCalendar with an alarm and an own UID', () => {
  const exam: CalendarSession = { id: 'x1', uid: 'exam-sitting-x1@registrar', date: '2027-03-10', startTime: '13:00', endTime: '15:00', courseTitle: 'Tentamen', sequence: 1, updatedAt, alarmMinutesBefore: 1440 };

  it('adds a display VALARM before the start and keeps the given UID', () => {
    const event = new ICAL.Component(ICAL.parse(buildCalendar({ name: 'Tentamen', sessions: [exam] }))).getFirstSubcomponent('vevent')!;
    expect(event.getFirstPropertyValue('uid')).toBe('exam-sitting-x1@registrar');
    const alarm = event.getFirstSubcomponent('valarm')!;
    expect(alarm.getFirstPropertyValue('action')).toBe('DISPLAY');
    expect(String(alarm.getFirstPropertyValue('trigger'))).toBe('-P1D');
  });

  it('leaves the alarm out of a cancellation', () => {
    const text = buildCalendar({ name: 'Tentamen', sessions: [exam] }, { method: 'CANCEL', organizer: { name: 'Instituut', email: 'info@example.nl' } });
    expect(text).not.toContain('VALARM');
    expect(text).toContain('METHOD:CANCEL');
  });
});
