import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { DEMO_INSTITUTE } from '../../src/demo/demo-institute';
import { SettingsService } from '../../src/settings/settings.service';
import { attachmentsOf, mailsTo } from '../factories';
import { bearer, createTestApp, eventually, TestApp } from '../test-app';
import { binary, cohort, readBack, recordPresence, solidPng } from './factories';

describe('Diplomas', () => {
  let t: TestApp;
  let db: DataSource;
  let coordinator: string;
  let planner: string;

  beforeAll(async () => {
    t = await createTestApp({ PUBLIC_URL: 'https://registrar.example.nl' });
    db = t.app.get(DataSource);
    await t.app.get(SettingsService).update({ ...DEMO_INSTITUTE, version: (await t.app.get(SettingsService).get()).version });
    for (const kind of ['logo', 'director_signature', 'coordinator_signature'] as const) {
      await t.app.get(SettingsService).putImage(kind, { mediaType: 'image/png', data: solidPng(160, 50).toString('base64') });
    }
    coordinator = (await t.signIn(['coordinator'])).token;
    planner = (await t.signIn(['planner'])).token;
  });
  afterAll(async () => {
    // Institute-wide state goes back as it was: other suites expect no images.
    for (const kind of ['logo', 'director_signature', 'coordinator_signature'] as const) await t.app.get(SettingsService).removeImage(kind).catch(() => undefined);
    await t.close();
  });

  const issue = (body: Record<string, unknown>, token = coordinator) => t.http.post('/diplomas').set(bearer(token)).send(body);
  const pdfOf = async (id: string, token = coordinator) => (await t.http.get(`/diplomas/${id}/pdf`).set(bearer(token)).buffer(true).parse(binary).expect(200)).body as Buffer;

  it('issues a numbered, signed diploma that reads back right with pdftotext, zbarimg and pdfsig, and mails it with the PDF', async () => {
    const { courseId, students } = await cohort(t, planner, { finalGrade: 8.3 });
    const response = await issue({ studentId: students[0].studentId, courseId }).expect(201);
    const diploma = response.body.diploma;
    expect(response.body.created).toBe(true);
    expect(diploma).toMatchObject({ state: 'valid', version: 1, finalGrade: 8.3, nameOnDiploma: 'Zoë Şahin-Łukasiewicz', studyLoadHours: 120, locale: 'nl' });
    expect(diploma.number).toMatch(new RegExp(`^D${new Date().getFullYear()}-\\d{6}$`));
    expect(diploma.verificationCode).toMatch(/^[A-Z2-7]{20}$/);
    expect(diploma.verificationUrl).toBe(`https://registrar.example.nl/verify/${diploma.verificationCode}`);

    const pdf = await pdfOf(diploma.id);
    expect(createHash('sha256').update(pdf).digest('hex')).toBe(diploma.pdfSha256);
    const { text, qr, signature } = readBack(pdf);
    expect(text).toContain('Zoë Şahin-Łukasiewicz');
    expect(text).toContain('Post-hbo Leidinggeven aan Professionals');
    expect(text).toContain(diploma.number);
    expect(text).toContain('Eindcijfer 8,3');
    expect(text).toContain('40 (V&VN Kwaliteitsregister)');
    expect(qr).toBe(diploma.verificationUrl);
    expect(signature).toContain('Signature is Valid');
    expect(signature).toContain('Total document signed');

    const [mail] = await mailsTo(db, students[0].email);
    expect(mail).toMatchObject({ type: 'diploma-issued', locale: 'nl' });
    expect(mail.text).toContain(diploma.verificationUrl);
    const [attachment] = await attachmentsOf(db, mail.id);
    expect(attachment).toMatchObject({ filename: `${diploma.number}.pdf`, contentType: 'application/pdf' });
    expect(Buffer.from(attachment.content).equals(pdf)).toBe(true);
  });

  it('prints the name the coordinator checked, in English for an English-speaking student', async () => {
    const { courseId, students } = await cohort(t, planner, { locale: 'en', finalGrade: null, students: 2, completed: 2 });
    const response = await issue({ studentId: students[1].studentId, courseId, nameOnDiploma: 'Nguyễn Thị Minh Khai' }).expect(201);
    const { text } = readBack(await pdfOf(response.body.diploma.id));
    expect(text).toContain('Nguyễn Thị Minh Khai');
    expect(text).toContain('Post-bachelor Leading Professionals');
    expect(text).toContain('has successfully completed the course');
    expect(text).not.toMatch(/Final grade/);
  });

  it('answers the existing diploma when the same student and course are issued again', async () => {
    const { courseId, students } = await cohort(t, planner);
    const first = await issue({ studentId: students[0].studentId, courseId }).expect(201);
    const again = await issue({ studentId: students[0].studentId, courseId }).expect(200);
    expect(again.body).toMatchObject({ created: false, diploma: { id: first.body.diploma.id, number: first.body.diploma.number } });
    expect(await mailsTo(db, students[0].email)).toHaveLength(1);
  });

  it('refuses a student who has not passed every exam, or attended too little, with 422 and the reasons', async () => {
    const { courseId, editionId, sessionIds, students } = await cohort(t, planner, { students: 2, completed: 1, sessions: 4 });
    const notCompleted = await issue({ studentId: students[1].studentId, courseId }).expect(422);
    expect(notCompleted.body).toMatchObject({ code: 'not_eligible_for_diploma', reasons: [{ code: 'not_completed' }] });

    await t.http.put(`/courses/${courseId}/attendance-requirement`).set(bearer(planner)).send({ minimumPercent: 80 }).expect(200);
    await recordPresence(t, planner, editionId, sessionIds[0], [{ studentId: students[0].studentId, present: true }]).expect(200);
    await recordPresence(t, planner, editionId, sessionIds[1], [{ studentId: students[0].studentId, present: true }]).expect(200);
    await recordPresence(t, planner, editionId, sessionIds[2], [{ studentId: students[0].studentId, present: true }]).expect(200);
    const lowAttendance = await issue({ studentId: students[0].studentId, courseId }).expect(422);
    expect(lowAttendance.body.reasons).toEqual([expect.objectContaining({ code: 'attendance_below_minimum', message: expect.stringContaining('75%') })]);

    const candidates = await t.http.get(`/editions/${editionId}/diploma-candidates`).set(bearer(coordinator)).expect(200);
    expect(candidates.body).toMatchObject({ editionId, courseId, eligible: 0 });
    expect(candidates.body.candidates).toHaveLength(2);

    await recordPresence(t, planner, editionId, sessionIds[3], [{ studentId: students[0].studentId, present: true }]).expect(200);
    await issue({ studentId: students[0].studentId, courseId }).expect(201);
    const after = await t.http.get(`/editions/${editionId}/diploma-candidates`).set(bearer(coordinator)).expect(200);
    const first = after.body.candidates.find((c: { studentId: string }) => c.studentId === students[0].studentId);
    expect(first).toMatchObject({ eligible: true, reasons: [], attendancePercent: 100, minimumAttendancePercent: 80, diplomaNumber: expect.stringMatching(/^D\d{4}-\d{6}$/) });
  });

  it('numbers diplomas issued at the same time without gaps or duplicates', async () => {
    const { courseId, students } = await cohort(t, planner, { students: 8 });
    const responses = await Promise.all(students.map((s) => issue({ studentId: s.studentId, courseId, mail: false })));
    expect(responses.map((r) => r.status)).toEqual(students.map(() => 201));
    const sequences = responses.map((r) => Number(r.body.diploma.number.slice(-6))).sort((a, b) => a - b);
    expect(new Set(sequences).size).toBe(8);
    expect(sequences[7] - sequences[0]).toBe(7);
    // The same pair at once yields one diploma.
    const { courseId: other, students: [one] } = await cohort(t, planner);
    const twice = await Promise.all([issue({ studentId: one.studentId, courseId: other }), issue({ studentId: one.studentId, courseId: other })]);
    expect(twice.map((r) => r.status).sort()).toEqual([200, 201]);
    expect(twice[0].body.diploma.id).toBe(twice[1].body.diploma.id);
  });

  it('reissues as a new version pointing to the old one, which then shows as superseded', async () => {
    const { courseId, students } = await cohort(t, planner);
    const old = (await issue({ studentId: students[0].studentId, courseId }).expect(201)).body.diploma;
    const next = await t.http
      .post(`/diplomas/${old.id}/reissue`)
      .set(bearer(coordinator))
      .send({ reason: 'Naamswijziging', nameOnDiploma: 'Zoë Şahin' })
      .expect(201);
    expect(next.body).toMatchObject({ version: 2, supersedesId: old.id, state: 'valid', nameOnDiploma: 'Zoë Şahin', reissueReason: 'Naamswijziging' });
    expect(next.body.number).not.toBe(old.number);
    const before = await t.http.get(`/diplomas/${old.id}`).set(bearer(coordinator)).expect(200);
    expect(before.body).toMatchObject({ state: 'superseded', supersededById: next.body.id });
    expect(readBack(await pdfOf(next.body.id)).text).toContain('Zoë Şahin');
    await t.http.post(`/diplomas/${old.id}/reissue`).set(bearer(coordinator)).send({ reason: 'again' }).expect(409);
    await t.http.post(`/diplomas/${old.id}/mail`).set(bearer(coordinator)).expect(422);
    // Issuing the pair again answers the current version.
    expect((await issue({ studentId: students[0].studentId, courseId }).expect(200)).body.diploma.id).toBe(next.body.id);
  });

  it('revokes with a reason kept in the audit log, and a revoked diploma is not mailed again', async () => {
    const { courseId, students } = await cohort(t, planner);
    const diploma = (await issue({ studentId: students[0].studentId, courseId }).expect(201)).body.diploma;
    const mailed = await t.http.post(`/diplomas/${diploma.id}/mail`).set(bearer(coordinator)).expect(202);
    expect(mailed.body).toMatchObject({ diplomaId: diploma.id, mailCount: 2 });
    expect(await mailsTo(db, students[0].email)).toHaveLength(2);

    await t.http.post(`/diplomas/${diploma.id}/revoke`).set(bearer(coordinator)).send({ reason: '' }).expect(400);
    const revoked = await t.http.post(`/diplomas/${diploma.id}/revoke`).set(bearer(coordinator)).send({ reason: 'Fraude bij het examen' }).expect(200);
    expect(revoked.body).toMatchObject({ state: 'revoked', revocationReason: 'Fraude bij het examen' });
    const [audit] = await db.query(`SELECT action, reason FROM audit_entry WHERE entity_id = $1 AND action = 'update' ORDER BY occurred_at DESC LIMIT 1`, [diploma.id]);
    expect(audit).toMatchObject({ reason: 'Fraude bij het examen' });
    const again = await t.http.post(`/diplomas/${diploma.id}/mail`).set(bearer(coordinator)).expect(422);
    expect(again.body.code).toBe('diploma_revoked');
    await t.http.post(`/diplomas/${diploma.id}/revoke`).set(bearer(coordinator)).send({ reason: 'twice' }).expect(409);
    expect(await mailsTo(db, students[0].email)).toHaveLength(2);
  });

  it('issues for every eligible student of an edition as a job with progress, and zips the PDFs', async () => {
    const { editionId, students } = await cohort(t, planner, { students: 5, completed: 4 });
    const started = await t.http.post(`/editions/${editionId}/diplomas`).set(bearer(coordinator)).send({}).expect(202);
    let job: { state: string; progress: { done: number; total: number }; result: Record<string, number> } | undefined;
    await eventually(async () => {
      job = (await t.http.get(`/jobs/${started.body.jobId}`).set(bearer(coordinator)).expect(200)).body;
      return job!.state === 'completed' || job!.state === 'failed';
    }, 60_000);
    expect(job).toMatchObject({ state: 'completed', progress: { done: 4, total: 4 }, result: { candidates: 5, eligible: 4, issued: 4, alreadyIssued: 0, mailed: 4, notEligible: 1 } });
    for (const s of students.slice(0, 4)) expect(await mailsTo(db, s.email)).toHaveLength(1);
    expect(await mailsTo(db, students[4].email)).toHaveLength(0);

    const list = await t.http.get(`/diplomas?editionId=${editionId}`).set(bearer(coordinator)).expect(200);
    expect(list.body).toMatchObject({ total: 4, page: 1 });
    const zip = (await t.http.get(`/editions/${editionId}/diplomas.zip`).set(bearer(coordinator)).buffer(true).parse(binary).expect(200)).body as Buffer;
    // Each entry's local header starts with PK\x03\x04.
    const entries = zip.toString('latin1').split('PK\x03\x04').length - 1;
    expect(entries).toBe(4);
    for (const item of list.body.items) expect(zip.includes(Buffer.from(item.number))).toBe(true);
  });

  it('lets a student read their own diplomas only, and only coordinators issue', async () => {
    const { courseId, students } = await cohort(t, planner, { students: 2 });
    const own = (await issue({ studentId: students[0].studentId, courseId }).expect(201)).body.diploma;
    const other = (await issue({ studentId: students[1].studentId, courseId }).expect(201)).body.diploma;
    const student = await t.signIn(['student'], { studentId: students[0].studentId });
    await t.http.get(`/diplomas/${own.id}`).set(bearer(student.token)).expect(200);
    await pdfOf(own.id, student.token);
    await t.http.get(`/diplomas/${other.id}`).set(bearer(student.token)).expect(404);
    await t.http.get(`/diplomas/${other.id}/pdf`).set(bearer(student.token)).expect(404);
    const mine = await t.http.get('/diplomas').set(bearer(student.token)).expect(200);
    expect(mine.body.items.map((d: { id: string }) => d.id)).toEqual([own.id]);
    await issue({ studentId: students[0].studentId, courseId }, student.token).expect(403);
    await issue({ studentId: students[0].studentId, courseId }, planner).expect(403);
    await t.http.post(`/diplomas/${own.id}/revoke`).set(bearer(planner)).send({ reason: 'x' }).expect(403);
  });
});
