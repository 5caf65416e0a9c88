import { DataSource } from 'typeorm';
import { bearer, createTestApp, TestApp } from '../test-app';
import { aFutureDate, aSession, createSitting, examFixture, ExamFixture, setStatus, sittingInput } from './factories';

describe('exam sittings', () => {
  let t: TestApp;
  let db: DataSource;
  let planner: string;
  let fixture: ExamFixture;

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
    planner = (await t.signIn(['planner'])).token;
    fixture = await examFixture(t, planner);
  });
  afterAll(() => t.close());

  it('plans a sitting with its end computed, and answers it to staff', async () => {
    const created = await t.http.post('/exam-sittings').set(bearer(planner)).send(sittingInput(fixture, { startTime: '09:00', durationMinutes: 150 })).expect(201);
    expect(created.body).toMatchObject({ status: 'planned', startTime: '09:00', endTime: '11:30', courseId: fixture.courseId, mode: 'on_site', sequence: 0 });
    const read = await t.http.get(`/exam-sittings/${created.body.id}`).set(bearer(planner)).expect(200);
    expect(read.body.id).toBe(created.body.id);
    const list = await t.http.get(`/exam-sittings?componentId=${fixture.componentIds[0]}`).set(bearer(planner)).expect(200);
    expect(list.body.items.map((s: { id: string }) => s.id)).toContain(created.body.id);
  });

  it('refuses an end after midnight, a past date, a room online and none on site, a capacity above the room', async () => {
    const refuse = async (body: Record<string, unknown>, status: number, rule: string) => {
      const response = await t.http.post('/exam-sittings').set(bearer(planner)).send(sittingInput(fixture, body)).expect(status);
      expect(JSON.stringify(response.body)).toContain(rule);
    };
    await refuse({ startTime: '22:30', durationMinutes: 120 }, 400, 'ends_before_midnight');
    await refuse({ date: '2020-01-07' }, 400, 'not_in_past');
    await refuse({ date: '2031-02-30' }, 400, 'calendar_date');
    await refuse({ roomId: undefined }, 400, 'required_on_site');
    await refuse({ mode: 'online' }, 400, 'absent_online');
    await refuse({ capacity: 31 }, 422, 'capacity_above_room');
  });

  it('moves through planned → open → closed → open → closed, refuses a jump, and needs a reason to cancel', async () => {
    let sitting: { id: string; version: number } = await createSitting(t, planner, fixture, { date: aFutureDate() });
    const jump = await t.http.post(`/exam-sittings/${sitting.id}/status`).set(bearer(planner)).send({ status: 'held', version: sitting.version }).expect(422);
    expect(jump.body.code).toBe('invalid_status_transition');
    for (const status of ['open', 'closed', 'open', 'closed']) sitting = await setStatus(t, planner, sitting, status);
    // A sitting in the future cannot be held yet.
    const early = await t.http.post(`/exam-sittings/${sitting.id}/status`).set(bearer(planner)).send({ status: 'held', version: sitting.version }).expect(422);
    expect(early.body.code).toBe('sitting_not_yet_held');
    await t.http.post(`/exam-sittings/${sitting.id}/status`).set(bearer(planner)).send({ status: 'cancelled', version: sitting.version }).expect(400);
    const cancelled = await setStatus(t, planner, sitting, 'cancelled', 'Surveillant ziek');
    expect(cancelled.status).toBe('cancelled');
    const history = await db.query(`SELECT from_status, to_status, reason FROM exam_sitting_status_change WHERE sitting_id = $1 ORDER BY at, id`, [sitting.id]);
    expect(history.map((h: { to_status: string }) => h.to_status)).toEqual(['open', 'closed', 'open', 'closed', 'cancelled']);
    expect(history[4].reason).toBe('Surveillant ziek');
    await t.http.patch(`/exam-sittings/${sitting.id}`).set(bearer(planner)).send({ version: cancelled.version, capacity: 5 }).expect(422);
  });

  it('changes a sitting with the version read, raising the sequence when it moves', async () => {
    const sitting = await createSitting(t, planner, fixture);
    const moved = await t.http.patch(`/exam-sittings/${sitting.id}`).set(bearer(planner)).send({ version: sitting.version, startTime: '15:00' }).expect(200);
    expect(moved.body).toMatchObject({ startTime: '15:00', endTime: '17:00', sequence: 1 });
    await t.http.patch(`/exam-sittings/${sitting.id}`).set(bearer(planner)).send({ version: sitting.version, capacity: 10 }).expect(409);
    const online = await t.http.patch(`/exam-sittings/${sitting.id}`).set(bearer(planner)).send({ version: moved.body.version, mode: 'online' }).expect(200);
    expect(online.body).toMatchObject({ mode: 'online', roomId: null });
  });

  it('deletes only a planned sitting', async () => {
    const sitting = await createSitting(t, planner, fixture);
    const opened = await setStatus(t, planner, sitting, 'open');
    await t.http.delete(`/exam-sittings/${sitting.id}?version=${opened.version}`).set(bearer(planner)).expect(422);
    const other = await createSitting(t, planner, fixture);
    await t.http.delete(`/exam-sittings/${other.id}?version=${other.version}`).set(bearer(planner)).expect(204);
    await t.http.get(`/exam-sittings/${other.id}`).set(bearer(planner)).expect(404);
  });

  it('refuses a room or an invigilator taken by a session or another sitting, unless accepted with a reason', async () => {
    const date = aFutureDate();
    const own = await examFixture(t, planner);
    const { sessionId } = await aSession(db, own.courseId, { date, startTime: '09:30', endTime: '12:00', roomId: own.roomId });
    const clash = await t.http.post('/exam-sittings').set(bearer(planner)).send(sittingInput(own, { date, startTime: '11:00', durationMinutes: 60, invigilatorIds: [] })).expect(409);
    expect(clash.body.code).toBe('sitting_conflicts');
    expect(clash.body.conflicts).toEqual([expect.objectContaining({ kind: 'room_double_booked', with: `session ${sessionId}` })]);
    // Touching is fine.
    const after = await createSitting(t, planner, own, { date, startTime: '12:00', durationMinutes: 60 });
    // The invigilator of that sitting cannot be in another room at the same time.
    const other = await examFixture(t, planner);
    const busy = await t.http.post('/exam-sittings').set(bearer(planner)).send(sittingInput(other, { date, startTime: '12:30', invigilatorIds: [own.teacherId] })).expect(409);
    expect(busy.body.conflicts).toEqual([expect.objectContaining({ kind: 'invigilator_double_booked', with: `sitting ${after.id}`, teacherId: own.teacherId })]);
    const accepted = await t.http
      .post('/exam-sittings')
      .set(bearer(planner))
      .send(sittingInput(other, { date, startTime: '12:30', invigilatorIds: [own.teacherId], acceptConflicts: true, reason: 'Tweede surveillant loopt heen en weer' }))
      .expect(201);
    const [audit] = await db.query(`SELECT reason FROM audit_entry WHERE entity = 'exam_sitting' AND entity_id = $1`, [accepted.body.id]);
    expect(audit.reason).toContain('Tweede surveillant');
    const conflicts = await t.http.get(`/exam-sittings/${accepted.body.id}/conflicts`).set(bearer(planner)).expect(200);
    expect(conflicts.body).toHaveLength(1);
  });

  it('is seen by planning: a session in the room of a sitting is a conflict there, named after the sitting', async () => {
    const date = aFutureDate();
    const own = await examFixture(t, planner);
    const sitting = await createSitting(t, planner, own, { date, startTime: '13:00', durationMinutes: 120 });
    const { sessionId } = await aSession(db, own.courseId, { date, startTime: '14:00', endTime: '16:00', roomId: own.roomId, teacherId: own.teacherId });
    const found = await t.http.get(`/planning/conflicts?from=${date}&to=${date}`).set(bearer(planner)).expect(200);
    const mine = found.body.filter((c: { sessionIds: string[]; kind: string }) => c.sessionIds.includes(sessionId) && c.kind.endsWith('double_booked'));
    expect(mine.map((c: { kind: string; busyIds: string[] }) => [c.kind, c.busyIds])).toEqual([
      ['teacher_double_booked', [`exam-sitting-${sitting.id}`]],
      ['room_double_booked', [`exam-sitting-${sitting.id}`]],
    ]);
  });

  it('shows a sitting for an edition in that edition\'s calendar', async () => {
    const date = aFutureDate();
    const own = await examFixture(t, planner);
    const { editionId } = await aSession(db, own.courseId, { date: '2031-09-01', startTime: '09:00', endTime: '12:00' });
    const sitting = await createSitting(t, planner, own, { date, editionId });
    const feed = await t.http.get(`/editions/${editionId}/calendar.ics`).set(bearer(planner)).expect(200);
    expect(feed.text).toContain(`UID:exam-sitting-${sitting.id}@registrar`);
    expect(feed.text).toContain('SUMMARY:Tentamen Post-hbo Coaching in de zorg — Reflectieverslag');
  });

  it('shows the sittings a teacher invigilates in the teacher\'s calendar feed, cancelled ones as cancelled', async () => {
    const own = await examFixture(t, planner);
    const sitting = await createSitting(t, planner, own);
    const link = await t.http.post(`/teachers/${own.teacherId}/calendar-token`).set(bearer(planner)).expect(200);
    const feed = await t.http.get(`/calendar/teachers/${link.body.token}.ics`).expect(200);
    expect(feed.text).toContain(`UID:exam-sitting-${sitting.id}@registrar`);
    await setStatus(t, planner, sitting, 'cancelled', 'Zaal niet beschikbaar');
    const after = await t.http.get(`/calendar/teachers/${link.body.token}.ics`).expect(200);
    const event = after.text.slice(after.text.indexOf(`UID:exam-sitting-${sitting.id}@registrar`));
    expect(event.slice(0, event.indexOf('END:VEVENT'))).toContain('STATUS:CANCELLED');
  });

  it('lets a teacher see only what they invigilate, and a student only open sittings', async () => {
    const own = await examFixture(t, planner);
    const teacher = await t.signIn(['teacher'], { teacherId: own.teacherId });
    const student = await t.signIn(['student']);
    const sitting = await createSitting(t, planner, own);
    const elsewhere = await createSitting(t, planner, own, { invigilatorIds: [] });
    await t.http.get(`/exam-sittings/${sitting.id}`).set(bearer(teacher.token)).expect(200);
    await t.http.get(`/exam-sittings/${elsewhere.id}`).set(bearer(teacher.token)).expect(404);
    await t.http.get(`/exam-sittings/${sitting.id}`).set(bearer(student.token)).expect(404);
    await setStatus(t, planner, sitting, 'open');
    await t.http.get(`/exam-sittings/${sitting.id}`).set(bearer(student.token)).expect(200);
    await t.http.post('/exam-sittings').set(bearer(teacher.token)).send(sittingInput(own)).expect(403);
  });
});
