import { IsIn, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { PageQuery } from '../../http/pagination';
import { MAIL_STATUSES, type MailStatus } from '../mail-message.entity';
import type { Locale } from '../../kernel/locale';
import { Trim } from '../../http/transforms';
import { IsIsoDateTime } from '../../http/validators';

export class MailMessageQuery extends PageQuery {
  @IsOptional()
  @IsIn(MAIL_STATUSES)
  status?: MailStatus;

  /** Part of the recipient's address or name. */
  @IsOptional()
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(254)
  recipient?: string;

  /** The template, e.g. `enrolment-confirmed`. */
  @IsOptional()
  @IsString()
  @MaxLength(100)
  type?: string;

  @IsOptional()
  @IsUUID()
  studentId?: string;

  /** Messages about this billing party (an employer). */
  @IsOptional()
  @IsUUID()
  billingPartyId?: string;

  /** Queued at or after this instant (ISO 8601). */
  @IsOptional()
  @IsIsoDateTime()
  from?: string;

  /** Queued before this instant (ISO 8601). */
  @IsOptional()
  @IsIsoDateTime()
  to?: string;
}

export class MailRecipientDto {
  email: string;
  name: string;
}

export class MailMessageDto {
  id: string;
  /** The template it was rendered from. */
  type: string;
  locale: Locale;
  from: string;
  to: MailRecipientDto;
  studentId: string | null;
  userId: string | null;
  /** The billing party (an employer) the message is about, if any. */
  billingPartyId: string | null;
  subject: string;
  status: MailStatus;
  attempts: number;
  /** Queued: when the next attempt may start; sending: when the lease ends. */
  nextAttemptAt: Date | null;
  lastError: string | null;
  smtpResponse: string | null;
  /** The Message-ID header, the same on every attempt. */
  messageId: string;
  /** The message this one is a deliberate new send of. */
  resendOf: string | null;
  createdAt: Date;
  sentAt: Date | null;
  failedAt: Date | null;
}

export class MailAttachmentDto {
  filename: string;
  contentType: string;
  size: number;
  /** Set for an inline part the HTML shows as `cid:<contentId>`. */
  contentId: string | null;
}

export class MailMessageDetailDto extends MailMessageDto {
  html: string;
  text: string;
  attachments: MailAttachmentDto[];
}
