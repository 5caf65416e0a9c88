import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';
import type { Response } from 'superagent';
import { DataSource } from 'typeorm';
import { EnrolmentCompletion } from '../../src/enrolment/enrolment-completion';
import { bearer, TestApp } from '../test-app';
import { createCourse, createEdition } from '../factories';

export const NAMES: [string, string][] = [
  ['Zoë', 'Şahin-Łukasiewicz'],
  ['Thị Minh Khai', 'Nguyễn'],
  ['Sanne', 'de Vries'],
  ['Mohamed', 'El Amrani'],
  ['Ana', 'Pérez Núñez'],
];

export interface Graduate {
  studentId: string;
  enrolmentId: string;
  email: string;
}

export interface Cohort {
  courseId: string;
  editionId: string;
  sessionIds: string[];
  students: Graduate[];
}

/** A date `days` days from today (negative: in the past), YYYY-MM-DD. */
export function daysFromToday(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * A course with an edition whose weekly sessions lie in the past, and `students` enrolled in
 * it; the first `completed` of them completed the course (every exam passed) through
 * enrolment's own command, with `finalGrade`.
 */
export async function cohort(
  t: TestApp,
  plannerToken: string,
  options: { students?: number; completed?: number; finalGrade?: number | null; sessions?: number; locale?: 'nl' | 'en'; course?: Record<string, unknown> } = {},
): Promise<Cohort> {
  const db = t.app.get(DataSource);
  const course = await createCourse(t, plannerToken, { titleNl: 'Post-hbo Leidinggeven aan Professionals', titleEn: 'Post-bachelor Leading Professionals', ...options.course });
  const sessions = options.sessions ?? 4;
  const edition = await createEdition(db, course.id, { startDate: daysFromToday(-7 * sessions - 7), sessions, status: 'running' });
  const sessionIds: string[] = (await db.query(`SELECT id FROM session WHERE edition_id = $1 ORDER BY date`, [edition.id])).map((r: { id: string }) => r.id);
  const students: Graduate[] = [];
  const count = options.students ?? 1;
  for (let i = 0; i < count; i++) {
    const [given, family] = NAMES[i % NAMES.length];
    const email = `graduate-${randomUUID()}@test.registrar.nl`;
    const [{ id: studentId }] = await db.query(`INSERT INTO student (given_names, family_name, email, locale) VALUES ($1, $2, $3, $4) RETURNING id`, [
      given,
      family,
      email,
      options.locale ?? 'nl',
    ]);
    const [{ id: enrolmentId }] = await db.query(`INSERT INTO enrolment (student_id, edition_id, status, tuition_cents) VALUES ($1, $2, 'enrolled', 0) RETURNING id`, [
      studentId,
      edition.id,
    ]);
    students.push({ studentId, enrolmentId, email });
  }
  const completion = t.app.get(EnrolmentCompletion);
  for (const student of students.slice(0, options.completed ?? count)) {
    await db.transaction((manager) => completion.complete(manager, student.enrolmentId, options.finalGrade === undefined ? 7.5 : options.finalGrade));
  }
  return { courseId: course.id, editionId: edition.id, sessionIds, students };
}

/** Records presence through the API as a planner. */
export function recordPresence(t: TestApp, plannerToken: string, editionId: string, sessionId: string, records: { studentId: string; present: boolean }[]) {
  return t.http.put(`/editions/${editionId}/sessions/${sessionId}/attendance`).set(bearer(plannerToken)).send({ records });
}

/** A PNG of one colour, standing in for a logo or a signature. */
export function solidPng(width: number, height: number, rgb: [number, number, number] = [0x1f, 0x3a, 0x5f]): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8;
  header[9] = 2;
  const row = Buffer.concat([Buffer.from([0]), Buffer.concat(Array.from({ length: width }, () => Buffer.from(rgb)))]);
  const pixels = deflateSync(Buffer.concat(Array.from({ length: height }, () => row)));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', pixels), chunk('IEND', Buffer.alloc(0))]);
}

/** A PDF read back with poppler and zbar: its text, the QR code's content and pdfsig's report. */
export function readBack(pdf: Buffer): { text: string; qr: string; signature: string } {
  const dir = mkdtempSync(join(tmpdir(), 'diploma-e2e-'));
  try {
    const file = join(dir, 'diploma.pdf');
    writeFileSync(file, pdf);
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
    execFileSync('pdftoppm', ['-r', '150', '-png', '-singlefile', file, join(dir, 'page')]);
    const qr = execFileSync('zbarimg', ['-q', '--raw', join(dir, 'page.png')], { encoding: 'utf8' }).trim();
    let signature: string;
    try {
      signature = execFileSync('pdfsig', [file], { encoding: 'utf8' });
    } catch (error) {
      signature = String((error as { stdout?: string }).stdout ?? '');
    }
    return { text, qr, signature };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Superagent collects a binary body with this parser. */
export function binary(response: Response, callback: (error: Error | null, body: Buffer) => void): void {
  const stream = response as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(Buffer.from(chunk)));
  stream.on('end', () => callback(null, Buffer.concat(chunks)));
}
