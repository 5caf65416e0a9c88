import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { Role } from '../src/kernel/role';
import { DEMO_INSTITUTE } from '../src/demo/demo-institute';
import { UsersService } from '../src/auth/users.service';
import { SettingsService } from '../src/settings/settings.service';
import { bearer, TestApp } from './test-app';

export { seedInstitute } from './seed-institute';

/**
 * The one set of test factories: valid requests to override, records made over HTTP (or, for
 * what another module's rules are not about, straight in the database), and the institute's
 * particulars every suite may rely on.
 */

type Body = Record<string, unknown>;

// ---- the institute --------------------------------------------------------------------------

/**
 * For a suite that changes institute-wide settings: puts the demo institute's particulars back
 * and removes any image the suite gave it (the logo would otherwise travel with every later
 * suite's mail). Call in `afterAll`.
 */
export async function restoreInstitute(t: TestApp): Promise<void> {
  const settings = t.app.get(SettingsService);
  await settings.update({ ...DEMO_INSTITUTE });
  for (const kind of ['logo', 'director_signature', 'coordinator_signature'] as const) {
    if (await settings.findImage(kind)) await settings.removeImage(kind);
  }
}

// ---- users ----------------------------------------------------------------------------------

/** A new user account with a unique email and its password (not signed in). */
export async function aUser(t: TestApp, roles: Role[] = ['planner'], displayName = 'Test Gebruiker') {
  const email = `user-${randomUUID()}@test.nl`;
  const password = `secret-${randomUUID()}`;
  const user = await t.app.get(UsersService).create({ email, password, roles, displayName });
  return { id: user.id, version: user.version, email, password };
}

// ---- catalogue ------------------------------------------------------------------------------

/** A unique course code for a test. */
export const uniqueCode = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8).toUpperCase()}`;

/** A complete, valid course request; override what a test is about. */
export function courseInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    code: uniqueCode('PCZ'),
    titleNl: 'Post-hbo Coaching in de zorg',
    titleEn: 'Post-bachelor Coaching in Healthcare',
    descriptionNl: 'Leer zorgprofessionals begeleiden met oplossingsgerichte gesprekstechnieken.',
    descriptionEn: 'Learn to guide healthcare professionals with solution-focused conversation techniques.',
    discipline: 'Zorg',
    keywords: ['coaching', 'verpleegkunde', 'intervisie'],
    studyLoadHours: 120,
    ects: 4.5,
    pePoints: [{ register: 'V&VN Kwaliteitsregister', points: 40 }],
    tuitionCents: 249_500,
    tuitionVat: 'exempt',
    otherFees: [{ kind: 'materials', description: 'Lesboek', amountCents: 4_950, vat: 'rate_9' }],
    minimumPriorEducation: 'hbo_bachelor',
    examComponents: [
      { name: 'Reflectieverslag', weight: 60 },
      { name: 'Praktijkopdracht', weight: 40, passMark: 6, maxAttempts: 3 },
    ],
    deliveryMode: 'on_site',
    defaultPattern: { weekdays: [2], startTime: '09:30', endTime: '16:30', count: 8, intervalWeeks: 1 },
    minParticipants: 8,
    maxParticipants: 16,
    ...overrides,
  };
}

// ---- enrolment ------------------------------------------------------------------------------


/** A valid student request with a unique email; override what a test is about. */
export function studentInput(overrides: Body = {}): Body {
  return {
    givenNames: 'Zoë',
    namePrefix: 'van der',
    familyName: 'Şahin-Łukasiewicz',
    email: `zoe-${randomUUID()}@example.nl`,
    phone: '06 12345678',
    dateOfBirth: '1988-04-12',
    locale: 'nl',
    address: { street: 'Oudegracht', houseNumber: '12a', postcode: '3511ab', city: 'Utrecht', country: 'NL' },
    priorEducation: { level: 'hbo_bachelor', field: 'Verpleegkunde', year: 2011, institution: 'Hogeschool Utrecht' },
    profession: 'Verpleegkundige',
    sector: 'Zorg',
    yearsOfExperience: 12,
    employer: 'UMC Utrecht',
    contactPreference: 'mail',
    ...overrides,
  };
}

export async function createStudent(t: TestApp, token: string, overrides: Body = {}): Promise<{ id: string; email: string; version: number }> {
  const response = await t.http.post('/students').set(bearer(token)).send(studentInput(overrides)).expect(201);
  return response.body;
}

export async function createCourse(t: TestApp, token: string, overrides: Body = {}): Promise<{ id: string; code: string; tuitionCents: number }> {
  const response = await t.http.post('/courses').set(bearer(token)).send(courseInput(overrides)).expect(201);
  return response.body;
}

export interface EditionOptions {
  capacity?: number;
  status?: string;
  startDate?: string;
  enrolmentDeadline?: string | null;
  weekdays?: number[];
  startTime?: string;
  endTime?: string;
  city?: string;
  online?: boolean;
  sessions?: number;
  priceOverrideCents?: number | null;
}

/** An edition straight in the database (planning's own rules are tested by planning), with weekly sessions. */
export async function createEdition(db: DataSource, courseId: string, options: EditionOptions = {}): Promise<{ id: string; code: string }> {
  const city = options.city ?? 'Utrecht';
  const [location] = await db.query(
    `INSERT INTO location (name, online, street, postcode, city) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [`Locatie ${randomUUID().slice(0, 8)}`, options.online ?? false, options.online ? '' : 'Jaarbeursplein 6', options.online ? '' : '3521 AL', options.online ? '' : city],
  );
  const [room] = await db.query(`INSERT INTO room (location_id, name, capacity) VALUES ($1, 'Lokaal 2.14', 40) RETURNING id`, [location.id]);
  const startDate = options.startDate ?? '2031-03-04';
  const code = uniqueCode('ED');
  const [edition] = await db.query(
    `INSERT INTO edition (code, course_id, start_date, weekdays, start_time, end_time, meeting_count, interval_weeks, location_id,
                          capacity, min_participants, enrolment_deadline, status, price_override_cents)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $9, 1, $10, $11, $12) RETURNING id`,
    [
      code,
      courseId,
      startDate,
      options.weekdays ?? [2],
      options.startTime ?? '09:30',
      options.endTime ?? '16:30',
      options.sessions ?? 3,
      location.id,
      options.capacity ?? 10,
      options.enrolmentDeadline === undefined ? null : options.enrolmentDeadline,
      options.status ?? 'open',
      options.priceOverrideCents ?? null,
    ],
  );
  for (let i = 0; i < (options.sessions ?? 3); i++) {
    await db.query(
      `INSERT INTO session (edition_id, date, start_time, end_time, room_id) VALUES ($1, $2::date + $3 * 7, $4, $5, $6)`,
      [edition.id, startDate, i, options.startTime ?? '09:30', options.endTime ?? '16:30', room.id],
    );
  }
  return { id: edition.id, code };
}

/** The mails to one address, oldest first, as the outbox stored them. */
export async function mailsTo(db: DataSource, email: string): Promise<Array<{ type: string; locale: string; subject: string; text: string; data: Body; id: string }>> {
  return db.query(`SELECT id, type, locale, subject, text, data FROM mail_message WHERE to_email = $1 ORDER BY created_at, id`, [email.toLowerCase()]);
}

export async function attachmentsOf(db: DataSource, mailId: string): Promise<Array<{ filename: string; contentType: string; content: Buffer }>> {
  return db.query(
    `SELECT a.filename, a.content_type AS "contentType", b.content FROM mail_attachment a JOIN mail_blob b ON b.sha256 = a.sha256
      WHERE a.message_id = $1 ORDER BY a.position`,
    [mailId],
  );
}

