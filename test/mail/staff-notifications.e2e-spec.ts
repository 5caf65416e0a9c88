import { randomUUID } from 'node:crypto';
import { StaffNotifications } from '../../src/mail/staff-notifications.service';
import { bearer } from '../test-app';
import { aStudentId, startMailApp, type MailApp } from './mail-test-kit';
import { SmtpSink } from './smtp-sink';

describe('staff notifications: at once or in the end-of-day digest', () => {
  let sink: SmtpSink;
  let m: MailApp;

  beforeAll(async () => {
    sink = await SmtpSink.start();
    m = await startMailApp({ SMTP_URL: sink.url });
  });
  afterAll(async () => {
    await m.t.close();
    await sink.close();
  });

  it('keeps each staff member’s choice per kind of their roles; frequent kinds go to the digest unless chosen otherwise', async () => {
    const advisor = await m.t.signIn(['advisor']);
    const initial = await m.t.http.get('/mail/notification-preferences').set(bearer(advisor.token)).expect(200);
    const deliveries = (body: { kind: string; delivery: string }[]) => Object.fromEntries(body.map((p) => [p.kind, p.delivery]));
    expect(deliveries(initial.body)).toEqual({
      enrolment_received: 'digest',
      admission_decision_needed: 'immediate',
      enrolment_cancelled: 'digest',
    });
    const coordinator = await m.t.signIn(['coordinator']);
    const theirs = await m.t.http.get('/mail/notification-preferences').set(bearer(coordinator.token)).expect(200);
    expect(deliveries(theirs.body)).toEqual({ mail_failed: 'immediate', diploma_needs_review: 'immediate' });
    // A kind of another role's is not offered.
    await m.t.http.put('/mail/notification-preferences/mail_failed').set(bearer(advisor.token)).send({ delivery: 'digest' }).expect(400);
    const changed = await m.t.http
      .put('/mail/notification-preferences/enrolment_cancelled')
      .set(bearer(advisor.token))
      .send({ delivery: 'immediate' })
      .expect(200);
    expect(changed.body).toContainEqual({ kind: 'enrolment_cancelled', label: 'Afmelding', delivery: 'immediate' });
    expect(deliveries(changed.body)).toEqual({ ...deliveries(initial.body), enrolment_cancelled: 'immediate' });
    // Kinds no module produces are not offered.
    await m.t.http.put('/mail/notification-preferences/payment_unmatched').set(bearer(advisor.token)).send({ delivery: 'digest' }).expect(400);
    await m.t.http.put('/mail/notification-preferences/coffee').set(bearer(advisor.token)).send({ delivery: 'digest' }).expect(400);
    await m.t.http.put('/mail/notification-preferences/enrolment_cancelled').set(bearer(advisor.token)).send({ delivery: 'weekly' }).expect(400);
    const student = await m.t.signIn(['student'], { studentId: await aStudentId(m.db) });
    await m.t.http.get('/mail/notification-preferences').set(bearer(student.token)).expect(403);
  });

  it('mails at once or bundles into one digest, once per event, to the roles of its kind only', async () => {
    const atOnce = await m.t.signIn(['advisor', 'coordinator']);
    // No choices made: new enrolments wait for the digest, a failed mail comes at once.
    const bundled = await m.t.signIn(['advisor', 'coordinator']);
    const teacher = await m.t.signIn(['teacher']);
    const advisorOnly = await m.t.signIn(['advisor']);
    await m.t.http.put('/mail/notification-preferences/enrolment_received').set(bearer(atOnce.token)).send({ delivery: 'immediate' }).expect(200);
    const notifications = m.t.app.get(StaffNotifications);
    const run = randomUUID();
    const notify = (n: number, kind: 'enrolment_received' | 'mail_failed') =>
      m.db.transaction((manager) =>
        notifications.notify(manager, {
          kind,
          summary: `Zoë Şahin-Łukasiewicz (${run}, ${n})`,
          link: `https://registrar.example.nl/enrolments/${n}`,
          eventKey: `test-event:${run}:${n}`,
        }),
      );
    await notify(1, 'enrolment_received');
    await notify(1, 'enrolment_received');
    await notify(2, 'enrolment_received');
    await notify(3, 'mail_failed');
    await m.deliverAll();
    const to = (email: string) => sink.received.filter((r) => r.envelope.to.includes(email));
    expect(to(atOnce.email).map((r) => r.parsed.subject).sort()).toEqual([
      `Mail niet bezorgd: Zoë Şahin-Łukasiewicz (${run}, 3)`,
      `Nieuwe aanmelding: Zoë Şahin-Łukasiewicz (${run}, 1)`,
      `Nieuwe aanmelding: Zoë Şahin-Łukasiewicz (${run}, 2)`,
    ]);
    expect(to(bundled.email).map((r) => r.parsed.subject)).toEqual([`Mail niet bezorgd: Zoë Şahin-Łukasiewicz (${run}, 3)`]);
    expect(to(advisorOnly.email)).toEqual([]);
    expect(to(teacher.email)).toEqual([]);

    expect(await notifications.sendDigests()).toBeGreaterThanOrEqual(1);
    expect(await notifications.sendDigests()).toBe(0);
    await m.deliverAll();
    const digests = to(bundled.email).filter((r) => r.parsed.subject?.startsWith('Dagoverzicht'));
    expect(digests).toHaveLength(1);
    expect(digests[0].parsed.subject).toMatch(/: 2 meldingen$/);
    expect(digests[0].parsed.text).toContain('Nieuwe aanmeldingen (2)');
    expect(digests[0].parsed.text).toContain(`Zoë Şahin-Łukasiewicz (${run}, 2)`);
    expect(to(atOnce.email)).toHaveLength(3);
  });
});
