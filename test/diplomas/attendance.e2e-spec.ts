import { DataSource } from 'typeorm';
import { bearer, createTestApp, TestApp } from '../test-app';
import { cohort, daysFromToday, recordPresence } from './factories';

describe('Attendance', () => {
  let t: TestApp;
  let db: DataSource;
  let planner: string;
  let coordinator: string;

  beforeAll(async () => {
    t = await createTestApp({ RUN_WORKER: 'false' });
    db = t.app.get(DataSource);
    planner = (await t.signIn(['planner'])).token;
    coordinator = (await t.signIn(['coordinator'])).token;
  });
  afterAll(() => t.close());

  it('records presence in bulk per session and gives each student a percentage of the sessions held', async () => {
    const { editionId, sessionIds, students } = await cohort(t, planner, { students: 3, sessions: 4 });
    const [a, b, c] = students.map((s) => s.studentId);
    const recorded = await recordPresence(t, planner, editionId, sessionIds[0], [
      { studentId: a, present: true },
      { studentId: b, present: true },
      { studentId: c, present: false },
    ]).expect(200);
    expect(recorded.body.entries).toHaveLength(3);
    await recordPresence(t, planner, editionId, sessionIds[1], [{ studentId: a, present: true }]).expect(200);
    await recordPresence(t, planner, editionId, sessionIds[2], [{ studentId: a, present: true }, { studentId: b, present: true }]).expect(200);
    // A correction replaces what was recorded.
    await recordPresence(t, planner, editionId, sessionIds[2], [{ studentId: b, present: false }]).expect(200);

    const session = await t.http.get(`/editions/${editionId}/sessions/${sessionIds[1]}/attendance`).set(bearer(coordinator)).expect(200);
    expect(Object.fromEntries(session.body.entries.map((e: { studentId: string; present: boolean | null }) => [e.studentId, e.present]))).toEqual({ [a]: true, [b]: null, [c]: null });

    const edition = await t.http.get(`/editions/${editionId}/attendance`).set(bearer(coordinator)).expect(200);
    expect(edition.body).toMatchObject({ editionId, sessionsHeld: 4, minimumPercent: null });
    const byStudent = Object.fromEntries(edition.body.students.map((s: { studentId: string }) => [s.studentId, s]));
    expect(byStudent[a]).toMatchObject({ held: 4, present: 3, percent: 75, meetsMinimum: true });
    expect(byStudent[b]).toMatchObject({ present: 1, percent: 25 });
    expect(byStudent[c]).toMatchObject({ present: 0, percent: 0 });
  });

  it('lets a teacher record their own sessions only, and a student read their own presence only', async () => {
    const { editionId, sessionIds, students } = await cohort(t, planner, { students: 2, sessions: 2 });
    const teacher = await t.signIn(['teacher']);
    await db.query(`UPDATE session SET teacher_id = $1 WHERE id = $2`, [teacher.teacherId, sessionIds[0]]);
    await recordPresence(t, teacher.token, editionId, sessionIds[0], [{ studentId: students[0].studentId, present: true }]).expect(200);
    await recordPresence(t, teacher.token, editionId, sessionIds[1], [{ studentId: students[0].studentId, present: true }]).expect(404);
    await recordPresence(t, coordinator, editionId, sessionIds[0], [{ studentId: students[0].studentId, present: true }]).expect(403);

    const student = await t.signIn(['student'], { studentId: students[0].studentId });
    const own = await t.http.get(`/students/${students[0].studentId}/attendance`).set(bearer(student.token)).expect(200);
    expect(own.body.editions).toEqual([expect.objectContaining({ editionId, held: 2, present: 1, percent: 50 })]);
    await t.http.get(`/students/${students[1].studentId}/attendance`).set(bearer(student.token)).expect(404);
    await recordPresence(t, student.token, editionId, sessionIds[0], []).expect(403);
  });

  it('refuses a student who is not enrolled, a cancelled session and one still to come', async () => {
    const { editionId, sessionIds, students } = await cohort(t, planner, { students: 1, sessions: 3 });
    const { students: strangers } = await cohort(t, planner, { students: 1 });
    const stranger = await recordPresence(t, planner, editionId, sessionIds[0], [{ studentId: strangers[0].studentId, present: true }]).expect(400);
    expect(stranger.body.errors).toEqual([expect.objectContaining({ field: 'records[0].studentId', rule: 'enrolled' })]);
    await db.query(`UPDATE session SET status = 'cancelled' WHERE id = $1`, [sessionIds[1]]);
    expect((await recordPresence(t, planner, editionId, sessionIds[1], [{ studentId: students[0].studentId, present: true }]).expect(422)).body.code).toBe('session_cancelled');
    await db.query(`UPDATE session SET date = $2 WHERE id = $1`, [sessionIds[2], daysFromToday(10)]);
    expect((await recordPresence(t, planner, editionId, sessionIds[2], [{ studentId: students[0].studentId, present: true }]).expect(422)).body.code).toBe('session_not_held_yet');
    const summary = await t.http.get(`/editions/${editionId}/attendance`).set(bearer(planner)).expect(200);
    expect(summary.body.sessionsHeld).toBe(1);
  });

  it('keeps a minimum per course, set by planners and coordinators', async () => {
    const { courseId } = await cohort(t, planner, { students: 0 });
    await t.http.put(`/courses/${courseId}/attendance-requirement`).set(bearer(coordinator)).send({ minimumPercent: 101 }).expect(400);
    await t.http.put(`/courses/${courseId}/attendance-requirement`).set(bearer(coordinator)).send({ minimumPercent: 80 }).expect(200);
    expect((await t.http.get(`/courses/${courseId}/attendance-requirement`).set(bearer(planner)).expect(200)).body).toEqual({ courseId, minimumPercent: 80 });
    await t.http.put(`/courses/${courseId}/attendance-requirement`).set(bearer(planner)).send({ minimumPercent: null }).expect(200);
    expect((await t.http.get(`/courses/${courseId}/attendance-requirement`).set(bearer(planner)).expect(200)).body.minimumPercent).toBeNull();
  });
});
