import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { Locale } from '../kernel/locale';

export const MAIL_STATUSES = ['queued', 'sending', 'sent', 'failed'] as const;
export type MailStatus = (typeof MAIL_STATUSES)[number];

/**
 * One message in the outbox, rendered when it was queued: the stored subject, parts and
 * attachments are exactly what is sent. Written by `MailOutbox`, sent by `MailDelivery`.
 */
@Entity('mail_message')
export class MailMessage {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** From the business event, e.g. `enrolment-confirmed:<id>`; unique. */
  @Column('text')
  idempotencyKey: string;

  /** The template it was rendered from. */
  @Column('text')
  type: string;

  @Column('text')
  locale: Locale;

  @Column('text')
  fromAddress: string;

  @Column('text')
  toEmail: string;

  @Column('text')
  toName: string;

  @Column('uuid', { nullable: true })
  studentId: string | null;

  @Column('uuid', { nullable: true })
  userId: string | null;

  /** The billing party (an employer) it concerns, e.g. an invoice's. */
  @Column('uuid', { nullable: true })
  billingPartyId: string | null;

  /** The template data it was rendered with. */
  @Column('jsonb')
  data: Record<string, unknown>;

  @Column('text')
  subject: string;

  @Column('text')
  html: string;

  @Column('text')
  text: string;

  /** The Message-ID header, the same on every attempt. */
  @Column('text')
  messageId: string;

  @Column('text')
  status: MailStatus;

  @Column('int')
  attempts: number;

  /** Queued: when the next attempt may start. Sending: when the worker's lease ends. */
  @Column('timestamptz')
  nextAttemptAt: Date;

  @Column('uuid', { nullable: true, select: false })
  leaseToken: string | null;

  @Column('timestamptz', { nullable: true })
  lastAttemptAt: Date | null;

  @Column('text', { nullable: true })
  lastError: string | null;

  @Column('text', { nullable: true })
  smtpResponse: string | null;

  /** The message this one is a deliberate new send of. */
  @Column('uuid', { nullable: true })
  resendOf: string | null;

  @Column('timestamptz')
  createdAt: Date;

  @Column('timestamptz')
  updatedAt: Date;

  @Column('timestamptz', { nullable: true })
  sentAt: Date | null;

  @Column('timestamptz', { nullable: true })
  failedAt: Date | null;
}

/** A file sent with a message; the bytes live once per content in `mail_blob`. */
@Entity('mail_attachment')
export class MailAttachment {
  @PrimaryColumn('uuid')
  messageId: string;

  @PrimaryColumn('smallint')
  position: number;

  @Column('text')
  filename: string;

  @Column('text')
  contentType: string;

  /** For an inline part that the HTML refers to as `cid:<contentId>` (the logo). */
  @Column('text', { nullable: true })
  contentId: string | null;

  @Column('int')
  size: number;

  @Column('bytea')
  sha256: Buffer;
}
