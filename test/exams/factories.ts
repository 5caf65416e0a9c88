import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { courseInput } from '../factories';
import { createEdition, createStudent } from '../factories';
import { bearer, TestApp } from '../test-app';

type Body = Record<string, unknown>;

export interface ExamFixture {
  courseId: string;
  componentIds: string[];
  roomId: string;
  locationId: string;
  teacherId: string;
}

/** A course with two components (60/40, the second with pass mark 6 and 3 attempts), a room of `seats` and a teacher. */
export async function examFixture(t: TestApp, planner: string, options: { seats?: number; course?: Body } = {}): Promise<ExamFixture> {
  const course = await t.http.post('/courses').set(bearer(planner)).send(courseInput(options.course ?? {})).expect(201);
  const location = await t.http
    .post('/locations')
    .set(bearer(planner))
    .send({ name: `Examenlocatie ${randomUUID().slice(0, 8)}`, street: 'Jaarbeursplein 6', postcode: '3521 AL', city: 'Utrecht' })
    .expect(201);
  const room = await t.http.post(`/locations/${location.body.id}/rooms`).set(bearer(planner)).send({ name: 'Examenzaal', capacity: options.seats ?? 30 }).expect(201);
  const teacher = await t.aTeacher();
  return {
    courseId: course.body.id,
    componentIds: course.body.examComponents.map((c: { id: string }) => c.id),
    roomId: room.body.id,
    locationId: location.body.id,
    teacherId: teacher,
  };
}

let day = 0;
/** A distinct future weekday for each sitting a run creates, so that tests do not clash with each other. */
export function aFutureDate(): string {
  const date = new Date(Date.UTC(2032, 0, 5) + day++ * 86_400_000 * 1);
  return date.toISOString().slice(0, 10);
}

export function sittingInput(fixture: ExamFixture, overrides: Body = {}): Body {
  return {
    componentId: fixture.componentIds[0],
    date: aFutureDate(),
    startTime: '13:30',
    durationMinutes: 120,
    mode: 'on_site',
    roomId: fixture.roomId,
    invigilatorIds: [fixture.teacherId],
    capacity: 20,
    ...overrides,
  };
}

export async function createSitting(t: TestApp, planner: string, fixture: ExamFixture, overrides: Body = {}): Promise<{ id: string; version: number; date: string }> {
  const response = await t.http.post('/exam-sittings').set(bearer(planner)).send(sittingInput(fixture, overrides)).expect(201);
  return response.body;
}

export async function setStatus(t: TestApp, token: string, sitting: { id: string; version: number }, status: string, reason?: string): Promise<{ id: string; version: number; status: string }> {
  const response = await t.http.post(`/exam-sittings/${sitting.id}/status`).set(bearer(token)).send({ status, version: sitting.version, reason }).expect(200);
  return response.body;
}

/** A session of a new edition of the course straight in the database, in the room and with the teacher given. */
export async function aSession(db: DataSource, courseId: string, at: { date: string; startTime: string; endTime: string; roomId?: string; teacherId?: string }): Promise<{ editionId: string; sessionId: string }> {
  const [location] = await db.query(`INSERT INTO location (name, street, postcode, city) VALUES ($1, 'Oudegracht 1', '3511 AA', 'Utrecht') RETURNING id`, [`L ${randomUUID().slice(0, 8)}`]);
  const [edition] = await db.query(
    `INSERT INTO edition (code, course_id, start_date, weekdays, start_time, end_time, meeting_count, interval_weeks, location_id, capacity, min_participants, status)
     VALUES ($1, $2, $3, '{1}', $4, $5, 1, 1, $6, 10, 1, 'open') RETURNING id`,
    [`EX-${randomUUID().slice(0, 8).toUpperCase()}`, courseId, at.date, at.startTime, at.endTime, location.id],
  );
  const [session] = await db.query(`INSERT INTO session (edition_id, date, start_time, end_time, room_id, teacher_id) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, [
    edition.id,
    at.date,
    at.startTime,
    at.endTime,
    at.roomId ?? null,
    at.teacherId ?? null,
  ]);
  return { editionId: edition.id, sessionId: session.id };
}

/** A new student enrolled (status `enrolled`) in a new edition of the course; the student's id, email and the edition. */
export async function anEnrolledStudent(t: TestApp, advisor: string, db: DataSource, courseId: string, editionId?: string): Promise<{ studentId: string; email: string; editionId: string; enrolmentId: string }> {
  const edition = editionId ?? (await createEdition(db, courseId, { sessions: 1, startDate: '2031-09-02' })).id;
  const student = await createStudent(t, advisor);
  const enrolment = await t.http.post('/enrolments').set(bearer(advisor)).send({ studentId: student.id, editionId: edition }).expect(201);
  if (enrolment.body.status !== 'enrolled') throw new Error(`enrolment is ${enrolment.body.status}`);
  return { studentId: student.id, email: student.email, editionId: edition, enrolmentId: enrolment.body.id };
}

/** Brings a sitting to `held`: its date set to today in the database (a sitting cannot be planned in the past), then open → closed → held. */
export async function holdSitting(t: TestApp, db: DataSource, token: string, sitting: { id: string }): Promise<{ id: string; version: number; status: string }> {
  await db.query(`UPDATE exam_sitting SET date = (now() AT TIME ZONE 'Europe/Amsterdam')::date WHERE id = $1`, [sitting.id]);
  let current = (await t.http.get(`/exam-sittings/${sitting.id}`).set(bearer(token)).expect(200)).body;
  for (const status of ['open', 'closed', 'held']) {
    if (current.status === 'planned' && status !== 'open') continue;
    if (current.status === status) continue;
    current = await setStatus(t, token, current, status);
  }
  return current;
}
