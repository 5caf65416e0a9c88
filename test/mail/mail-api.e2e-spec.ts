import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { bearer } from '../test-app';
import { aStudentId, startMailApp, testMail, type MailApp } from './mail-test-kit';

const ENROLMENT = {
  studentName: 'Zoë Şahin-Łukasiewicz',
  courseName: 'Post-hbo Praktijkonderzoek',
  editionCode: 'PRZ-2027-01',
  sessions: [{ startsAt: '2027-03-09T09:30:00+01:00', endsAt: '2027-03-09T16:30:00+01:00', location: 'Online', room: null }],
};

describe('mail API and the .eml inbox (no SMTP_URL)', () => {
  const dataDir = `/tmp/registrar-mail-test-${randomUUID()}`;
  let m: MailApp;
  let staff: string;

  beforeAll(async () => {
    m = await startMailApp({ DATA_DIR: dataDir });
    staff = (await m.t.signIn(['coordinator'])).token;
  });
  afterAll(async () => {
    await m.t.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('writes each message as an .eml file that reads back as sent, and shows it in the inbox', async () => {
    const pdf = Buffer.from(`%PDF-1.7 ${randomUUID()}`);
    const { id } = await m.enqueue(
      testMail({
        type: 'enrolment-confirmed',
        to: { email: 'zoë@example.nl', name: 'Zoë Şahin-Łukasiewicz' },
        data: ENROLMENT,
        attachments: [{ filename: 'factuur.pdf', contentType: 'application/pdf', content: pdf }],
      }),
    );
    await m.deliverAll();
    const stored = await m.row(id);
    expect(stored).toMatchObject({ status: 'sent', attempts: 1 });
    const file = (stored.smtp_response as string).replace('written to ', '');
    expect(readdirSync(join(dataDir, 'mail'))).toContain(file);

    const parsed = await simpleParser(readFileSync(join(dataDir, 'mail', file)), { keepCidLinks: true });
    expect(parsed.subject).toBe('Uw inschrijving voor Post-hbo Praktijkonderzoek is bevestigd');
    expect(parsed.messageId).toBe(stored.message_id);
    expect(parsed.html).toBe(stored.html);
    expect(parsed.to).toMatchObject({ value: [{ name: 'Zoë Şahin-Łukasiewicz', address: 'zoë@example.nl' }] });
    expect(parsed.attachments.map((a) => [a.filename, a.content])).toEqual([['factuur.pdf', pdf]]);

    const page = await m.t.http.get('/mail/inbox').expect(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.text).toContain('/auth/login');
    expect(page.text).not.toContain('zoë');

    await m.t.http.get('/mail/inbox/messages').expect(401);
    const student = await m.t.signIn(['student'], { studentId: await aStudentId(m.db) });
    await m.t.http.get('/mail/inbox/messages').set(bearer(student.token)).expect(403);
    const list = await m.t.http.get('/mail/inbox/messages?pageSize=100').set(bearer(staff)).expect(200);
    expect(list.body.items).toContainEqual(
      expect.objectContaining({ file, subject: parsed.subject, to: '"Zoë Şahin-Łukasiewicz" <zoë@example.nl>' }),
    );
    const shown = await m.t.http.get(`/mail/inbox/messages/${file}`).set(bearer(staff)).expect(200);
    expect(shown.body).toMatchObject({ file, messageId: stored.message_id, subject: parsed.subject });
    expect(shown.body.text).toContain('Zoë Şahin-Łukasiewicz');
    expect(shown.body.attachments).toEqual([{ filename: 'factuur.pdf', contentType: 'application/pdf', size: pdf.length, inline: false }]);
    await m.t.http.get('/mail/inbox/messages/..%2F..%2Fetc%2Fpasswd').set(bearer(staff)).expect(404);
  });

  it('lists templates and previews one, naming a missing variable', async () => {
    const templates = await m.t.http.get('/mail/templates?pageSize=100').set(bearer(staff)).expect(200);
    expect(templates.body.total).toBe(templates.body.items.length);
    expect(templates.body.items.find((t: { name: string }) => t.name === 'enrolment-confirmed')).toMatchObject({ locales: ['nl', 'en'] });

    const sample = await m.t.http.post('/mail/templates/enrolment-confirmed/preview').set(bearer(staff)).send({ locale: 'en' }).expect(200);
    expect(sample.body.subject).toBe('Your enrolment for Post-hbo Leidinggeven aan Professionals is confirmed');
    expect(sample.body.text).toContain('Nguyễn Thị Minh Khai');

    const given = await m.t.http
      .post('/mail/templates/enrolment-confirmed/preview')
      .set(bearer(staff))
      .send({ locale: 'nl', data: ENROLMENT })
      .expect(200);
    expect(given.body.subject).toBe('Uw inschrijving voor Post-hbo Praktijkonderzoek is bevestigd');

    const missing = await m.t.http
      .post('/mail/templates/enrolment-confirmed/preview')
      .set(bearer(staff))
      .send({ locale: 'nl', data: { ...ENROLMENT, courseName: undefined } })
      .expect(400);
    expect(missing.body.errors).toEqual([expect.objectContaining({ field: 'data.courseName', rule: 'required' })]);
    await m.t.http.post('/mail/templates/no-such-template/preview').set(bearer(staff)).send({ locale: 'nl' }).expect(404);
    await m.t.http.post('/mail/templates/enrolment-confirmed/preview').set(bearer(staff)).send({ locale: 'de' }).expect(400);
    const teacher = await m.t.signIn(['teacher']);
    await m.t.http.get('/mail/templates').set(bearer(teacher.token)).expect(403);
  });

  it('filters messages by status, recipient, type and date, and shows one with content and attachments', async () => {
    const run = randomUUID();
    const studentId = randomUUID();
    const a = await m.enqueue(testMail({ to: { email: `filter-${run}-a@example.nl`, name: 'Anna' }, studentId }));
    const b = await m.enqueue(
      testMail({
        type: 'enrolment-confirmed',
        to: { email: `filter-${run}-b@example.nl`, name: 'Bram' },
        data: ENROLMENT,
        attachments: [{ filename: 'lesdagen.ics', contentType: 'text/calendar', content: Buffer.from('BEGIN:VCALENDAR') }],
      }),
    );
    await m.deliverAll();
    const c = await m.enqueue(testMail({ to: { email: `filter-${run}-c@example.nl`, name: 'Cas' } }));

    const get = (query: string) => m.t.http.get(`/mail/messages?${query}`).set(bearer(staff)).expect(200);
    const ids = (body: { items: { id: string }[] }) => body.items.map((i) => i.id);
    expect(ids((await get(`recipient=filter-${run}`)).body)).toEqual([c.id, b.id, a.id]);
    expect(ids((await get(`recipient=filter-${run}&status=queued`)).body)).toEqual([c.id]);
    expect(ids((await get(`recipient=filter-${run}&status=sent&type=enrolment-confirmed`)).body)).toEqual([b.id]);
    expect(ids((await get(`studentId=${studentId}`)).body)).toEqual([a.id]);
    const paged = (await get(`recipient=filter-${run}&pageSize=2&page=2`)).body;
    expect(paged).toMatchObject({ total: 3, page: 2, pageSize: 2 });
    expect(ids(paged)).toEqual([a.id]);
    const future = new Date(Date.now() + 60_000).toISOString();
    expect((await get(`recipient=filter-${run}&from=${encodeURIComponent(future)}`)).body.total).toBe(0);
    expect((await get(`recipient=filter-${run}&to=${encodeURIComponent(future)}`)).body.total).toBe(3);
    await m.t.http.get('/mail/messages?status=lost').set(bearer(staff)).expect(400);
    await m.t.http.get('/mail/messages?from=yesterday').set(bearer(staff)).expect(400);

    const detail = (await m.t.http.get(`/mail/messages/${b.id}`).set(bearer(staff)).expect(200)).body;
    expect(detail).toMatchObject({ id: b.id, status: 'sent', attempts: 1, to: { email: `filter-${run}-b@example.nl`, name: 'Bram' } });
    expect(detail.html).toContain('Post-hbo Praktijkonderzoek');
    expect(detail.text).toContain('Post-hbo Praktijkonderzoek');
    expect(detail.attachments).toEqual([{ filename: 'lesdagen.ics', contentType: 'text/calendar', size: 15, contentId: null }]);
    await m.t.http.get(`/mail/messages/${randomUUID()}`).set(bearer(staff)).expect(404);
  });

  it('lets a student see only the messages sent to them', async () => {
    const studentId = await aStudentId(m.db);
    const student = await m.t.signIn(['student'], { studentId });
    const own = await m.enqueue(testMail({ studentId }));
    const other = await m.enqueue(testMail({ studentId: randomUUID() }));

    const list = await m.t.http.get(`/mail/messages?studentId=${randomUUID()}`).set(bearer(student.token)).expect(200);
    expect(list.body.items.map((i: { id: string }) => i.id)).toEqual([own.id]);
    await m.t.http.get(`/mail/messages/${own.id}`).set(bearer(student.token)).expect(200);
    await m.t.http.get(`/mail/messages/${other.id}`).set(bearer(student.token)).expect(404);
    await m.t.http.post(`/mail/messages/${own.id}/resend`).set(bearer(student.token)).expect(403);
    const teacher = await m.t.signIn(['teacher']);
    await m.t.http.get('/mail/messages').set(bearer(teacher.token)).expect(403);
  });

  it('resends a sent message as a new send with a new Message-ID, once per Idempotency-Key', async () => {
    const { id } = await m.enqueue(testMail({ attachments: [{ filename: 'a.xml', contentType: 'application/xml', content: Buffer.from('<a/>') }] }));
    const queued = await m.t.http.post(`/mail/messages/${id}/resend`).set(bearer(staff)).expect(409);
    expect(queued.body.code).toBe('mail_not_finished');
    await m.deliverAll();
    const original = await m.row(id);

    const key = randomUUID();
    const copy = (await m.t.http.post(`/mail/messages/${id}/resend`).set(bearer(staff)).set('Idempotency-Key', key).expect(201)).body;
    expect(copy).toMatchObject({ status: 'queued', attempts: 0, resendOf: id, subject: original.subject, html: original.html });
    expect(copy.id).not.toBe(id);
    expect(copy.messageId).not.toBe(original.message_id);
    expect(copy.attachments).toEqual([{ filename: 'a.xml', contentType: 'application/xml', size: 4, contentId: null }]);
    const again = (await m.t.http.post(`/mail/messages/${id}/resend`).set(bearer(staff)).set('Idempotency-Key', key).expect(201)).body;
    expect(again.id).toBe(copy.id);
    const another = (await m.t.http.post(`/mail/messages/${id}/resend`).set(bearer(staff)).expect(201)).body;
    expect(another.id).not.toBe(copy.id);

    await m.deliverAll();
    expect(await m.row(copy.id)).toMatchObject({ status: 'sent', attempts: 1 });
    expect(await m.row(id)).toMatchObject({ status: 'sent', message_id: original.message_id });
  });

  it('keeps the billing party (an employer) a message is about, lists by it, and resends it about the same party', async () => {
    const billingPartyId = randomUUID();
    const { id } = await m.enqueue(testMail({ billingPartyId }));
    await m.enqueue(testMail());
    const listed = (await m.t.http.get(`/mail/messages?billingPartyId=${billingPartyId}`).set(bearer(staff)).expect(200)).body;
    expect(listed.items.map((item: { id: string; billingPartyId: string; studentId: string | null }) => [item.id, item.billingPartyId, item.studentId])).toEqual([
      [id, billingPartyId, null],
    ]);
    await m.deliverAll();
    const copy = (await m.t.http.post(`/mail/messages/${id}/resend`).set(bearer(staff)).expect(201)).body;
    expect(copy).toMatchObject({ resendOf: id, billingPartyId });
    await m.deliverAll();
  });
});
