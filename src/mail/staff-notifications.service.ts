import { Injectable, OnModuleInit } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../kernel/request-context';
import { UsersService } from '../auth/users.service';
import { Environment } from '../config/environment';
import { InvalidInputError } from '../kernel/domain-errors';
import { JobsService } from '../jobs/jobs.service';
import { MailOutbox } from './mail-outbox.service';
import type { Locale } from '../kernel/locale';
import { NotificationDelivery, StaffNotificationKind, StaffNotificationKinds } from './staff-notification-kinds';

declare module './staff-notification-kinds' {
  interface StaffNotificationKindMap {
    mail_failed: true;
  }
}

export interface StaffEvent {
  kind: StaffNotificationKind;
  /** One line about the event, in the words staff use. */
  summary: string;
  /** Where to deal with it; the API's base URL when left out. */
  link?: string;
  /** From the business event, e.g. `enrolment-received:<id>`: the same event twice tells each person once. */
  eventKey: string;
  occurredAt?: Date;
}

export interface NotificationPreference {
  kind: string;
  label: string;
  delivery: NotificationDelivery;
}

const DIGEST_QUEUE = 'mail.staff-digest';
/** The end of the working day, Monday to Friday; weekend events wait for Monday's digest. */
const DIGEST_CRON = '0 17 * * 1-5';
const NOTIFICATION_TEMPLATE = 'staff-notification';
const DIGEST_TEMPLATE = 'staff-digest';

interface Recipient {
  id: string;
  email: string;
  displayName: string;
  locale: Locale;
  delivery: NotificationDelivery;
}

interface PendingNotification {
  id: string;
  kind: StaffNotificationKind;
  summary: string;
  link: string;
  occurredAt: Date;
}

/**
 * Tells staff what needs them. Each staff member chooses per kind: a mail at once, or one
 * digest mail at the end of the working day (17:00 Europe/Amsterdam). Without a choice, the
 * kind's default delivery holds. The kinds are registered by the modules that produce them
 * (`StaffNotificationKinds`); mail's own is `mail_failed`.
 */
@Injectable()
export class StaffNotifications implements OnModuleInit {
  constructor(
    private readonly db: DataSource,
    private readonly outbox: MailOutbox,
    private readonly jobs: JobsService,
    private readonly env: Environment,
    private readonly kinds: StaffNotificationKinds,
    private readonly users: UsersService,
  ) {
    // Mail's own kind, registered when made like every module's, before any onModuleInit asks for it.
    kinds.register('mail_failed', {
      labels: { nl: { one: 'Mail niet bezorgd', many: 'Niet bezorgde mails' }, en: { one: 'Mail not delivered', many: 'Undelivered mails' } },
      audience: ['coordinator', 'admin'],
      defaultDelivery: 'immediate',
    });
  }

  static isStaffMail(type: string): boolean {
    return type === NOTIFICATION_TEMPLATE || type === DIGEST_TEMPLATE;
  }

  async onModuleInit(): Promise<void> {
    await this.jobs.define(DIGEST_QUEUE, async () => ({ digests: await this.sendDigests() }), { cron: DIGEST_CRON, retryLimit: 3 });
  }

  /** Call inside the transaction of the change that staff must hear about. Answers how many are told. */
  async notify(manager: EntityManager, event: StaffEvent): Promise<{ recipients: number }> {
    const { audience, defaultDelivery } = this.kinds.get(event.kind);
    const staff = await this.users.activeWithAnyRole(audience, manager);
    const chosen: { userId: string; delivery: NotificationDelivery }[] = await manager.query(
      `SELECT user_id AS "userId", delivery FROM staff_notification_preference WHERE kind = $1 AND user_id = ANY($2::uuid[])`,
      [event.kind, staff.map((user) => user.id)],
    );
    const delivery = new Map(chosen.map((p) => [p.userId, p.delivery]));
    const recipients: Recipient[] = staff.map((user) => ({ ...user, delivery: delivery.get(user.id) ?? defaultDelivery }));
    const link = event.link ?? this.env.PUBLIC_URL;
    const occurredAt = event.occurredAt ?? new Date();
    let told = 0;
    for (const recipient of recipients) {
      const inserted: { id: string }[] = await manager.query(
        `INSERT INTO staff_notification (event_key, user_id, kind, summary, link, occurred_at, delivery)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (event_key, user_id) DO NOTHING
         RETURNING id`,
        [event.eventKey, recipient.id, event.kind, event.summary, link, occurredAt, recipient.delivery],
      );
      if (inserted.length === 0) continue;
      told++;
      if (recipient.delivery === 'digest') continue;
      const mail = await this.outbox.enqueue(manager, {
        type: NOTIFICATION_TEMPLATE,
        locale: recipient.locale,
        to: { email: recipient.email, name: recipient.displayName },
        userId: recipient.id,
        data: {
          staffName: recipient.displayName,
          kind: this.kinds.get(event.kind).labels[recipient.locale].one,
          summary: event.summary,
          link,
          occurredAt: occurredAt.toISOString(),
        },
        idempotencyKey: `staff-notification:${event.eventKey}:${recipient.id}`,
      });
      await manager.query(`UPDATE staff_notification SET mail_message_id = $2, mailed_at = now() WHERE id = $1`, [inserted[0].id, mail.id]);
    }
    return { recipients: told };
  }

  /**
   * One digest mail per staff member with events waiting, grouped by kind. Safe to run twice:
   * the events of a digest are marked in the transaction that queues it.
   */
  async sendDigests(): Promise<number> {
    const users: { userId: string }[] = await this.db.query(
      `SELECT DISTINCT user_id AS "userId" FROM staff_notification WHERE mailed_at IS NULL AND delivery = 'digest'`,
    );
    let sent = 0;
    for (const { userId } of users) {
      if (await this.db.transaction((manager) => this.sendDigest(manager, userId))) sent++;
    }
    return sent;
  }

  /** The kinds the staff member's roles are told of, each with the delivery chosen or its default. */
  async preferences(staff: Pick<Actor, 'id' | 'roles'>): Promise<NotificationPreference[]> {
    const [rows, contact] = await Promise.all([
      this.db.query<{ kind: StaffNotificationKind; delivery: NotificationDelivery }[]>(`SELECT kind, delivery FROM staff_notification_preference WHERE user_id = $1`, [staff.id]),
      this.users.contact(staff.id),
    ]);
    const locale = contact?.locale ?? 'nl';
    const chosen = new Map(rows.map((r) => [r.kind, r.delivery]));
    return this.kinds.for(staff.roles).map((kind) => {
      const info = this.kinds.get(kind);
      return { kind, label: info.labels[locale].one, delivery: chosen.get(kind) ?? info.defaultDelivery };
    });
  }

  async setPreference(staff: Pick<Actor, 'id' | 'roles'>, kind: string, delivery: NotificationDelivery): Promise<NotificationPreference[]> {
    const offered = this.kinds.for(staff.roles);
    if (!offered.includes(kind as StaffNotificationKind)) {
      throw new InvalidInputError([{ field: 'kind', rule: 'isIn', message: `kind must be one of ${offered.join(', ')}` }]);
    }
    await this.db.query(
      `INSERT INTO staff_notification_preference (user_id, kind, delivery) VALUES ($1, $2, $3)
       ON CONFLICT (user_id, kind) DO UPDATE SET delivery = excluded.delivery`,
      [staff.id, kind, delivery],
    );
    return this.preferences(staff);
  }

  private async sendDigest(manager: EntityManager, userId: string): Promise<boolean> {
    const user = await this.users.contact(userId, manager);
    // SKIP LOCKED: a second digest run at the same time leaves these events to the first.
    const pending: PendingNotification[] = await manager.query(
      `SELECT id, kind, summary, link, occurred_at AS "occurredAt" FROM staff_notification
        WHERE user_id = $1 AND mailed_at IS NULL AND delivery = 'digest'
        ORDER BY occurred_at, id
          FOR UPDATE SKIP LOCKED`,
      [userId],
    );
    if (pending.length === 0 || !user) return false;
    const ids = pending.map((p) => p.id);
    if (!user.active) {
      await manager.query(`UPDATE staff_notification SET mailed_at = now() WHERE id = ANY($1)`, [ids]);
      return false;
    }
    const groups = this.kinds.all().map((kind) => ({
      kind: this.kinds.get(kind).labels[user.locale].many,
      events: pending
        .filter((p) => p.kind === kind)
        .map((p) => ({ summary: p.summary, link: p.link, occurredAt: new Date(p.occurredAt).toISOString() })),
    })).filter((group) => group.events.length > 0);
    // The key names exactly these events: a retried run makes the same one mail, later events another.
    const eventsHash = createHash('sha256').update(ids.join(',')).digest('hex').slice(0, 32);
    const mail = await this.outbox.enqueue(manager, {
      type: DIGEST_TEMPLATE,
      locale: user.locale,
      to: { email: user.email, name: user.displayName },
      userId,
      data: {
        staffName: user.displayName,
        day: DateTime.now().setZone('Europe/Amsterdam').toISODate()!,
        eventCount: pending.length,
        groups,
      },
      idempotencyKey: `staff-digest:${userId}:${eventsHash}`,
    });
    await manager.query(`UPDATE staff_notification SET mail_message_id = $2, mailed_at = now() WHERE id = ANY($1)`, [ids, mail.id]);
    return true;
  }
}
