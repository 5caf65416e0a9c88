import { Injectable } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
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
  constructor(
    private readonly templates: MailTemplates,
    private readonly settings: SettingsService,
    private readonly env: Environment,
  ) {}

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
   * Renders a template as the outbox would, with its sample data when no data is given; the
   * logo comes inline as a data URL so that a browser shows it.
   */
  async preview(type: string, locale: Locale, data?: Record<string, unknown>): Promise<RenderedMail> {
    const sample = this.templates.list().find((template) => template.name === type)?.sampleData;
    if (!sample) throw new NotFoundError('Mail template', type);
    const [settings, logo] = await Promise.all([this.settings.get(), this.settings.findImage('logo')]);
    const logoSrc = logo ? `data:${logo.mediaType};base64,${logo.data.toString('base64')}` : undefined;
    try {
      return this.templates.render(type, locale, data ?? sample, instituteForMail(settings, logoSrc));
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
    const settings = await manager.findOneByOrFail(InstituteSettings, { id: 1 });
    const from = this.fromAddress(settings);
    const match = /^\s*(?:"((?:[^"\\]|\\.)*)"|([^<]*?))\s*<([^>]+)>\s*$/.exec(from);
    if (!match) return { name: settings.name, email: from.trim() };
    const name = (match[1] ?? match[2]).replace(/\\(.)/g, '$1').trim();
    return { name: name || settings.name, email: match[3].trim() };
  }

  /** `MAIL_FROM`, else the institute's own address, else no-reply at localhost (development). */
  fromAddress(settings: InstituteSettings): string {
    if (this.env.MAIL_FROM) return this.env.MAIL_FROM;
    const name = settings.name.replace(/["\\]/g, '\\$&');
    return `"${name}" <${settings.email.trim() || 'no-reply@localhost'}>`;
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
