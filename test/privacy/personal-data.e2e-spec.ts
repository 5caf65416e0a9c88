import { DataSource } from 'typeorm';
import { PersonalDataRegistry } from '../../src/privacy/personal-data-registry';
import { createCourse, createEdition, createStudent } from '../factories';
import { createPrivatePayer, issuedInvoice } from '../invoicing/factories';
import { bearer, createTestApp, TestApp } from '../test-app';

type Row = Record<string, unknown>;

describe('Personal data: export and erasure walk every module', () => {
  let t: TestApp;
  let db: DataSource;
  let advisor: string;
  let admin: string;

  beforeAll(async () => {
    t = await createTestApp({ RUN_WORKER: 'false' });
    db = t.app.get(DataSource);
    advisor = (await t.signIn(['advisor'])).token;
    admin = (await t.signIn(['admin'])).token;
  });
  afterAll(() => t.close());

  /** A student with data in every module: billing party, enrolment (and its mail), advice, course interest, a user account, audit entries. */
  async function studentEverywhere() {
    const course = await createCourse(t, admin);
    const edition = await createEdition(db, course.id);
    const student = await createStudent(t, advisor);
    const party = (await t.http.post('/billing-parties').set(bearer(advisor)).send({ kind: 'student', studentId: student.id }).expect(201)).body;
    const enrolment = (await t.http.post('/enrolments').set(bearer(advisor)).send({ studentId: student.id, editionId: edition.id, billingPartyId: party.id }).expect(201)).body;
    const advice = (await t.http.post('/advice').set(bearer(advisor)).send({ studentId: student.id, interests: 'wondzorg en coaching' }).expect(201)).body;
    await t.http.post(`/students/${student.id}/course-interests`).set(bearer(advisor)).send({ courseId: course.id }).expect(201);
    await t.http.patch(`/students/${student.id}`).set(bearer(advisor)).send({ profession: 'Wijkverpleegkundige', version: student.version }).expect(200);
    const user = await t.signIn(['student'], { studentId: student.id });
    return { course, edition, student, party, enrolment, advice, user };
  }

  it('registers every module that holds a student’s personal data', () => {
    expect(t.app.get(PersonalDataRegistry).modules()).toEqual(expect.arrayContaining(['enrolment', 'advice', 'mail', 'auth', 'exams', 'invoicing', 'attendance', 'diplomas', 'audit']));
    expect(t.app.get(PersonalDataRegistry).modules().at(-1)).toBe('audit');
  });

  it('exports every module’s data, with an index of the modules, their sections and what they retain', async () => {
    const { student, party, enrolment, advice, user, course } = await studentEverywhere();
    const exported = (await t.http.get(`/students/${student.id}/export`).set(bearer(user.token)).expect(200)).body;
    expect(exported.student).toMatchObject({ id: student.id, email: student.email, profession: 'Wijkverpleegkundige' });
    expect(exported.billingParties.map((p: Row) => p.id)).toEqual([party.id]);
    expect(exported.enrolments.map((e: Row) => e.id)).toEqual([enrolment.id]);
    expect(exported.enrolmentHistory.length).toBeGreaterThan(0);
    expect(exported.advice.map((a: Row) => a.id)).toEqual([advice.id]);
    expect(exported.courseInterests.map((i: Row) => i.course_id)).toEqual([course.id]);
    expect(exported.mails.map((m: Row) => m.type)).toEqual(['enrolment-confirmed']);
    expect(exported.userAccounts.map((a: Row) => a.id)).toEqual([user.id]);
    const trail = exported.auditTrail.map((e: Row) => `${e.entity}:${e.action}:${e.entity_id}`);
    expect(trail).toEqual(
      expect.arrayContaining([`student:update:${student.id}`, `billing_party:create:${party.id}`, `enrolment:create:${enrolment.id}`, `advice:create:${advice.id}`]),
    );
    const modules = Object.fromEntries(exported.modules.map((m: Row) => [m.module, m]));
    expect(modules.enrolment.sections).toEqual(['student', 'billingParties', 'enrolments', 'enrolmentHistory']);
    expect(modules.advice.sections).toEqual(['advice', 'courseInterests']);
    expect(modules.mail.sections).toEqual(['mails']);
    expect(modules.auth.sections).toEqual(['userAccounts']);
    expect(modules.audit.sections).toEqual(['auditTrail']);
    expect(modules.enrolment.retention[0].period).toMatch(/7 years/);
    expect(modules.enrolment.retained).toEqual([]);
  });

  it('erases in every module, says what each erased and retains until when, and keeps the invoice data', async () => {
    const { student, party, enrolment, advice, user } = await studentEverywhere();
    const erased = (await t.http.post(`/students/${student.id}/erasure`).set(bearer(admin)).send({ reason: 'verzoek per mail van 3 maart' }).expect(200)).body;
    expect(erased).toMatchObject({ id: student.id, givenNames: '', familyName: '', email: null, phone: null, address: null, dateOfBirth: null });
    const byModule = Object.fromEntries(erased.erasure.map((m: Row) => [m.module, m]));
    expect(Object.keys(byModule)).toEqual(expect.arrayContaining(['enrolment', 'mail', 'auth', 'audit']));
    const endOfYear = `${new Date().getFullYear() + 7}-12-31`;
    expect(byModule.enrolment.retained).toEqual([expect.objectContaining({ until: endOfYear, what: expect.stringContaining(party.id) })]);
    expect(byModule.audit.retained).toEqual([expect.objectContaining({ until: null })]);

    // enrolment: the record is anonymous, the billing party keeps name and address, advice and interests are gone.
    const kept = (await t.http.get(`/billing-parties/${party.id}`).set(bearer(admin)).expect(200)).body;
    expect(kept).toMatchObject({ name: 'Zoë van der Şahin-Łukasiewicz', address: { city: 'Utrecht' }, contactEmail: null, retainedUntil: endOfYear });
    expect((await t.http.get(`/enrolments/${enrolment.id}`).set(bearer(admin)).expect(200)).body.studentId).toBe(student.id);
    const [adviceRow] = await db.query(`SELECT intake, personal_note, sent_content FROM advice WHERE id = $1`, [advice.id]);
    expect(adviceRow).toEqual({ intake: {}, personal_note: '', sent_content: null });
    expect(await db.query(`SELECT 1 FROM course_interest WHERE student_id = $1`, [student.id])).toEqual([]);
    // mail: the messages stay as a record of what was sent, without address or text.
    const mails = await db.query(`SELECT to_email, to_name, text, data, type FROM mail_message WHERE student_id = $1`, [student.id]);
    expect(mails).toEqual([{ to_email: 'erased@invalid', to_name: '', text: '', data: {}, type: 'enrolment-confirmed' }]);
    // auth: the account is deactivated and no longer the student's.
    expect(await db.query(`SELECT active, student_id FROM user_account WHERE id = $1`, [user.id])).toEqual([{ active: false, student_id: null }]);
    await t.http.get(`/students/${student.id}`).set(bearer(user.token)).expect(401);
    // audit: the entries stay without their values, and the erasure is noted with its reason.
    const audit = await db.query(`SELECT changes, reason FROM audit_entry WHERE entity IN ('student', 'advice') AND entity_id = ANY($1) ORDER BY occurred_at, id`, [[student.id, advice.id]]);
    expect(JSON.stringify(audit)).not.toContain(student.email);
    expect(JSON.stringify(audit)).not.toContain('wondzorg');
    expect(audit.at(-1)).toEqual({ changes: { erased: { to: true } }, reason: 'verzoek per mail van 3 maart' });

    const after = (await t.http.get(`/students/${student.id}/export`).set(bearer(admin)).expect(200)).body;
    expect(JSON.stringify(after)).not.toContain(student.email);
    expect(after.userAccounts).toEqual([]);
    expect(after.modules.find((m: Row) => m.module === 'enrolment').retained).toEqual([expect.objectContaining({ until: endOfYear })]);

    const again = (await t.http.post(`/students/${student.id}/erasure`).set(bearer(admin)).send({ reason: 'nog eens' }).expect(200)).body;
    expect(again).toMatchObject({ id: student.id, erasure: [] });
  });

  it('erases in one transaction: a module that fails leaves every module as it was', async () => {
    const { student } = await studentEverywhere();
    const registry = t.app.get(PersonalDataRegistry);
    const failing = 'test-failing-' + student.id;
    registry.register({
      module: failing,
      describe: 'fails when erasing this student',
      export: async () => ({ sections: {} }),
      erase: async (studentId) => {
        if (studentId === student.id) throw new Error('disk full');
        return { erased: [] };
      },
    });
    await t.http.post(`/students/${student.id}/erasure`).set(bearer(admin)).send({ reason: 'verzoek' }).expect(500);
    const read = (await t.http.get(`/students/${student.id}`).set(bearer(admin)).expect(200)).body;
    expect(read).toMatchObject({ email: student.email, erasedAt: null });
    expect(await db.query(`SELECT to_email FROM mail_message WHERE student_id = $1`, [student.id])).toEqual([{ to_email: student.email }]);
  });

  it('keeps a student’s issued invoices for seven years after the year of issue, and says so in the export and the erasure', async () => {
    const finance = (await t.signIn(['finance'])).token;
    const payer = await createPrivatePayer(t, advisor);
    const invoice = await issuedInvoice(t, finance, payer.id);
    const exported = (await t.http.get(`/students/${payer.studentId}/export`).set(bearer(admin)).expect(200)).body;
    const sections = Object.fromEntries(exported.modules.map((m: Row) => [m.module, m.sections]));
    expect(sections).toMatchObject({ exams: ['examRegistrations', 'examResults'], invoicing: ['invoices', 'billableItems', 'payments'], attendance: ['attendance'], diplomas: ['diplomas', 'ceremonyInvitations'] });

    const erased = (await t.http.post(`/students/${payer.studentId}/erasure`).set(bearer(admin)).send({ reason: 'verzoek' }).expect(200)).body;
    const invoicing = erased.erasure.find((m: Row) => m.module === 'invoicing');
    const year = Number(String(invoice.issueDate).slice(0, 4));
    expect(invoicing.retained).toEqual([expect.objectContaining({ until: `${year + 7}-12-31`, reason: expect.stringContaining('7 years') })]);
    const kept = (await t.http.get(`/invoices/${invoice.id}`).set(bearer(finance)).expect(200)).body;
    expect(kept).toMatchObject({ number: invoice.number, grossCents: invoice.grossCents });
  });
});
