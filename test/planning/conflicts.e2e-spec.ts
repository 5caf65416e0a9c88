import { DataSource } from 'typeorm';
import { bearer, createTestApp, TestApp } from '../test-app';
import { createEdition, createTeacher, planningFixture, PlanningFixture, weekly } from './planning-fixtures';

type Conflict = { kind: string; sessionIds: string[]; teacherId?: string; roomId?: string; date: string };

describe('Planning: conflicts', () => {
  let t: TestApp;
  let planner: string;
  let fixture: PlanningFixture;

  beforeAll(async () => {
    t = await createTestApp();
    planner = (await t.signIn(['planner'])).token;
    fixture = await planningFixture(t, planner);
  });
  afterAll(() => t.close());

  const kinds = (conflicts: Conflict[]) => [...new Set(conflicts.map((c) => c.kind))].sort();

  it('answers a double-booked teacher and room with 409, and saves with acceptConflicts and the reason in the audit log', async () => {
    const own = await planningFixture(t, planner);
    const first = { startDate: '2027-02-01', pattern: weekly([1], 2), teacherId: own.teacherId, roomId: own.roomId };
    await createEdition(t, planner, own, first).expect(201);
    const clash = await createEdition(t, planner, own, first).expect(409);
    expect(clash.body.code).toBe('planning_conflicts');
    expect(kinds(clash.body.conflicts)).toEqual(['room_double_booked', 'teacher_double_booked']);
    expect(clash.body.conflicts).toHaveLength(4);

    const accepted = await createEdition(t, planner, own, { ...first, acceptConflicts: true, reason: 'Tweede groep deelt het lokaal' }).expect(201);
    expect(accepted.body.acceptedConflicts).toHaveLength(4);
    const editionConflicts = await t.http.get(`/editions/${accepted.body.edition.id}/conflicts`).set(bearer(planner)).expect(200);
    expect(kinds(editionConflicts.body)).toEqual(['room_double_booked', 'teacher_double_booked']);
    const ranged = await t.http.get('/planning/conflicts?from=2027-02-01&to=2027-02-14').set(bearer(planner)).expect(200);
    const ids = new Set(accepted.body.edition.sessions.map((s: { id: string }) => s.id));
    expect(ranged.body.filter((c: Conflict) => c.sessionIds.some((id) => ids.has(id)))).toHaveLength(4);

    const reasons = await t.app
      .get(DataSource)
      .query(`SELECT reason FROM audit_entry WHERE entity = 'session' AND entity_id = $1`, [accepted.body.edition.sessions[0].id]);
    expect(reasons).toEqual([{ reason: 'Accepted planning conflicts (teacher_double_booked, room_double_booked): Tweede groep deelt het lokaal' }]);
  });

  it('finds an unavailable, a blocked and a non-expert teacher', async () => {
    const mondaysOnly = await createTeacher(t, planner, {
      courseIds: [fixture.courseId],
      availability: [{ weekday: 1, from: '09:00', to: '17:00' }],
      blockedPeriods: [{ from: '2027-03-08', to: '2027-03-08', reason: 'congres' }],
    });
    const tuesday = await createEdition(t, planner, fixture, { startDate: '2027-03-02', pattern: weekly([2], 1), teacherId: mondaysOnly.id }).expect(409);
    expect(kinds(tuesday.body.conflicts)).toEqual(['teacher_unavailable']);
    const blocked = await createEdition(t, planner, fixture, { startDate: '2027-03-08', pattern: weekly([1], 1), teacherId: mondaysOnly.id }).expect(409);
    expect(kinds(blocked.body.conflicts)).toEqual(['teacher_blocked']);
    const stranger = await createTeacher(t, planner, { disciplines: ['Sterrenkunde'] });
    const expertise = await createEdition(t, planner, fixture, { startDate: '2027-03-15', pattern: weekly([1], 1), teacherId: stranger.id }).expect(409);
    expect(expertise.body.conflicts).toEqual([expect.objectContaining({ kind: 'teacher_lacks_expertise', teacherId: stranger.id, date: '2027-03-15' })]);
  });

  it('finds a teacher over the weekly maximum', async () => {
    const onceAWeek = await createTeacher(t, planner, { courseIds: [fixture.courseId], maxMeetingsPerWeek: 1 });
    const response = await createEdition(t, planner, fixture, { startDate: '2027-03-22', pattern: weekly([3, 4], 2), teacherId: onceAWeek.id }).expect(409);
    expect(response.body.conflicts).toEqual([expect.objectContaining({ kind: 'teacher_over_weekly_maximum', date: '2027-03-25' })]);
  });

  it('refuses moving a session onto King\u2019s Day or Whit Monday unless accepted', async () => {
    const created = await createEdition(t, planner, fixture, { startDate: '2027-04-19', pattern: weekly([1], 1) }).expect(201);
    const session = created.body.edition.sessions[0];
    const kingsDay = await t.http.patch(`/sessions/${session.id}`).set(bearer(planner)).send({ version: session.version, date: '2027-04-27' }).expect(409);
    expect(kingsDay.body.conflicts).toEqual([expect.objectContaining({ kind: 'non_teaching_day', date: '2027-04-27' })]);
    expect(kingsDay.body.conflicts[0].message).toContain('Koningsdag');
    const whitMonday = await t.http
      .patch(`/sessions/${session.id}`)
      .set(bearer(planner))
      .send({ version: session.version, date: '2027-05-17', acceptConflicts: true, reason: 'Inhaalles op verzoek van de groep' })
      .expect(200);
    expect(whitMonday.body.date).toBe('2027-05-17');
    const conflicts = await t.http.get(`/editions/${created.body.edition.id}/conflicts`).set(bearer(planner)).expect(200);
    expect(conflicts.body).toEqual([expect.objectContaining({ kind: 'non_teaching_day', date: '2027-05-17' })]);
  });

  it('refuses a room smaller than the edition, and a range over a year', async () => {
    const created = await createEdition(t, planner, fixture, { startDate: '2027-05-03', pattern: weekly([1], 1), capacity: 20 }).expect(201);
    const session = created.body.edition.sessions[0];
    const small = await t.http.post(`/locations/${fixture.locationId}/rooms`).set(bearer(planner)).send({ name: 'Spreekkamer', capacity: 6 }).expect(201);
    const refused = await t.http.patch(`/sessions/${session.id}`).set(bearer(planner)).send({ version: session.version, roomId: small.body.id }).expect(422);
    expect(refused.body).toMatchObject({ code: 'capacity_above_room', errors: [{ field: 'capacity', rule: 'at_most_room_capacity' }] });
    const range = await t.http.get('/planning/conflicts?from=2027-01-01&to=2028-06-01').set(bearer(planner)).expect(400);
    expect(range.body.errors[0]).toMatchObject({ field: 'to', rule: 'max_one_year' });
  });
});
