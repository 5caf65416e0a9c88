import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AdviceCandidates } from '../../src/advice/advice-candidates';
import { bearer, createTestApp, TestApp } from '../test-app';
import { createCourse, createEdition, createStudent, mailsTo, uniqueCode } from '../factories';

describe('Advice', () => {
  let t: TestApp;
  let db: DataSource;
  let advisor: string;
  let planner: string;
  let grief: { id: string };
  let finance: { id: string };
  let master: { id: string };

  beforeAll(async () => {
    t = await createTestApp({ RUN_WORKER: 'false' });
    db = t.app.get(DataSource);
    advisor = (await t.signIn(['advisor'])).token;
    planner = (await t.signIn(['planner'])).token;
    grief = await createCourse(t, planner, {
      titleNl: 'Post-hbo Rouwbegeleiding en palliatieve zorg',
      titleEn: 'Post-bachelor Grief counselling and palliative care',
      descriptionNl: 'Begeleid patiënten en naasten in de laatste levensfase en bij rouw.',
      descriptionEn: 'Support patients and relatives at the end of life and in bereavement.',
      keywords: ['rouwbegeleiding', 'palliatief', 'levenseinde'],
      pePoints: [{ register: 'V&VN Kwaliteitsregister', points: 40 }],
    });
    finance = await createCourse(t, planner, {
      titleNl: 'Post-hbo Financieel management in de zorg',
      titleEn: 'Post-bachelor Financial management in healthcare',
      descriptionNl: 'Begrotingen, kostprijzen en bekostiging van zorginstellingen.',
      descriptionEn: 'Budgets, cost prices and funding of care organisations.',
      keywords: ['financiën', 'begroting', 'bekostiging'],
    });
    master = await createCourse(t, planner, {
      titleNl: 'Master Rouwtherapie',
      titleEn: 'Master Grief therapy',
      descriptionNl: 'Therapie bij gecompliceerde rouw.',
      descriptionEn: 'Therapy for complicated grief.',
      keywords: ['rouwbegeleiding', 'therapie'],
      minimumPriorEducation: 'wo_master',
    });
  });
  afterAll(() => t.close());

  it('ranks the course that fits a Dutch intake first, with reasons in Dutch, and shows what hard rules excluded', async () => {
    const best = await createEdition(db, grief.id, { startDate: '2031-02-04', weekdays: [2], city: 'Utrecht', capacity: 12 });
    const late = await createEdition(db, grief.id, { startDate: '2032-09-07' });
    await createEdition(db, finance.id, { startDate: '2031-02-05' });
    const forMaster = await createEdition(db, master.id, { startDate: '2031-02-06' });
    const student = await createStudent(t, advisor);
    const response = await t.http
      .post('/advice')
      .set(bearer(advisor))
      .send({
        studentId: student.id,
        interests: 'Ik wil mij verdiepen in rouwbegeleiding van palliatieve patiënten',
        goals: 'Beter begeleiden in de laatste levensfase',
        preferredWeekdays: [2],
        region: 'Utrecht',
        startFrom: '2031-01-01',
        startUntil: '2031-12-31',
        budgetCents: 300_000,
        pePoints: [{ register: 'V&VN Kwaliteitsregister', points: 40 }],
        limit: 3,
      })
      .expect(201);
    const [top] = response.body.result.ranked;
    expect(top).toMatchObject({ editionId: best.id, courseName: 'Post-hbo Rouwbegeleiding en palliatieve zorg' });
    expect(top.parts.text).toEqual({ score: 1, weight: 40 });
    expect(top.reasons).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Past bij uw interesse in rouwbegeleiding/),
        'Vereist een hbo-bachelor: u voldoet',
        'Nog 12 plaatsen vrij',
        expect.stringMatching(/^Start binnen uw gewenste periode \(4 februari 2031\)/),
        'Lesdagen op dinsdag \'s ochtends, zoals u wenste',
        'In uw regio (Utrecht)',
        'Levert 40 PE-punten op voor V&VN Kwaliteitsregister',
      ]),
    );
    expect(top.score).toBeGreaterThan(90);
    const excluded = new Map(response.body.result.excluded.map((e: { editionId: string; excludedBecause: string[] }) => [e.editionId, e.excludedBecause]));
    expect(excluded.get(late.id)).toEqual([expect.stringMatching(/^Start pas na uw gewenste periode/)]);
    expect(excluded.get(forMaster.id)).toEqual(['Vereist een wo-master: u voldoet daar niet aan']);
    expect(response.body.result.ranked.map((r: { editionId: string }) => r.editionId)).not.toContain(late.id);
  });

  it('names the intake words the course is about first: its title and keywords before its description, without filler', async () => {
    await createEdition(db, grief.id, { startDate: '2031-02-11' });
    const response = await t.http.post('/advice').set(bearer(advisor)).send({ interests: 'Ik wil graag leren over naasten, patiënten en het levenseinde', limit: 1 }).expect(201);
    const [top] = response.body.result.ranked;
    expect(top.courseName).toBe('Post-hbo Rouwbegeleiding en palliatieve zorg');
    expect(top.reasons[0]).toBe('Past bij uw interesse in levenseinde, naasten en patiënten');
  });

  it('matches Dutch compounds to a course that names their parts, and a letter in the post to none of the "Post-hbo" courses', async () => {
    const debt = await createCourse(t, planner, {
      titleNl: 'Omgaan met schulden',
      titleEn: 'Dealing with debt',
      descriptionNl: 'Geldzorgen herkennen en bespreken, en samen een plan maken om rond te komen.',
      descriptionEn: 'Recognising money worries, talking about them and making a plan to make ends meet.',
      keywords: ['schulden', 'geldzorgen'],
    });
    const edition = await createEdition(db, debt.id, { startDate: '2031-06-03' });
    const advise = async (interests: string) => (await t.http.post('/advice').set(bearer(advisor)).send({ interests, limit: 3 }).expect(201)).body.result.ranked;
    for (const word of ['schuldhulpverlening', 'schuldeisers', 'schuldsanering']) {
      const [top] = await advise(`Ik werk in de ${word} en zoek verdieping`);
      expect([word, top.editionId, top.reasons[0]]).toEqual([word, edition.id, `Past bij uw interesse in ${word}`]);
    }
    // Beside the "Post-hbo" courses of this suite (the demo's test has the post in a whole catalogue).
    const [letters] = await advise('Cliënten openen hun post niet meer en raken in de schulden');
    expect([letters.editionId, letters.reasons[0]]).toEqual([edition.id, 'Past bij uw interesse in schulden']);
  });

  it('answers an English intake in English, then sends the edited advice and keeps exactly what was sent', async () => {
    await createEdition(db, grief.id, { startDate: '2031-03-04', online: true });
    const student = await createStudent(t, advisor, { locale: 'en', givenNames: 'Oluwaseun', namePrefix: '', familyName: 'Adébáyọ̀' });
    const created = (
      await t.http.post('/advice').set(bearer(advisor)).send({ studentId: student.id, interests: 'grief counselling for palliative patients', delivery: 'online', limit: 2 }).expect(201)
    ).body;
    const [top] = created.result.ranked;
    expect(top.courseName).toBe('Post-bachelor Grief counselling and palliative care');
    expect(top.reasons).toEqual(expect.arrayContaining([expect.stringMatching(/^Matches your interest in grief/), 'Entirely online', 'Requires a bachelor of applied sciences (hbo): you meet this']));

    const edited = await t.http
      .patch(`/advice/${created.id}`)
      .set(bearer(advisor))
      .send({ selection: [{ editionId: top.editionId, reasons: ['Fits your hospice work'] }], personalNote: 'Lovely to meet you.', interestCourseIds: [finance.id], version: created.version })
      .expect(200);
    const sent = (await t.http.post(`/advice/${created.id}/send`).set(bearer(advisor)).expect(200)).body;
    expect(sent.status).toBe('sent');
    await t.http.patch(`/advice/${created.id}`).set(bearer(advisor)).send({ personalNote: 'x', version: edited.body.version + 1 }).expect(409);
    const read = (await t.http.get(`/advice/${created.id}`).set(bearer(advisor)).expect(200)).body;
    expect(read.sentContent).toMatchObject({ applicantName: 'Oluwaseun Adébáyọ̀', personalNote: 'Lovely to meet you.', editions: [{ editionCode: top.editionCode, reasons: ['Fits your hospice work'] }] });
    const [mail] = (await mailsTo(db, student.email)).filter((m) => m.type === 'advice');
    expect(mail).toMatchObject({ locale: 'en', data: read.sentContent });
    expect(mail.text).toContain('Fits your hospice work');
    expect(read.sentMail.text).toBe(mail.text);
    const history = (await t.http.get(`/students/${student.id}/advice`).set(bearer(advisor)).expect(200)).body;
    expect(history.map((a: { id: string }) => a.id)).toEqual([created.id]);
    const interests = (await t.http.get(`/students/${student.id}/course-interests`).set(bearer(advisor)).expect(200)).body;
    expect(interests.map((i: { courseId: string }) => i.courseId)).toEqual([finance.id]);
  });

  it('names a fitting course without an open edition, and mails the interested student when planning opens one', async () => {
    const word = `mediation${uniqueCode('X').slice(2).toLowerCase().replace(/-/g, '')}`;
    const course = await createCourse(t, planner, { titleNl: `Post-hbo Mediation ${word}`, titleEn: `Mediation ${word}`, keywords: [word] });
    const draft = await createEdition(db, course.id, { status: 'draft', startDate: '2031-05-06' });
    const student = await createStudent(t, advisor);
    const advice = (await t.http.post('/advice').set(bearer(advisor)).send({ studentId: student.id, interests: word }).expect(201)).body;
    expect(advice.result.coursesWithoutEdition).toEqual([expect.objectContaining({ courseId: course.id })]);
    await t.http.patch(`/advice/${advice.id}`).set(bearer(advisor)).send({ selection: [], interestCourseIds: [course.id], version: advice.version }).expect(200);
    await t.http.post(`/advice/${advice.id}/send`).set(bearer(advisor)).expect(200);

    const [{ version }] = await db.query(`SELECT version FROM edition WHERE id = $1`, [draft.id]);
    await t.http.post(`/editions/${draft.id}/status`).set(bearer(planner)).send({ status: 'open', version }).expect(200);
    const opened = (await mailsTo(db, student.email)).filter((m) => m.type === 'course-interest-edition-opened');
    expect(opened).toHaveLength(1);
    expect(opened[0].data).toMatchObject({ editionCode: draft.code, startDate: '2031-05-06', sessionCount: 3 });
  });

  it('ranks what is current: a seat taken, an edition cancelled or opened shows in the very next advice', async () => {
    const word = `supervisie${uniqueCode('S').slice(2).toLowerCase().replace(/-/g, '')}`;
    const course = await createCourse(t, planner, { titleNl: `Post-hbo Supervisie ${word}`, keywords: [word] });
    const first = await createEdition(db, course.id, { startDate: '2031-04-01', capacity: 2 });
    const advise = async () => (await t.http.post('/advice').set(bearer(advisor)).send({ interests: word, limit: 5 }).expect(201)).body.result;
    const seatsOf = (result: { ranked: Array<{ editionId: string; reasons: string[] }> }, id: string) =>
      result.ranked.find((r) => r.editionId === id)?.reasons.find((reason) => /vrij$/.test(reason));

    expect(seatsOf(await advise(), first.id)).toBe('Nog 2 plaatsen vrij');
    const student = await createStudent(t, advisor);
    await t.http.post('/enrolments').set(bearer(advisor)).send({ studentId: student.id, editionId: first.id }).expect(201);
    expect(seatsOf(await advise(), first.id)).toBe('Nog 1 plaats vrij');

    await db.query(`UPDATE edition SET status = 'cancelled' WHERE id = $1`, [first.id]);
    const withoutEdition = await advise();
    expect([...withoutEdition.ranked, ...withoutEdition.excluded].map((e: { editionId: string }) => e.editionId)).not.toContain(first.id);
    expect(withoutEdition.coursesWithoutEdition).toEqual([expect.objectContaining({ courseId: course.id })]);

    const second = await createEdition(db, course.id, { startDate: '2031-09-02', capacity: 8 });
    const reopened = await advise();
    expect(seatsOf(reopened, second.id)).toBe('Nog 8 plaatsen vrij');
    expect(reopened.coursesWithoutEdition).toEqual([]);
  });

  it('reads the candidate pool once for concurrent advice, keeps it for an earlier count, and reads it again for a later one', async () => {
    const candidates = t.app.get(AdviceCandidates);
    const [{ count }] = await db.query(`SELECT sum(changes)::text AS count FROM catalogue_change`);
    const later = (BigInt(count) + 1n).toString();
    // On days of its own, so that the pools it leaves behind (for counts not reached yet) serve no other advice.
    const [first, second] = await Promise.all([candidates.current(later, '2030-01-01'), candidates.current(later, '2030-01-01')]);
    expect(second).toBe(first);
    expect(await candidates.current(count, '2030-01-01')).toBe(first);
    expect(await candidates.current((BigInt(later) + 1n).toString(), '2030-01-01')).not.toBe(first);
    expect(await candidates.current(later, '2030-01-02')).not.toBe(first);
  });

  it('folds the change counts of ended database sessions into one, keeping their sum', async () => {
    const sum = async () => (await db.query(`SELECT sum(changes)::text AS sum FROM catalogue_change`))[0].sum;
    await db.query(`INSERT INTO catalogue_change (backend_pid, changes) VALUES (-1, 5), (-2, 7)`);
    const before = await sum();
    expect(await t.app.get(AdviceCandidates).compactChangeCount()).toBeGreaterThanOrEqual(2);
    expect(await sum()).toBe(before);
    const rows: Array<{ pid: number }> = await db.query(`SELECT backend_pid AS pid FROM catalogue_change`);
    const live = new Set((await db.query(`SELECT pid FROM pg_stat_activity`)).map((r: { pid: number }) => r.pid));
    expect(rows.filter((r) => r.pid !== 0 && !live.has(r.pid))).toEqual([]);
    expect(rows.map((r) => r.pid)).toContain(0);
  });

  it('records the new draft in the audit log in the same transaction, every field as it was saved (the ranking by its hash)', async () => {
    const someone = await t.signIn(['advisor']);
    const created = (await t.http.post('/advice').set(bearer(someone.token)).send({ interests: 'rouwbegeleiding', locale: 'en', limit: 1 }).expect(201)).body;
    expect(created).toMatchObject({ advisorId: someone.id, studentId: null, locale: 'en', status: 'draft', personalNote: '', interestCourseIds: [], version: 1 });
    const entries = await db.query(`SELECT actor_id, actor_email, action, request_id, changes FROM audit_entry WHERE entity = 'advice' AND entity_id = $1`, [created.id]);
    expect(entries).toHaveLength(1);
    const [entry] = entries;
    expect(entry).toMatchObject({ actor_id: someone.id, actor_email: someone.email, action: 'create' });
    expect(entry.request_id).toEqual(expect.any(String));
    const fields = ['id', 'studentId', 'advisorId', 'locale', 'intake', 'result', 'selection', 'interestCourseIds', 'personalNote', 'status', 'sentContent', 'mailMessageId', 'sentAt', 'createdAt', 'updatedAt', 'version'];
    expect(Object.keys(entry.changes).sort()).toEqual([...fields].sort());
    // The ranking is kept whole in the advice row; the audit notes its size and hash, not a second copy.
    const ranking = JSON.stringify(created.result);
    const derived = `[derived: ${Buffer.byteLength(ranking)} bytes, sha256 ${createHash('sha256').update(ranking).digest('hex')}]`;
    for (const field of fields) expect([field, entry.changes[field]]).toEqual([field, { to: field === 'result' ? derived : created[field] }]);
    const stored = (await t.http.get(`/advice/${created.id}`).set(bearer(someone.token)).expect(200)).body;
    expect(stored).toEqual({ ...created, sentMail: null });
  });

  it('refuses bad intakes with 400 naming the field', async () => {
    const response = await t.http.post('/advice').set(bearer(advisor)).send({ preferredWeekdays: [8], delivery: 'car', startFrom: '2031-13-01' }).expect(400);
    const fields = response.body.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['preferredWeekdays', 'delivery', 'startFrom']));
    const window = await t.http.post('/advice').set(bearer(advisor)).send({ startFrom: '2031-06-01', startUntil: '2031-01-01' }).expect(400);
    expect(window.body.errors[0]).toMatchObject({ field: 'startUntil', rule: 'afterStartFrom' });
  });
});
