import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import nodemailer from 'nodemailer';
import type { DKIMOptions, Transporter } from 'nodemailer';
import { Environment } from '../config/environment';

/** A message as it leaves: everything already rendered and stored by the outbox. */
export interface ComposedMail {
  /** The outbox id, for the file name of an .eml. */
  id: string;
  from: string;
  to: { name: string; address: string };
  subject: string;
  html: string;
  text: string;
  messageId: string;
  attachments: { filename: string; contentType: string; content: Buffer; contentId: string | null }[];
}

/** Connections the SMTP pool keeps open; messages are sent over them concurrently. */
export const SMTP_POOL_CONNECTIONS = 5;

/**
 * Where mail goes: the SMTP server of `SMTP_URL` over a pool of connections, or, without
 * it (the embedded default), `.eml` files in `<DATA_DIR>/mail/` built by nodemailer's own
 * composer, which the staff inbox page shows.
 */
@Injectable()
export class MailTransport implements OnApplicationShutdown {
  private readonly logger = new Logger(MailTransport.name);
  readonly transporter: Transporter;
  /** The folder of the .eml files; undefined when mail goes to an SMTP server. */
  readonly directory: string | undefined;

  constructor(env: Environment) {
    const dkim = dkimOptions(env);
    const defaults = { disableFileAccess: true, disableUrlAccess: true };
    if (env.SMTP_URL) {
      this.transporter = nodemailer.createTransport(
        {
          url: env.SMTP_URL,
          pool: true,
          maxConnections: SMTP_POOL_CONNECTIONS,
          maxMessages: 1000,
          connectionTimeout: 30_000,
          greetingTimeout: 30_000,
          socketTimeout: 60_000,
          tls: { rejectUnauthorized: env.SMTP_TLS_REJECT_UNAUTHORIZED },
          ...(dkim ? { dkim } : {}),
        },
        defaults,
      );
    } else {
      this.directory = resolve(env.DATA_DIR, 'mail');
      this.transporter = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows', ...(dkim ? { dkim } : {}) }, defaults);
    }
  }

  /** Sends one message; answers the server's reply (or where the file went). Throws nodemailer's errors. */
  async send(mail: ComposedMail): Promise<string> {
    const info = await this.transporter.sendMail({
      from: mail.from,
      to: mail.to,
      subject: mail.subject,
      html: mail.html,
      text: mail.text,
      messageId: mail.messageId,
      attachments: mail.attachments.map((a) => ({
        filename: a.filename,
        contentType: a.contentType,
        content: a.content,
        ...(a.contentId ? { cid: a.contentId, contentDisposition: 'inline' as const } : {}),
      })),
    });
    if (!this.directory) return String(info.response);
    return `written to ${await this.writeEml(mail.id, info.message as Buffer)}`;
  }

  onApplicationShutdown(): void {
    this.transporter.close();
  }

  private async writeEml(id: string, raw: Buffer): Promise<string> {
    const directory = this.directory!;
    await mkdir(directory, { recursive: true });
    const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${id}.eml`;
    // Written aside and renamed, so the inbox never reads half a message.
    const partial = join(directory, `.${name}.partial`);
    await writeFile(partial, raw);
    await rename(partial, join(directory, name));
    this.logger.debug(`Mail ${id} written to ${name}`);
    return name;
  }
}

function dkimOptions(env: Environment): DKIMOptions | undefined {
  if (!env.DKIM_DOMAIN || !env.DKIM_SELECTOR || !env.DKIM_PRIVATE_KEY) return undefined;
  const key = env.DKIM_PRIVATE_KEY;
  const privateKey = !key.includes('-----BEGIN') && existsSync(key) ? readFileSync(key, 'utf8') : key.replace(/\\n/g, '\n');
  return { domainName: env.DKIM_DOMAIN, keySelector: env.DKIM_SELECTOR, privateKey };
}
