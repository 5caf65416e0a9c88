import { Injectable } from '@nestjs/common';
import type { AddressObject } from 'mailparser';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { NotFoundError } from '../kernel/domain-errors';
import { lazyImport } from '../kernel/lazy-import';
import { Page, pageOfAll, PageQuery } from '../http/pagination';
import { InboxMessageDetailDto, InboxMessageDto } from './dto/inbox-message.dto';
import { MailTransport } from './mail-transport';

/** Loaded with the first message opened in the inbox. */
const mailParser = lazyImport(() => import('mailparser'));

const EML_FILE = /^[\w-]+\.eml$/;

/**
 * The .eml files of the development transport, read back as a mail client would, so a
 * newcomer sees what students would receive. Empty when mail goes to an SMTP server.
 */
@Injectable()
export class MailInbox {
  constructor(private readonly transport: MailTransport) {}

  async list(query: PageQuery): Promise<Page<InboxMessageDto>> {
    const page = pageOfAll((await this.files()).sort().reverse(), query);
    return { ...page, items: await Promise.all(page.items.map(async (file) => (await this.read(file)).summary)) };
  }

  async get(file: string): Promise<InboxMessageDetailDto> {
    if (!EML_FILE.test(file) || !(await this.files()).includes(file)) throw new NotFoundError('Mail file', file);
    const { summary, parsed } = await this.read(file);
    return {
      ...summary,
      messageId: parsed.messageId ?? null,
      // Inline images (cid:) come as data URLs, so the page can show the message as it is.
      html: typeof parsed.html === 'string' ? parsed.html : null,
      text: parsed.text ?? null,
      attachments: parsed.attachments.map((a) => ({ filename: a.filename ?? null, contentType: a.contentType, size: a.size, inline: a.related === true })),
    };
  }

  private async files(): Promise<string[]> {
    if (!this.transport.directory) return [];
    try {
      return (await readdir(this.transport.directory)).filter((file) => EML_FILE.test(file));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  }

  private async read(file: string) {
    const path = join(this.transport.directory!, file);
    const [raw, info] = await Promise.all([readFile(path), stat(path)]);
    const parsed = await (await mailParser()).simpleParser(raw);
    const summary: InboxMessageDto = {
      file,
      subject: parsed.subject ?? '',
      from: addressText(parsed.from),
      to: addressText(parsed.to),
      date: parsed.date ?? info.mtime,
      size: info.size,
    };
    return { summary, parsed };
  }
}

function addressText(address: AddressObject | AddressObject[] | undefined): string {
  if (!address) return '';
  return (Array.isArray(address) ? address : [address]).map((a) => a.text).join(', ');
}
