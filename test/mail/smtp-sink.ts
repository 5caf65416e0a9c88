import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerAddress, type SMTPServerSession } from 'smtp-server';

export interface ReceivedMail {
  envelope: { from: string; to: string[]; smtpUtf8: boolean };
  raw: Buffer;
  parsed: ParsedMail;
}

/** Answers an RCPT TO with an SMTP error, e.g. 451 (try later) or 550 (no such user); undefined accepts it. */
export type RecipientRule = (address: string) => { code: number; message: string } | undefined;

/**
 * Runs once a message's data has come in, before the server answers: what it resolves, the
 * server accepts; what it rejects with, the server answers as an error (a `responseCode` of
 * 4xx or 5xx). A slow or never-settling promise makes a slow or hanging server.
 */
export type DataRule = (envelope: ReceivedMail['envelope']) => Promise<void> | void;

/** A real SMTP server in the test process that keeps what it receives. */
export class SmtpSink {
  readonly received: ReceivedMail[] = [];
  recipientRule: RecipientRule = () => undefined;
  dataRule: DataRule = () => undefined;

  private server: SMTPServer;
  url = '';

  static async start(): Promise<SmtpSink> {
    const sink = new SmtpSink();
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onRcptTo(address: SMTPServerAddress, _session: SMTPServerSession, callback: (error?: Error | null) => void) {
        const refusal = sink.recipientRule(address.address);
        if (!refusal) return callback();
        callback(Object.assign(new Error(refusal.message), { responseCode: refusal.code }));
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks);
          const envelope = {
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            smtpUtf8: Boolean((session.envelope.mailFrom as { args?: Record<string, unknown> } | false)
              && (session.envelope.mailFrom as { args?: Record<string, unknown> }).args?.SMTPUTF8),
          };
          Promise.resolve(sink.dataRule(envelope))
            .then(() => simpleParser(raw, { keepCidLinks: true }))
            .then(
              (parsed) => {
                sink.received.push({ envelope, raw, parsed });
                callback();
              },
              (error: Error) => callback(error),
            );
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.server.address() as AddressInfo;
    sink.server = server;
    sink.url = `smtp://127.0.0.1:${port}`;
    return sink;
  }

  /** What arrived with this Message-ID, in arrival order. */
  withMessageId(messageId: string): ReceivedMail[] {
    return this.received.filter((mail) => mail.parsed.messageId === messageId);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
