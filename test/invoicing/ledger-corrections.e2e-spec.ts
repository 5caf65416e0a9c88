import { DataSource } from 'typeorm';
import { DEMO_INSTITUTE } from '../../src/demo/demo-institute';
import { LedgerService } from '../../src/invoicing/ledger.service';
import { SettingsService } from '../../src/settings/settings.service';
import { createEdition } from '../factories';
import { anEnrolledStudent, createSitting, examFixture, ExamFixture, holdSitting, setStatus } from '../exams/factories';
import { bearer, createTestApp, TestApp } from '../test-app';
import { createEmployer, createPrivatePayer } from './factories';

describe('Invoicing follows later changes: a billing party set afterwards, a resit withdrawn', () => {
  let t: TestApp;
  let db: DataSource;
  let finance: string;
  let advisor: string;
  let planner: string;
  let fixture: ExamFixture;

  beforeAll(async () => {
    t = await createTestApp({ RUN_WORKER: 'false' });
    db = t.app.get(DataSource);
    await t.app.get(SettingsService).update({ ...DEMO_INSTITUTE });
    finance = (await t.signIn(['finance'])).token;
    advisor = (await t.signIn(['advisor'])).token;
    planner = (await t.signIn(['planner'])).token;
    fixture = await examFixture(t, planner, { course: { tuitionCents: 150_000, otherFees: [{ kind: 'exam', description: 'Herkansingsgeld', amountCents: 9_500, vat: 'exempt' }] } });
  });
  afterAll(() => t.close());

  const items = async (query: string) => (await t.http.get(`/billable-items?${query}&pageSize=100`).set(bearer(finance)).expect(200)).body.items as Record<string, unknown>[];
  const setPayer = (enrolmentId: string, body: Record<string, unknown>, token = advisor) => t.http.put(`/enrolments/${enrolmentId}/billing-party`).set(bearer(token)).send(body);
  const invoiceItems = async (billingPartyId: string, itemIds: unknown[]) => {
    const draft = await t.http.post('/invoices').set(bearer(finance)).send({ billingPartyId, itemIds }).expect(201);
    return (await t.http.post(`/invoices/${draft.body.id}/issue`).set(bearer(finance)).expect(200)).body;
  };

  describe('an enrolment whose billing party is set or changed later', () => {
    it('gets its tuition billed once a billing party is set, and its open items follow a new one; invoiced items stay', async () => {
      const { enrolmentId } = await anEnrolledStudent(t, advisor, db, fixture.courseId);
      expect(await items(`enrolmentId=${enrolmentId}`)).toEqual([]);
      const employer = await createEmployer(t, finance);
      const set = await setPayer(enrolmentId, { billingPartyId: employer.id, purchaseOrder: 'PO-777', reason: 'werkgever betaalt' }).expect(200);
      expect(set.body).toMatchObject({ id: enrolmentId, billingPartyId: employer.id, purchaseOrder: 'PO-777' });
      const [tuition] = await items(`enrolmentId=${enrolmentId}`);
      expect(tuition).toMatchObject({ key: `tuition:${enrolmentId}`, kind: 'tuition', status: 'open', billingPartyId: employer.id, purchaseOrder: 'PO-777', unitPriceCents: 150_000 });
      const [audit] = await db.query(`SELECT reason FROM audit_entry WHERE entity = 'enrolment' AND entity_id = $1 AND action = 'update'`, [enrolmentId]);
      expect(audit.reason).toBe('werkgever betaalt');

      // Set again as it is: nothing changes. Then the student pays: the open tuition moves.
      await setPayer(enrolmentId, { billingPartyId: employer.id, purchaseOrder: 'PO-777' }).expect(200);
      expect(await items(`enrolmentId=${enrolmentId}`)).toHaveLength(1);
      const payer = await createPrivatePayer(t, finance);
      await setPayer(enrolmentId, { billingPartyId: payer.id }, finance).expect(200);
      expect(await items(`enrolmentId=${enrolmentId}`)).toEqual([expect.objectContaining({ id: tuition.id, status: 'open', billingPartyId: payer.id, purchaseOrder: null })]);

      // Once invoiced, the tuition stays with its invoice and party.
      const invoice = await invoiceItems(payer.id, [tuition.id]);
      await setPayer(enrolmentId, { billingPartyId: employer.id }).expect(200);
      expect(await items(`enrolmentId=${enrolmentId}`)).toEqual([expect.objectContaining({ id: tuition.id, status: 'invoiced', invoiceId: invoice.id, billingPartyId: payer.id })]);
    });

    it('bills the cancellation fee of a cancelled enrolment that had no billing party (billToNewParty)', async () => {
      const { enrolmentId, studentId, editionId } = await anEnrolledStudent(t, advisor, db, fixture.courseId);
      const payer = await createPrivatePayer(t, finance);
      await t.app.get(DataSource).transaction((manager) =>
        t.app.get(LedgerService).billToNewParty(manager, {
          enrolmentId,
          studentId,
          editionId,
          courseId: fixture.courseId,
          at: new Date('2031-08-01T10:00:00Z'),
          previousBillingPartyId: null,
          billingPartyId: payer.id,
          purchaseOrder: null,
          status: 'cancelled',
          tuitionCents: 150_000,
          cancellationFeeCents: 15_000,
        }),
      );
      expect(await items(`enrolmentId=${enrolmentId}`)).toEqual([
        expect.objectContaining({ key: `cancellation_fee:${enrolmentId}`, kind: 'cancellation_fee', unitPriceCents: 15_000, billingPartyId: payer.id, status: 'open', billableOn: '2031-08-01' }),
      ]);
    });

    it('refuses an unknown billing party (400), a transferred enrolment (422), and anyone but advisors, finance and admins (403)', async () => {
      const { enrolmentId } = await anEnrolledStudent(t, advisor, db, fixture.courseId);
      const unknown = await setPayer(enrolmentId, { billingPartyId: '00000000-0000-4000-8000-000000000000' }).expect(400);
      expect(unknown.body.errors).toEqual([expect.objectContaining({ field: 'billingPartyId', rule: 'exists' })]);
      const employer = await createEmployer(t, finance);
      await setPayer(enrolmentId, { billingPartyId: employer.id }, planner).expect(403);
      const edition = await createEdition(db, fixture.courseId, { startDate: '2031-10-07' });
      await t.http.post(`/enrolments/${enrolmentId}/transfer`).set(bearer(advisor)).send({ editionId: edition.id }).expect(200);
      expect((await setPayer(enrolmentId, { billingPartyId: employer.id }).expect(422)).body.code).toBe('enrolment_transferred');
      expect(await items(`billingPartyId=${employer.id}`)).toEqual([]);
    });
  });

  describe('a withdrawn resit registration', () => {
    /** A student who failed the first attempt, paid for by an employer set on the enrolment afterwards, registered for a resit. */
    async function registeredResit() {
      const { studentId, enrolmentId } = await anEnrolledStudent(t, advisor, db, fixture.courseId);
      const employer = await createEmployer(t, finance);
      await setPayer(enrolmentId, { billingPartyId: employer.id }).expect(200);
      const resit = await failedAndRegisteredAgain(studentId, enrolmentId);
      const [fee] = await items(`enrolmentId=${enrolmentId}&status=open`).then((found) => found.filter((item) => item.kind === 'resit_fee'));
      expect(fee).toMatchObject({ key: `resit_fee:${resit.body.id}`, unitPriceCents: 9_500, billingPartyId: employer.id });
      return { resit: resit.body, sitting: resit.sitting, fee, employer, enrolmentId };
    }

    /** The student sits the first attempt and fails; then registers for a resit of 9,500 cents. */
    async function failedAndRegisteredAgain(studentId: string, enrolmentId: string) {
      const first = await setStatus(t, planner, await createSitting(t, planner, fixture), 'open');
      const attempt = await t.http.post('/exam-registrations').set(bearer(advisor)).send({ sittingId: first.id, studentId }).expect(201);
      await holdSitting(t, db, planner, first);
      await db.query(
        `INSERT INTO exam_result (registration_id, sitting_id, component_id, student_id, enrolment_id, outcome, grade, passed) VALUES ($1, $2, $3, $4, $5, 'grade', 4.0, false)`,
        [attempt.body.id, first.id, fixture.componentIds[0], studentId, enrolmentId],
      );
      const sitting = await setStatus(t, planner, await createSitting(t, planner, fixture), 'open');
      const resit = await t.http.post('/exam-registrations').set(bearer(advisor)).send({ sittingId: sitting.id, studentId }).expect(201);
      expect(resit.body).toMatchObject({ attempt: 2, feeCents: 9_500 });
      return { body: resit.body, sitting };
    }

    it('bills a resit fee registered before anyone paid for the enrolment once a billing party is set, once', async () => {
      const { studentId, enrolmentId } = await anEnrolledStudent(t, advisor, db, fixture.courseId);
      const resit = await failedAndRegisteredAgain(studentId, enrolmentId);
      expect((await items(`enrolmentId=${enrolmentId}`)).filter((item) => item.kind === 'resit_fee')).toEqual([]);
      const employer = await createEmployer(t, finance);
      await setPayer(enrolmentId, { billingPartyId: employer.id }).expect(200);
      const other = await createEmployer(t, finance);
      await setPayer(enrolmentId, { billingPartyId: other.id }).expect(200);
      expect((await items(`enrolmentId=${enrolmentId}`)).filter((item) => item.kind === 'resit_fee')).toEqual([
        expect.objectContaining({ key: `resit_fee:${resit.body.id}`, unitPriceCents: 9_500, billingPartyId: other.id, status: 'open' }),
      ]);
    });

    it('withdraws the fee not yet invoiced, keeping the item with the reason', async () => {
      const { resit, fee, enrolmentId } = await registeredResit();
      await t.http.delete(`/exam-registrations/${resit.id}?version=${resit.version}`).set(bearer(advisor)).expect(200);
      const [after] = (await items(`enrolmentId=${enrolmentId}&status=withdrawn`)).filter((item) => item.id === fee.id);
      expect(after).toMatchObject({ status: 'withdrawn', withdrawnReason: 'exam registration withdrawn (withdrawn)', invoiceId: null });
    });

    it('marks an invoiced fee as owed a credit note when the sitting is cancelled; a credit note of the item settles it', async () => {
      const { sitting, fee, employer } = await registeredResit();
      const invoice = await invoiceItems(employer.id, [fee.id]);
      const current = (await t.http.get(`/exam-sittings/${sitting.id}`).set(bearer(planner)).expect(200)).body;
      await setStatus(t, planner, current, 'cancelled', 'examinator ziek');
      const due = (await items('creditDue=true')).filter((item) => item.id === fee.id);
      expect(due).toEqual([expect.objectContaining({ status: 'invoiced', invoiceId: invoice.id, creditDue: 'exam registration withdrawn (sitting cancelled)', creditNoteId: null })]);

      const note = await t.http.post(`/invoices/${invoice.id}/credit-notes`).set(bearer(finance)).send({ itemIds: [fee.id] }).expect(201);
      expect(note.body).toMatchObject({ kind: 'credit_note', grossCents: 9_500, lines: [expect.objectContaining({ unitPriceCents: 9_500, vatCategory: 'exempt' })] });
      expect((await items('creditDue=true')).filter((item) => item.id === fee.id)).toEqual([]);
      expect((await items(`billingPartyId=${employer.id}`)).find((item) => item.id === fee.id)).toMatchObject({ creditNoteId: note.body.id });
      expect((await t.http.post(`/invoices/${invoice.id}/credit-notes`).set(bearer(finance)).send({ itemIds: [fee.id] }).expect(422)).body.code).toBe('billable_item_already_credited');
    });

    it('refuses to credit an item that is not on the invoice', async () => {
      const { fee, employer } = await registeredResit();
      const other = await registeredResit();
      const invoice = await invoiceItems(employer.id, [fee.id]);
      const refused = await t.http.post(`/invoices/${invoice.id}/credit-notes`).set(bearer(finance)).send({ itemIds: [other.fee.id] }).expect(422);
      expect(refused.body).toMatchObject({ code: 'billable_item_not_on_invoice', itemId: other.fee.id });
    });
  });
});
