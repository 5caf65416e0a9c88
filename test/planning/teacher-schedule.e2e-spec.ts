import { bearer, createTestApp, TestApp } from '../test-app';
import { createEdition, planningFixture, weekly } from './planning-fixtures';

describe('A teacher’s own schedule', () => {
  let t: TestApp;
  let planner: string;

  beforeAll(async () => {
    t = await createTestApp();
    planner = (await t.signIn(['planner'])).token;
  });
  afterAll(() => t.close());

  it('lists the teacher’s sessions in a period, to the teacher and to staff, and to no other teacher', async () => {
    const fixture = await planningFixture(t, planner);
    const created = await createEdition(t, planner, fixture, { startDate: '2030-04-08', pattern: weekly([1], 3), teacherId: fixture.teacherId, roomId: fixture.roomId }).expect(201);
    const [, second] = created.body.edition.sessions;
    await t.http.delete(`/sessions/${second.id}?version=${second.version}`).set(bearer(planner)).expect(200);

    const own = await t.signIn(['teacher'], { teacherId: fixture.teacherId });
    const schedule = await t.http.get(`/teachers/${fixture.teacherId}/sessions?from=2030-04-01&to=2030-04-30`).set(bearer(own.token)).expect(200);
    expect(schedule.body.map((s: { date: string; cancelled: boolean }) => [s.date, s.cancelled])).toEqual([
      ['2030-04-08', false],
      ['2030-04-15', true],
      ['2030-04-29', false], // Easter Monday, 22 April, is skipped
    ]);
    expect(schedule.body[0]).toMatchObject({ startTime: '09:30', endTime: '16:30', roomName: 'Lokaal 2.14', courseTitle: expect.stringContaining(created.body.edition.code) });

    const narrow = await t.http.get(`/teachers/${fixture.teacherId}/sessions?from=2030-04-20&to=2030-04-30`).set(bearer(planner)).expect(200);
    expect(narrow.body.map((s: { date: string }) => s.date)).toEqual(['2030-04-29']);

    const other = await t.signIn(['teacher']);
    await t.http.get(`/teachers/${fixture.teacherId}/sessions`).set(bearer(other.token)).expect(404);
    const backwards = await t.http.get(`/teachers/${fixture.teacherId}/sessions?from=2030-04-30&to=2030-04-01`).set(bearer(planner)).expect(400);
    expect(backwards.body.errors[0]).toMatchObject({ field: 'to', rule: 'not_before_from' });
  });
});
