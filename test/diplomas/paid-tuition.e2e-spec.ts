import { DataSource } from 'typeorm';
import { DEMO_INSTITUTE } from '../../src/demo/demo-institute';
import { DiplomasService } from '../../src/diplomas/diplomas.service';
import { EnrolmentCompletion } from '../../src/enrolment/enrolment-completion';
import { SettingsService } from '../../src/settings/settings.service';
import { createCourse, createEdition, createStudent } from '../factories';
import { createEmployer } from '../invoicing/factories';
import { bearer, createTestApp, TestApp } from '../test-app';

describe('Diplomas: paid tuition as a requirement', () => {
  let t: TestApp;
  let db: DataSource;
  let coordinator: string;
  let finance: string;
  let advisor: string;
  let admin: string;
  let employer: { id: string };

  beforeAll(async () => {
    t = await createTestApp({ RUN_WORKER: 'false' });
    db = t.app.get(DataSource);
    const settings = t.app.get(SettingsService);
    await settings.update({ ...DEMO_INSTITUTE, version: (await settings.get()).version });
    coordinator = (await t.signIn(['coordinator'])).token;
    finance = (await t.signIn(['finance'])).token;
    advisor = (await t.signIn(['advisor'])).token;
    admin = (await t.signIn(['admin'])).token;
    employer = await createEmployer(t, finance);
  });
  afterAll(async () => {
    // Institute-wide: the other suites expect the default (not required).
    await requirePaidTuition(false);
    await t.close();
  });

  async function requirePaidTuition(required: boolean) {
    const current = await t.http.get('/diploma-settings').set(bearer(coordinator)).expect(200);
    return t.http.patch('/diploma-settings').set(bearer(coordinator)).send({ requirePaidTuition: required, version: current.body.version }).expect(200);
  }

  /** An edition whose students enrolled billed to the employer (tuition in invoicing's ledger) and completed the course. */
  async function completedCohort(size: number) {
    const course = await createCourse(t, admin, { tuitionCents: 150_000 });
    const edition = await createEdition(db, course.id, { status: 'open' });
    const enrolments: { studentId: string; enrolmentId: string; itemId: string }[] = [];
    for (let i = 0; i < size; i++) {
      const student = await createStudent(t, advisor);
      const enrolled = await t.http.post('/enrolments').set(bearer(advisor)).send({ studentId: student.id, editionId: edition.id, billingPartyId: employer.id }).expect(201);
      await db.transaction((manager) => t.app.get(EnrolmentCompletion).complete(manager, enrolled.body.id, 7.0));
      const [item] = (await t.http.get(`/billable-items?enrolmentId=${enrolled.body.id}`).set(bearer(finance)).expect(200)).body.items;
      enrolments.push({ studentId: student.id, enrolmentId: enrolled.body.id, itemId: item.id });
    }
    return { courseId: course.id, editionId: edition.id, enrolments };
  }

  /** Finance invoices the tuition item and the employer pays it in full. */
  async function payTuition(itemId: string) {
    const draft = await t.http.post('/invoices').set(bearer(finance)).send({ billingPartyId: employer.id, itemIds: [itemId] }).expect(201);
    const issued = await t.http.post(`/invoices/${draft.body.id}/issue`).set(bearer(finance)).expect(200);
    await t.http.post('/payments').set(bearer(finance)).send({ invoiceId: issued.body.id, amountCents: issued.body.grossCents, paidOn: '2027-01-20', method: 'bank_transfer' }).expect(201);
  }

  it('is off by default, and coordinators turn it on with the version they read', async () => {
    const settings = await t.http.get('/diploma-settings').set(bearer(coordinator)).expect(200);
    expect(settings.body).toMatchObject({ requirePaidTuition: false });
    await t.http.get('/diploma-settings').set(bearer(finance)).expect(403);
    await t.http.patch('/diploma-settings').set(bearer(coordinator)).send({ requirePaidTuition: true, version: settings.body.version - 1 }).expect(409);
    await t.http.patch('/diploma-settings').set(bearer(coordinator)).send({ requirePaidTuition: 'yes', version: settings.body.version }).expect(400);
  });

  it('blocks the candidate whose tuition is not paid, with the reason, until invoicing says it is', async () => {
    const { courseId, editionId, enrolments } = await completedCohort(2);
    const [paid, unpaid] = enrolments;
    await payTuition(paid.itemId);

    // Not required: both have earned it.
    let candidates = (await t.http.get(`/editions/${editionId}/diploma-candidates`).set(bearer(coordinator)).expect(200)).body;
    expect(candidates.eligible).toBe(2);

    await requirePaidTuition(true);
    try {
      candidates = (await t.http.get(`/editions/${editionId}/diploma-candidates`).set(bearer(coordinator)).expect(200)).body;
      const of = (studentId: string) => candidates.candidates.find((c: { studentId: string }) => c.studentId === studentId);
      expect(candidates.eligible).toBe(1);
      expect(of(paid.studentId)).toMatchObject({ eligible: true, tuitionPaid: true, paidTuitionRequired: true, reasons: [] });
      expect(of(unpaid.studentId)).toMatchObject({ eligible: false, tuitionPaid: false, reasons: [{ code: 'tuition_not_paid', message: expect.stringMatching(/^Tuition not paid/) }] });

      const refused = await t.http.post('/diplomas').set(bearer(coordinator)).send({ studentId: unpaid.studentId, courseId, mail: false }).expect(422);
      expect(refused.body).toMatchObject({ code: 'not_eligible_for_diploma', reasons: [{ code: 'tuition_not_paid' }] });
      await t.http.post('/diplomas').set(bearer(coordinator)).send({ studentId: paid.studentId, courseId, mail: false }).expect(201);

      await payTuition(unpaid.itemId);
      const issued = await t.http.post('/diplomas').set(bearer(coordinator)).send({ studentId: unpaid.studentId, courseId, mail: false }).expect(201);
      expect(issued.body.diploma.state).toBe('valid');
    } finally {
      await requirePaidTuition(false);
    }
  });

  it('leaves out of an edition run whoever has not paid', async () => {
    const { editionId, enrolments } = await completedCohort(3);
    await payTuition(enrolments[0].itemId);
    await payTuition(enrolments[2].itemId);
    await requirePaidTuition(true);
    try {
      const result = await t.app.get(DiplomasService).issueEdition(editionId, { mail: false, actorId: null });
      expect(result).toMatchObject({ candidates: 3, eligible: 2, issued: 2, notEligible: 1 });
      const issued: { student_id: string }[] = await db.query(`SELECT student_id FROM diploma WHERE edition_id = $1`, [editionId]);
      expect(issued.map((d) => d.student_id).sort()).toEqual([enrolments[0].studentId, enrolments[2].studentId].sort());
    } finally {
      await requirePaidTuition(false);
    }
  });
});
