import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { Brackets, DataSource, Repository } from 'typeorm';
import { STAFF } from '../kernel/role';
import { ConflictError, NotFoundError } from '../kernel/domain-errors';
import { Page, pageFrom, pageOf } from '../http/pagination';
import type { Actor } from '../kernel/request-context';
import { MailMessageDetailDto, MailMessageDto, MailMessageQuery } from './dto/mail-message.dto';
import { MailAttachment, MailMessage } from './mail-message.entity';
import { newMessageId, OUTBOX_CHANNEL } from './mail-outbox.service';

/** Staff read every message; a student only those about their own student record. */
function studentScope(actor: Actor): string | null | undefined {
  if (actor.roles.some((role) => STAFF.includes(role))) return undefined;
  return actor.studentId ?? null;
}

/** The outbox as staff and students see it, and resending. */
@Injectable()
export class MailMessagesService {
  constructor(
    private readonly db: DataSource,
    @InjectRepository(MailMessage) private readonly messages: Repository<MailMessage>,
    @InjectRepository(MailAttachment) private readonly attachments: Repository<MailAttachment>,
  ) {}

  /** What a stored message said and to whom, for the module that sent it (an advice shows its mail); null when there is none. */
  async sentContent(id: string): Promise<{ subject: string; text: string; toEmail: string } | null> {
    const message = await this.messages.findOne({ where: { id }, select: { subject: true, text: true, toEmail: true } });
    return message ? { subject: message.subject, text: message.text, toEmail: message.toEmail } : null;
  }

  async list(query: MailMessageQuery, actor: Actor): Promise<Page<MailMessageDto>> {
    const scope = studentScope(actor);
    if (scope === null) return pageOf([], 0, query);
    const qb = this.messages
      .createQueryBuilder('m')
      .select(SUMMARY_COLUMNS.map((column) => `m.${column}`))
      .orderBy('m.createdAt', 'DESC')
      .addOrderBy('m.id', 'DESC');
    const studentId = scope ?? query.studentId;
    if (studentId) qb.andWhere('m.studentId = :studentId', { studentId });
    if (query.billingPartyId) qb.andWhere('m.billingPartyId = :billingPartyId', { billingPartyId: query.billingPartyId });
    if (query.status) qb.andWhere('m.status = :status', { status: query.status });
    if (query.type) qb.andWhere('m.type = :type', { type: query.type });
    if (query.from) qb.andWhere('m.createdAt >= :from', { from: new Date(query.from) });
    if (query.to) qb.andWhere('m.createdAt < :to', { to: new Date(query.to) });
    if (query.recipient) {
      const pattern = `%${query.recipient.replace(/[\\%_]/g, '\\$&')}%`;
      qb.andWhere(new Brackets((w) => w.where('m.toEmail ILIKE :pattern', { pattern }).orWhere('m.toName ILIKE :pattern')));
    }
    const page = await pageFrom(qb, query);
    return { ...page, items: page.items.map(toDto) };
  }

  async get(id: string, actor: Actor): Promise<MailMessageDetailDto> {
    const scope = studentScope(actor);
    const message = await this.messages.findOneBy({ id });
    // A student asking for someone else's message learns nothing, not even that it exists.
    if (!message || (scope !== undefined && message.studentId !== scope)) throw new NotFoundError('Mail message', id);
    return this.detail(message);
  }

  private async detail(message: MailMessage): Promise<MailMessageDetailDto> {
    const attachments = await this.attachments.find({ where: { messageId: message.id }, order: { position: 'ASC' } });
    return {
      ...toDto(message),
      html: message.html,
      text: message.text,
      attachments: attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, size: a.size, contentId: a.contentId })),
    };
  }

  /**
   * A deliberate new send of a sent or failed message: a copy of exactly what was stored
   * (parts and attachments), with a new Message-ID, queued now. The original keeps its
   * history. The same `requestKey` (the Idempotency-Key header) answers the same copy.
   */
  async resend(id: string, requestKey: string | undefined): Promise<MailMessageDetailDto> {
    const copyId = await this.db.transaction(async (manager) => {
      const [original]: { status: string; fromAddress: string }[] = await manager.query(
        `SELECT status, from_address AS "fromAddress" FROM mail_message WHERE id = $1`,
        [id],
      );
      if (!original) throw new NotFoundError('Mail message', id);
      const key = `resend:${id}:${requestKey ?? randomUUID()}`;
      const [existing]: { id: string }[] = await manager.query(`SELECT id FROM mail_message WHERE idempotency_key = $1`, [key]);
      if (existing) return existing.id;
      if (original.status !== 'sent' && original.status !== 'failed') {
        throw new ConflictError('mail_not_finished', `Mail message ${id} is still ${original.status}; it can be resent once sent or failed`);
      }
      const inserted: { id: string }[] = await manager.query(
        `INSERT INTO mail_message (idempotency_key, type, locale, from_address, to_email, to_name, student_id, user_id,
                                   billing_party_id, data, subject, html, text, message_id, resend_of)
         SELECT $2, type, locale, from_address, to_email, to_name, student_id, user_id, billing_party_id, data, subject, html, text, $3, id
           FROM mail_message WHERE id = $1
         ON CONFLICT (idempotency_key) DO NOTHING
         RETURNING id`,
        [id, key, newMessageId(original.fromAddress)],
      );
      // A concurrent request with the same key made the copy first.
      if (inserted.length === 0) return ((await manager.query(`SELECT id FROM mail_message WHERE idempotency_key = $1`, [key])) as { id: string }[])[0].id;
      await manager.query(
        `INSERT INTO mail_attachment (message_id, position, filename, content_type, content_id, size, sha256)
         SELECT $2, position, filename, content_type, content_id, size, sha256 FROM mail_attachment WHERE message_id = $1`,
        [id, inserted[0].id],
      );
      await manager.query(`SELECT pg_notify($1, '')`, [OUTBOX_CHANNEL]);
      return inserted[0].id;
    });
    return this.detail(await this.messages.findOneByOrFail({ id: copyId }));
  }
}

const SUMMARY_COLUMNS = [
  'id',
  'type',
  'locale',
  'fromAddress',
  'toEmail',
  'toName',
  'studentId',
  'userId',
  'billingPartyId',
  'subject',
  'status',
  'attempts',
  'nextAttemptAt',
  'lastError',
  'smtpResponse',
  'messageId',
  'resendOf',
  'createdAt',
  'sentAt',
  'failedAt',
] as const;

function toDto(m: MailMessage): MailMessageDto {
  return {
    id: m.id,
    type: m.type,
    locale: m.locale,
    from: m.fromAddress,
    to: { email: m.toEmail, name: m.toName },
    studentId: m.studentId,
    userId: m.userId,
    billingPartyId: m.billingPartyId,
    subject: m.subject,
    status: m.status,
    attempts: m.attempts,
    nextAttemptAt: m.status === 'queued' || m.status === 'sending' ? m.nextAttemptAt : null,
    lastError: m.lastError,
    smtpResponse: m.smtpResponse,
    messageId: m.messageId,
    resendOf: m.resendOf,
    createdAt: m.createdAt,
    sentAt: m.sentAt,
    failedAt: m.failedAt,
  };
}
