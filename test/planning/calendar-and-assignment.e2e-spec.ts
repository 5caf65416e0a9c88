import ICAL from 'ical.js';
import { randomUUID } from 'node:crypto';
import { bearer, createTestApp, TestApp } from '../test-app';
import { createEdition, createTeacher, planningFixture, weekly } from './planning-fixtures';

const events = (ics: string) => new ICAL.Component(ICAL.parse(ics)).getAllSubcomponents('vevent');

describe('Planning: calendars and automatic assignment', () => {
  let t: TestApp;
  let planner: string;

  beforeAll(async () => {
    t = await createTestApp();
    planner = (await t.signIn(['planner'])).token;
  });
  afterAll(() => t.close());

  it('serves an edition feed that an independent parser reads: Amsterdam time, stable UIDs, sequence, cancellations', async () => {
    const fixture = await planningFixture(t, planner);
    // Across the spring DST change: 23 March (CET) and 30 March (CEST) 2027.
    const created = await createEdition(t, planner, fixture, { startDate: '2027-03-23', pattern: weekly([2], 3, { startTime: '18:30', endTime: '21:30' }), teacherId: fixture.teacherId, roomId: fixture.roomId }).expect(201);
    const [first, second, third] = created.body.edition.sessions;
    await t.http.patch(`/sessions/${second.id}`).set(bearer(planner)).send({ version: second.version, date: '2027-04-01' }).expect(200);
    await t.http.delete(`/sessions/${third.id}?version=${third.version}`).set(bearer(planner)).expect(200);

    const response = await t.http.get(`/editions/${created.body.edition.id}/calendar.ics`).set(bearer(planner)).expect(200);
    expect(response.headers['content-type']).toContain('text/calendar');
    const calendar = new ICAL.Component(ICAL.parse(response.text));
    const zone = calendar.getFirstSubcomponent('vtimezone')!;
    expect(zone.getFirstPropertyValue('tzid')).toBe('Europe/Amsterdam');
    // The parser converts to UTC with the feed's own VTIMEZONE, not with a zone database.
    ICAL.TimezoneService.register(zone);
    const byUid = new Map(events(response.text).map((e) => [e.getFirstPropertyValue('uid') as string, new ICAL.Event(e)]));
    expect([...byUid.keys()].sort()).toEqual([first, second, third].map((s) => `session-${s.id}@registrar`).sort());
    const one = byUid.get(`session-${first.id}@registrar`)!;
    expect(one.startDate.toJSDate().toISOString()).toBe('2027-03-23T17:30:00.000Z');
    expect(one.component.getFirstProperty('dtstart')!.getParameter('tzid')).toBe('Europe/Amsterdam');
    const moved = byUid.get(`session-${second.id}@registrar`)!;
    expect(moved.startDate.toJSDate().toISOString()).toBe('2027-04-01T16:30:00.000Z');
    expect(moved.sequence).toBe(1);
    expect(moved.location).toBe('Lokaal 2.14, ' + (await t.http.get(`/locations/${fixture.locationId}`).set(bearer(planner))).body.name);
    expect(byUid.get(`session-${third.id}@registrar`)!.component.getFirstPropertyValue('status')).toBe('CANCELLED');
    expect(one.component.getFirstPropertyValue('status')).toBe('CONFIRMED');
  });

  it('gives teachers their feed through a secret link that rotation revokes, and keeps other editions from them', async () => {
    const fixture = await planningFixture(t, planner);
    const created = await createEdition(t, planner, fixture, { startDate: '2027-06-01', pattern: weekly([2], 2), teacherId: fixture.teacherId }).expect(201);
    const teacherUser = (await t.signIn(['teacher'], { teacherId: fixture.teacherId })).token;
    const link = await t.http.post(`/teachers/${fixture.teacherId}/calendar-token`).set(bearer(teacherUser)).expect(200);
    expect(link.body.url).toMatch(/\/calendar\/teachers\/[A-Za-z0-9_-]{32}\.ics$/);
    const feed = await t.http.get(`/calendar/teachers/${link.body.token}.ics`).expect(200);
    expect(events(feed.text)).toHaveLength(2);
    await t.http.get(`/editions/${created.body.edition.id}/calendar.ics`).set(bearer(teacherUser)).expect(200);

    const rotated = await t.http.post(`/teachers/${fixture.teacherId}/calendar-token`).set(bearer(planner)).expect(200);
    await t.http.get(`/calendar/teachers/${link.body.token}.ics`).expect(404);
    await t.http.get(`/calendar/teachers/${rotated.body.token}.ics`).expect(200);
    await t.http.get(`/calendar/teachers/${randomUUID()}.ics`).expect(404);

    const other = await planningFixture(t, planner);
    const foreign = await createEdition(t, planner, other, { startDate: '2027-06-01', pattern: weekly([2], 1), teacherId: other.teacherId }).expect(201);
    await t.http.get(`/editions/${foreign.body.edition.id}/calendar.ics`).set(bearer(teacherUser)).expect(404);
    await t.http.post(`/teachers/${other.teacherId}/calendar-token`).set(bearer(teacherUser)).expect(404);
    const student = (await t.signIn(['student'])).token;
    await t.http.get(`/editions/${foreign.body.edition.id}/calendar.ics`).set(bearer(student)).expect(404);
  });

  const waitForJob = async (jobId: string) => {
    for (let i = 0; i < 100; i++) {
      const status = await t.http.get(`/planning/assign/${jobId}`).set(bearer(planner)).expect(200);
      if (status.body.state === 'completed' || status.body.state === 'failed') return status.body;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`job ${jobId} did not finish`);
  };

  it('assigns teachers and rooms as a job, reports what it cannot place, and applies the proposal once', async () => {
    const fixture = await planningFixture(t, planner, { seats: 16 });
    // A second teacher, so that two editions at the same time can both be taught; one room only.
    await createTeacher(t, planner, { courseIds: [fixture.courseId] });
    const a = await createEdition(t, planner, fixture, { startDate: '2027-09-06', pattern: weekly([1], 3) }).expect(201);
    const b = await createEdition(t, planner, fixture, { startDate: '2027-09-06', pattern: weekly([1], 3) }).expect(201);
    const editionIds = [a.body.edition.id, b.body.edition.id];

    const started = await t.http.post('/planning/assign').set(bearer(planner)).send({ editionIds }).expect(202);
    const job = await waitForJob(started.body.jobId);
    expect(job.state).toBe('completed');
    expect(job.progress).toEqual({ done: 6, total: 6 });
    const proposal = job.proposal;
    expect(proposal.sessionCount).toBe(6);
    // One room: at each time only one of the two editions finds a room.
    expect(proposal.placedCount).toBe(3);
    expect(proposal.unplaced).toHaveLength(3);
    expect(proposal.unplaced[0].reasons[0]).toMatch(/no room at location .* with at least 12 seats is free on 2027-09-\d\d 09:30–16:30/);
    const placed = proposal.changes.filter((c: { roomId: string | null }) => c.roomId !== null);
    expect(placed.every((c: { roomId: string }) => c.roomId === fixture.roomId)).toBe(true);
    // One teacher per edition.
    const teachersOf = (editionId: string) => new Set(proposal.changes.filter((c: { editionId: string }) => c.editionId === editionId).map((c: { teacherId: string }) => c.teacherId));
    expect([teachersOf(editionIds[0]).size, teachersOf(editionIds[1]).size]).toEqual([1, 1]);

    const applied = await t.http.post(`/planning/assign/${started.body.jobId}/apply`).set(bearer(planner)).send({}).expect(200);
    expect(applied.body.applied).toBe(proposal.changes.length);
    const edition = await t.http.get(`/editions/${proposal.changes[0].editionId}`).set(bearer(planner)).expect(200);
    expect(edition.body.sessions.every((s: { teacherId: string | null }) => s.teacherId !== null)).toBe(true);
    const conflicts = await t.http.get(`/editions/${editionIds[0]}/conflicts`).set(bearer(planner)).expect(200);
    expect(conflicts.body).toEqual([]);

    const again = await t.http.post(`/planning/assign/${started.body.jobId}/apply`).set(bearer(planner)).send({}).expect(409);
    expect(again.body.code).toBe('proposal_stale');
  });

  it('lets only planners start and read assignments', async () => {
    const advisor = (await t.signIn(['advisor'])).token;
    await t.http.post('/planning/assign').set(bearer(advisor)).send({ editionIds: [randomUUID()] }).expect(403);
    await t.http.post('/planning/assign').set(bearer(planner)).send({ editionIds: [randomUUID()] }).expect(404);
    await t.http.post('/planning/assign').set(bearer(planner)).send({ editionIds: [] }).expect(400);
  });
});
