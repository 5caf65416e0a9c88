import { DataSource } from 'typeorm';
import { DEMO_INSTITUTE } from '../../src/demo/demo-institute';
import { SettingsService } from '../../src/settings/settings.service';
import { bearer, createTestApp, eventually, TestApp } from '../test-app';
import { createEdition } from '../factories';
import { anEnrolledStudent, examFixture } from './factories';

describe('exam timetabling', () => {
  let t: TestApp;
  let db: DataSource;
  let planner: string;
  let advisor: string;

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
    await t.app.get(SettingsService).update({ ...DEMO_INSTITUTE });
    planner = (await t.signIn(['planner'])).token;
    advisor = (await t.signIn(['advisor'])).token;
  });
  afterAll(() => t.close());

  it('proposes sittings so that no student has two exams at once, reports what does not fit, and applies once', async () => {
    const fixture = await examFixture(t, planner, { seats: 10 });
    const first = await anEnrolledStudent(t, advisor, db, fixture.courseId);
    await anEnrolledStudent(t, advisor, db, fixture.courseId, first.editionId);
    const slots = [
      { date: '2035-06-04', startTime: '09:00', durationMinutes: 120 },
      { date: '2035-06-04', startTime: '13:00', durationMinutes: 120 },
    ];
    const started = await t.http.post('/exam-timetabling').set(bearer(planner)).send({ editionIds: [first.editionId], slots, roomIds: [fixture.roomId], timeLimitSeconds: 1 }).expect(202);
    let job = {
      state: 'queued',
      progress: { done: 0, total: null as number | null },
      proposal: null as null | { sittings: Array<{ componentId: string; date: string; startTime: string; roomId: string; studentCount: number }>; unplaced: unknown[]; cost: number },
    };
    await eventually(async () => {
      job = (await t.http.get(`/exam-timetabling/${started.body.jobId}`).set(bearer(planner)).expect(200)).body;
      return job.state === 'completed' || job.state === 'failed';
    });
    expect(job.state).toBe('completed');
    // Progress counts the milliseconds of the time limit.
    expect(job.progress).toEqual({ done: 1000, total: 1000 });
    const proposal = job.proposal!;
    // Both components are sat by the same two students: one per slot.
    expect(proposal.sittings).toHaveLength(2);
    expect(new Set(proposal.sittings.map((s) => s.startTime))).toEqual(new Set(['09:00', '13:00']));
    expect(proposal.sittings.every((s) => s.studentCount === 2 && s.roomId === fixture.roomId)).toBe(true);
    expect(proposal.unplaced).toEqual([]);
    expect(proposal.cost).toBeGreaterThan(0);

    const applied = await t.http.post(`/exam-timetabling/${started.body.jobId}/apply`).set(bearer(planner)).send({}).expect(200);
    expect(applied.body.sittingIds).toHaveLength(2);
    const made = await t.http.get(`/exam-sittings/${applied.body.sittingIds[0]}`).set(bearer(planner)).expect(200);
    expect(made.body).toMatchObject({ status: 'planned', roomId: fixture.roomId, capacity: 2 });
    expect((await t.http.post(`/exam-timetabling/${started.body.jobId}/apply`).set(bearer(planner)).send({}).expect(409)).body.code).toBe('timetable_applied');
  });

  it('reports an exam it cannot place, with the reason', async () => {
    const fixture = await examFixture(t, planner, { seats: 10 });
    const student = await anEnrolledStudent(t, advisor, db, fixture.courseId);
    const started = await t.http
      .post('/exam-timetabling')
      .set(bearer(planner))
      .send({ editionIds: [student.editionId], slots: [{ date: '2035-06-05', startTime: '09:00', durationMinutes: 90 }], roomIds: [fixture.roomId], timeLimitSeconds: 1 })
      .expect(202);
    let job = { state: 'queued', proposal: null as null | { sittings: unknown[]; unplaced: Array<{ reason: string; studentCount: number }> } };
    await eventually(async () => {
      job = (await t.http.get(`/exam-timetabling/${started.body.jobId}`).set(bearer(planner)).expect(200)).body;
      return job.state === 'completed' || job.state === 'failed';
    });
    expect(job.proposal!.sittings).toHaveLength(1);
    expect(job.proposal!.unplaced).toEqual([expect.objectContaining({ studentCount: 1, reason: expect.any(String) })]);
  });

  it('refuses a slot in the past or past midnight, and an unknown room', async () => {
    const fixture = await examFixture(t, planner);
    const refused = await t.http
      .post('/exam-timetabling')
      .set(bearer(planner))
      .send({ editionIds: [fixture.courseId], slots: [{ date: '2020-01-01', startTime: '23:00', durationMinutes: 120 }], roomIds: ['00000000-0000-4000-8000-000000000000'] })
      .expect(400);
    expect(refused.body.errors.map((e: { field: string; rule: string }) => `${e.field}:${e.rule}`)).toEqual(['slots[0].date:not_in_past', 'roomIds[0]:exists']);
  });

  it('takes the editions meeting in a period when no editions are named', async () => {
    const fixture = await examFixture(t, planner, { seats: 10 });
    const edition = await createEdition(db, fixture.courseId, { startDate: '2036-03-04', sessions: 2 });
    await anEnrolledStudent(t, advisor, db, fixture.courseId, edition.id);
    const slots = [
      { date: '2036-04-07', startTime: '09:00', durationMinutes: 120 },
      { date: '2036-04-08', startTime: '09:00', durationMinutes: 120 },
    ];
    const started = await t.http.post('/exam-timetabling').set(bearer(planner)).send({ from: '2036-03-01', to: '2036-03-31', slots, roomIds: [fixture.roomId], timeLimitSeconds: 1 }).expect(202);
    let job = { state: 'queued', proposal: null as null | { sittings: Array<{ componentId: string }> } };
    await eventually(async () => {
      job = (await t.http.get(`/exam-timetabling/${started.body.jobId}`).set(bearer(planner)).expect(200)).body;
      return job.state === 'completed' || job.state === 'failed';
    });
    expect(job.proposal!.sittings.map((s) => s.componentId).sort()).toEqual([...fixture.componentIds].sort());
    const none = await t.http.post('/exam-timetabling').set(bearer(planner)).send({ from: '2037-12-01', to: '2037-12-02', slots, roomIds: [fixture.roomId] }).expect(422);
    expect(none.body.code).toBe('no_editions');
    await t.http.post('/exam-timetabling').set(bearer(planner)).send({ slots, roomIds: [fixture.roomId] }).expect(400);
  });
});
