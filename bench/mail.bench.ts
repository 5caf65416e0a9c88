import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { DataSource } from 'typeorm';
import { DEMO_INSTITUTE } from '../src/demo/demo-institute';
import { DELIVERY_LANES, MailDelivery } from '../src/mail/mail-delivery.service';
import { MailOutbox } from '../src/mail/mail-outbox.service';
import { MailTransport } from '../src/mail/mail-transport';
import { SettingsService } from '../src/settings/settings.service';
import { startBenchApp } from './bench-app';
import { peakRssMb, report } from './harness';

const MESSAGES = 5_000;
const WARM_UP = 300;
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAcCBlCwAAAABJRU5ErkJggg==', 'base64');

/** A local SMTP server that accepts and counts every message. */
async function startSink(): Promise<{ url: string; received: () => number; close: () => Promise<void> }> {
  let received = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      stream.on('data', () => undefined);
      stream.on('end', () => {
        received++;
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return { url: `smtp://127.0.0.1:${port}`, received: () => received, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/**
 * The outbox (claim in batches, send over the pool, record each outcome) against raw
 * nodemailer sending the same rendered messages through the same pooled transport.
 */
export async function mailBenchmark(): Promise<void> {
  const sink = await startSink();
  const bench = await startBenchApp([], { SMTP_URL: sink.url, RUN_WORKER: 'false', MAIL_RATE_PER_MINUTE: '100000000' });
  try {
    const app = bench.app;
    await app.get(SettingsService).update({ ...DEMO_INSTITUTE });
    await app.get(SettingsService).putImage('logo', { mediaType: 'image/png', data: PNG.toString('base64') });
    const db = app.get(DataSource);
    const outbox = app.get(MailOutbox);
    const delivery = app.get(MailDelivery);
    const transporter = app.get(MailTransport).transporter;

    const enqueue = async (prefix: string, count: number) => {
      for (let start = 0; start < count; start += 500) {
        await db.transaction(async (manager) => {
          for (let i = start; i < Math.min(count, start + 500); i++) {
            await outbox.enqueue(manager, {
              type: 'enrolment-received',
              locale: i % 5 === 0 ? 'en' : 'nl',
              to: { email: `cursist-${prefix}-${i}@example.nl`, name: i % 2 ? 'Zoë Şahin-Łukasiewicz' : 'Nguyễn Thị Minh Khai' },
              data: {
                studentName: 'Zoë Şahin-Łukasiewicz',
                courseName: 'Post-hbo Praktijkonderzoek',
                editionCode: `PRZ-2027-${i % 40}`,
                startDate: '2027-03-09',
                location: 'Utrecht, Jaarbeursplein 6',
                receivedAt: '2027-01-05T10:42:00+01:00',
              },
              idempotencyKey: `bench:${prefix}:${i}`,
            });
          }
        });
      }
    };
    // Delivery rounds in flight at once, as in a worker process.
    const drain = async () => {
      const lane = async () => {
        while ((await delivery.deliverDue()).claimed > 0);
      };
      await Promise.all(Array.from({ length: DELIVERY_LANES }, lane));
    };
    const rendered = async (prefix: string) => {
      const rows: { from: string; toEmail: string; toName: string; subject: string; html: string; text: string; messageId: string }[] = await db.query(
        `SELECT from_address AS "from", to_email AS "toEmail", to_name AS "toName", subject, html, text, message_id AS "messageId"
           FROM mail_message WHERE idempotency_key LIKE $1`,
        [`bench:${prefix}:%`],
      );
      return rows.map((r) => ({
        from: r.from,
        to: { name: r.toName, address: r.toEmail },
        subject: r.subject,
        html: r.html,
        text: r.text,
        messageId: r.messageId,
        attachments: [{ filename: 'logo.png', contentType: 'image/png', content: PNG, cid: 'logo', contentDisposition: 'inline' as const }],
      }));
    };
    const sendRaw = (messages: Awaited<ReturnType<typeof rendered>>) => Promise.all(messages.map((message) => transporter.sendMail(message)));

    await enqueue('warm-up', WARM_UP);
    await drain();
    await sendRaw(await rendered('warm-up'));
    await enqueue('run', MESSAGES);

    const before = sink.received();
    // Resident memory while the outbox delivers, against what the process held before: flat means batches, not the queue, in memory.
    const rssBefore = process.memoryUsage().rss / 2 ** 20;
    let rssPeak = rssBefore;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss / 2 ** 20)), 20);
    const outboxStart = performance.now();
    await drain();
    const outboxSeconds = (performance.now() - outboxStart) / 1000;
    clearInterval(sampler);
    const [{ sent }]: { sent: number }[] = await db.query(
      `SELECT count(*)::int AS sent FROM mail_message WHERE idempotency_key LIKE 'bench:run:%' AND status = 'sent'`,
    );
    if (sent !== MESSAGES || sink.received() - before !== MESSAGES) {
      throw new Error(`The outbox sent ${sent} of ${MESSAGES}; the sink received ${sink.received() - before}`);
    }

    const messages = await rendered('run');
    const rawStart = performance.now();
    await sendRaw(messages);
    const rawSeconds = (performance.now() - rawStart) / 1000;
    if (sink.received() - before !== 2 * MESSAGES) throw new Error('raw nodemailer lost messages');

    report('mail', 'throughput', MESSAGES / outboxSeconds, 'messages/s', MESSAGES / rawSeconds);
    report('mail', 'peak_rss_mb', rssPeak, 'MB', rssBefore);
    report('mail', 'process_peak_rss_mb', peakRssMb(), 'MB');
  } finally {
    await bench.close();
    await sink.close();
  }
}
