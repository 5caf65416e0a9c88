import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { MailDelivery } from '../../src/mail/mail-delivery.service';
import { MailOutbox, type OutgoingMail } from '../../src/mail/mail-outbox.service';
import { createTestApp, type TestApp } from '../test-app';

export interface MailApp {
  t: TestApp;
  db: DataSource;
  outbox: MailOutbox;
  delivery: MailDelivery;
  /** Runs delivery rounds until nothing is due; answers how many messages were claimed. */
  deliverAll(): Promise<number>;
  /** Enqueues one message in its own transaction. */
  enqueue(mail?: Partial<OutgoingMail>): Promise<{ id: string; created: boolean }>;
  /** The stored row of a message, as the database has it. */
  row(id: string): Promise<Record<string, unknown>>;
}

/** The app with its worker loop off (deliveries are driven by the test); the institute's particulars are seeded for the run. */
export async function startMailApp(overrides: Record<string, string>): Promise<MailApp> {
  // No rate limit unless a test sets one: the test run's database is shared by every test.
  const t = await createTestApp({ RUN_WORKER: 'false', MAIL_RATE_PER_MINUTE: '1000000', ...overrides });
  const db = t.app.get(DataSource);
  const outbox = t.app.get(MailOutbox);
  const delivery = t.app.get(MailDelivery);
  return {
    t,
    db,
    outbox,
    delivery,
    async deliverAll() {
      let claimed = 0;
      for (;;) {
        const round = await delivery.deliverDue();
        if (round.claimed === 0) return claimed;
        claimed += round.claimed;
      }
    },
    enqueue: (mail = {}) => db.transaction((manager) => outbox.enqueue(manager, testMail(mail))),
    async row(id) {
      const [row] = await db.query(`SELECT * FROM mail_message WHERE id = $1`, [id]);
      return row;
    },
  };
}

/**
 * An id for a student user to link to: a fresh student record when the enrolment module's
 * table is there (a user's student_id must then refer to one), else just a new id.
 */
export async function aStudentId(db: DataSource): Promise<string> {
  const [{ present }]: { present: boolean }[] = await db.query(`SELECT to_regclass('student') IS NOT NULL AS present`);
  if (!present) return randomUUID();
  const [{ id }]: { id: string }[] = await db.query(`INSERT INTO student (given_names, family_name) VALUES ('Zoë', 'Şahin-Łukasiewicz') RETURNING id`);
  return id;
}

/** A mail-test message to a unique address, with whatever the test changes. */
export function testMail(mail: Partial<OutgoingMail> = {}): OutgoingMail {
  const unique = randomUUID();
  return {
    type: 'mail-test',
    locale: 'nl',
    to: { email: `cursist-${unique}@example.nl`, name: 'Test Cursist' },
    data: { requestedBy: 'Nguyễn Thị Minh Khai', sentAt: '2027-01-05T09:00:00+01:00' },
    idempotencyKey: `mail-test:${unique}`,
    ...mail,
  };
}
