import { DataSource } from 'typeorm';
import { EditionLifeService } from '../../src/planning/edition-life.service';
import { EditionParticipants } from '../../src/planning/edition-participants';
import { bearer, createTestApp, TestApp } from '../test-app';
import { attachmentsOf, createCourse, createEdition, createStudent, mailsTo } from '../factories';

const MBO = { level: 'mbo', field: 'mbo-4 Verpleegkunde', year: 1998, institution: 'ROC Midden Nederland' };

describe('Admission by intake', () => {
  let t: TestApp;
  let db: DataSource;
  let advisor: string;
  let admin: string;
  let intakeCourse: { id: string; code: string };

  beforeAll(async () => {
    t = await createTestApp({ RUN_WORKER: 'false' });
    db = t.app.get(DataSource);
    advisor = (await t.signIn(['advisor'])).token;
    admin = (await t.signIn(['admin'])).token;
    intakeCourse = await createCourse(t, admin, { minimumPriorEducation: 'hbo_level_intake' });
  });
  afterAll(() => t.close());

  const enrol = (body: Record<string, unknown>) => t.http.post('/enrolments').set(bearer(advisor)).send(body);
  const decide = (id: string, body: Record<string, unknown>, token = advisor) => t.http.post(`/enrolments/${id}/admission`).set(bearer(token)).send(body);
  const read = async (id: string) => (await t.http.get(`/enrolments/${id}`).set(bearer(advisor)).expect(200)).body;
  const history = async (id: string) => (await t.http.get(`/enrolments/${id}/history`).set(bearer(advisor)).expect(200)).body;
  const levelOf = async (studentId: string) => (await t.http.get(`/students/${studentId}`).set(bearer(advisor)).expect(200)).body.priorEducation;

  it('holds a seat as received when the level is unknown or below an intake minimum, mails that, and asks staff for a decision', async () => {
    const edition = await createEdition(db, intakeCourse.id, { capacity: 5 });
    const unknown = await createStudent(t, advisor, { priorEducation: undefined });
    const english = await createStudent(t, advisor, { locale: 'en', priorEducation: MBO });
    for (const student of [unknown, english]) {
      const response = await enrol({ studentId: student.id, editionId: edition.id }).expect(201);
      expect(response.body).toMatchObject({ status: 'received', admissionPending: true, waitlistPosition: null });
      expect((await history(response.body.id)).map((h: { toStatus: string }) => h.toStatus)).toEqual(['received']);
      // A notice of its own kind, which advisors get at once unless they chose the digest.
      const [notice] = await db.query(`SELECT kind, summary FROM staff_notification WHERE event_key = $1`, [`admission_decision_needed:${response.body.id}`]);
      expect(notice.kind).toBe('admission_decision_needed');
      expect(notice.summary).toMatch(new RegExp(`aangemeld voor .* \\(${edition.code}\\): toelatingsbesluit nodig$`));
    }
    const [dutch] = await mailsTo(db, unknown.email);
    expect(dutch).toMatchObject({ type: 'enrolment-received', locale: 'nl', subject: 'Wij hebben uw aanmelding voor Post-hbo Coaching in de zorg ontvangen' });
    expect(dutch.text).toContain('toelatingseisen');
    expect(dutch.text).toContain(edition.code);
    const [inEnglish] = await mailsTo(db, english.email);
    expect(inEnglish).toMatchObject({ type: 'enrolment-received', locale: 'en', subject: 'We have received your application for Post-bachelor Coaching in Healthcare' });
    expect(inEnglish.text).toContain('admission requirements');
    expect(await t.app.get(EditionParticipants).countEnrolled([edition.id])).toEqual(new Map([[edition.id, 2]]));
  });

  it('makes a received seat final when admitted: the intake level is recorded and audited, the confirmation carries the calendar', async () => {
    const edition = await createEdition(db, intakeCourse.id);
    const student = await createStudent(t, advisor, { priorEducation: MBO });
    const received = (await enrol({ studentId: student.id, editionId: edition.id }).expect(201)).body;
    const admitted = await decide(received.id, { admitted: true, reason: 'intake 3 december: hbo-denkniveau aangetoond' }).expect(200);
    expect(admitted.body).toMatchObject({ status: 'enrolled', admissionPending: false });
    expect(await levelOf(student.id)).toEqual({ ...MBO, level: 'hbo_level_intake' });
    const [audit] = await db.query(`SELECT reason, changes FROM audit_entry WHERE entity = 'student' AND entity_id = $1 AND action = 'update'`, [student.id]);
    expect(audit.reason).toBe('admitted: intake 3 december: hbo-denkniveau aangetoond');
    expect(audit.changes.priorEducation.to.level).toBe('hbo_level_intake');
    const steps = await history(received.id);
    expect(steps.map((h: { toStatus: string }) => h.toStatus)).toEqual(['received', 'enrolled']);
    expect(steps[1]).toMatchObject({ fromStatus: 'received', reason: 'admitted: intake 3 december: hbo-denkniveau aangetoond', actorEmail: expect.stringMatching(/^advisor-/) });

    const mails = await mailsTo(db, student.email);
    expect(mails.map((m) => m.type)).toEqual(['enrolment-received', 'enrolment-confirmed']);
    const attachments = await attachmentsOf(db, mails[1].id);
    expect(attachments.map((a) => a.filename)).toEqual([`${edition.code}.ics`]);
    const ics = attachments[0];
    expect(ics.content.toString('utf8').match(/BEGIN:VEVENT/g)).toHaveLength(3);
    expect(await t.app.get(EditionParticipants).isEnrolled(edition.id, student.id)).toBe(true);

    const again = await decide(received.id, { admitted: true }).expect(422);
    expect(again.body).toMatchObject({ code: 'admission_not_pending', enrolmentStatus: 'enrolled' });
  });

  it('records the level the intake established, and for a degree minimum admits only with a level that meets it', async () => {
    const wide = await createStudent(t, advisor, { priorEducation: undefined });
    const intakeSeat = (await enrol({ studentId: wide.id, editionId: (await createEdition(db, intakeCourse.id)).id }).expect(201)).body;
    await decide(intakeSeat.id, { admitted: true, priorEducationLevel: 'wo_bachelor' }).expect(200);
    expect(await levelOf(wide.id)).toEqual({ level: 'wo_bachelor', field: '', year: null, institution: '' });

    const bachelorCourse = await createCourse(t, admin, { minimumPriorEducation: 'hbo_bachelor' });
    const edition = await createEdition(db, bachelorCourse.id);
    const knownMbo = await createStudent(t, advisor, { priorEducation: MBO });
    const refused = await enrol({ studentId: knownMbo.id, editionId: edition.id }).expect(422);
    expect(refused.body).toMatchObject({ code: 'entry_requirements_not_met', priorEducationLevel: 'mbo' });

    const unknown = await createStudent(t, advisor, { priorEducation: undefined });
    const received = (await enrol({ studentId: unknown.id, editionId: edition.id }).expect(201)).body;
    expect(received.status).toBe('received');
    for (const body of [{ admitted: true }, { admitted: true, priorEducationLevel: 'hbo_level_intake' }]) {
      const short = await decide(received.id, body).expect(422);
      expect(short.body).toMatchObject({ code: 'admission_level_not_met', minimumPriorEducation: 'hbo_bachelor' });
      expect(short.body.errors).toEqual([expect.objectContaining({ field: 'priorEducationLevel', rule: 'meetsMinimum' })]);
    }
    expect(await levelOf(unknown.id)).toBeNull();
    expect((await read(received.id)).status).toBe('received');
    await decide(received.id, { admitted: true, priorEducationLevel: 'hbo_bachelor' }).expect(200);
    expect((await levelOf(unknown.id)).level).toBe('hbo_bachelor');
    expect((await read(received.id)).status).toBe('enrolled');
  });

  it('ends an enrolment that is not admitted: a reason is required, the student is mailed, the seat goes to the first on the waitlist', async () => {
    const edition = await createEdition(db, intakeCourse.id, { capacity: 1 });
    const applicant = await createStudent(t, advisor, { priorEducation: MBO });
    const waiting = await createStudent(t, advisor);
    const received = (await enrol({ studentId: applicant.id, editionId: edition.id }).expect(201)).body;
    const next = (await enrol({ studentId: waiting.id, editionId: edition.id }).expect(201)).body;
    expect(next).toMatchObject({ status: 'waitlisted', admissionPending: false });

    for (const body of [{ admitted: false }, { admitted: false, reason: '   ' }]) {
      const missing = await decide(received.id, body).expect(400);
      expect(new Set(missing.body.errors.map((e: { field: string }) => e.field))).toEqual(new Set(['reason']));
    }
    const refused = await decide(received.id, { admitted: false, reason: 'intake: hbo-denkniveau nog niet aangetoond' }).expect(200);
    expect(refused.body).toMatchObject({ status: 'not_admitted', admissionPending: false });
    expect(await history(received.id)).toEqual([
      expect.objectContaining({ toStatus: 'received' }),
      expect.objectContaining({ fromStatus: 'received', toStatus: 'not_admitted', reason: 'not admitted: intake: hbo-denkniveau nog niet aangetoond' }),
    ]);
    const audit = await db.query(`SELECT reason FROM audit_entry WHERE entity = 'enrolment' AND entity_id = $1 AND action = 'update'`, [received.id]);
    expect(audit.map((a: { reason: string }) => a.reason)).toEqual(['not admitted: intake: hbo-denkniveau nog niet aangetoond']);
    expect((await levelOf(applicant.id)).level).toBe('mbo');
    const mails = await mailsTo(db, applicant.email);
    expect(mails.map((m) => m.type)).toEqual(['enrolment-received', 'enrolment-not-admitted']);
    expect(mails[1].subject).toBe('Uw aanmelding voor Post-hbo Coaching in de zorg');
    expect(mails[1].text).toContain('niet kunnen toelaten');
    expect(mails[1].text).not.toContain('hbo-denkniveau nog niet aangetoond');

    expect((await read(next.id)).status).toBe('offered');
    expect((await mailsTo(db, waiting.email)).map((m) => m.type)).toEqual(['enrolment-waitlisted', 'waitlist-promoted']);
    await decide(received.id, { admitted: false, reason: 'nogmaals' }).expect(422);
    // A live enrolment again is allowed after the refusal (say, after a later intake).
    await enrol({ studentId: applicant.id, editionId: edition.id }).expect(201);
  });

  it('lets a waitlisted applicant keep the pending admission: an accepted offer becomes received, admission then makes it final', async () => {
    const edition = await createEdition(db, intakeCourse.id, { capacity: 1 });
    const seated = await createStudent(t, advisor);
    const applicant = await createStudent(t, advisor, { priorEducation: undefined, locale: 'en' });
    const seat = (await enrol({ studentId: seated.id, editionId: edition.id }).expect(201)).body;
    const waiting = (await enrol({ studentId: applicant.id, editionId: edition.id }).expect(201)).body;
    expect(waiting).toMatchObject({ status: 'waitlisted', admissionPending: true, waitlistPosition: 1 });
    expect((await mailsTo(db, applicant.email)).map((m) => m.type)).toEqual(['enrolment-waitlisted']);

    await t.http.post(`/enrolments/${seat.id}/cancel`).set(bearer(advisor)).send({}).expect(200);
    const studentUser = await t.signIn(['student'], { studentId: applicant.id });
    await decide(waiting.id, { admitted: true }, studentUser.token).expect(403);
    const accepted = await t.http.post(`/enrolments/${waiting.id}/accept`).set(bearer(studentUser.token)).expect(200);
    expect(accepted.body).toMatchObject({ status: 'received', admissionPending: true });
    expect((await mailsTo(db, applicant.email)).map((m) => m.type)).toEqual(['enrolment-waitlisted', 'waitlist-promoted', 'enrolment-received']);
    expect(await t.app.get(EditionParticipants).isEnrolled(edition.id, applicant.id)).toBe(false);

    await decide(waiting.id, { admitted: true }).expect(200);
    expect((await mailsTo(db, applicant.email)).map((m) => m.type)).toEqual(['enrolment-waitlisted', 'waitlist-promoted', 'enrolment-received', 'enrolment-confirmed']);
    expect((await history(waiting.id)).map((h: { toStatus: string }) => h.toStatus)).toEqual(['waitlisted', 'offered', 'received', 'enrolled']);
  });

  it('admits a waitlisted applicant without giving them a seat, and refuses a decision where none is pending', async () => {
    const edition = await createEdition(db, intakeCourse.id, { capacity: 1 });
    const seated = await createStudent(t, advisor);
    const applicant = await createStudent(t, advisor, { priorEducation: MBO });
    const seat = (await enrol({ studentId: seated.id, editionId: edition.id }).expect(201)).body;
    const waiting = (await enrol({ studentId: applicant.id, editionId: edition.id }).expect(201)).body;
    const notPending = await decide(seat.id, { admitted: true }).expect(422);
    expect(notPending.body).toMatchObject({ code: 'admission_not_pending', enrolmentStatus: 'enrolled', admissionPending: false });
    const pendingList = async (pending: string) =>
      (await t.http.get(`/enrolments?editionId=${edition.id}&admissionPending=${pending}`).set(bearer(advisor)).expect(200)).body.items.map((e: { id: string }) => e.id);
    expect(await pendingList('true')).toEqual([waiting.id]);
    expect(await pendingList('false')).toEqual([seat.id]);
    await t.http.get('/enrolments?admissionPending=maybe').set(bearer(advisor)).expect(400);

    const admitted = await decide(waiting.id, { admitted: true }).expect(200);
    expect(admitted.body).toMatchObject({ status: 'waitlisted', admissionPending: false, waitlistPosition: 1 });
    expect((await history(waiting.id)).map((h: { toStatus: string; reason: string }) => [h.toStatus, h.reason])).toEqual([['waitlisted', null], ['waitlisted', 'admitted']]);
    expect((await mailsTo(db, applicant.email)).map((m) => m.type)).toEqual(['enrolment-waitlisted']);

    // Admitted, the offered seat is final on acceptance.
    await t.http.post(`/enrolments/${seat.id}/cancel`).set(bearer(advisor)).send({}).expect(200);
    expect((await t.http.post(`/enrolments/${waiting.id}/accept`).set(bearer(advisor)).expect(200)).body.status).toBe('enrolled');
    await decide('00000000-0000-4000-8000-000000000000', { admitted: true }).expect(404);
    await decide(waiting.id, { admitted: 'yes' }).expect(400);
  });

  it('never takes more than the capacity, received seats included', async () => {
    const edition = await createEdition(db, intakeCourse.id, { capacity: 3 });
    const students = await Promise.all(Array.from({ length: 10 }, (_, i) => createStudent(t, advisor, i % 2 === 0 ? { priorEducation: MBO } : {})));
    const responses = await Promise.all(students.map((s) => enrol({ studentId: s.id, editionId: edition.id })));
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(201));
    const seats = responses.filter((r) => ['received', 'enrolled'].includes(r.body.status));
    expect(seats).toHaveLength(3);
    expect(responses.filter((r) => r.body.status === 'waitlisted')).toHaveLength(7);
    for (const [index, response] of responses.entries()) expect(response.body.admissionPending).toBe(index % 2 === 0);
    expect(await t.app.get(EditionParticipants).countEnrolled([edition.id])).toEqual(new Map([[edition.id, 3]]));

    // Refusing the pending ones frees their seats for those waiting, never more than the capacity.
    for (const response of responses.filter((r) => r.body.admissionPending)) await decide(response.body.id, { admitted: false, reason: 'geen hbo-denkniveau' }).expect(200);
    const [{ held }] = await db.query(`SELECT count(*)::int AS held FROM enrolment WHERE edition_id = $1 AND status IN ('offered', 'received', 'enrolled')`, [edition.id]);
    expect(held).toBe(3);
  });

  it('keeps the pending admission through a transfer, and cancels a received seat without a fee', async () => {
    const from = await createEdition(db, intakeCourse.id, { startDate: new Date(Date.now() + 10 * 24 * 3600_000).toISOString().slice(0, 10) });
    const to = await createEdition(db, intakeCourse.id, { startDate: '2031-10-07' });
    const applicant = await createStudent(t, advisor, { priorEducation: MBO });
    const received = (await enrol({ studentId: applicant.id, editionId: from.id }).expect(201)).body;
    const moved = await t.http.post(`/enrolments/${received.id}/transfer`).set(bearer(advisor)).send({ editionId: to.id }).expect(200);
    expect(moved.body).toMatchObject({ editionId: to.id, status: 'received', admissionPending: true, transferredFromId: received.id });
    await decide(received.id, { admitted: true }).expect(422);
    const cancelled = await t.http.post(`/enrolments/${moved.body.id}/cancel`).set(bearer(advisor)).send({ reason: 'toch niet' }).expect(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', cancellationFeeCents: null });
    await decide(moved.body.id, { admitted: true }).expect(422);
  });

  describe('go/no-go', () => {
    it('counts only seats taken toward the minimum; a cancellation reaches received students, a confirmation does not', async () => {
      const planner = (await t.signIn(['planner'])).token;
      const enrolledStudent = await createStudent(t, advisor);
      const applicant = await createStudent(t, advisor, { priorEducation: MBO });
      const short = await createEdition(db, intakeCourse.id, { capacity: 5 });
      const going = await createEdition(db, intakeCourse.id, { capacity: 5 });
      for (const edition of [short, going]) {
        await enrol({ studentId: enrolledStudent.id, editionId: edition.id }).expect(201);
        expect((await enrol({ studentId: applicant.id, editionId: edition.id }).expect(201)).body.status).toBe('received');
      }
      // A go/no-go date no other test uses, so the check only meets this edition.
      await db.query(`UPDATE edition SET min_participants = 2, go_no_go_date = '2001-01-01' WHERE id = $1`, [short.id]);
      const outcome = await t.app.get(EditionLifeService).check('2001-01-01');
      expect(outcome).toEqual({ confirmed: [], proposedForCancellation: [short.code] });

      const status = async (id: string, to: string) => {
        const [{ version }] = await db.query(`SELECT version FROM edition WHERE id = $1`, [id]);
        await t.http.post(`/editions/${id}/status`).set(bearer(planner)).send({ status: to, version, reason: 'go/no-go' }).expect(200);
      };
      await status(going.id, 'confirmed');
      await status(short.id, 'cancelled');
      const types = async (email: string) => (await mailsTo(db, email)).map((m) => m.type).filter((type) => type.startsWith('edition-'));
      expect(await types(enrolledStudent.email)).toEqual(['edition-confirmed', 'edition-cancelled']);
      expect(await types(applicant.email)).toEqual(['edition-cancelled']);
    });
  });
});
