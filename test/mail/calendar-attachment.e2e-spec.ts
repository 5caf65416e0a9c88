import ICAL from 'ical.js';
import type { Attachment } from 'mailparser';
import { bearer } from '../test-app';
import { createCourse, createEdition, createStudent } from '../factories';
import { startMailApp, type MailApp } from './mail-test-kit';
import { SmtpSink } from './smtp-sink';

/** The calendar of an attachment as an independent parser reads it, with the Content-Type's method. */
function calendarOf(attachment: Attachment) {
  const calendar = new ICAL.Component(ICAL.parse(attachment.content.toString('utf8')));
  return {
    method: calendar.getFirstPropertyValue('method'),
    events: calendar.getAllSubcomponents('vevent').map((event) => ({
      uid: event.getFirstPropertyValue('uid'),
      sequence: event.getFirstPropertyValue('sequence'),
      status: event.getFirstPropertyValue('status'),
      organizer: event.getFirstPropertyValue('organizer'),
      attendees: event.getAllProperties('attendee').length,
      start: (event.getFirstPropertyValue('dtstart') as ICAL.Time).toString(),
    })),
  };
}

/** The `method` parameter of an attachment's Content-Type, as mailparser reads the header. */
function contentTypeMethod(attachment: Attachment): string | undefined {
  const header = attachment.headers.get('content-type') as { value: string; params: Record<string, string> } | undefined;
  return header?.params.method;
}

describe('calendars attached to mail (RFC 6047)', () => {
  let sink: SmtpSink;
  let m: MailApp;
  let advisor: string;
  let admin: string;

  beforeAll(async () => {
    sink = await SmtpSink.start();
    m = await startMailApp({ SMTP_URL: sink.url });
    advisor = (await m.t.signIn(['advisor'])).token;
    admin = (await m.t.signIn(['admin'])).token;
  });
  afterAll(async () => {
    await m.t.close();
    await sink.close();
  });

  /** The mail of this template to this student, as it reached the SMTP server and mailparser reads it. */
  const arrived = async (email: string, type: string) => {
    const [{ messageId }]: { messageId: string }[] = await m.db.query(
      `SELECT message_id AS "messageId" FROM mail_message WHERE to_email = $1 AND type = $2`,
      [email.toLowerCase(), type],
    );
    const [mail] = sink.withMessageId(messageId);
    return mail.parsed;
  };

  it('publishes the sessions on confirmation and cancels the same events when the student leaves', async () => {
    const course = await createCourse(m.t, admin);
    const edition = await createEdition(m.db, course.id, { sessions: 3 });
    // A session that changed twice since it was planned: its calendar copies are at sequence 2.
    await m.db.query(
      `UPDATE session SET sequence = 2 WHERE id = (SELECT id FROM session WHERE edition_id = $1 ORDER BY date LIMIT 1)`,
      [edition.id],
    );
    const student = await createStudent(m.t, advisor);
    const enrolment = await m.t.http.post('/enrolments').set(bearer(advisor)).send({ studentId: student.id, editionId: edition.id }).expect(201);
    expect(enrolment.body.status).toBe('enrolled');
    await m.deliverAll();

    const confirmation = await arrived(student.email, 'enrolment-confirmed');
    const [published] = confirmation.attachments.filter((a) => a.contentType === 'text/calendar');
    expect(published.filename).toBe(`${edition.code}.ics`);
    expect(contentTypeMethod(published)).toBe('PUBLISH');
    const publish = calendarOf(published);
    expect(publish.method).toBe('PUBLISH');
    expect(publish.events).toHaveLength(3);
    for (const event of publish.events) {
      expect(event).toMatchObject({ status: 'CONFIRMED', attendees: 0 });
      expect(String(event.organizer).toLowerCase()).toMatch(/^mailto:.+@.+/);
    }
    expect(publish.events.map((e) => e.sequence)).toEqual([2, 0, 0]);

    await m.t.http.post(`/enrolments/${enrolment.body.id}/cancel`).set(bearer(advisor)).send({ reason: 'verhuisd' }).expect(200);
    await m.deliverAll();
    const cancellation = await arrived(student.email, 'enrolment-cancelled');
    const withdrawn = cancellation.attachments.filter((a) => a.contentType === 'text/calendar');
    expect(withdrawn.map((a) => a.filename)).toEqual([1, 2, 3].map((n) => `${edition.code}-${n}.ics`));
    const cancels = withdrawn.map((attachment) => {
      expect(contentTypeMethod(attachment)).toBe('CANCEL');
      const cancel = calendarOf(attachment);
      expect(cancel.method).toBe('CANCEL');
      // One UID per CANCEL (RFC 5546).
      expect(cancel.events).toHaveLength(1);
      return cancel.events[0];
    });
    expect(cancels.map((e) => e.uid)).toEqual(publish.events.map((e) => e.uid));
    expect(cancels.map((e) => e.sequence)).toEqual(publish.events.map((e) => Number(e.sequence) + 1));
    expect(cancels.map((e) => e.start)).toEqual(publish.events.map((e) => e.start));
    for (const event of cancels) expect(event).toMatchObject({ status: 'CANCELLED', organizer: publish.events[0].organizer, attendees: 0 });
  });

  it('sends no calendar to withdraw when the student was never sent one', async () => {
    const course = await createCourse(m.t, admin);
    const edition = await createEdition(m.db, course.id, { capacity: 1 });
    const first = await createStudent(m.t, advisor);
    const second = await createStudent(m.t, advisor);
    await m.t.http.post('/enrolments').set(bearer(advisor)).send({ studentId: first.id, editionId: edition.id }).expect(201);
    const waiting = await m.t.http.post('/enrolments').set(bearer(advisor)).send({ studentId: second.id, editionId: edition.id }).expect(201);
    expect(waiting.body.status).toBe('waitlisted');
    await m.t.http.post(`/enrolments/${waiting.body.id}/cancel`).set(bearer(advisor)).send({}).expect(200);
    await m.deliverAll();
    expect((await arrived(second.email, 'enrolment-cancelled')).attachments.filter((a) => a.contentType === 'text/calendar')).toEqual([]);
  });
});
