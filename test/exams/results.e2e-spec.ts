import { DataSource } from 'typeorm';
import { DEMO_INSTITUTE } from '../../src/demo/demo-institute';
import { ExamStudents } from '../../src/exams/exam-students';
import { SettingsService } from '../../src/settings/settings.service';
import { mailsTo } from '../factories';
import { bearer, createTestApp, TestApp } from '../test-app';
import { anEnrolledStudent, createSitting, examFixture, ExamFixture, holdSitting } from './factories';

describe('exam results', () => {
  let t: TestApp;
  let db: DataSource;
  let planner: string;
  let advisor: string;
  let coordinator: string;
  let fixture: ExamFixture;

  beforeAll(async () => {
    t = await createTestApp({ RUN_WORKER: 'false' });
    db = t.app.get(DataSource);
    await t.app.get(SettingsService).update({ ...DEMO_INSTITUTE });
    planner = (await t.signIn(['planner'])).token;
    advisor = (await t.signIn(['advisor'])).token;
    coordinator = (await t.signIn(['coordinator'])).token;
    fixture = await examFixture(t, planner);
  });
  afterAll(() => t.close());

  const numberOf = async (studentId: string) => (await t.app.get(ExamStudents).student(studentId))!.studentNumber;

  /** A sitting of the component with `count` enrolled students registered; held when `held`. */
  async function sittingWith(count: number, options: { component?: number; held?: boolean } = {}) {
    const sitting = await createSitting(t, planner, fixture, { componentId: fixture.componentIds[options.component ?? 0] });
    const students = [];
    for (let i = 0; i < count; i++) {
      const student = await anEnrolledStudent(t, advisor, db, fixture.courseId);
      const registration = await t.http.post('/exam-registrations').set(bearer(advisor)).send({ sittingId: sitting.id, studentId: student.studentId }).expect(201);
      students.push({ ...student, registrationId: registration.body.id as string, number: await numberOf(student.studentId) });
    }
    if (options.held !== false) await holdSitting(t, db, planner, sitting);
    return { sitting, students };
  }

  const enter = (token: string, body: Record<string, unknown>) => t.http.post('/exam-results').set(bearer(token)).send(body);

  it('takes a grade as a JSON number with one decimal, only once the sitting is held', async () => {
    const early = await sittingWith(1, { held: false });
    expect((await enter(coordinator, { registrationId: early.students[0].registrationId, grade: 7 }).expect(422)).body.code).toBe('sitting_not_held');
    const { students } = await sittingWith(1);
    const registrationId = students[0].registrationId;
    const comma = await enter(coordinator, { registrationId, grade: '5,5' }).expect(400);
    expect(comma.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'grade' })]));
    await enter(coordinator, { registrationId, grade: 5.55 }).expect(400);
    await enter(coordinator, { registrationId, grade: 10.5 }).expect(400);
    expect((await enter(coordinator, { registrationId, outcome: 'pass' }).expect(400)).body.errors[0].rule).toBe('graded_component');
    const stored = await enter(coordinator, { registrationId, grade: 5.4 }).expect(200);
    expect(stored.body).toMatchObject({ outcome: 'grade', grade: 5.4, passed: false, publishedAt: null });
    const absent = await enter(coordinator, { registrationId, outcome: 'absent', version: stored.body.version }).expect(200);
    expect(absent.body).toMatchObject({ outcome: 'absent', grade: null, passed: false });
  });

  it('publishes results by mail, shows a student only their own published ones, and needs a reason to change one then', async () => {
    const { sitting, students } = await sittingWith(2);
    const [zoe, other] = students;
    const result = await enter(coordinator, { registrationId: zoe.registrationId, grade: 7.5 }).expect(200);
    await enter(coordinator, { registrationId: other.registrationId, grade: 6 }).expect(200);
    const student = await t.signIn(['student'], { studentId: zoe.studentId });
    await t.http.get(`/exam-results/${result.body.id}`).set(bearer(student.token)).expect(404);
    const published = await t.http.post(`/exam-sittings/${sitting.id}/publish-results`).set(bearer(coordinator)).expect(200);
    expect(published.body).toMatchObject({ published: 2 });
    const mine = await t.http.get('/exam-results').set(bearer(student.token)).expect(200);
    expect(mine.body.items.map((r: { id: string }) => r.id)).toEqual([result.body.id]);
    const [mail] = (await mailsTo(db, zoe.email)).filter((m) => m.type === 'exam-results-published');
    expect(mail.text).toContain('7,5');

    const noReason = await enter(coordinator, { registrationId: zoe.registrationId, grade: 8 }).expect(400);
    expect(noReason.body.errors[0]).toMatchObject({ field: 'reason', rule: 'required_after_publication' });
    await enter(coordinator, { registrationId: zoe.registrationId, grade: 8, reason: 'Vraag 4 verkeerd nagekeken' }).expect(200);
    const audit = await db.query(`SELECT reason FROM audit_entry WHERE entity = 'exam_result' AND entity_id = $1 AND reason IS NOT NULL`, [result.body.id]);
    expect(audit.map((a: { reason: string }) => a.reason)).toEqual([expect.stringContaining('Vraag 4 verkeerd nagekeken')]);
    const corrections = (await mailsTo(db, zoe.email)).filter((m) => m.type === 'exam-results-published');
    expect(corrections).toHaveLength(2);
    expect(corrections[1].text).toContain('Vraag 4 verkeerd nagekeken');
  });

  it('lets a teacher enter results only for students of an edition they teach', async () => {
    const { students } = await sittingWith(1);
    const teacher = await t.signIn(['teacher']);
    expect((await enter(teacher.token, { registrationId: students[0].registrationId, grade: 7 }).expect(422)).body.code).toBe('not_your_edition');
    await db.query(`UPDATE session SET teacher_id = $1 WHERE edition_id = $2`, [teacher.teacherId, students[0].editionId]);
    await enter(teacher.token, { registrationId: students[0].registrationId, grade: 7 }).expect(200);
    const student = await t.signIn(['student'], { studentId: students[0].studentId });
    await enter(student.token, { registrationId: students[0].registrationId, grade: 10 }).expect(403);
  });

  it('checks a CSV file whole, reports every wrong line, and stores nothing then', async () => {
    const { sitting, students } = await sittingWith(3);
    const outsider = await anEnrolledStudent(t, advisor, db, fixture.courseId);
    const csv = [
      'studentNumber,grade',
      `${students[0].number},"7,5"`,
      `${students[1].number}`,
      `${students[0].number},8`,
      'S-DOES-NOT-EXIST,6',
      `${await numberOf(outsider.studentId)},6`,
      `${students[2].number},zes`,
      '',
    ].join('\r\n');
    const refused = await t.http.post(`/exam-sittings/${sitting.id}/results.csv`).set(bearer(coordinator)).set('Content-Type', 'text/csv').send(csv).expect(400);
    expect(refused.body.errors.map((e: { field: string; rule: string }) => `${e.field}:${e.rule}`)).toEqual([
      'line 3:missing_column',
      'line 4:duplicate_row',
      'line 5:unknown_student_number',
      'line 6:not_registered',
      'line 7:result',
    ]);
    const [{ count }] = await db.query(`SELECT count(*)::int AS count FROM exam_result WHERE sitting_id = $1`, [sitting.id]);
    expect(count).toBe(0);

    const noHeader = await t.http.post(`/exam-sittings/${sitting.id}/results.csv`).set(bearer(coordinator)).set('Content-Type', 'text/csv').send('nummer,x\r\n1,2\r\n').expect(400);
    expect(noHeader.body.errors[0]).toMatchObject({ field: 'line 1', rule: 'missing_column' });

    const good = [`studentnummer;cijfer`, `${students[0].number};7,5`, `${students[1].number};afwezig`, `${students[2].number};5.0`].join('\n');
    const imported = await t.http.post(`/exam-sittings/${sitting.id}/results.csv`).set(bearer(coordinator)).set('Content-Type', 'text/csv').send(good).expect(200);
    expect(imported.body).toEqual({ stored: 3 });
    const rows = await db.query(`SELECT student_id, outcome, grade::float AS grade, passed FROM exam_result WHERE sitting_id = $1`, [sitting.id]);
    expect(rows).toEqual(
      expect.arrayContaining([
        { student_id: students[0].studentId, outcome: 'grade', grade: 7.5, passed: true },
        { student_id: students[1].studentId, outcome: 'absent', grade: null, passed: false },
        { student_id: students[2].studentId, outcome: 'grade', grade: 5, passed: false },
      ]),
    );
  });

  it('completes the enrolment with the weighted final grade once every component is passed and published, and reopens it when a correction fails one', async () => {
    const knowledge = await sittingWith(1, { component: 0 });
    const student = knowledge.students[0];
    const practical = await createSitting(t, planner, fixture, { componentId: fixture.componentIds[1] });
    const registration = await t.http.post('/exam-registrations').set(bearer(advisor)).send({ sittingId: practical.id, studentId: student.studentId }).expect(201);
    await holdSitting(t, db, planner, practical);
    await enter(coordinator, { registrationId: student.registrationId, grade: 6.5 }).expect(200);
    await enter(coordinator, { registrationId: registration.body.id, grade: 7.0 }).expect(200);
    const status = async () => (await db.query(`SELECT status, final_grade::float AS "finalGrade" FROM enrolment WHERE id = $1`, [student.enrolmentId]))[0];
    // Published one sitting only: not yet.
    expect((await t.http.post(`/exam-sittings/${knowledge.sitting.id}/publish-results`).set(bearer(coordinator)).expect(200)).body).toEqual({ published: 1, completed: 0 });
    expect(await status()).toEqual({ status: 'enrolled', finalGrade: null });
    expect((await t.http.post(`/exam-sittings/${practical.id}/publish-results`).set(bearer(coordinator)).expect(200)).body).toEqual({ published: 1, completed: 1 });
    // 6.5 × 60% + 7.0 × 40% = 6.7
    expect(await status()).toEqual({ status: 'completed', finalGrade: 6.7 });
    await enter(coordinator, { registrationId: registration.body.id, grade: 5.5, reason: 'Rekenfout in de beoordeling' }).expect(200);
    expect(await status()).toEqual({ status: 'enrolled', finalGrade: null });
    await enter(coordinator, { registrationId: registration.body.id, grade: 8.0, reason: 'Herbeoordeling door tweede examinator' }).expect(200);
    expect(await status()).toEqual({ status: 'completed', finalGrade: 7.1 });
  });
});
