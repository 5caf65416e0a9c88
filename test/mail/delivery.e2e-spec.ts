import { randomUUID } from 'node:crypto';
import { startMailApp, testMail, type MailApp } from './mail-test-kit';
import { SmtpSink } from './smtp-sink';

describe('mail delivery: retries, failures, leases and several workers', () => {
  let sink: SmtpSink;
  let m: MailApp;

  beforeAll(async () => {
    sink = await SmtpSink.start();
    m = await startMailApp({ SMTP_URL: sink.url });
    await m.deliverAll();
  });
  afterAll(async () => {
    await m.t.close();
    await sink.close();
  });
  beforeEach(() => {
    sink.recipientRule = () => undefined;
  });

  const arrivedFor = (email: string) => sink.received.filter((r) => r.envelope.to.includes(email));

  it('retries a temporary failure (4xx) later with backoff, then delivers it once', async () => {
    const mail = testMail();
    let refusals = 0;
    sink.recipientRule = (address) => (address === mail.to.email && refusals++ === 0 ? { code: 451, message: 'Mailbox busy, try later' } : undefined);
    const { id } = await m.enqueue(mail);

    expect(await m.deliverAll()).toBe(1);
    const afterFirst = await m.row(id);
    expect(afterFirst).toMatchObject({ status: 'queued', attempts: 1, lease_token: null });
    expect(afterFirst.last_error).toContain('Mailbox busy, try later');
    expect(afterFirst.smtp_response).toMatch(/^451 /);
    const wait = (new Date(afterFirst.next_attempt_at as string).getTime() - Date.now()) / 1000;
    expect(wait).toBeGreaterThan(50);
    expect(wait).toBeLessThanOrEqual(60);
    expect(await m.deliverAll()).toBe(0);

    await m.db.query(`UPDATE mail_message SET next_attempt_at = now() WHERE id = $1`, [id]);
    expect(await m.deliverAll()).toBe(1);
    expect(await m.row(id)).toMatchObject({ status: 'sent', attempts: 2, last_error: null });
    expect(arrivedFor(mail.to.email)).toHaveLength(1);
  });

  it('stops at once on a permanent failure (5xx) with the reason, and tells coordinators', async () => {
    const coordinator = await m.t.signIn(['coordinator']);
    const mail = testMail();
    sink.recipientRule = (address) => (address === mail.to.email ? { code: 550, message: 'No such user here' } : undefined);
    const { id } = await m.enqueue(mail);

    expect(await m.deliverAll()).toBeGreaterThanOrEqual(1);
    const failed = await m.row(id);
    expect(failed).toMatchObject({ status: 'failed', attempts: 1, lease_token: null });
    expect(failed.last_error).toContain('No such user here');
    expect(failed.smtp_response).toMatch(/^550 /);
    expect(failed.failed_at).not.toBeNull();
    expect(arrivedFor(mail.to.email)).toEqual([]);

    const [notification] = await m.db.query(
      `SELECT kind, summary, mail_message_id FROM staff_notification WHERE event_key = $1 AND user_id = $2`,
      [`mail-failed:${id}`, coordinator.id],
    );
    expect(notification.kind).toBe('mail_failed');
    expect(notification.summary).toContain(mail.to.email);
    // The coordinator hears of it at once (no preference set): a staff-notification mail went out.
    const told = arrivedFor(coordinator.email);
    expect(told).toHaveLength(1);
    expect(told[0].parsed.subject).toBe(`Mail niet bezorgd: ${notification.summary}`);
  });

  it('gives an address that cannot be a mailbox up at once', async () => {
    const { id } = await m.enqueue(testMail({ to: { email: 'not an address', name: 'Nobody' } }));
    await m.deliverAll();
    expect(await m.row(id)).toMatchObject({ status: 'failed', attempts: 1 });
  });

  it('takes a message again when the lease of a worker that died while sending ends', async () => {
    const mail = testMail();
    const { id } = await m.enqueue(mail);
    // A worker claims with a one-second lease and dies before it records anything.
    const claim = await m.delivery.claim(1000, 1);
    expect(claim.messages.map((c) => c.id)).toContain(id);
    expect(await m.row(id)).toMatchObject({ status: 'sending', attempts: 1 });

    expect(await m.deliverAll()).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await m.deliverAll()).toBeGreaterThanOrEqual(1);

    const sent = await m.row(id);
    expect(sent).toMatchObject({ status: 'sent', attempts: 2 });
    const arrived = arrivedFor(mail.to.email);
    expect(arrived).toHaveLength(1);
    expect(arrived[0].parsed.messageId).toBe(sent.message_id);
  });

  it('delivers each of 500 messages exactly once with two workers', async () => {
    const second = await startMailApp({ SMTP_URL: sink.url });
    try {
      const run = randomUUID();
      const ids = await m.db.transaction(async (manager) => {
        const made: string[] = [];
        for (let i = 0; i < 500; i++) {
          const to = { email: `two-workers-${run}-${i}@example.nl`, name: `Cursist ${i}` };
          made.push((await m.outbox.enqueue(manager, testMail({ to, idempotencyKey: `two-workers:${run}:${i}` }))).id);
        }
        return made;
      });
      const [first, other] = await Promise.all([m.deliverAll(), second.deliverAll()]);
      expect(first + other).toBeGreaterThanOrEqual(500);
      expect(first).toBeGreaterThan(0);
      expect(other).toBeGreaterThan(0);

      const rows: { status: string; attempts: number; message_id: string }[] = await m.db.query(
        `SELECT status, attempts, message_id FROM mail_message WHERE id = ANY($1)`,
        [ids],
      );
      expect(rows.filter((r) => r.status === 'sent' && r.attempts === 1)).toHaveLength(500);
      const arrived = sink.received.filter((r) => r.envelope.to[0]?.startsWith(`two-workers-${run}-`));
      expect(arrived).toHaveLength(500);
      expect(new Set(arrived.map((r) => r.parsed.messageId))).toEqual(new Set(rows.map((r) => r.message_id)));
    } finally {
      await second.t.close();
    }
  });

  it('starts no more attempts per minute than MAIL_RATE_PER_MINUTE over all workers', async () => {
    const limited = await startMailApp({ SMTP_URL: sink.url, MAIL_RATE_PER_MINUTE: '2' });
    try {
      // Earlier attempts of this run would count against the limit: move them out of the window.
      await m.db.query(`UPDATE mail_message SET last_attempt_at = now() - interval '2 minutes' WHERE last_attempt_at > now() - interval '2 minutes'`);
      const ids = [];
      for (let i = 0; i < 4; i++) ids.push((await m.enqueue()).id);
      const round = await limited.delivery.deliverDue();
      expect(round).toMatchObject({ claimed: 2, sent: 2, rateLimited: false });
      expect(await limited.delivery.deliverDue()).toMatchObject({ claimed: 0, rateLimited: true });
      const statuses: { status: string }[] = await m.db.query(`SELECT status FROM mail_message WHERE id = ANY($1)`, [ids]);
      expect(statuses.filter((s) => s.status === 'queued')).toHaveLength(2);
      await m.db.query(`UPDATE mail_message SET last_attempt_at = now() - interval '2 minutes' WHERE last_attempt_at > now() - interval '2 minutes'`);
      expect(await m.deliverAll()).toBe(2);
    } finally {
      await limited.t.close();
    }
  });
});
