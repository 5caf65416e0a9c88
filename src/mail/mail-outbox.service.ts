import { Injectable } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import addressparser from 'nodemailer/lib/addressparser';
import { EntityManager } from 'typeorm';
import { Environment } from '../config/environment';
import { BusinessRuleError, InvalidInputError, NotFoundError } from '../kernel/domain-errors';
import { InstituteSettings, SettingsImage } from '../settings/institute-settings.entity';
import { SettingsService } from '../settings/settings.service';
import { instituteForMail, LOGO_CONTENT_ID, logoFilename } from './institute-for-mail';
import type { Locale } from '../kernel/locale';
import type { MailTemplateData, MailTemplateName } from './templates/mail-template-data';
import { MailTemplateError, MailTemplates, RenderedMail } from './templates/mail-templates';

export interface MailAttachmentInput {
  filename: string;
  contentType: string;
  content: Buffer;
}

/** What a module asks to be mailed: the data is typed by the template (see `MailTemplateData`). */
export interface OutgoingMail<K extends MailTemplateName = MailTemplateName> {
  /** A template in `templates/mail/`, e.g. `enrolment-confirmed`. */
  type: K;
  locale: Locale;
  to: { email: string; name: string };
  /** The student it concerns: the student may then read it. */
  studentId?: string;
  /** The user account it goes to, for staff mail. */
  userId?: string;
  /** The billing party (an employer) it concerns, e.g. an invoice sent to it. */
  billingPartyId?: string;
  data: MailTemplateData[K];
  attachments?: MailAttachmentInput[];
  /** From the business event, e.g. `enrolment-confirmed:<enrolment id>`: the same event twice makes one message. */
  idempotencyKey: string;
}

export interface EnqueuedMail {
  id: string;
  /** False when a message with this idempotency key already existed (nothing new was queued). */
  created: boolean;
}

/** The channel `MailDelivery` listens on; a NOTIFY in the enqueuing transaction is delivered at its commit. */
export const OUTBOX_CHANNEL = 'mail_outbox';

/**
 * The one way to send mail. Call `enqueue` with the manager of the transaction that makes
 * the change the mail is about: the message is stored in that transaction, so a rolled-back
 * change sends nothing and a committed one is never forgotten. The mail is rendered now, so
 * what is stored is exactly what will be sent, whatever changes later.
 */
@Injectable()
export class MailOutbox {
  /** `MAIL_FROM` as a name and an address, parsed once. */
  private readonly configuredSender?: { name: string; email: string };

  constructor(
    private readonly templates: MailTemplates,
    private readonly settings: SettingsService,
    private readonly env: Environment,
  ) {
    if (env.MAIL_FROM) {
      const [parsed] = addressparser(env.MAIL_FROM, { flatten: true });
      this.configuredSender = { name: parsed?.name ?? '', email: parsed?.address || env.MAIL_FROM.trim() };
    }
  }

  async enqueue<K extends MailTemplateName>(manager: EntityManager, mail: OutgoingMail<K>): Promise<EnqueuedMail> {
    const existing = await this.findByKey(manager, mail.idempotencyKey);
    if (existing) return { id: existing, created: false };

    // Read through the caller's transaction: a second pool connection per enqueue would starve
    // the pool when many transactions wait on the same row lock (e.g. concurrent enrolments).
    // One round trip for both, as the caller may hold such a lock.
    const settings: InstituteSettings & { logo?: SettingsImage } = await manager
      .createQueryBuilder(InstituteSettings, 'settings')
      .leftJoinAndMapOne('settings.logo', SettingsImage, 'logo', `logo.kind = 'logo'`)
      .where('settings.id = 1')
      .getOneOrFail();
    const logo = settings.logo;
    const rendered = this.render(mail, settings, logo ? `cid:${LOGO_CONTENT_ID}` : undefined);
    const from = this.fromAddress(settings);
    const attachments = [
      ...(mail.attachments ?? []).map((a) => ({ ...a, contentId: null as string | null })),
      ...(logo ? [{ filename: logoFilename(logo), contentType: logo.mediaType, content: logo.data, contentId: LOGO_CONTENT_ID }] : []),
    ];

    // ON CONFLICT DO NOTHING: a concurrent enqueue of the same event waits for ours and then inserts nothing.
    // The NOTIFY goes with a new message only, and is delivered at the commit, attachments and all.
    const inserted: { id: string }[] = await manager.query(
      `WITH inserted AS (
         INSERT INTO mail_message (idempotency_key, type, locale, from_address, to_email, to_name, student_id, user_id,
                                   data, subject, html, text, message_id, billing_party_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $15)
         ON CONFLICT (idempotency_key) DO NOTHING
         RETURNING id)
       SELECT id, pg_notify($14, '') FROM inserted`,
      [
        mail.idempotencyKey,
        mail.type,
        mail.locale,
        from,
        mail.to.email,
        mail.to.name,
        mail.studentId ?? null,
        mail.userId ?? null,
        JSON.stringify(mail.data),
        rendered.subject,
        rendered.html,
        rendered.text,
        newMessageId(from),
        OUTBOX_CHANNEL,
        mail.billingPartyId ?? null,
      ],
    );
    if (inserted.length === 0) return { id: (await this.findByKey(manager, mail.idempotencyKey))!, created: false };
    const id = inserted[0].id;
    await storeAttachments(manager, id, attachments);
    return { id, created: true };
  }

  /**
   * `enqueue` for many messages in one transaction with a handful of statements in all (a run
   * of diplomas mails each student): the institute read once, the messages inserted in one
   * statement, the attachments in two. Same guarantees: a key already queued, or twice in the
   * list, makes one message. Answers in the order of `mails`.
   */
  async enqueueMany(manager: EntityManager, mails: OutgoingMail[]): Promise<EnqueuedMail[]> {
    if (mails.length === 0) return [];
    const keys = mails.map((mail) => mail.idempotencyKey);
    const known = new Map<string, string>(
      (await manager.query(`SELECT id, idempotency_key AS key FROM mail_message WHERE idempotency_key = ANY($1::text[])`, [keys])).map((row: { id: string; key: string }) => [
        row.key,
        row.id,
      ]),
    );
    const fresh = [...new Map(mails.filter((mail) => !known.has(mail.idempotencyKey)).map((mail) => [mail.idempotencyKey, mail])).values()];
    const created = new Set<string>();
    if (fresh.length > 0) {
      const settings: InstituteSettings & { logo?: SettingsImage } = await manager
        .createQueryBuilder(InstituteSettings, 'settings')
        .leftJoinAndMapOne('settings.logo', SettingsImage, 'logo', `logo.kind = 'logo'`)
        .where('settings.id = 1')
        .getOneOrFail();
      const logo = settings.logo;
      const from = this.fromAddress(settings);
      const rendered = fresh.map((mail) => this.render(mail, settings, logo ? `cid:${LOGO_CONTENT_ID}` : undefined));
      const column = <T>(pick: (mail: OutgoingMail, index: number) => T) => fresh.map(pick);
      const inserted: { id: string; key: string }[] = await manager.query(
        `WITH inserted AS (
           INSERT INTO mail_message (idempotency_key, type, locale, from_address, to_email, to_name, student_id, user_id,
                                     data, subject, html, text, message_id)
           SELECT key, type, locale, $4, to_email, to_name, student_id, user_id, data::jsonb, subject, html, text, message_id
             FROM unnest($1::text[], $2::text[], $3::text[], $5::text[], $6::text[], $7::uuid[], $8::uuid[], $9::text[], $10::text[],
                         $11::text[], $12::text[], $13::text[])
                  AS m(key, type, locale, to_email, to_name, student_id, user_id, data, subject, html, text, message_id)
           ON CONFLICT (idempotency_key) DO NOTHING
           RETURNING id, idempotency_key)
         SELECT id, idempotency_key AS key, pg_notify($14, '') FROM inserted`,
        [
          column((m) => m.idempotencyKey),
          column((m) => m.type),
          column((m) => m.locale),
          from,
          column((m) => m.to.email),
          column((m) => m.to.name),
          column((m) => m.studentId ?? null),
          column((m) => m.userId ?? null),
          column((m) => JSON.stringify(m.data)),
          column((_, i) => rendered[i].subject),
          column((_, i) => rendered[i].html),
          column((_, i) => rendered[i].text),
          column(() => newMessageId(from)),
          OUTBOX_CHANNEL,
        ],
      );
      const byKey = new Map(fresh.map((mail) => [mail.idempotencyKey, mail]));
      const logoAttachment = logo ? [{ filename: logoFilename(logo), contentType: logo.mediaType, content: logo.data, contentId: LOGO_CONTENT_ID as string | null }] : [];
      await storeAttachmentsOfMany(
        manager,
        inserted.map((row) => ({
          messageId: row.id,
          attachments: [...(byKey.get(row.key)!.attachments ?? []).map((a) => ({ ...a, contentId: null as string | null })), ...logoAttachment],
        })),
      );
      for (const row of inserted) {
        known.set(row.key, row.id);
        created.add(row.key);
      }
      // A concurrent enqueue of the same key won: its message stands.
      const lost = fresh.filter((mail) => !known.has(mail.idempotencyKey)).map((mail) => mail.idempotencyKey);
      if (lost.length > 0) {
        for (const row of await manager.query(`SELECT id, idempotency_key AS key FROM mail_message WHERE idempotency_key = ANY($1::text[])`, [lost])) known.set(row.key, row.id);
      }
    }
    const answered = new Set<string>();
    return keys.map((key) => {
      const first = created.has(key) && !answered.has(key);
      answered.add(key);
      return { id: known.get(key)!, created: first };
    });
  }

  /**
   * Renders a template as the outbox would, with its sample data when no data is given; the
   * logo comes inline as a data URL so that a browser shows it.
   */
  async preview(type: string, locale: Locale, data?: Record<string, unknown>): Promise<RenderedMail> {
    const sample = this.templates.list().find((template) => template.name === type)?.sampleData;
    if (!sample) throw new NotFoundError('Mail template', type);
    const [settings, logoSrc] = await Promise.all([this.settings.get(), this.settings.logoDataUrl()]);
    try {
      return this.templates.render(type, locale, data ?? sample, instituteForMail(settings, logoSrc ?? undefined));
    } catch (error) {
      if (!(error instanceof MailTemplateError)) throw error;
      if (error.variable?.startsWith('institute.')) {
        throw new BusinessRuleError('institute_settings_incomplete', error.message, { variable: error.variable });
      }
      if (error.code === 'missing_variable' || error.code === 'invalid_variable') {
        const field = error.variable ? `data.${error.variable}` : 'data';
        throw new InvalidInputError([{ field, rule: error.code === 'missing_variable' ? 'required' : 'type', message: error.message }]);
      }
      throw error;
    }
  }

  /** Who mails, as a name and an address: e.g. the organizer of the sessions in a calendar attachment. */
  async sender(manager: EntityManager): Promise<{ name: string; email: string }> {
    if (this.configuredSender?.name) return this.configuredSender;
    const settings = await manager.findOneByOrFail(InstituteSettings, { id: 1 });
    return { name: settings.name, email: this.configuredSender?.email ?? instituteAddress(settings) };
  }

  /** `MAIL_FROM`, else the institute's own address, else no-reply at localhost (development). */
  fromAddress(settings: InstituteSettings): string {
    if (this.env.MAIL_FROM) return this.env.MAIL_FROM;
    const name = settings.name.replace(/["\\]/g, '\\$&');
    return `"${name}" <${instituteAddress(settings)}>`;
  }

  private render<K extends MailTemplateName>(mail: OutgoingMail<K>, settings: InstituteSettings, logoSrc: string | undefined) {
    try {
      return this.templates.render(mail.type, mail.locale, mail.data, instituteForMail(settings, logoSrc));
    } catch (error) {
      if (!(error instanceof MailTemplateError)) throw error;
      throw new BusinessRuleError('mail_not_renderable', error.message, { template: mail.type, variable: error.variable ?? null });
    }
  }

  private async findByKey(manager: EntityManager, key: string): Promise<string | undefined> {
    const rows: { id: string }[] = await manager.query(`SELECT id FROM mail_message WHERE idempotency_key = $1`, [key]);
    return rows[0]?.id;
  }
}

/** A Message-ID in the sender's domain, so receiving servers and people can tell our messages apart. */
export function newMessageId(from: string): string {
  const domain = /@([^\s>]+)>?\s*$/.exec(from)?.[1] ?? 'localhost';
  return `<${randomUUID()}@${domain}>`;
}

/** Stores the attachments of a message, each content once in `mail_blob`. */
async function storeAttachments(
  manager: EntityManager,
  messageId: string,
  attachments: (MailAttachmentInput & { contentId: string | null })[],
): Promise<void> {
  if (attachments.length === 0) return;
  const hashes = attachments.map((a) => createHash('sha256').update(a.content).digest());
  await manager.query(
    `INSERT INTO mail_blob (sha256, content) SELECT * FROM unnest($1::bytea[], $2::bytea[]) ON CONFLICT (sha256) DO NOTHING`,
    [hashes, attachments.map((a) => a.content)],
  );
  await manager.query(
    `INSERT INTO mail_attachment (message_id, position, filename, content_type, content_id, size, sha256)
     SELECT $1, position - 1, filename, content_type, content_id, size, sha256
       FROM unnest($2::text[], $3::text[], $4::text[], $5::int[], $6::bytea[]) WITH ORDINALITY
            AS a(filename, content_type, content_id, size, sha256, position)`,
    [
      messageId,
      attachments.map((a) => a.filename),
      attachments.map((a) => a.contentType),
      attachments.map((a) => a.contentId),
      attachments.map((a) => a.content.length),
      hashes,
    ],
  );
}

/** The attachments of several messages, each content once in `mail_blob`: two statements in all. */
async function storeAttachmentsOfMany(
  manager: EntityManager,
  messages: { messageId: string; attachments: (MailAttachmentInput & { contentId: string | null })[] }[],
): Promise<void> {
  const rows = messages.flatMap(({ messageId, attachments }) =>
    attachments.map((a, position) => ({ messageId, position, ...a, sha256: createHash('sha256').update(a.content).digest() })),
  );
  if (rows.length === 0) return;
  const blobs = [...new Map(rows.map((row) => [row.sha256.toString('hex'), row])).values()];
  await manager.query(
    `INSERT INTO mail_blob (sha256, content) SELECT * FROM unnest($1::bytea[], $2::bytea[]) ON CONFLICT (sha256) DO NOTHING`,
    [blobs.map((b) => b.sha256), blobs.map((b) => b.content)],
  );
  await manager.query(
    `INSERT INTO mail_attachment (message_id, position, filename, content_type, content_id, size, sha256)
     SELECT * FROM unnest($1::uuid[], $2::smallint[], $3::text[], $4::text[], $5::text[], $6::int[], $7::bytea[])`,
    [
      rows.map((r) => r.messageId),
      rows.map((r) => r.position),
      rows.map((r) => r.filename),
      rows.map((r) => r.contentType),
      rows.map((r) => r.contentId),
      rows.map((r) => r.content.length),
      rows.map((r) => r.sha256),
    ],
  );
}

function instituteAddress(settings: InstituteSettings): string {
  return settings.email.trim() || 'no-reply@localhost';
}
