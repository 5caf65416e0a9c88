import ICAL from 'ical.js';
import { DataSource } from 'typeorm';
import { DEMO_INSTITUTE } from '../../src/demo/demo-institute';
import { DomainEvents } from '../../src/events/domain-events';
import type { RegistrationWithdrawn, ResitRegistered } from '../../src/exams/exam-events';
import { ExamRemindersService } from '../../src/exams/exam-reminders.service';
import { SettingsService } from '../../src/settings/settings.service';
import { attachmentsOf, createEdition, mailsTo } from '../factories';
import { bearer, createTestApp, TestApp } from '../test-app';
import { aSession, anEnrolledStudent, createSitting, examFixture, ExamFixture, holdSitting, setStatus } from './factories';

describe('exam registrations', () => {
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
    fixture = await examFixture(t, planner, { course: { otherFees: [{ kind: 'exam', description: 'Herkansingsgeld', amountCents: 9_500, vat: 'exempt' }] } });
  });
  afterAll(() => t.close());

  const openSitting = async (overrides: Record<string, unknown> = {}, own = fixture) => setStatus(t, planner, await createSitting(t, planner, own, overrides), 'open');
  const register = (token: string, body: Record<string, unknown>) => t.http.post('/exam-registrations').set(bearer(token)).send(body);

  it('lets an enrolled student register themself and mails an invitation with the sitting in an .ics with a reminder', async () => {
    const { studentId, email } = await anEnrolledStudent(t, advisor, db, fixture.courseId);
    const student = await t.signIn(['student'], { studentId });
    const sitting = await openSitting();
    const created = await register(student.token, { sittingId: sitting.id }).expect(201);
    expect(created.body).toMatchObject({ studentId, attempt: 1, status: 'registered', feeCents: null, extraTimeMinutes: 0 });
    const [mail] = (await mailsTo(db, email)).filter((m) => m.type === 'exam-invitation');
    expect(mail.subject).toContain('Reflectieverslag');
    const [ics] = await attachmentsOf(db, mail.id);
    expect(ics.contentType).toBe('text/calendar; charset=utf-8; method=PUBLISH');
    const event = new ICAL.Component(ICAL.parse(ics.content.toString('utf8'))).getFirstSubcomponent('vevent')!;
    expect(event.getFirstPropertyValue('uid')).toBe(`exam-sitting-${sitting.id}@registrar`);
    expect(event.getFirstSubcomponent('valarm')).not.toBeNull();
    // Once is enough.
    expect((await register(student.token, { sittingId: sitting.id }).expect(409)).body.code).toBe('already_registered');
  });

  it('refuses a student who is not enrolled in the course, a sitting not open, and arrangements set by the student', async () => {
    const stranger = await t.signIn(['student']);
    const sitting = await openSitting();
    expect((await register(stranger.token, { sittingId: sitting.id }).expect(422)).body.code).toBe('not_enrolled');
    const { studentId } = await anEnrolledStudent(t, advisor, db, fixture.courseId);
    const student = await t.signIn(['student'], { studentId });
    const planned = await createSitting(t, planner, fixture);
    await register(student.token, { sittingId: planned.id }).expect(404);
    const selfArranged = await register(student.token, { sittingId: sitting.id, extraTimeMinutes: 30 }).expect(400);
    expect(selfArranged.body.errors).toEqual([expect.objectContaining({ field: 'extraTimeMinutes', rule: 'staff_only' })]);
    await register(student.token, { sittingId: sitting.id, studentId: (await anEnrolledStudent(t, advisor, db, fixture.courseId)).studentId }).expect(404);
  });

  it('records special arrangements and shows them in the invigilator\'s list and its CSV', async () => {
    const { studentId } = await anEnrolledStudent(t, advisor, db, fixture.courseId);
    const sitting = await createSitting(t, planner, fixture);
    await register(planner, { sittingId: sitting.id, studentId, extraTimeMinutes: 30, separateRoom: true, arrangementNote: 'Dyslexie; grote letter' }).expect(201);
    const teacher = await t.signIn(['teacher'], { teacherId: fixture.teacherId });
    const list = await t.http.get(`/exam-sittings/${sitting.id}/registrations`).set(bearer(teacher.token)).expect(200);
    expect(list.body).toEqual([expect.objectContaining({ studentId, extraTimeMinutes: 30, separateRoom: true, arrangementNote: 'Dyslexie; grote letter', name: 'Zoë van der Şahin-Łukasiewicz' })]);
    const csv = await t.http.get(`/exam-sittings/${sitting.id}/registrations.csv`).set(bearer(teacher.token)).expect(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.text.split('\r\n')[0]).toBe('studentNumber,name,attempt,extraTimeMinutes,separateRoom,arrangementNote');
    expect(csv.text).toContain(',Zoë van der Şahin-Łukasiewicz,1,30,ja,"Dyslexie; grote letter"\r\n');
    const other = await t.signIn(['teacher']);
    await t.http.get(`/exam-sittings/${sitting.id}/registrations`).set(bearer(other.token)).expect(404);
  });

  it('takes exactly the capacity when 20 students register at once for 5 places', async () => {
    const sitting = await openSitting({ capacity: 5 });
    const students = [];
    for (let i = 0; i < 20; i++) students.push(await anEnrolledStudent(t, advisor, db, fixture.courseId));
    const responses = await Promise.all(students.map((s) => register(advisor, { sittingId: sitting.id, studentId: s.studentId })));
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(5);
    expect(statuses.filter((s) => s === 422)).toHaveLength(15);
    expect(responses.filter((r) => r.status === 422).every((r) => r.body.code === 'sitting_full')).toBe(true);
    const [{ count }] = await db.query(`SELECT count(*)::int AS count FROM exam_registration WHERE sitting_id = $1 AND status = 'registered'`, [sitting.id]);
    expect(count).toBe(5);
  });

  it('numbers attempts, charges the exam fee for a resit, stops at the maximum and after a pass unless a coordinator allows improvement', async () => {
    const { studentId } = await anEnrolledStudent(t, advisor, db, fixture.courseId);
    const component = fixture.componentIds[0]; // two attempts
    const sitAndFail = async (grade: number) => {
      const sitting = await openSitting({ componentId: component });
      const registration = await register(advisor, { sittingId: sitting.id, studentId }).expect(201);
      await holdSitting(t, db, planner, sitting);
      await db.query(
        `INSERT INTO exam_result (registration_id, sitting_id, component_id, student_id, enrolment_id, outcome, grade, passed) VALUES ($1, $2, $3, $4, $5, 'grade', $6, $7)`,
        [registration.body.id, sitting.id, component, studentId, registration.body.enrolmentId, grade, grade >= 5.5],
      );
      return registration.body;
    };
    const pendingSitting = await openSitting({ componentId: component });
    const first = await sitAndFail(4.5);
    expect(first).toMatchObject({ attempt: 1, feeCents: null });
    const resitSitting = await openSitting({ componentId: component });
    const published: ResitRegistered[] = [];
    t.app.get(DomainEvents).on('exam.resit_registered', async (event) => void published.push(event));
    const withdrawnEvents: RegistrationWithdrawn[] = [];
    t.app.get(DomainEvents).on('exam.registration_withdrawn', async (event) => void withdrawnEvents.push(event));
    const resit = await register(advisor, { sittingId: resitSitting.id, studentId }).expect(201);
    expect(resit.body).toMatchObject({ attempt: 2, feeCents: 9_500 });
    expect(published.filter((e) => e.studentId === studentId)).toEqual([
      {
        registrationId: resit.body.id,
        studentId,
        enrolmentId: resit.body.enrolmentId,
        courseId: fixture.courseId,
        componentId: component,
        attempt: 2,
        feeCents: 9_500,
        at: expect.any(Date),
      },
    ]);
    // No third attempt while the second has no result, and none beyond the maximum.
    expect((await register(advisor, { sittingId: pendingSitting.id, studentId }).expect(409)).body.code).toBe('attempt_pending');
    const withdrawn = await t.http.delete(`/exam-registrations/${resit.body.id}?version=${resit.body.version}`).set(bearer(advisor)).expect(200);
    expect(withdrawn.body).toMatchObject({ status: 'cancelled' });
    expect(withdrawnEvents.filter((e) => e.studentId === studentId)).toEqual([
      { registrationId: resit.body.id, studentId, enrolmentId: resit.body.enrolmentId, courseId: fixture.courseId, componentId: component, attempt: 2, feeCents: 9_500, reason: 'withdrawn', at: expect.any(Date) },
    ]);
    const [{ count: withdrawals }] = await db.query(`SELECT count(*)::int AS count FROM mail_message WHERE type = 'exam-registration-withdrawn' AND student_id = $1`, [studentId]);
    expect(withdrawals).toBe(1);
    await sitAndFail(5.0);
    expect((await register(advisor, { sittingId: pendingSitting.id, studentId }).expect(422)).body.code).toBe('max_attempts_reached');

    const passer = await anEnrolledStudent(t, advisor, db, fixture.courseId);
    const passedSitting = await openSitting({ componentId: component });
    const passed = await register(advisor, { sittingId: passedSitting.id, studentId: passer.studentId }).expect(201);
    await holdSitting(t, db, planner, passedSitting);
    await db.query(
      `INSERT INTO exam_result (registration_id, sitting_id, component_id, student_id, enrolment_id, outcome, grade, passed) VALUES ($1, $2, $3, $4, $5, 'grade', 7.0, true)`,
      [passed.body.id, passedSitting.id, component, passer.studentId, passed.body.enrolmentId],
    );
    const again = await openSitting({ componentId: component, resitFeeCents: 5_000 });
    expect((await register(advisor, { sittingId: again.id, studentId: passer.studentId }).expect(422)).body.code).toBe('already_passed');
    expect((await register(advisor, { sittingId: again.id, studentId: passer.studentId, allowImprovement: true }).expect(400)).body.errors[0].rule).toBe('coordinator_only');
    const improvement = await register(coordinator, { sittingId: again.id, studentId: passer.studentId, allowImprovement: true }).expect(201);
    expect(improvement.body).toMatchObject({ attempt: 2, feeCents: 5_000, allowImprovement: true });
  });

  it('refuses a student who has a course session at the same time', async () => {
    const date = '2033-05-10';
    const own = await examFixture(t, planner);
    const { editionId } = await aSession(db, own.courseId, { date, startTime: '13:00', endTime: '17:00' });
    const { studentId } = await anEnrolledStudent(t, advisor, db, own.courseId, editionId);
    const sitting = await openSitting({ date, startTime: '14:00', durationMinutes: 60 }, own);
    const clash = await register(advisor, { sittingId: sitting.id, studentId }).expect(409);
    expect(clash.body.conflicts).toEqual([expect.objectContaining({ kind: 'student_double_booked', studentId })]);
    await register(advisor, { sittingId: sitting.id, studentId, acceptConflicts: true, reason: 'Lesdag vervalt voor deze cursist' }).expect(201);
  });

  it('refuses to move a sitting onto another sitting of a registered student', async () => {
    const date = '2033-06-14';
    const own = await examFixture(t, planner);
    const { studentId } = await anEnrolledStudent(t, advisor, db, own.courseId);
    const morning = await openSitting({ date, startTime: '09:00', durationMinutes: 120, invigilatorIds: [] }, own);
    const other = await examFixture(t, planner);
    const afternoon = await openSitting({ date, startTime: '13:00', durationMinutes: 120, componentId: own.componentIds[1], roomId: other.roomId, invigilatorIds: [] }, own);
    await register(advisor, { sittingId: morning.id, studentId }).expect(201);
    await register(advisor, { sittingId: afternoon.id, studentId }).expect(201);
    const moved = await t.http.patch(`/exam-sittings/${afternoon.id}`).set(bearer(planner)).send({ version: afternoon.version, startTime: '10:00' }).expect(409);
    expect(moved.body.conflicts).toEqual([expect.objectContaining({ kind: 'student_double_booked', studentId, with: `sitting ${morning.id}` })]);
  });

  it('withdraws the pending registrations of a cancelled enrolment', async () => {
    const { studentId, enrolmentId } = await anEnrolledStudent(t, advisor, db, fixture.courseId);
    const sitting = await openSitting();
    const registration = await register(advisor, { sittingId: sitting.id, studentId }).expect(201);
    await t.http.post(`/enrolments/${enrolmentId}/cancel`).set(bearer(advisor)).send({ reason: 'Verhuist naar het buitenland' }).expect(200);
    const after = await t.http.get(`/exam-registrations/${registration.body.id}`).set(bearer(advisor)).expect(200);
    expect(after.body.status).toBe('cancelled');
    const [{ count }] = await db.query(`SELECT count(*)::int AS count FROM mail_message WHERE type = 'exam-registration-withdrawn' AND student_id = $1`, [studentId]);
    expect(count).toBe(1);
  });

  it('carries the registrations of a transferred enrolment over to the new one', async () => {
    const { studentId, enrolmentId } = await anEnrolledStudent(t, advisor, db, fixture.courseId);
    const sitting = await openSitting();
    const registration = await register(advisor, { sittingId: sitting.id, studentId }).expect(201);
    const later = await createEdition(db, fixture.courseId, { startDate: '2031-11-04', sessions: 1 });
    const moved = await t.http.post(`/enrolments/${enrolmentId}/transfer`).set(bearer(advisor)).send({ editionId: later.id }).expect(200);
    const after = await t.http.get(`/exam-registrations/${registration.body.id}`).set(bearer(advisor)).expect(200);
    expect(after.body).toMatchObject({ status: 'registered', enrolmentId: moved.body.id, editionId: later.id });
  });

  it('shows a student only their own registrations', async () => {
    const mine = await anEnrolledStudent(t, advisor, db, fixture.courseId);
    const theirs = await anEnrolledStudent(t, advisor, db, fixture.courseId);
    const sitting = await openSitting();
    const own = await register(advisor, { sittingId: sitting.id, studentId: mine.studentId }).expect(201);
    const other = await register(advisor, { sittingId: sitting.id, studentId: theirs.studentId }).expect(201);
    const student = await t.signIn(['student'], { studentId: mine.studentId });
    const list = await t.http.get(`/exam-registrations?sittingId=${sitting.id}`).set(bearer(student.token)).expect(200);
    expect(list.body.items.map((r: { id: string }) => r.id)).toEqual([own.body.id]);
    await t.http.get(`/exam-registrations/${other.body.id}`).set(bearer(student.token)).expect(404);
    await t.http.get(`/exam-registrations/${own.body.id}`).set(bearer(student.token)).expect(200);
  });

  it('tells the registered students when the sitting moves or is cancelled, with the same UID', async () => {
    const { studentId, email } = await anEnrolledStudent(t, advisor, db, fixture.courseId);
    let sitting = await openSitting();
    await register(advisor, { sittingId: sitting.id, studentId }).expect(201);
    sitting = (await t.http.patch(`/exam-sittings/${sitting.id}`).set(bearer(planner)).send({ version: sitting.version, startTime: '09:00' }).expect(200)).body;
    await setStatus(t, planner, sitting, 'cancelled', 'Surveillant ziek');
    const mails = await mailsTo(db, email);
    expect(mails.map((m) => m.type)).toEqual(['enrolment-confirmed', 'exam-invitation', 'exam-changed', 'exam-cancelled']);
    const [changed] = await attachmentsOf(db, mails[2].id);
    expect(changed.content.toString()).toMatch(/SEQUENCE:1/);
    const [cancelled] = await attachmentsOf(db, mails[3].id);
    const text = cancelled.content.toString();
    expect(text).toContain('METHOD:CANCEL');
    expect(text).toContain(`UID:exam-sitting-${sitting.id}@registrar`);
    expect(mails[3].text).toContain('Surveillant ziek');
    const [registration] = await db.query(`SELECT status FROM exam_registration WHERE sitting_id = $1`, [sitting.id]);
    expect(registration.status).toBe('cancelled');
  });

  it('reminds the registered students the set number of days before, once', async () => {
    const settings = await t.http.get('/exam-settings').set(bearer(coordinator)).expect(200);
    const updated = await t.http.put('/exam-settings').set(bearer(coordinator)).send({ version: settings.body.version, reminderDays: 3 }).expect(200);
    expect(updated.body.reminderDays).toBe(3);
    const { studentId, email } = await anEnrolledStudent(t, advisor, db, fixture.courseId);
    const sitting = await openSitting({ date: '2034-02-10' });
    await register(advisor, { sittingId: sitting.id, studentId, extraTimeMinutes: 15 }).expect(201);
    const reminders = t.app.get(ExamRemindersService);
    await reminders.sendReminders('2034-02-06');
    expect((await mailsTo(db, email)).filter((m) => m.type === 'exam-reminder')).toHaveLength(0);
    expect(await reminders.sendReminders('2034-02-07')).toBeGreaterThanOrEqual(1);
    await reminders.sendReminders('2034-02-07');
    const sent = (await mailsTo(db, email)).filter((m) => m.type === 'exam-reminder');
    expect(sent).toHaveLength(1);
    expect(sent[0].text).toContain('15 minuten extra tijd');
  });
});
