import { DataSource } from 'typeorm';
import { DEMO_INSTITUTE } from '../../src/demo/demo-institute';
import { EnrolmentCompletion } from '../../src/enrolment/enrolment-completion';
import { SettingsService } from '../../src/settings/settings.service';
import { bearer, createTestApp, TestApp } from '../test-app';
import { cohort } from './factories';

describe('Diplomas: a reopened enrolment flags its diploma for review', () => {
  let t: TestApp;
  let db: DataSource;
  let coordinator: { token: string; id: string; email: string };
  let planner: string;

  beforeAll(async () => {
    t = await createTestApp({ RUN_WORKER: 'false', PUBLIC_URL: 'https://registrar.example.nl' });
    db = t.app.get(DataSource);
    const settings = t.app.get(SettingsService);
    await settings.update({ ...DEMO_INSTITUTE, version: (await settings.get()).version });
    coordinator = await t.signIn(['coordinator']);
    planner = (await t.signIn(['planner'])).token;
  });
  afterAll(() => t.close());

  const completion = () => t.app.get(EnrolmentCompletion);
  const reopen = (enrolmentId: string) => db.transaction((manager) => completion().reopen(manager, enrolmentId, 'praktijktoets 12 maart gecorrigeerd naar 4,8'));
  const complete = (enrolmentId: string, grade: number) => db.transaction((manager) => completion().complete(manager, enrolmentId, grade));
  const get = async (id: string) => (await t.http.get(`/diplomas/${id}`).set(bearer(coordinator.token)).expect(200)).body;
  const review = (id: string, body: Record<string, unknown>) => t.http.post(`/diplomas/${id}/review`).set(bearer(coordinator.token)).send(body);

  /** A graduate with an issued diploma: the cohort's first student, and the diploma's view. */
  async function graduate() {
    const { courseId, students } = await cohort(t, planner, { finalGrade: 7.6 });
    const issued = await t.http.post('/diplomas').set(bearer(coordinator.token)).send({ studentId: students[0].studentId, courseId, mail: false }).expect(201);
    return { courseId, student: students[0], diploma: issued.body.diploma as { id: string; number: string; verificationCode: string } };
  }

  it('flags the current diploma with the reason and time, lists it, tells the coordinators, and keeps the public page as it was', async () => {
    const { student, diploma } = await graduate();
    expect(await get(diploma.id)).toMatchObject({ needsReview: false, reviewReason: null });
    const before = Date.now();
    await reopen(student.enrolmentId);

    const flagged = await get(diploma.id);
    expect(flagged).toMatchObject({ state: 'valid', needsReview: true, reviewReason: 'enrolment reopened: praktijktoets 12 maart gecorrigeerd naar 4,8' });
    expect(new Date(flagged.reviewRequestedAt).getTime()).toBeGreaterThanOrEqual(before - 1000);
    const listed = (await t.http.get('/diplomas?needsReview=true&pageSize=100').set(bearer(coordinator.token)).expect(200)).body.items.map((d: { id: string }) => d.id);
    expect(listed).toContain(diploma.id);
    const unflagged = (await t.http.get('/diplomas?needsReview=false&pageSize=100').set(bearer(coordinator.token)).expect(200)).body.items.map((d: { id: string }) => d.id);
    expect(unflagged).not.toContain(diploma.id);

    const notices: { kind: string; summary: string; link: string }[] = await db.query(`SELECT kind, summary, link FROM staff_notification WHERE user_id = $1`, [coordinator.id]);
    expect(notices).toContainEqual({ kind: 'diploma_needs_review', summary: expect.stringContaining(diploma.number), link: `https://registrar.example.nl/diplomas/${diploma.id}` });

    const page = await t.http.get(`/verify/${diploma.verificationCode}`).set('Accept', 'application/json').expect(200);
    expect(page.body.state).toBe('valid');
    expect(JSON.stringify(page.body)).not.toMatch(/review/i);
  });

  it('is answered by a reissue with the corrected grade once the course is completed again, not by a plain reissue', async () => {
    const { student, diploma } = await graduate();
    await reopen(student.enrolmentId);
    const plain = await t.http.post(`/diplomas/${diploma.id}/reissue`).set(bearer(coordinator.token)).send({ reason: 'Verloren', mail: false }).expect(422);
    expect(plain.body.code).toBe('diploma_needs_review');
    // Reopened, not completed: a new version would certify what is not earned.
    const refused = await review(diploma.id, { decision: 'reissue', reason: 'Cijfer gecorrigeerd', mail: false }).expect(422);
    expect(refused.body).toMatchObject({ code: 'not_eligible_for_diploma', reasons: [{ code: 'not_completed' }] });

    await complete(student.enrolmentId, 6.4);
    const next = (await review(diploma.id, { decision: 'reissue', reason: 'Cijfer gecorrigeerd na herbeoordeling', mail: false }).expect(200)).body;
    expect(next).toMatchObject({ version: 2, supersedesId: diploma.id, finalGrade: 6.4, needsReview: false, reissueReason: 'Cijfer gecorrigeerd na herbeoordeling' });
    expect(await get(diploma.id)).toMatchObject({ state: 'superseded', needsReview: false, supersededById: next.id });
  });

  it('is answered by confirming the diploma stays, or by revoking it, each in the audit log', async () => {
    const kept = await graduate();
    await reopen(kept.student.enrolmentId);
    await complete(kept.student.enrolmentId, 7.6);
    const confirmed = (await review(kept.diploma.id, { decision: 'confirm', reason: 'Eindcijfer ongewijzigd na correctie' }).expect(200)).body;
    expect(confirmed).toMatchObject({ id: kept.diploma.id, state: 'valid', needsReview: false, reviewReason: null });
    const [audit] = await db.query(`SELECT reason, actor_id FROM audit_entry WHERE entity_id = $1 AND reason LIKE 'review (%' ORDER BY occurred_at DESC LIMIT 1`, [kept.diploma.id]);
    expect(audit).toMatchObject({ actor_id: coordinator.id, reason: expect.stringContaining('Eindcijfer ongewijzigd na correctie') });
    const again = await review(kept.diploma.id, { decision: 'confirm', reason: 'Nogmaals' }).expect(422);
    expect(again.body.code).toBe('diploma_not_flagged');

    const gone = await graduate();
    await reopen(gone.student.enrolmentId);
    const revoked = (await review(gone.diploma.id, { decision: 'revoke', reason: 'Praktijktoets niet behaald na correctie' }).expect(200)).body;
    expect(revoked).toMatchObject({ state: 'revoked', revocationReason: 'Praktijktoets niet behaald na correctie', needsReview: false });
    await review(gone.diploma.id, { decision: 'withdraw', reason: 'x' }).expect(400);
  });

  it('flags a diploma whose final grade was corrected while the course stayed passed, and not one completed again with the same grade', async () => {
    const corrected = await graduate();
    await complete(corrected.student.enrolmentId, 7.6);
    expect(await get(corrected.diploma.id)).toMatchObject({ needsReview: false });
    await complete(corrected.student.enrolmentId, 8.1);
    expect(await get(corrected.diploma.id)).toMatchObject({ state: 'valid', needsReview: true, finalGrade: 7.6, reviewReason: 'final grade corrected from 7.6 to 8.1' });
    const next = (await review(corrected.diploma.id, { decision: 'reissue', reason: 'Eindcijfer gecorrigeerd', mail: false }).expect(200)).body;
    expect(next).toMatchObject({ version: 2, finalGrade: 8.1, needsReview: false });
  });

  it('leaves alone a student without a diploma, and a revoked diploma', async () => {
    const { students } = await cohort(t, planner, { finalGrade: 7.0 });
    await reopen(students[0].enrolmentId);
    const { student, diploma } = await graduate();
    await t.http.post(`/diplomas/${diploma.id}/revoke`).set(bearer(coordinator.token)).send({ reason: 'Fraude' }).expect(200);
    await reopen(student.enrolmentId);
    expect(await get(diploma.id)).toMatchObject({ state: 'revoked', needsReview: false });
  });
});
