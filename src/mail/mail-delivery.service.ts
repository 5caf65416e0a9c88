import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Environment } from '../config/environment';
import { DatabaseAvailability } from '../database/database-availability';
import { DATABASE_URL } from '../database/database.module';
import { NotificationListener } from '../database/notification-listener';
import { classifyFailure, DeliveryFailure, MAX_ATTEMPTS, retryDelaySeconds } from './delivery-failure';
import { OUTBOX_CHANNEL } from './mail-outbox.service';
import { ComposedMail, MailTransport, SMTP_POOL_CONNECTIONS } from './mail-transport';
import { updatedRows } from './sql';
import { StaffNotifications } from './staff-notifications.service';

/** Messages one claim takes; several pool connections send them concurrently. */
export const DELIVERY_BATCH = 20 * SMTP_POOL_CONNECTIONS;
/** Claims in flight at once per process, so the pool is fed while a batch's last messages finish. */
export const DELIVERY_LANES = 3;
/** Without a notification, look for due retries and expired leases this often. */
const POLL_MILLISECONDS = 5_000;
const RATE_LIMITED_WAIT_MILLISECONDS = 1_000;

interface ClaimedMessage {
  id: string;
  type: string;
  fromAddress: string;
  toEmail: string;
  toName: string;
  subject: string;
  html: string;
  text: string;
  messageId: string;
  attempts: number;
}

export interface Claim {
  leaseToken: string;
  messages: ClaimedMessage[];
  /** True when the rate limit left no room for more this minute. */
  rateLimited: boolean;
}

export interface DeliveryRound {
  claimed: number;
  sent: number;
  retried: number;
  failed: number;
  rateLimited: boolean;
}

/**
 * Sends what the outbox holds. Workers claim due messages in batches with `FOR UPDATE SKIP
 * LOCKED` and a lease, send them concurrently over the pooled transport and record each
 * outcome under that lease as soon as it is known: several workers never send one message at
 * the same time, and a worker that dies repeats at most what it had in flight or had just
 * sent. The lease is short (MAIL_LEASE_SECONDS) and renewed while the batch is being sent, so
 * the messages of a dead worker are taken over soon, and those of a slow one not at all.
 *
 * Why a loop of its own rather than a pg-boss job per message: the outbox table already is a
 * durable queue with exactly the state a message needs (attempts, backoff, lease); a job per
 * message would duplicate that state and cost a job round-trip per mail, while batch claims
 * keep the pool busy. A NOTIFY from the enqueuing transaction wakes the loop at commit; a
 * short poll catches retries that come due and expired leases. pg-boss drives the daily digest.
 */
@Injectable()
export class MailDelivery implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MailDelivery.name);
  private running = false;
  private lanes: Promise<void>[] = [];
  private readonly listener: NotificationListener;
  private readonly sleepers = new Set<() => void>();

  constructor(
    private readonly db: DataSource,
    private readonly transport: MailTransport,
    private readonly notifications: StaffNotifications,
    private readonly env: Environment,
    @Inject(DATABASE_URL) databaseUrl: string,
    private readonly availability: DatabaseAvailability,
  ) {
    // A lost connection only costs latency (the poll goes on) until it is back.
    this.listener = new NotificationListener(databaseUrl, OUTBOX_CHANNEL, this.logger, availability, () => this.wake());
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.env.RUN_WORKER) return;
    this.running = true;
    await this.listener.start();
    this.lanes = Array.from({ length: DELIVERY_LANES }, () => this.work());
  }

  async onApplicationShutdown(): Promise<void> {
    this.running = false;
    this.wake();
    await Promise.all(this.lanes);
    await this.listener.stop();
  }

  /** Claims one batch of due messages and sends it. The worker loop calls it; so can a test. */
  async deliverDue(limit = DELIVERY_BATCH): Promise<DeliveryRound> {
    const claim = await this.claim(limit);
    const round = await this.send(claim);
    return { ...round, rateLimited: claim.rateLimited };
  }

  /**
   * Takes up to `limit` due messages (queued and due, or sending with an expired lease) for
   * MAIL_LEASE_SECONDS, within the rate limit of MAIL_RATE_PER_MINUTE over all workers.
   */
  async claim(limit = DELIVERY_BATCH): Promise<Claim> {
    const leaseToken = randomUUID();
    return this.db.transaction(async (manager) => {
      // Claims take turns, so that the count of attempts in the last minute holds for all workers together.
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('registrar:mail-claim'))`);
      const [{ started }]: { started: number }[] = await manager.query(
        `SELECT count(*)::int AS started FROM mail_message WHERE last_attempt_at > now() - interval '1 minute'`,
      );
      const room = Math.min(limit, this.env.MAIL_RATE_PER_MINUTE - started);
      if (room <= 0) return { leaseToken, messages: [], rateLimited: true };
      const messages = await updatedRows<ClaimedMessage>(
        manager,
        `WITH due AS (
           SELECT id FROM mail_message
            WHERE status IN ('queued', 'sending') AND next_attempt_at <= now()
            ORDER BY next_attempt_at
            LIMIT $1
              FOR UPDATE SKIP LOCKED)
         UPDATE mail_message m
            SET status = 'sending', lease_token = $2, attempts = m.attempts + 1, last_attempt_at = now(),
                next_attempt_at = now() + make_interval(secs => $3), updated_at = now()
           FROM due
          WHERE m.id = due.id
         RETURNING m.id, m.type, m.from_address AS "fromAddress", m.to_email AS "toEmail", m.to_name AS "toName",
                   m.subject, m.html, m.text, m.message_id AS "messageId", m.attempts`,
        [room, leaseToken, this.env.MAIL_LEASE_SECONDS],
      );
      return { leaseToken, messages, rateLimited: false };
    });
  }

  private async send(claim: Claim): Promise<Omit<DeliveryRound, 'rateLimited'>> {
    const round = { claimed: claim.messages.length, sent: 0, retried: 0, failed: 0 };
    if (claim.messages.length === 0) return round;
    const stopRenewing = this.renewWhileSending(claim);
    try {
      const attachments = await this.attachmentsOf(claim.messages.map((m) => m.id));
      const sent = new SentRecorder(this.db, claim.leaseToken);
      let unsettled = claim.messages.length;
      await Promise.all(
        claim.messages.map(async (message) => {
          const outcome: { response: string } | { failure: DeliveryFailure } = await this.transport
            .send(compose(message, attachments.get(message.id) ?? []))
            .then((response) => ({ response }), (error: unknown) => ({ failure: classifyFailure(error) }));
          const recorded = 'response' in outcome ? sent.record(message.id, outcome.response) : undefined;
          // The batch's last outcome: nothing more will join the group of sent messages being gathered.
          if (--unsettled === 0) sent.flush();
          if ('response' in outcome) {
            await recorded;
            round.sent++;
          } else if (outcome.failure.permanent || message.attempts >= MAX_ATTEMPTS) {
            await this.fail(message, outcome.failure, claim.leaseToken);
            round.failed++;
          } else {
            await this.retryLater(message, outcome.failure, claim.leaseToken);
            round.retried++;
          }
        }),
      );
      return round;
    } finally {
      stopRenewing();
    }
  }

  /**
   * Extends the lease of the batch's unsettled messages every third of its length until
   * stopped. A renewal that fails (the database is away) is only logged: a worker that cannot
   * reach the database should have its messages taken over, which is what the lease is for.
   */
  private renewWhileSending(claim: Claim): () => void {
    const ids = claim.messages.map((m) => m.id);
    const period = (this.env.MAIL_LEASE_SECONDS * 1000) / 3;
    let timer: NodeJS.Timeout | undefined;
    let stopped = false;
    const renew = () => {
      this.db
        .query(
          `UPDATE mail_message SET next_attempt_at = now() + make_interval(secs => $3), updated_at = now()
            WHERE id = ANY($1) AND lease_token = $2 AND status = 'sending'`,
          [ids, claim.leaseToken, this.env.MAIL_LEASE_SECONDS],
        )
        .catch((error: Error) => this.logger.warn(`Mail lease ${claim.leaseToken} not renewed: ${error.message}`))
        .finally(() => {
          if (!stopped) timer = setTimeout(renew, period).unref();
        });
    };
    timer = setTimeout(renew, period).unref();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }

  private async retryLater(message: ClaimedMessage, failure: DeliveryFailure, leaseToken: string): Promise<void> {
    this.logger.warn(`Mail ${message.id} to ${message.toEmail}, attempt ${message.attempts}, will be retried: ${failure.reason}`);
    await this.db.query(
      `UPDATE mail_message
          SET status = 'queued', lease_token = NULL, next_attempt_at = now() + make_interval(secs => $3),
              last_error = $4, smtp_response = $5, updated_at = now()
        WHERE id = $1 AND lease_token = $2`,
      [message.id, leaseToken, retryDelaySeconds(message.attempts), failure.reason, failure.response],
    );
  }

  /** Stops for good, and tells the staff, in one transaction. */
  private async fail(message: ClaimedMessage, failure: DeliveryFailure, leaseToken: string): Promise<void> {
    const reason = failure.permanent ? failure.reason : `gave up after ${message.attempts} attempts: ${failure.reason}`;
    this.logger.warn(`Mail ${message.id} to ${message.toEmail} failed: ${reason}`);
    await this.db.transaction(async (manager) => {
      const failed = await updatedRows<{ id: string }>(
        manager,
        `UPDATE mail_message
            SET status = 'failed', lease_token = NULL, failed_at = now(), last_error = $3, smtp_response = $4, updated_at = now()
          WHERE id = $1 AND lease_token = $2
         RETURNING id`,
        [message.id, leaseToken, reason, failure.response],
      );
      // A staff notification about a failed staff notification could go round forever.
      if (failed.length === 0 || StaffNotifications.isStaffMail(message.type)) return;
      await this.notifications.notify(manager, {
        kind: 'mail_failed',
        summary: `“${message.subject}” to ${message.toName} <${message.toEmail}>: ${reason}`,
        link: `${this.env.PUBLIC_URL}/mail/messages/${message.id}`,
        eventKey: `mail-failed:${message.id}`,
      });
    });
  }

  private async attachmentsOf(ids: string[]): Promise<Map<string, ComposedMail['attachments']>> {
    const rows: { messageId: string; filename: string; contentType: string; contentId: string | null; sha256: Buffer }[] = await this.db.query(
      `SELECT message_id AS "messageId", filename, content_type AS "contentType", content_id AS "contentId", sha256
         FROM mail_attachment WHERE message_id = ANY($1) ORDER BY message_id, position`,
      [ids],
    );
    const byMessage = new Map<string, ComposedMail['attachments']>();
    if (rows.length === 0) return byMessage;
    // Each content once per batch: the logo goes with every message.
    const hashes = [...new Map(rows.map((r) => [r.sha256.toString('hex'), r.sha256])).values()];
    const blobs: { sha256: Buffer; content: Buffer }[] = await this.db.query(`SELECT sha256, content FROM mail_blob WHERE sha256 = ANY($1)`, [hashes]);
    const contents = new Map(blobs.map((b) => [b.sha256.toString('hex'), b.content]));
    for (const row of rows) {
      const list = byMessage.get(row.messageId) ?? [];
      list.push({ filename: row.filename, contentType: row.contentType, contentId: row.contentId, content: contents.get(row.sha256.toString('hex'))! });
      byMessage.set(row.messageId, list);
    }
    return byMessage;
  }

  private async work(): Promise<void> {
    while (this.running) {
      let wait = 0;
      try {
        const round = await this.deliverDue();
        if (round.rateLimited) wait = RATE_LIMITED_WAIT_MILLISECONDS;
        else if (round.claimed === 0) wait = POLL_MILLISECONDS;
      } catch (error) {
        if (!this.availability.reportIfUnreachable(error)) this.logger.error(`Mail delivery round failed: ${(error as Error).message}`, (error as Error).stack);
        wait = POLL_MILLISECONDS;
      }
      if (wait > 0 && this.running) await this.sleep(wait);
    }
  }

  private sleep(milliseconds: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, milliseconds);
      this.sleepers.add(done);
    });
  }

  private wake(): void {
    for (const done of [...this.sleepers]) done();
  }
}

/** A group of accepted messages is written as soon as it has this many, */
const SENT_GROUP_SIZE = 20;
/** or this long after its first was accepted: all that a worker that dies can have left unrecorded. */
const SENT_GROUP_MILLISECONDS = 200;

interface SentGroup {
  rows: { id: string; response: string }[];
  close(): void;
  written: Promise<void>;
}

/**
 * Records messages as sent as soon as the SMTP server has accepted them, in small groups, so
 * that a worker that dies repeats only what it had in flight or had just sent. A write per
 * message would cost a commit each and slow a fast pool down; the groups are written one at a
 * time, each after the one before.
 */
class SentRecorder {
  private open: SentGroup | undefined;
  private last: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: DataSource,
    private readonly leaseToken: string,
  ) {}

  /** Resolves when the message's `sent` is stored. */
  record(id: string, response: string): Promise<void> {
    const group = this.open ?? this.openGroup();
    group.rows.push({ id, response });
    if (group.rows.length >= SENT_GROUP_SIZE) group.close();
    return group.written;
  }

  /** Writes the group being gathered now, without waiting for more. */
  flush(): void {
    this.open?.close();
  }

  private openGroup(): SentGroup {
    let release!: () => void;
    const closed = new Promise<void>((resolve) => (release = resolve));
    const group: SentGroup = {
      rows: [],
      close: () => {
        clearTimeout(timer);
        if (this.open === group) this.open = undefined;
        release();
      },
      written: Promise.resolve(),
    };
    const timer = setTimeout(() => group.close(), SENT_GROUP_MILLISECONDS);
    // After the group before, whether that write failed or not.
    const before = this.last.catch(() => undefined);
    group.written = Promise.all([closed, before]).then(() => this.write(group.rows));
    this.last = group.written;
    this.open = group;
    return group;
  }

  private async write(rows: SentGroup['rows']): Promise<void> {
    await this.db.query(
      `UPDATE mail_message m
          SET status = 'sent', lease_token = NULL, sent_at = now(), updated_at = now(), smtp_response = r.response, last_error = NULL
         FROM unnest($1::uuid[], $2::text[]) AS r(id, response)
        WHERE m.id = r.id AND m.lease_token = $3`,
      [rows.map((r) => r.id), rows.map((r) => r.response), this.leaseToken],
    );
  }
}

function compose(message: ClaimedMessage, attachments: ComposedMail['attachments']): ComposedMail {
  return {
    id: message.id,
    from: message.fromAddress,
    to: { name: message.toName, address: message.toEmail },
    subject: message.subject,
    html: message.html,
    text: message.text,
    messageId: message.messageId,
    attachments,
  };
}
