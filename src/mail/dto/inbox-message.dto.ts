export class InboxMessageDto {
  /** The .eml file under `<DATA_DIR>/mail/`. */
  file: string;
  subject: string;
  from: string;
  to: string;
  date: Date;
  size: number;
}

export class InboxAttachmentDto {
  filename: string | null;
  contentType: string;
  size: number;
  /** Shown inside the HTML (the logo) rather than attached. */
  inline: boolean;
}

export class InboxMessageDetailDto extends InboxMessageDto {
  messageId: string | null;
  html: string | null;
  text: string | null;
  attachments: InboxAttachmentDto[];
}
