import { randomUUID } from 'node:crypto';
import { courseInput } from '../factories';
import { bearer, createTestApp, TestApp } from '../test-app';
import { createEdition, createTeacher, planningFixture, PlanningFixture, weekly } from './planning-fixtures';

type SessionBody = { id: string; date: string; version: number; status: string; teacherId: string | null; roomId: string | null };

describe('Planning: editions and their sessions', () => {
  let t: TestApp;
  let planner: string;
  let fixture: PlanningFixture;

  beforeAll(async () => {
    t = await createTestApp();
    planner = (await t.signIn(['planner'])).token;
    fixture = await planningFixture(t, planner);
  });
  afterAll(() => t.close());

  const datesOf = (sessions: SessionBody[]) => sessions.map((s) => s.date);

  it('skips Easter Monday and King\u2019s Day and continues the series', async () => {
    // Tuesdays and Mondays from 22 March 2027: Tweede Paasdag is Monday 29 March, Koningsdag Tuesday 27 April.
    const response = await createEdition(t, planner, fixture, { startDate: '2027-03-22', pattern: weekly([1], 3), titleSuffix: 'voorjaar 2027' }).expect(201);
    expect(datesOf(response.body.edition.sessions)).toEqual(['2027-03-22', '2027-04-05', '2027-04-12']);
    expect(response.body.skippedDates).toEqual([{ date: '2027-03-29', reason: 'Tweede Paasdag' }]);
    expect(response.body.edition).toMatchObject({ status: 'draft', capacity: 12, minParticipants: 4, meetingCount: 3 });

    const tuesdays = await createEdition(t, planner, fixture, { startDate: '2027-04-20', pattern: weekly([2], 2) }).expect(201);
    expect(datesOf(tuesdays.body.edition.sessions)).toEqual(['2027-04-20', '2027-05-04']);
    expect(tuesdays.body.skippedDates).toEqual([{ date: '2027-04-27', reason: 'Koningsdag' }]);
  });

  it('skips Ascension Day and Whit Monday', async () => {
    const thursdays = await createEdition(t, planner, fixture, { startDate: '2027-04-29', pattern: weekly([4], 2) }).expect(201);
    expect(datesOf(thursdays.body.edition.sessions)).toEqual(['2027-04-29', '2027-05-13']);
    expect(thursdays.body.skippedDates).toEqual([{ date: '2027-05-06', reason: 'Hemelvaartsdag' }]);
    const mondays = await createEdition(t, planner, fixture, { startDate: '2027-05-10', pattern: weekly([1], 2) }).expect(201);
    expect(datesOf(mondays.body.edition.sessions)).toEqual(['2027-05-10', '2027-05-24']);
    expect(mondays.body.skippedDates).toEqual([{ date: '2027-05-17', reason: 'Tweede Pinksterdag' }]);
  });

  it('skips both Christmas days, and closing days the institute adds', async () => {
    // 2026: Christmas on Friday and Saturday.
    const response = await createEdition(t, planner, fixture, { startDate: '2026-12-18', pattern: weekly([5, 6], 3, { startTime: '10:00', endTime: '13:00' }) }).expect(201);
    expect(datesOf(response.body.edition.sessions)).toEqual(['2026-12-18', '2026-12-19', '2027-01-02']);
    expect(response.body.skippedDates).toEqual([
      { date: '2026-12-25', reason: 'Eerste Kerstdag' },
      { date: '2026-12-26', reason: 'Tweede Kerstdag' },
      { date: '2027-01-01', reason: 'Nieuwjaarsdag' },
    ]);

    // A closing week far from other tests' dates.
    await t.http.post('/closing-days').set(bearer(planner)).send({ fromDate: '2033-02-21', toDate: '2033-02-25', reason: 'Voorjaarsvakantie' }).expect(201);
    const closing = await createEdition(t, planner, fixture, { startDate: '2033-02-14', pattern: weekly([3], 2) }).expect(201);
    expect(closing.body.skippedDates).toEqual([{ date: '2033-02-23', reason: 'closing day: Voorjaarsvakantie' }]);
  });

  it('numbers editions per course and year', async () => {
    const own = await planningFixture(t, planner);
    const first = await createEdition(t, planner, own, { startDate: '2028-01-10', pattern: weekly([1], 1) }).expect(201);
    const second = await createEdition(t, planner, own, { startDate: '2028-06-05', pattern: weekly([1], 1) }).expect(201);
    const course = await t.http.get(`/courses/${own.courseId}`).set(bearer(planner)).expect(200);
    expect([first.body.edition.code, second.body.edition.code]).toEqual([`${course.body.code}-2028-01`, `${course.body.code}-2028-02`]);
  });

  it('refuses bad input with the field and the rule', async () => {
    const fields = async (body: Record<string, unknown>, status: number) => {
      const response = await createEdition(t, planner, fixture, body).expect(status);
      return response.body.errors.map((e: { field: string; rule: string }) => `${e.field}:${e.rule}`);
    };
    expect(await fields({ startDate: '2027-09-06', pattern: weekly([1], 4, { startTime: '16:00', endTime: '09:00' }) }, 400)).toEqual(['pattern.endTime:after_start']);
    expect(await fields({ startDate: '2027-09-06', pattern: weekly([1], 0) }, 400)).toEqual(['pattern.count:min']);
    expect(await fields({ startDate: '2027-09-06', pattern: weekly([], 4) }, 400)).toEqual(['pattern.weekdays:required']);
    expect(await fields({ startDate: '2027-09-06', pattern: { ...weekly([1], 60), intervalWeeks: 52 } }, 400)).toEqual(['pattern.count:horizon']);
    expect(await fields({ startDate: '2027-02-30', pattern: weekly([1], 4) }, 400)).toEqual(['startDate:isCalendarDate']);
    // 31 October 2027: the clocks go back at 03:00, so 02:30 happens twice.
    expect(await fields({ startDate: '2027-10-31', pattern: weekly([7], 1, { startTime: '02:30', endTime: '04:00' }) }, 400)).toEqual(['pattern.startTime:dst_ambiguous']);
    expect(await fields({ startDate: '2027-09-06', pattern: weekly([1], 4), capacity: 30, roomId: fixture.roomId }, 422)).toEqual(['capacity:at_most_room_capacity']);
    expect(await fields({ startDate: '2027-09-06', pattern: weekly([1], 4), capacity: 10, minParticipants: 11 }, 400)).toEqual(['minParticipants:at_most_capacity']);
    expect(await fields({ startDate: '2027-09-06', pattern: weekly([1], 4), goNoGoDate: '2027-09-07' }, 400)).toEqual(['goNoGoDate:not_after_start']);

    const retired = await t.http.post('/courses').set(bearer(planner)).send(courseInput()).expect(201);
    await t.http.post(`/courses/${retired.body.id}/retire`).set(bearer(planner)).expect(200);
    const refused = await t.http
      .post('/editions')
      .set(bearer(planner))
      .send({ courseId: retired.body.id, locationId: fixture.locationId, startDate: '2027-09-06', pattern: weekly([1], 4) })
      .expect(422);
    expect(refused.body).toMatchObject({ code: 'course_retired', errors: [{ field: 'courseId', rule: 'not_retired' }] });
  });

  it('uses the course\u2019s default pattern when none is given', async () => {
    const response = await createEdition(t, planner, fixture, { startDate: '2027-09-07' }).expect(201);
    expect(response.body.edition).toMatchObject({ weekdays: [2], startTime: '09:30', endTime: '16:30', meetingCount: 8 });
    expect(response.body.edition.sessions).toHaveLength(8);
  });

  it('refuses a teacher without expertise and overlapping availability windows', async () => {
    const none = await t.http.post('/teachers').set(bearer(planner)).send({ name: 'Nguyễn Thị Minh Khai', email: `n-${randomUUID()}@test.registrar.nl` }).expect(400);
    expect(none.body.errors).toEqual([{ field: 'courseIds', rule: 'expertise_required', message: 'a teacher needs expertise: at least one discipline or course' }]);
    const overlap = await t.http
      .post('/teachers')
      .set(bearer(planner))
      .send({
        name: 'Zoë Şahin-Łukasiewicz',
        email: `z-${randomUUID()}@test.registrar.nl`,
        disciplines: ['Zorg'],
        availability: [
          { weekday: 1, from: '09:00', to: '13:00' },
          { weekday: 1, from: '12:00', to: '17:00' },
        ],
      })
      .expect(400);
    expect(overlap.body.errors).toEqual([{ field: 'availability.1', rule: 'no_overlap', message: 'window 12:00–17:00 overlaps 09:00–13:00 on Monday' }]);
  });

  it('moves a session with optimistic locking: a stale version gets 409, and two concurrent edits never both win', async () => {
    const created = await createEdition(t, planner, fixture, { startDate: '2027-06-07', pattern: weekly([1], 2) }).expect(201);
    const session: SessionBody = created.body.edition.sessions[0];
    const moved = await t.http.patch(`/sessions/${session.id}`).set(bearer(planner)).send({ version: session.version, date: '2027-06-08' }).expect(200);
    expect(moved.body).toMatchObject({ date: '2027-06-08', version: session.version + 1, sequence: 1 });
    const stale = await t.http.patch(`/sessions/${session.id}`).set(bearer(planner)).send({ version: session.version, date: '2027-06-09' }).expect(409);
    expect(stale.body.code).toBe('stale_version');

    const version = moved.body.version;
    const results = await Promise.all(
      ['2027-06-10', '2027-06-11'].map((date) => t.http.patch(`/sessions/${session.id}`).set(bearer(planner)).send({ version, date })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const final = await t.http.get(`/editions/${created.body.edition.id}`).set(bearer(planner)).expect(200);
    expect(final.body.sessions.find((s: SessionBody) => s.id === session.id).version).toBe(version + 1);
  });

  it('adds and cancels sessions one by one', async () => {
    const created = await createEdition(t, planner, fixture, { startDate: '2027-06-14', pattern: weekly([1], 1) }).expect(201);
    const editionId = created.body.edition.id;
    const added = await t.http.post(`/editions/${editionId}/sessions`).set(bearer(planner)).send({ date: '2027-06-21' }).expect(201);
    expect(added.body).toMatchObject({ date: '2027-06-21', startTime: '09:30', endTime: '16:30', status: 'planned' });
    const cancelled = await t.http.delete(`/sessions/${added.body.id}?version=${added.body.version}`).set(bearer(planner)).expect(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', sequence: 1 });
    const dst = await t.http.post(`/editions/${editionId}/sessions`).set(bearer(planner)).send({ date: '2027-03-28', startTime: '02:15', endTime: '04:00', acceptConflicts: true, reason: 'Nachtoefening' }).expect(400);
    expect(dst.body.errors[0]).toMatchObject({ field: 'startTime', rule: 'dst_nonexistent' });
  });

  it('follows the status machine and refuses other transitions', async () => {
    const created = await createEdition(t, planner, fixture, { startDate: '2027-11-01', pattern: weekly([1], 1) }).expect(201);
    const id = created.body.edition.id;
    let version = created.body.edition.version;
    for (const status of ['open', 'confirmed', 'running', 'completed']) {
      const response = await t.http.post(`/editions/${id}/status`).set(bearer(planner)).send({ status, version }).expect(200);
      expect(response.body.status).toBe(status);
      version = response.body.version;
    }
    const refused = await t.http.post(`/editions/${id}/status`).set(bearer(planner)).send({ status: 'cancelled', version }).expect(422);
    expect(refused.body).toMatchObject({ code: 'invalid_status_transition', from: 'completed', allowed: [] });

    const other = await createEdition(t, planner, fixture, { startDate: '2027-11-08', pattern: weekly([1], 2) }).expect(201);
    const skip = await t.http.post(`/editions/${other.body.edition.id}/status`).set(bearer(planner)).send({ status: 'running', version: 1 }).expect(422);
    expect(skip.body.allowed).toEqual(['open', 'cancelled']);
    const cancelled = await t.http
      .post(`/editions/${other.body.edition.id}/status`)
      .set(bearer(planner))
      .send({ status: 'cancelled', version: 1, reason: 'Te weinig aanmeldingen' })
      .expect(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', cancellationReason: 'Te weinig aanmeldingen' });
    expect(cancelled.body.sessions.map((s: SessionBody) => s.status)).toEqual(['cancelled', 'cancelled']);
  });

  it('mails the teacher when a session of an open edition moves', async () => {
    const own = await planningFixture(t, planner);
    const created = await createEdition(t, planner, own, { startDate: '2027-09-13', pattern: weekly([1], 2), teacherId: own.teacherId, roomId: own.roomId }).expect(201);
    const opened = await t.http.post(`/editions/${created.body.edition.id}/status`).set(bearer(planner)).send({ status: 'open', version: 1 }).expect(200);
    const session = opened.body.sessions[0];
    await t.http.patch(`/sessions/${session.id}`).set(bearer(planner)).send({ version: session.version, date: '2027-09-14' }).expect(200);
    const { DataSource } = await import('typeorm');
    const mails = await t.app.get(DataSource).query(`SELECT type, locale, subject FROM mail_message WHERE to_email = $1`, [own.teacherEmail]);
    expect(mails).toEqual([expect.objectContaining({ type: 'teacher-session-changed', locale: 'nl' })]);
    expect(mails[0].subject).toContain('13 september 2027');
  });

  it('mails the teachers when a session is added, cancelled, or given to another teacher', async () => {
    const own = await planningFixture(t, planner);
    const created = await createEdition(t, planner, own, { startDate: '2027-09-20', pattern: weekly([1], 2), teacherId: own.teacherId, roomId: own.roomId }).expect(201);
    const opened = await t.http.post(`/editions/${created.body.edition.id}/status`).set(bearer(planner)).send({ status: 'open', version: 1 }).expect(200);
    const { DataSource } = await import('typeorm');
    const subjectsFor = async (email: string) =>
      (await t.app.get(DataSource).query(`SELECT subject FROM mail_message WHERE to_email = $1 ORDER BY created_at`, [email])).map((m: { subject: string }) => m.subject);

    await t.http
      .post(`/editions/${created.body.edition.id}/sessions`)
      .set(bearer(planner))
      .send({ date: '2027-10-11', teacherId: own.teacherId, roomId: own.roomId })
      .expect(201);
    const [first, second] = opened.body.sessions;
    await t.http.delete(`/sessions/${first.id}?version=${first.version}`).set(bearer(planner)).expect(200);
    expect(await subjectsFor(own.teacherEmail)).toEqual([
      expect.stringMatching(/^Lesdag erbij: .* op maandag 11 oktober 2027$/),
      expect.stringMatching(/^Lesdag van uw rooster af: .* op maandag 20 september 2027$/),
    ]);

    const other = await createTeacher(t, planner, { disciplines: ['Zorg'] });
    await t.http
      .patch(`/sessions/${second.id}`)
      .set(bearer(planner))
      .send({ version: second.version, teacherId: other.id, acceptConflicts: true, reason: 'Vervanging' })
      .expect(200);
    expect((await subjectsFor(own.teacherEmail)).at(-1)).toMatch(/^Lesdag van uw rooster af: .* op maandag 27 september 2027$/);
    expect(await subjectsFor(other.email)).toEqual([expect.stringMatching(/^Lesdag erbij: .* op maandag 27 september 2027$/)]);
  });

  it('lets planners change, advisors read, students and teachers neither', async () => {
    const advisor = (await t.signIn(['advisor'])).token;
    const student = (await t.signIn(['student'])).token;
    const teacher = await createTeacher(t, planner, { disciplines: ['Zorg'] });
    const teacherUser = (await t.signIn(['teacher'], { teacherId: teacher.id })).token;
    const created = await createEdition(t, planner, fixture, { startDate: '2027-10-04', pattern: weekly([1], 1) }).expect(201);
    await t.http.get(`/editions/${created.body.edition.id}`).set(bearer(advisor)).expect(200);
    await t.http.get(`/editions/${created.body.edition.id}/conflicts`).set(bearer(advisor)).expect(200);
    await createEdition(t, advisor, fixture, { startDate: '2027-10-04', pattern: weekly([1], 1) }).expect(403);
    await t.http.get('/editions').set(bearer(student)).expect(403);
    await t.http.get('/editions').set(bearer(teacherUser)).expect(403);
    await t.http.patch(`/sessions/${created.body.edition.sessions[0].id}`).set(bearer(advisor)).send({ version: 1, date: '2027-10-05' }).expect(403);
    await t.http.get(`/teachers/${teacher.id}`).set(bearer(teacherUser)).expect(200);
    await t.http.get(`/teachers/${fixture.teacherId}`).set(bearer(teacherUser)).expect(404);
  });
});
