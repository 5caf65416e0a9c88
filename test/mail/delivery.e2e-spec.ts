import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { eventually } from '../test-app';
import { startMailApp, testMail, type MailApp } from './mail-test-kit';
import { SmtpSink } from './smtp-sink';

/** The lease of the worker that dies or is slow in these tests: short, so that they are quick. */
const SHORT_LEASE_SECONDS = 2;

describe('mail delivery: retries, failures, leases and several workers', () => {
  let sink: SmtpSink;
  let m: MailApp;
  /** A second worker with a short lease. */
  let short: MailApp;

  beforeAll(async () => {
    sink = await SmtpSink.start();
    m = await startMailApp({ SMTP_URL: sink.url });
    short = await startMailApp({ SMTP_URL: sink.url, MAIL_LEASE_SECONDS: String(SHORT_LEASE_SECONDS) });
    await m.deliverAll();
  });
  afterAll(async () => {
    await short.t.close();
    await m.t.close();
    await sink.close();
  });
  beforeEach(() => {
    sink.recipientRule = () => undefined;
    sink.dataRule = () => undefined;
  });

  const arrivedFor = (email: string) => sink.received.filter((r) => r.envelope.to.includes(email));
  const forRun = (run: string) => (envelope: { to: string[] }) => envelope.to[0]?.startsWith(`${run}-`) ?? false;

  /** Enqueues `count` messages in one transaction, to addresses that start with `run`. */
  const enqueueRun = (run: string, count: number) =>
    m.db.transaction(async (manager) => {
      const made: string[] = [];
      for (let i = 0; i < count; i++) {
        const to = { email: `${run}-${i}@example.nl`, name: `Cursist ${i}` };
        made.push((await m.outbox.enqueue(manager, testMail({ to, idempotencyKey: `${run}:${i}` }))).id);
      }
      return made;
    });
  const rowsOf = (ids: string[]): Promise<{ id: string; status: string; attempts: number; message_id: string }[]> =>
    m.db.query(`SELECT id, status, attempts, message_id FROM mail_message WHERE id = ANY($1) ORDER BY id`, [ids]);

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

  it('leases a claim for MAIL_LEASE_SECONDS, 30 s unless set', async () => {
    const { id } = await m.enqueue();
    const claimedAt = Date.now();
    await m.delivery.claim(1000);
    const leaseEnds = new Date((await m.row(id)).next_attempt_at as string).getTime();
    expect((leaseEnds - claimedAt) / 1000).toBeGreaterThan(28);
    expect((leaseEnds - claimedAt) / 1000).toBeLessThanOrEqual(31);
    await m.db.query(`UPDATE mail_message SET next_attempt_at = now() WHERE id = $1`, [id]);
    expect(await m.deliverAll()).toBe(1);
  });

  it('takes a message again as soon as the short lease of a worker that died while sending ends', async () => {
    const mail = testMail();
    const { id } = await m.enqueue(mail);
    // A worker claims and dies before it records anything.
    const claimedAt = Date.now();
    const claim = await short.delivery.claim(1000);
    expect(claim.messages.map((c) => c.id)).toContain(id);
    expect(await m.row(id)).toMatchObject({ status: 'sending', attempts: 1 });

    expect(await m.deliverAll()).toBe(0);
    await eventually(async () => (await m.deliverAll()) > 0, (SHORT_LEASE_SECONDS + 5) * 1000);
    expect(Date.now() - claimedAt).toBeGreaterThanOrEqual(SHORT_LEASE_SECONDS * 1000 - 100);
    expect(Date.now() - claimedAt).toBeLessThan((SHORT_LEASE_SECONDS + 2) * 1000);

    const sent = await m.row(id);
    expect(sent).toMatchObject({ status: 'sent', attempts: 2 });
    const arrived = arrivedFor(mail.to.email);
    expect(arrived).toHaveLength(1);
    expect(arrived[0].parsed.messageId).toBe(sent.message_id);
  });

  it('records each message sent as the server accepts it: after a worker dies mid-batch, only the rest is sent, each once', async () => {
    const run = `crash-${randomUUID()}`;
    const ids = await enqueueRun(run, 12);
    // The server accepts four, then answers nothing more: the worker's sends hang as it dies.
    let arrivals = 0;
    let hangUp!: (error: Error) => void;
    const hanging = new Promise<void>((_resolve, reject) => (hangUp = reject));
    sink.dataRule = (envelope) => (forRun(run)(envelope) && ++arrivals > 4 ? hanging : undefined);
    const dying = short.delivery.deliverDue();
    await eventually(async () => (await rowsOf(ids)).filter((r) => r.status === 'sent').length === 4, 10_000);
    expect((await rowsOf(ids)).filter((r) => r.status === 'sending')).toHaveLength(8);

    // The worker dies: it writes nothing more, and renews no lease.
    const died = Date.now();
    Object.defineProperty(short.db, 'query', { configurable: true, value: () => Promise.reject(new Error('the worker died')) });
    sink.dataRule = () => undefined;
    try {
      await eventually(async () => {
        await m.deliverAll();
        return (await rowsOf(ids)).every((r) => r.status === 'sent');
      }, (SHORT_LEASE_SECONDS + 5) * 1000);
      expect(Date.now() - died).toBeLessThan((SHORT_LEASE_SECONDS + 2) * 1000);
    } finally {
      // What the dead worker still had in flight never reaches the server; what it records late changes nothing.
      const lost = Object.assign(new Error('Connection lost'), { responseCode: 421 });
      sink.dataRule = (envelope) => (forRun(run)(envelope) ? Promise.reject(lost) : undefined);
      delete (short.db as { query?: unknown }).query;
      hangUp(lost);
    }
    expect(await dying).toMatchObject({ claimed: 12, sent: 4, retried: 8 });

    const rows = await rowsOf(ids);
    expect(rows.filter((r) => r.attempts === 1)).toHaveLength(4);
    expect(rows.filter((r) => r.attempts === 2)).toHaveLength(8);
    for (const row of rows) expect(sink.withMessageId(row.message_id)).toHaveLength(1);
    expect(sink.received.filter((r) => forRun(run)(r.envelope))).toHaveLength(12);
  });

  it('renews the lease while a slow batch is sent, so that another worker does not take it', async () => {
    const run = `slow-${randomUUID()}`;
    const ids = await enqueueRun(run, 10);
    // Each message takes the server two seconds: the batch takes twice the lease.
    sink.dataRule = (envelope) => (forRun(run)(envelope) ? sleep(SHORT_LEASE_SECONDS * 1000) : undefined);
    let slowDone = false;
    const slow = short.delivery.deliverDue().finally(() => (slowDone = true));
    await eventually(async () => (await rowsOf(ids)).every((r) => r.status === 'sending'), 10_000);
    let takenByOther = 0;
    while (!slowDone) {
      takenByOther += await m.deliverAll();
      await sleep(200);
    }
    expect(await slow).toMatchObject({ claimed: 10, sent: 10 });
    expect(takenByOther).toBe(0);

    const rows = await rowsOf(ids);
    expect(rows.every((r) => r.status === 'sent' && r.attempts === 1)).toBe(true);
    for (const row of rows) expect(sink.withMessageId(row.message_id)).toHaveLength(1);
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
