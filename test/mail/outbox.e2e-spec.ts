import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { MailOutbox } from '../../src/mail/mail-outbox.service';
import { SettingsService } from '../../src/settings/settings.service';
import { restoreInstitute } from '../factories';
import { startMailApp, testMail, type MailApp } from './mail-test-kit';
import { SmtpSink } from './smtp-sink';

// A 1×1 PNG: the institute's logo travels inline with each message.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAcCBlCwAAAABJRU5ErkJggg==', 'base64');

describe('mail outbox and delivery over SMTP', () => {
  let sink: SmtpSink;
  let m: MailApp;

  beforeAll(async () => {
    sink = await SmtpSink.start();
    m = await startMailApp({ SMTP_URL: sink.url });
    await m.deliverAll();
  });
  afterAll(async () => {
    // The logo one test gives the institute would otherwise travel with other suites' mail.
    await restoreInstitute(m.t);
    await m.t.close();
    await sink.close();
  });
  beforeEach(() => {
    sink.recipientRule = () => undefined;
  });

  it('delivers what was stored: subject, both parts, attachments byte for byte, headers', async () => {
    await m.t.app.get(SettingsService).putImage('logo', { mediaType: 'image/png', data: PNG.toString('base64') });
    const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.from(Array.from({ length: 3000 }, (_, i) => i % 256))]);
    const ics = Buffer.from('BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Registrar//NL\r\nEND:VCALENDAR\r\n');
    const { id, created } = await m.enqueue(
      testMail({
        type: 'enrolment-confirmed',
        locale: 'en',
        to: { email: `nguyen-${randomUUID()}@example.nl`, name: 'Nguyễn Thị Minh Khai' },
        data: {
          studentName: 'Nguyễn Thị Minh Khai',
          courseName: 'Post-hbo Leidinggeven',
          editionCode: 'LAP-2027-02',
          sessions: [{ startsAt: '2027-03-09T09:30:00+01:00', endsAt: '2027-03-09T16:30:00+01:00', location: 'Utrecht', room: '2.14' }],
          tuitionCents: 289500,
        },
        attachments: [
          { filename: 'bevestiging.pdf', contentType: 'application/pdf', content: pdf },
          { filename: 'lesdagen.ics', contentType: 'text/calendar', content: ics },
        ],
      }),
    );
    expect(created).toBe(true);
    const stored = await m.row(id);
    expect(stored).toMatchObject({ status: 'queued', attempts: 0, subject: 'Your enrolment for Post-hbo Leidinggeven is confirmed' });

    expect(await m.deliverAll()).toBe(1);
    const [mail] = sink.withMessageId(stored.message_id as string);
    expect(sink.withMessageId(stored.message_id as string)).toHaveLength(1);
    expect(mail.parsed.subject).toBe('Your enrolment for Post-hbo Leidinggeven is confirmed');
    expect(mail.parsed.html).toBe(stored.html);
    expect(mail.parsed.text?.trim()).toBe((stored.text as string).trim());
    expect(mail.parsed.text).toContain('€2,895.00');
    expect(mail.parsed.to).toMatchObject({ value: [{ name: 'Nguyễn Thị Minh Khai', address: stored.to_email }] });
    expect(mail.parsed.from).toMatchObject({ value: [{ name: 'Amstel Academie voor Post-hbo Onderwijs', address: 'info@amstelacademie.example' }] });
    expect(mail.parsed.messageId).toBe(stored.message_id);
    expect(mail.parsed.messageId).toMatch(/^<[0-9a-f-]{36}@amstelacademie\.example>$/);
    const files = mail.parsed.attachments
      .map((a) => ({ filename: a.filename, contentType: a.contentType, cid: a.cid ?? null, content: a.content }))
      .sort((a, b) => a.filename!.localeCompare(b.filename!));
    expect(files).toEqual([
      { filename: 'bevestiging.pdf', contentType: 'application/pdf', cid: null, content: pdf },
      { filename: 'lesdagen.ics', contentType: 'text/calendar', cid: null, content: ics },
      { filename: 'logo.png', contentType: 'image/png', cid: 'logo', content: PNG },
    ]);
    expect(mail.parsed.html).toContain('src="cid:logo"');
    expect(await m.row(id)).toMatchObject({ status: 'sent', attempts: 1, lease_token: null, last_error: null });
    expect((await m.row(id)).smtp_response).toMatch(/^250 /);
  });

  it('queues many messages at once as enqueue would: one per key, attachments and logo with each, delivered byte for byte', async () => {
    await m.t.app.get(SettingsService).putImage('logo', { mediaType: 'image/png', data: PNG.toString('base64') });
    const db = m.t.app.get(DataSource);
    const outbox = m.t.app.get(MailOutbox);
    const pdf = (n: number) => Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.from(`diploma ${n}`)]);
    const mails = [0, 1, 2].map((n) =>
      testMail({ to: { email: `many-${n}-${randomUUID()}@example.nl`, name: 'Zoë Şahin-Łukasiewicz' }, attachments: [{ filename: `${n}.pdf`, contentType: 'application/pdf', content: pdf(n) }] }),
    );
    const earlier = await db.transaction((manager) => outbox.enqueue(manager, mails[0]));
    const answers = await db.transaction((manager) => outbox.enqueueMany(manager, [mails[0], mails[1], mails[2], mails[1]]));
    expect(answers.map((a) => a.created)).toEqual([false, true, true, false]);
    expect(answers[0].id).toBe(earlier.id);
    expect(answers[3].id).toBe(answers[1].id);
    await m.deliverAll();
    for (const n of [1, 2]) {
      const stored = await m.row(answers[n].id);
      const [mail] = sink.withMessageId(stored.message_id as string);
      const files = mail.parsed.attachments.map((a) => ({ filename: a.filename, content: a.content })).sort((a, b) => a.filename!.localeCompare(b.filename!));
      expect(files).toEqual([
        { filename: `${n}.pdf`, content: pdf(n) },
        { filename: 'logo.png', content: PNG },
      ]);
    }
    expect(await db.transaction((manager) => outbox.enqueueMany(manager, []))).toEqual([]);
  });

  it('sends nothing for a change that was rolled back', async () => {
    const mail = testMail();
    await expect(
      m.db.transaction(async (manager) => {
        await m.outbox.enqueue(manager, mail);
        throw new Error('the enrolment failed');
      }),
    ).rejects.toThrow('the enrolment failed');
    const rows = await m.db.query(`SELECT id FROM mail_message WHERE idempotency_key = $1`, [mail.idempotencyKey]);
    expect(rows).toEqual([]);
    await m.deliverAll();
    expect(sink.received.filter((r) => r.envelope.to.includes(mail.to.email))).toEqual([]);
  });

  it('makes one message of the same event twice, also when both arrive at once', async () => {
    const mail = testMail();
    const first = await m.enqueue(mail);
    const again = await m.enqueue({ ...mail, data: { requestedBy: 'Someone else', sentAt: '2027-01-06T09:00:00+01:00' } });
    expect(again).toEqual({ id: first.id, created: false });

    const racing = testMail();
    const outbox = m.t.app.get(MailOutbox);
    const results = await Promise.all(Array.from({ length: 5 }, () => m.db.transaction((manager) => outbox.enqueue(manager, racing))));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.id)).size).toBe(1);

    await m.deliverAll();
    expect(sink.received.filter((r) => r.envelope.to.includes(mail.to.email))).toHaveLength(1);
    expect(sink.received.filter((r) => r.envelope.to.includes(racing.to.email))).toHaveLength(1);
  });

  it('delivers to a Unicode address (SMTPUTF8) with diacritics in the display name', async () => {
    const { id } = await m.enqueue(testMail({ to: { email: 'zoë@example.nl', name: 'Zoë Şahin-Łukasiewicz' } }));
    await m.deliverAll();
    const [mail] = sink.withMessageId((await m.row(id)).message_id as string);
    expect(mail.envelope.to).toEqual(['zoë@example.nl']);
    expect(mail.envelope.smtpUtf8).toBe(true);
    expect(mail.parsed.to).toMatchObject({ value: [{ name: 'Zoë Şahin-Łukasiewicz', address: 'zoë@example.nl' }] });
    expect(mail.parsed.subject).toBe('Testbericht van Amstel Academie voor Post-hbo Onderwijs');
  });
});
