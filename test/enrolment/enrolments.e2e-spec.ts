import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { EditionParticipants } from '../../src/planning/edition-participants';
import { EnrolmentSeats } from '../../src/enrolment/enrolment-seats.service';
import { bearer, createTestApp, TestApp } from '../test-app';
import { attachmentsOf, createCourse, createEdition, createStudent, mailsTo } from '../factories';

describe('Enrolment', () => {
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

  const enrol = (body: Record<string, unknown>, token = advisor) => t.http.post('/enrolments').set(bearer(token)).send(body);

  describe('students', () => {
    it('stores names from everywhere, normalises phone and postcode, and refuses a second student with the same email', async () => {
      const email = `Nguyen-${randomUUID()}@Example.nl`;
      const created = await t.http
        .post('/students')
        .set(bearer(advisor))
        .send({ givenNames: 'Thị Minh Khai', familyName: 'Nguyễn', email, phone: '+84 24 3825 3333', locale: 'en', address: { street: 'Hàng Bài', houseNumber: '5', postcode: '100000', city: 'Hà Nội', country: 'VN' } })
        .expect(201);
      expect(created.body).toMatchObject({ givenNames: 'Thị Minh Khai', familyName: 'Nguyễn', email: email.toLowerCase(), phone: '+842438253333', namePrefix: '' });
      const dutch = await createStudent(t, advisor, { phone: '06-12 34 56 78' });
      const read = await t.http.get(`/students/${dutch.id}`).set(bearer(advisor)).expect(200);
      expect(read.body).toMatchObject({ phone: '+31612345678', address: { postcode: '3511 AB' }, namePrefix: 'van der', familyName: 'Şahin-Łukasiewicz' });
      const duplicate = await t.http.post('/students').set(bearer(advisor)).send({ givenNames: 'X', familyName: 'Y', email: email.toUpperCase() }).expect(409);
      expect(duplicate.body).toMatchObject({ code: 'duplicate_email', existingStudentId: created.body.id });
    });

    it('answers an invalid email, phone or postcode with 400 naming the field and rule', async () => {
      const response = await t.http
        .post('/students')
        .set(bearer(advisor))
        .send({ givenNames: 'A', familyName: 'B', email: 'not-an-email', phone: '12', address: { street: 'Dam', houseNumber: '1', postcode: '1012 JSX', city: 'Amsterdam', country: 'NL' } })
        .expect(400);
      const rules = response.body.errors.map((e: { field: string; rule: string }) => `${e.field}:${e.rule}`);
      expect(rules).toEqual(expect.arrayContaining(['email:isEmail', 'phone:isPhone', 'address.postcode:isPostcode']));
      const foreign = await t.http
        .post('/students')
        .set(bearer(advisor))
        .send({ givenNames: 'Søren', familyName: 'Kjærgaard', email: `soren-${randomUUID()}@example.dk`, address: { street: 'Nørregade', houseNumber: '1', postcode: 'DK-1165', city: 'København', country: 'DK' } })
        .expect(201);
      expect(foreign.body.address.postcode).toBe('DK-1165');
    });
  });

  describe('seats and the waitlist', () => {
    it('never exceeds capacity under concurrent requests and puts the rest on the waitlist in the order taken', async () => {
      const course = await createCourse(t, admin);
      const edition = await createEdition(db, course.id, { capacity: 5 });
      const students = await Promise.all(Array.from({ length: 20 }, () => createStudent(t, advisor)));
      const responses = await Promise.all(students.map((s) => enrol({ studentId: s.id, editionId: edition.id })));
      expect(responses.map((r) => r.status)).toEqual(Array(20).fill(201));
      const statuses = responses.map((r) => r.body.status);
      expect(statuses.filter((s) => s === 'enrolled')).toHaveLength(5);
      expect(statuses.filter((s) => s === 'waitlisted')).toHaveLength(15);
      const waitlist = (await t.http.get(`/enrolments?editionId=${edition.id}&status=waitlisted&pageSize=100`).set(bearer(advisor)).expect(200)).body.items;
      expect(waitlist.map((e: { waitlistPosition: number }) => e.waitlistPosition)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
      const positions = responses.filter((r) => r.body.status === 'waitlisted').map((r) => [Number(r.body.queuePosition), r.body.waitlistPosition]);
      positions.sort((a, b) => a[0] - b[0]);
      expect(positions.map((p) => p[1])).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
      const counts = await t.app.get(EditionParticipants).countEnrolled([edition.id]);
      expect(counts.get(edition.id)).toBe(5);

      // Each enrolment has its one mail, saying the place it got, and its one staff notice.
      for (const [index, response] of responses.entries()) {
        const mails = await mailsTo(db, students[index].email);
        expect(mails.map((m) => m.type)).toEqual([response.body.status === 'enrolled' ? 'enrolment-confirmed' : 'enrolment-waitlisted']);
        if (response.body.status === 'waitlisted') expect(mails[0].data.position).toBe(response.body.waitlistPosition);
        else expect((await attachmentsOf(db, mails[0].id)).map((a) => a.filename)).toEqual([`${edition.code}.ics`]);
      }
      const notices = await db.query(`SELECT event_key FROM staff_notification WHERE event_key = ANY($1)`, [responses.map((r) => `enrolment_received:${r.body.id}`)]);
      expect(notices.length).toBeGreaterThanOrEqual(20);
      expect(new Set(notices.map((n: { event_key: string }) => n.event_key)).size).toBe(20);
    });

    it('answers the same student enrolling twice at once with one enrolment and a 409 already_enrolled, and mails once', async () => {
      const course = await createCourse(t, admin);
      const edition = await createEdition(db, course.id, { capacity: 5 });
      const student = await createStudent(t, advisor);
      // Holding the edition's lock lets both requests pass the check for an existing enrolment before either inserts,
      // so the later one meets the unique index on live enrolments.
      const lock = db.createQueryRunner();
      await lock.connect();
      try {
        await lock.startTransaction();
        await lock.query(`SELECT id FROM edition WHERE id = $1 FOR UPDATE`, [edition.id]);
        const both = Promise.all([1, 2].map(() => enrol({ studentId: student.id, editionId: edition.id }).then((response) => response)));
        const waiting = async () => (await db.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`))[0].n;
        for (let i = 0; i < 200 && (await waiting()) < 2; i++) await new Promise((resolve) => setTimeout(resolve, 25));
        await lock.commitTransaction();
        const [created, refused] = (await both).sort((a, b) => a.status - b.status);
        expect([created.status, refused.status]).toEqual([201, 409]);
        expect(refused.body).toMatchObject({ code: 'already_enrolled', enrolmentId: created.body.id });
      } finally {
        await lock.release();
      }
      expect((await mailsTo(db, student.email)).map((m) => m.type)).toEqual(['enrolment-confirmed']);
    });

    it('offers a freed seat to the first on the waitlist, who accepts; a decline or an expired offer moves on to the next', async () => {
      const course = await createCourse(t, admin, { tuitionCents: 200_000 });
      const edition = await createEdition(db, course.id, { capacity: 1 });
      const [first, second, third, fourth] = await Promise.all([1, 2, 3, 4].map(() => createStudent(t, advisor)));
      const seat = (await enrol({ studentId: first.id, editionId: edition.id }).expect(201)).body;
      const waiting = [];
      for (const s of [second, third, fourth]) waiting.push((await enrol({ studentId: s.id, editionId: edition.id }).expect(201)).body);
      expect(waiting.map((w) => w.waitlistPosition)).toEqual([1, 2, 3]);
      expect((await mailsTo(db, second.email)).map((m) => m.type)).toEqual(['enrolment-waitlisted']);

      await t.http.post(`/enrolments/${seat.id}/cancel`).set(bearer(advisor)).send({ reason: 'ziek' }).expect(200);
      const offered = (await t.http.get(`/enrolments/${waiting[0].id}`).set(bearer(advisor)).expect(200)).body;
      expect(offered.status).toBe('offered');
      const offerDays = (await t.http.get('/enrolment-settings').set(bearer(advisor)).expect(200)).body.offerDays;
      expect(new Date(offered.offerExpiresAt).getTime() - Date.now()).toBeGreaterThan((offerDays * 24 - 1) * 3600_000);
      const promotedMail = (await mailsTo(db, second.email)).find((m) => m.type === 'waitlist-promoted')!;
      expect(promotedMail.data).toMatchObject({ acceptUrl: expect.stringContaining(`/enrolments/${waiting[0].id}/accept`) });

      // The student user accepts their own offer; the confirmation lists the sessions and carries the calendar.
      const studentUser = await t.signIn(['student'], { studentId: second.id });
      await t.http.post(`/enrolments/${waiting[1].id}/accept`).set(bearer(studentUser.token)).expect(404);
      const accepted = await t.http.post(`/enrolments/${waiting[0].id}/accept`).set(bearer(studentUser.token)).expect(200);
      expect(accepted.body.status).toBe('enrolled');
      const confirmed = (await mailsTo(db, second.email)).find((m) => m.type === 'enrolment-confirmed')!;
      expect((confirmed.data.sessions as unknown[]).length).toBe(3);
      const [ics] = await attachmentsOf(db, confirmed.id);
      expect(ics.filename).toBe(`${edition.code}.ics`);
      expect(ics.content.toString('utf8').match(/BEGIN:VEVENT/g)).toHaveLength(3);
      expect(ics.content.toString('utf8')).toContain('TZID=Europe/Amsterdam');

      // The seat frees again: third is offered, declines; fourth is offered and lets it expire.
      await t.http.post(`/enrolments/${waiting[0].id}/cancel`).set(bearer(advisor)).send({}).expect(200);
      expect((await t.http.get(`/enrolments/${waiting[1].id}`).set(bearer(advisor))).body.status).toBe('offered');
      await t.http.post(`/enrolments/${waiting[1].id}/decline`).set(bearer(advisor)).expect(200);
      expect((await t.http.get(`/enrolments/${waiting[2].id}`).set(bearer(advisor))).body.status).toBe('offered');
      await db.query(`UPDATE enrolment SET offer_expires_at = now() - interval '1 minute' WHERE id = $1`, [waiting[2].id]);
      await t.http.post(`/enrolments/${waiting[2].id}/accept`).set(bearer(advisor)).expect(422);
      expect(await t.app.get(EnrolmentSeats).expireOffers()).toBeGreaterThanOrEqual(1);
      expect((await t.http.get(`/enrolments/${waiting[2].id}`).set(bearer(advisor))).body.status).toBe('expired');
      const history = (await t.http.get(`/enrolments/${waiting[0].id}/history`).set(bearer(advisor)).expect(200)).body;
      expect(history.map((h: { toStatus: string }) => h.toStatus)).toEqual(['waitlisted', 'offered', 'enrolled', 'cancelled']);
      expect(history[2]).toMatchObject({ actorId: studentUser.id, reason: 'offer accepted' });
      expect(history[3].actorEmail).toMatch(/^advisor-/);
    });
  });

  describe('cancellation', () => {
    it('is free well before the start and costs the fee close to it, stored on the enrolment and in the mail', async () => {
      const course = await createCourse(t, admin, { tuitionCents: 249_500 });
      const soon = new Date(Date.now() + 10 * 24 * 3600_000).toISOString().slice(0, 10);
      const early = await createEdition(db, course.id, { startDate: '2031-09-01' });
      const late = await createEdition(db, course.id, { startDate: soon });
      const student = await createStudent(t, advisor, { locale: 'en' });
      const a = (await enrol({ studentId: student.id, editionId: early.id }).expect(201)).body;
      const b = (await enrol({ studentId: student.id, editionId: late.id }).expect(201)).body;
      const free = await t.http.post(`/enrolments/${a.id}/cancel`).set(bearer(advisor)).send({}).expect(200);
      expect(free.body).toMatchObject({ status: 'cancelled', cancellationFeeCents: 0 });
      const paid = await t.http.post(`/enrolments/${b.id}/cancel`).set(bearer(advisor)).send({ reason: 'new job' }).expect(200);
      expect(paid.body).toMatchObject({ status: 'cancelled', cancellationFeeCents: 124_750, cancellationReason: 'new job' });
      const mails = (await mailsTo(db, student.email)).filter((m) => m.type === 'enrolment-cancelled');
      expect(mails.map((m) => m.data.cancellationFeeCents)).toEqual([null, 124_750]);
      expect(mails[1]).toMatchObject({ locale: 'en' });
      expect(mails[1].text).toContain('1,247.50');
      await t.http.post(`/enrolments/${b.id}/cancel`).set(bearer(advisor)).send({}).expect(422);
    });
  });

  describe('transfer', () => {
    it('moves to another edition of the same course keeping the history, and refuses another course', async () => {
      const course = await createCourse(t, admin);
      const other = await createCourse(t, admin);
      const from = await createEdition(db, course.id);
      const to = await createEdition(db, course.id, { startDate: '2031-10-07', priceOverrideCents: 199_000 });
      const elsewhere = await createEdition(db, other.id);
      const student = await createStudent(t, advisor);
      const original = (await enrol({ studentId: student.id, editionId: from.id }).expect(201)).body;
      const wrong = await t.http.post(`/enrolments/${original.id}/transfer`).set(bearer(advisor)).send({ editionId: elsewhere.id }).expect(422);
      expect(wrong.body.code).toBe('different_course');
      const moved = await t.http.post(`/enrolments/${original.id}/transfer`).set(bearer(advisor)).send({ editionId: to.id, reason: 'andere dag' }).expect(200);
      expect(moved.body).toMatchObject({ editionId: to.id, status: 'enrolled', transferredFromId: original.id, tuitionCents: 199_000 });
      expect((await t.http.get(`/enrolments/${original.id}`).set(bearer(advisor))).body.status).toBe('transferred');
      const history = (await t.http.get(`/enrolments/${moved.body.id}/history`).set(bearer(advisor))).body;
      expect(history).toEqual([expect.objectContaining({ fromStatus: null, toStatus: 'enrolled', reason: `transferred from ${from.code}: andere dag` })]);
      const all = (await t.http.get(`/students/${student.id}/enrolments`).set(bearer(advisor))).body;
      expect(all.total).toBe(2);
      expect(all.items.map((e: { status: string }) => e.status)).toEqual(['transferred', 'enrolled']);
    });
  });

  describe('rules', () => {
    it('checks entry requirements; an override needs a reason, which is recorded', async () => {
      const course = await createCourse(t, admin, { minimumPriorEducation: 'wo_master' });
      const edition = await createEdition(db, course.id);
      const student = await createStudent(t, advisor);
      const refused = await enrol({ studentId: student.id, editionId: edition.id }).expect(422);
      expect(refused.body).toMatchObject({ code: 'entry_requirements_not_met', minimumPriorEducation: 'wo_master', priorEducationLevel: 'hbo_bachelor' });
      const noReason = await enrol({ studentId: student.id, editionId: edition.id, overrideEntryRequirements: true }).expect(400);
      expect(noReason.body.errors[0]).toMatchObject({ field: 'overrideReason' });
      const overridden = await enrol({ studentId: student.id, editionId: edition.id, overrideEntryRequirements: true, overrideReason: 'intake: 10 jaar ervaring op masterniveau' }).expect(201);
      expect(overridden.body.overrideReason).toBe('intake: 10 jaar ervaring op masterniveau');
      const [audit] = await db.query(`SELECT reason FROM audit_entry WHERE entity = 'enrolment' AND entity_id = $1`, [overridden.body.id]);
      expect(audit.reason).toBe('entry requirements overridden: intake: 10 jaar ervaring op masterniveau');
    });

    it('refuses an unknown, closed or cancelled edition, a second enrolment, and a full edition without a waitlist', async () => {
      const course = await createCourse(t, admin);
      const student = await createStudent(t, advisor);
      const unknown = await enrol({ studentId: student.id, editionId: randomUUID() }).expect(400);
      expect(unknown.body.errors[0]).toMatchObject({ field: 'editionId', rule: 'exists' });
      const draft = await createEdition(db, course.id, { status: 'draft' });
      expect((await enrol({ studentId: student.id, editionId: draft.id }).expect(422)).body).toMatchObject({ status: 422, code: 'edition_not_open', editionStatus: 'draft' });
      const cancelled = await createEdition(db, course.id, { status: 'cancelled' });
      expect((await enrol({ studentId: student.id, editionId: cancelled.id }).expect(422)).body.code).toBe('edition_cancelled');
      const closed = await createEdition(db, course.id, { enrolmentDeadline: '2020-01-01' });
      expect((await enrol({ studentId: student.id, editionId: closed.id }).expect(422)).body.code).toBe('enrolment_deadline_passed');
      const open = await createEdition(db, course.id, { capacity: 1 });
      await enrol({ studentId: student.id, editionId: open.id }).expect(201);
      expect((await enrol({ studentId: student.id, editionId: open.id }).expect(409)).body.code).toBe('already_enrolled');

      const settings = (await t.http.get('/enrolment-settings').set(bearer(admin))).body;
      const limited = await t.http.patch('/enrolment-settings').set(bearer(admin)).send({ waitlistLimit: 0, version: settings.version }).expect(200);
      try {
        const other = await createStudent(t, advisor);
        const notices = () => db.query(`SELECT id FROM staff_notification WHERE summary LIKE $1 ORDER BY id`, [`%(${open.code})`]);
        const before = await notices();
        expect((await enrol({ studentId: other.id, editionId: open.id }).expect(422)).body.code).toBe('edition_full');
        // Refused under the lock after the staff notice was written: rolled back, nothing is sent.
        expect(await mailsTo(db, other.email)).toEqual([]);
        expect(await notices()).toEqual(before);
      } finally {
        await t.http.patch('/enrolment-settings').set(bearer(admin)).send({ waitlistLimit: null, version: limited.body.version }).expect(200);
      }
    });
  });

  describe('privacy', () => {
    it('lets a student user read only their own records', async () => {
      const course = await createCourse(t, admin);
      const edition = await createEdition(db, course.id);
      const own = await createStudent(t, advisor);
      const other = await createStudent(t, advisor);
      const ownEnrolment = (await enrol({ studentId: own.id, editionId: edition.id }).expect(201)).body;
      const otherEnrolment = (await enrol({ studentId: other.id, editionId: edition.id }).expect(201)).body;
      const user = await t.signIn(['student'], { studentId: own.id });
      await t.http.get(`/students/${own.id}`).set(bearer(user.token)).expect(200);
      const denied = await t.http.get(`/students/${other.id}`).set(bearer(user.token)).expect(404);
      expect(JSON.stringify(denied.body)).not.toContain(other.email);
      await t.http.get(`/students/${other.id}/export`).set(bearer(user.token)).expect(404);
      await t.http.get(`/enrolments/${otherEnrolment.id}`).set(bearer(user.token)).expect(404);
      await t.http.get(`/enrolments/${ownEnrolment.id}`).set(bearer(user.token)).expect(200);
      const listed = (await t.http.get(`/enrolments?editionId=${edition.id}`).set(bearer(user.token)).expect(200)).body;
      expect(listed.items.map((e: { id: string }) => e.id)).toEqual([ownEnrolment.id]);
      expect((await t.http.get(`/enrolments?studentId=${other.id}`).set(bearer(user.token)).expect(200)).body.items).toEqual([]);
      await t.http.get('/students').set(bearer(user.token)).expect(403);
    });

    it('exports everything about a student and erases the personal data, keeping what invoices need', async () => {
      const course = await createCourse(t, admin);
      const edition = await createEdition(db, course.id);
      const student = await createStudent(t, advisor);
      const party = (await t.http.post('/billing-parties').set(bearer(advisor)).send({ kind: 'student', studentId: student.id }).expect(201)).body;
      expect(party).toMatchObject({ name: 'Zoë van der Şahin-Łukasiewicz', address: { postcode: '3511 AB' } });
      await enrol({ studentId: student.id, editionId: edition.id, billingPartyId: party.id }).expect(201);
      const exported = (await t.http.get(`/students/${student.id}/export`).set(bearer(advisor)).expect(200)).body;
      expect(exported.student.email).toBe(student.email);
      expect(exported.billingParties).toHaveLength(1);
      expect(exported.enrolments).toHaveLength(1);
      expect(exported.mails.map((m: { type: string }) => m.type)).toEqual(['enrolment-confirmed']);

      const erased = await t.http.post(`/students/${student.id}/erasure`).set(bearer(admin)).send({ reason: 'verzoek per mail' }).expect(200);
      expect(erased.body).toMatchObject({ givenNames: '', familyName: '', email: null, phone: null, address: null, dateOfBirth: null });
      expect(erased.body.erasedAt).not.toBeNull();
      const kept = (await t.http.get(`/billing-parties/${party.id}`).set(bearer(admin)).expect(200)).body;
      expect(kept).toMatchObject({ name: 'Zoë van der Şahin-Łukasiewicz', address: { city: 'Utrecht' }, contactEmail: null });
      expect(kept.retainedUntil).toMatch(/^\d{4}-12-31$/);
      const after = JSON.stringify((await t.http.get(`/students/${student.id}/export`).set(bearer(admin)).expect(200)).body);
      expect(after).not.toContain(student.email);
      const audit = JSON.stringify(await db.query(`SELECT changes FROM audit_entry WHERE entity = 'student' AND entity_id = $1`, [student.id]));
      expect(audit).not.toContain(student.email);
      expect((await enrol({ studentId: student.id, editionId: edition.id }).expect(422)).body.code).toBe('student_erased');
    });
  });

  it('tells planning who is enrolled', async () => {
    const course = await createCourse(t, admin);
    const edition = await createEdition(db, course.id, { capacity: 1 });
    const a = await createStudent(t, advisor, { givenNames: 'Ayşe', namePrefix: '', familyName: 'Yılmaz', locale: 'en' });
    const b = await createStudent(t, advisor);
    await enrol({ studentId: a.id, editionId: edition.id }).expect(201);
    await enrol({ studentId: b.id, editionId: edition.id }).expect(201);
    const participants = t.app.get(EditionParticipants);
    expect(await participants.enrolled(edition.id)).toEqual([{ studentId: a.id, name: 'Ayşe Yılmaz', email: a.email, locale: 'en', final: true }]);
    expect(await participants.isEnrolled(edition.id, a.id)).toBe(true);
    expect(await participants.isEnrolled(edition.id, b.id)).toBe(false);
  });
});
