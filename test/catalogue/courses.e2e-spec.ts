import { randomUUID } from 'node:crypto';
import { bearer, createTestApp, TestApp } from '../test-app';
import { courseInput, uniqueCode } from '../factories';

describe('Catalogue: /courses', () => {
  let t: TestApp;
  let planner: string;

  beforeAll(async () => {
    t = await createTestApp();
    planner = (await t.signIn(['planner'])).token;
  });
  afterAll(() => t.close());

  const create = (overrides: Record<string, unknown> = {}) => t.http.post('/courses').set(bearer(planner)).send(courseInput(overrides));

  it('creates a course with fees, PE points and exam components and reads it back', async () => {
    const created = await create().expect(201);
    expect(created.body).toMatchObject({
      titleNl: 'Post-hbo Coaching in de zorg',
      ects: 4.5,
      tuitionCents: 249500,
      tuitionVat: 'exempt',
      otherFees: [{ kind: 'materials', description: 'Lesboek', amountCents: 4950, vat: 'rate_9' }],
      pePoints: [{ register: 'V&VN Kwaliteitsregister', points: 40 }],
      minimumPriorEducation: 'hbo_bachelor',
      retiredAt: null,
      version: 1,
    });
    expect(created.body.examComponents.map((c: Record<string, unknown>) => [c.position, c.name, c.weight, c.passMark, c.maxAttempts])).toEqual([
      [1, 'Reflectieverslag', 60, 5.5, 2],
      [2, 'Praktijkopdracht', 40, 6, 3],
    ]);
    const read = await t.http.get(`/courses/${created.body.id}`).set(bearer(planner)).expect(200);
    expect(read.body.code).toBe(created.body.code);
  });

  it('refuses a duplicate code with 409', async () => {
    const code = uniqueCode('DUP');
    await create({ code }).expect(201);
    const again = await create({ code }).expect(409);
    expect(again.body.status).toBe(409);
  });

  it('names the field and rule for bad input', async () => {
    const weights = await create({ examComponents: [{ name: 'Toets', weight: 50 }] }).expect(400);
    expect(weights.body.errors).toEqual([{ field: 'examComponents', rule: 'weights_total_100', message: 'the weights of the exam components add up to 50, not 100' }]);
    const participants = await create({ minParticipants: 12, maxParticipants: 10 }).expect(400);
    expect(participants.body.errors[0]).toMatchObject({ field: 'maxParticipants', rule: 'at_least_min' });
    const pattern = await create({ defaultPattern: { weekdays: [2], startTime: '16:00', endTime: '09:00', count: 8, intervalWeeks: 1 } }).expect(400);
    expect(pattern.body.errors[0]).toMatchObject({ field: 'defaultPattern.endTime', rule: 'after_start' });
    const vat = await create({ tuitionVat: 'rate_6' }).expect(400);
    expect(vat.body.errors[0]).toMatchObject({ field: 'tuitionVat', rule: 'isIn' });
    const level = await create({ minimumPriorEducation: 'mbo' }).expect(400);
    expect(level.body.errors[0]).toMatchObject({ field: 'minimumPriorEducation', rule: 'isIn' });
    const prerequisite = await create({ prerequisiteCourseIds: [randomUUID()] }).expect(400);
    expect(prerequisite.body.errors[0]).toMatchObject({ field: 'prerequisiteCourseIds', rule: 'exists' });
  });

  it('finds courses by Dutch and English full-text search, stemmed', async () => {
    const word = `mediat${randomUUID().replace(/[^a-f]/g, '').slice(0, 6)}`;
    const dutch = await create({ titleNl: `Register ${word}or`, keywords: ['conflicten', word], titleEn: null, descriptionEn: null }).expect(201);
    const english = await create({ titleNl: 'Iets anders', titleEn: 'Negotiating contracts', descriptionEn: 'Negotiations with employers', keywords: [] }).expect(201);
    const found = await t.http.get(`/courses?q=${word}`).set(bearer(planner)).expect(200);
    expect(found.body.items.map((c: { id: string }) => c.id)).toEqual([dutch.body.id]);
    const stemmed = await t.http.get('/courses?q=negotiation&pageSize=100').set(bearer(planner)).expect(200);
    expect(stemmed.body.items.map((c: { id: string }) => c.id)).toContain(english.body.id);
  });

  it('updates with the version read and refuses a stale one', async () => {
    const course = (await create().expect(201)).body;
    const updated = await t.http
      .patch(`/courses/${course.id}`)
      .set(bearer(planner))
      .send({ version: 1, tuitionCents: 260000, examComponents: [{ id: course.examComponents[0].id, name: 'Reflectieverslag', weight: 100 }] })
      .expect(200);
    expect(updated.body).toMatchObject({ tuitionCents: 260000, version: 2 });
    expect(updated.body.examComponents).toEqual([expect.objectContaining({ id: course.examComponents[0].id, weight: 100 })]);
    const stale = await t.http.patch(`/courses/${course.id}`).set(bearer(planner)).send({ version: 1, tuitionCents: 1 }).expect(409);
    expect(stale.body.code).toBe('stale_version');
  });

  it('deletes an unused course, retires on request and then refuses changes', async () => {
    const unused = (await create().expect(201)).body;
    await t.http.delete(`/courses/${unused.id}`).set(bearer(planner)).expect(204);
    await t.http.get(`/courses/${unused.id}`).set(bearer(planner)).expect(404);

    const discipline = `Retired ${randomUUID()}`;
    const course = (await create({ discipline }).expect(201)).body;
    const retired = await t.http.post(`/courses/${course.id}/retire`).set(bearer(planner)).expect(200);
    expect(retired.body.retiredAt).not.toBeNull();
    const change = await t.http.patch(`/courses/${course.id}`).set(bearer(planner)).send({ version: retired.body.version, ects: 5 }).expect(422);
    expect(change.body.code).toBe('course_retired');
    const listed = await t.http.get(`/courses?discipline=${encodeURIComponent(discipline)}`).set(bearer(planner)).expect(200);
    expect(listed.body.items).toEqual([]);
    const all = await t.http.get(`/courses?discipline=${encodeURIComponent(discipline)}&includeRetired=true`).set(bearer(planner)).expect(200);
    expect(all.body.items.map((c: { id: string }) => c.id)).toEqual([course.id]);
  });

  it('refuses deleting a course that is another course\u2019s prerequisite', async () => {
    const base = (await create().expect(201)).body;
    await create({ prerequisiteCourseIds: [base.id] }).expect(201);
    const refused = await t.http.delete(`/courses/${base.id}`).set(bearer(planner)).expect(409);
    expect(refused.body.code).toBe('course_in_use');
  });

  it('lets advisors read, not write; students neither', async () => {
    const advisor = (await t.signIn(['advisor'])).token;
    const student = (await t.signIn(['student'])).token;
    await t.http.get('/courses').set(bearer(advisor)).expect(200);
    await t.http.post('/courses').set(bearer(advisor)).send(courseInput()).expect(403);
    await t.http.get('/courses').set(bearer(student)).expect(403);
    await t.http.get('/courses').expect(401);
  });
});
