import { DataSource } from 'typeorm';
import { DomainEventMap, DomainEvents } from '../../src/events/domain-events';
import { EnrolmentCompletion } from '../../src/enrolment/enrolment-completion';
import { EnrolmentDirectory } from '../../src/enrolment/enrolment-directory';
import { bearer, createTestApp, TestApp } from '../test-app';
import { createCourse, createEdition, createStudent } from '../factories';

/** What enrolment publishes for the modules built on it: its directory, its events, and the completion command. */
describe('Enrolment seams', () => {
  let t: TestApp;
  let db: DataSource;
  let advisor: string; // an admin: creates courses too
  let directory: EnrolmentDirectory;
  let completion: EnrolmentCompletion;
  const heard: { type: keyof DomainEventMap; event: { enrolmentId?: string } }[] = [];
  let refuseCompletionOf: string | null = null;

  beforeAll(async () => {
    t = await createTestApp({ RUN_WORKER: 'false' });
    db = t.app.get(DataSource);
    advisor = (await t.signIn(['admin'])).token;
    directory = t.app.get(EnrolmentDirectory);
    completion = t.app.get(EnrolmentCompletion);
    const events = t.app.get(DomainEvents);
    for (const type of ['enrolment.confirmed', 'enrolment.cancelled', 'enrolment.transferred', 'enrolment.billing_party_changed', 'enrolment.completed', 'enrolment.reopened'] as const) {
      events.on(type, async (event) => {
        heard.push({ type, event });
        if (type === 'enrolment.completed' && event.enrolmentId === refuseCompletionOf) throw new Error('a handler refused');
      });
    }
  });
  afterAll(() => t.close());

  async function enrolled() {
    const course = await createCourse(t, advisor);
    const edition = await createEdition(db, course.id, { capacity: 5 });
    const student = await createStudent(t, advisor);
    const { body } = await t.http.post('/enrolments').set(bearer(advisor)).send({ studentId: student.id, editionId: edition.id }).expect(201);
    return { course, edition, student, enrolmentId: body.id as string };
  }
  const eventsOf = (enrolmentId: string) => heard.filter((h) => h.event.enrolmentId === enrolmentId).map((h) => h.type);

  it('raises enrolment.confirmed with the agreed tuition, and lists the seat holder with a student number', async () => {
    const { course, edition, student, enrolmentId } = await enrolled();
    expect(heard.find((h) => h.event.enrolmentId === enrolmentId)).toEqual({
      type: 'enrolment.confirmed',
      event: expect.objectContaining({ studentId: student.id, editionId: edition.id, courseId: course.id, tuitionCents: course.tuitionCents }),
    });
    const [holder] = await directory.seatHolders(edition.id);
    expect(holder).toMatchObject({ enrolmentId, studentId: student.id, status: 'enrolled', studentNumber: expect.any(Number) });
    expect(await directory.isEnrolled(edition.id, student.id)).toBe(true);
    expect(await directory.billableTerms(enrolmentId)).toMatchObject({ tuitionCents: course.tuitionCents, courseId: course.id, status: 'enrolled' });
    const byNumber = await directory.studentsByNumber([holder.studentNumber]);
    expect(byNumber.get(holder.studentNumber)?.id).toBe(student.id);
  });

  it('raises enrolment.billing_party_changed with the billable terms when who pays is set or changed, not when it stays', async () => {
    const { course, edition, student, enrolmentId } = await enrolled();
    const party = await t.http.post('/billing-parties').set(bearer(advisor)).send({ kind: 'student', studentId: student.id }).expect(201);
    await t.http.put(`/enrolments/${enrolmentId}/billing-party`).set(bearer(advisor)).send({ billingPartyId: party.body.id, purchaseOrder: 'PO-1' }).expect(200);
    await t.http.put(`/enrolments/${enrolmentId}/billing-party`).set(bearer(advisor)).send({ billingPartyId: party.body.id, purchaseOrder: 'PO-1' }).expect(200);
    expect(heard.filter((h) => h.event.enrolmentId === enrolmentId && h.type === 'enrolment.billing_party_changed')).toEqual([
      {
        type: 'enrolment.billing_party_changed',
        event: {
          enrolmentId,
          studentId: student.id,
          editionId: edition.id,
          courseId: course.id,
          at: expect.any(Date),
          previousBillingPartyId: null,
          billingPartyId: party.body.id,
          purchaseOrder: 'PO-1',
          status: 'enrolled',
          tuitionCents: course.tuitionCents,
          cancellationFeeCents: null,
        },
      },
    ]);
    expect(await directory.billableTerms(enrolmentId)).toMatchObject({ billingPartyId: party.body.id, purchaseOrder: 'PO-1' });
  });

  it('completes an enrolment with its final grade and reopens it, each with its event and history line', async () => {
    const { course, student, enrolmentId } = await enrolled();
    await db.transaction((manager) => completion.complete(manager, enrolmentId, 7.4));
    expect(await directory.completedCourses(student.id)).toEqual([expect.objectContaining({ enrolmentId, courseId: course.id, finalGrade: 7.4 })]);
    expect(await directory.enrolmentInCourse(student.id, course.id)).toMatchObject({ enrolmentId, status: 'completed', finalGrade: 7.4 });

    await db.transaction((manager) => completion.reopen(manager, enrolmentId, 'result of component 2 corrected'));
    expect(await directory.completedCourses(student.id)).toEqual([]);
    expect(eventsOf(enrolmentId)).toEqual(['enrolment.confirmed', 'enrolment.completed', 'enrolment.reopened']);
    const { body: history } = await t.http.get(`/enrolments/${enrolmentId}/history`).set(bearer(advisor)).expect(200);
    expect(history.map((h: { toStatus: string; reason: string }) => [h.toStatus, h.reason])).toEqual([
      ['enrolled', null],
      ['completed', 'every exam component passed, final grade 7.4'],
      ['enrolled', 'reopened: result of component 2 corrected'],
    ]);
  });

  it('rolls the completion back with a handler that fails: an event and its consequences commit together', async () => {
    const { student, enrolmentId } = await enrolled();
    refuseCompletionOf = enrolmentId;
    await expect(db.transaction((manager) => completion.complete(manager, enrolmentId, 8))).rejects.toThrow('a handler refused');
    expect(await directory.completedCourses(student.id)).toEqual([]);
  });

  it('refuses to complete what is not enrolled, a grade out of range, and to reopen what is not completed', async () => {
    const { enrolmentId } = await enrolled();
    await expect(db.transaction((manager) => completion.complete(manager, enrolmentId, 10.5))).rejects.toMatchObject({ errors: [{ field: 'finalGrade', rule: 'grade' }] });
    await expect(db.transaction((manager) => completion.reopen(manager, enrolmentId, 'why'))).rejects.toMatchObject({ code: 'enrolment_not_completed' });
    await t.http.post(`/enrolments/${enrolmentId}/cancel`).set(bearer(advisor)).send({}).expect(200);
    expect(eventsOf(enrolmentId)).toEqual(['enrolment.confirmed', 'enrolment.cancelled']);
    await expect(db.transaction((manager) => completion.complete(manager, enrolmentId, null))).rejects.toMatchObject({ code: 'enrolment_not_completable' });
  });

  it('refuses to publish outside a transaction', async () => {
    await expect(t.app.get(DomainEvents).publish(db.manager, 'enrolment.reopened', { enrolmentId: 'x', studentId: 'x', editionId: 'x', courseId: 'x', reason: 'x', at: new Date() })).rejects.toThrow(
      /inside the transaction/,
    );
  });
});
