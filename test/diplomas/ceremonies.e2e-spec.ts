import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { DEMO_INSTITUTE } from '../../src/demo/demo-institute';
import { SettingsService } from '../../src/settings/settings.service';
import { attachmentsOf, mailsTo } from '../factories';
import { bearer, createTestApp, TestApp } from '../test-app';
import { binary, cohort, Cohort } from './factories';

describe('Ceremonies', () => {
  let t: TestApp;
  let db: DataSource;
  let coordinator: string;
  let planner: string;

  beforeAll(async () => {
    t = await createTestApp({ RUN_WORKER: 'false', PUBLIC_URL: 'https://registrar.example.nl' });
    db = t.app.get(DataSource);
    const settings = t.app.get(SettingsService);
    await settings.update({ ...DEMO_INSTITUTE, version: (await settings.get()).version });
    coordinator = (await t.signIn(['coordinator'])).token;
    planner = (await t.signIn(['planner'])).token;
  });
  afterAll(() => t.close());

  const inDays = (days: number, hour = 15) => {
    const date = new Date(Date.now() + days * 86_400_000);
    date.setUTCHours(hour, 0, 0, 0);
    return date.toISOString();
  };

  async function graduates(count: number): Promise<Cohort> {
    const group = await cohort(t, planner, { students: count });
    for (const s of group.students) await t.http.post('/diplomas').set(bearer(coordinator)).send({ studentId: s.studentId, courseId: group.courseId, mail: false }).expect(201);
    return group;
  }

  const ceremony = (editionIds: string[], overrides: Record<string, unknown> = {}) =>
    t.http
      .post('/ceremonies')
      .set(bearer(coordinator))
      .send({
        title: 'Diploma-uitreiking voorjaar',
        startsAt: inDays(30),
        endsAt: inDays(30, 17),
        place: 'Aula, Jaarbeurs Utrecht',
        address: 'Jaarbeursplein 6, Utrecht',
        programme: '15.00 Ontvangst\n15.30 Uitreiking\n16.30 Borrel',
        capacity: 6,
        maxGuestsPerGraduate: 2,
        responseDeadline: inDays(20),
        editionIds,
        ...overrides,
      });

  /** The token of a graduate's invitation, from the link in their mail. */
  async function tokenOf(email: string): Promise<string> {
    const [mail] = (await mailsTo(db, email)).filter((m) => m.type === 'ceremony-invitation');
    return /ceremony-invitations\/([A-Za-z0-9_-]{32})/.exec(mail.text)![1];
  }

  it('invites the graduates by mail with an .ics and a link, once each', async () => {
    const group = await graduates(2);
    const created = await ceremony([group.editionId]).expect(201);
    expect(created.body.counts).toEqual({ invited: 0, yes: 0, no: 0, open: 0, guests: 0, seatsTaken: 0 });
    const sent = await t.http.post(`/ceremonies/${created.body.id}/invitations`).set(bearer(coordinator)).expect(200);
    expect(sent.body).toEqual({ invited: 2, alreadyInvited: 0 });
    expect((await t.http.post(`/ceremonies/${created.body.id}/invitations`).set(bearer(coordinator)).expect(200)).body).toEqual({ invited: 0, alreadyInvited: 2 });

    const [mail] = (await mailsTo(db, group.students[0].email)).filter((m) => m.type === 'ceremony-invitation');
    expect(mail.text).toContain('https://registrar.example.nl/ceremony-invitations/');
    const [ics] = await attachmentsOf(db, mail.id);
    expect(ics.contentType).toContain('text/calendar');
    // Long lines are folded (RFC 5545): unfolded, commas stay escaped.
    const calendar = Buffer.from(ics.content).toString('utf8').replace(/\r\n[ \t]/g, '');
    expect(calendar).toContain('BEGIN:VEVENT');
    expect(calendar).toContain('TZID=Europe/Amsterdam');
    expect(calendar).toContain('LOCATION:Aula\\, Jaarbeurs Utrecht\\, Jaarbeursplein 6\\, Utrecht');
  });

  it('takes yes with guests or no through the public link, within the capacity and before the deadline', async () => {
    const group = await graduates(3);
    const { body } = await ceremony([group.editionId], { capacity: 5 }).expect(201);
    await t.http.post(`/ceremonies/${body.id}/invitations`).set(bearer(coordinator)).expect(200);
    const [first, second, third] = await Promise.all(group.students.map((s) => tokenOf(s.email)));

    const page = await t.http.get(`/ceremony-invitations/${first}`).expect(200);
    expect(page.text).toContain('Zoë Şahin-Łukasiewicz');
    expect(page.text).toContain('<form method="post">');
    const yes = await t.http.post(`/ceremony-invitations/${first}`).send({ answer: 'yes', guests: 2 }).expect(200);
    expect(yes.body).toMatchObject({ answer: 'yes', guests: 2, open: true });
    await t.http.post(`/ceremony-invitations/${second}`).send({ answer: 'yes', guests: 3 }).expect(400);
    const full = await t.http.post(`/ceremony-invitations/${second}`).send({ answer: 'yes', guests: 2 }).expect(422);
    expect(full.body).toMatchObject({ code: 'ceremony_full', seatsLeft: 2 });
    await t.http.post(`/ceremony-invitations/${second}`).send({ answer: 'yes', guests: 1 }).expect(200);
    // A browser's form post is sent on to the page, which states the answer; so a reload posts nothing again.
    const form = await t.http.post(`/ceremony-invitations/${third}`).type('form').send({ answer: 'no' }).expect(303);
    expect(form.headers.location).toBe(`/ceremony-invitations/${third}`);
    expect((await t.http.get(form.headers.location).expect(200)).text).toContain('niet komt');
    await t.http.get('/ceremony-invitations/unknown-token').set('Accept', 'application/json').expect(404);

    const view = await t.http.get(`/ceremonies/${body.id}`).set(bearer(coordinator)).expect(200);
    expect(view.body.counts).toEqual({ invited: 3, yes: 2, no: 1, open: 0, guests: 3, seatsTaken: 5 });

    await db.query(`UPDATE ceremony SET response_deadline = now() - interval '1 minute' WHERE id = $1`, [body.id]);
    const late = await t.http.post(`/ceremony-invitations/${third}`).send({ answer: 'yes' }).expect(422);
    expect(late.body.code).toBe('response_deadline_passed');
  });

  it('prints the attendance list and the diplomas to bring', async () => {
    const group = await graduates(2);
    const { body } = await ceremony([group.editionId]).expect(201);
    await t.http.post(`/ceremonies/${body.id}/invitations`).set(bearer(coordinator)).expect(200);
    await t.http.post(`/ceremony-invitations/${await tokenOf(group.students[0].email)}`).send({ answer: 'yes', guests: 1 }).expect(200);
    await t.http.post(`/ceremony-invitations/${await tokenOf(group.students[1].email)}`).send({ answer: 'no' }).expect(200);
    const { invitations } = (await t.http.get(`/ceremonies/${body.id}/invitations`).set(bearer(coordinator)).expect(200)).body;
    const pdf = (await t.http.get(`/ceremonies/${body.id}/attendance-list.pdf`).set(bearer(coordinator)).buffer(true).parse(binary).expect(200)).body as Buffer;
    const dir = mkdtempSync(join(tmpdir(), 'ceremony-'));
    try {
      writeFileSync(join(dir, 'list.pdf'), pdf);
      const text = execFileSync('pdftotext', ['-enc', 'UTF-8', join(dir, 'list.pdf'), '-'], { encoding: 'utf8' });
      const coming = invitations.find((i: { answer: string }) => i.answer === 'yes');
      const away = invitations.find((i: { answer: string }) => i.answer === 'no');
      expect(text).toContain('Aanwezigheidslijst');
      expect(text).toContain(coming.name);
      expect(text).toContain(coming.diplomaNumber);
      expect(text).not.toContain(away.diplomaNumber);
      expect(text).toContain('afgemeld: 1');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    await t.http.get(`/ceremonies/${body.id}/attendance-list.pdf`).set(bearer(planner)).expect(403);
  });

  it('refuses a ceremony that ends before it starts or an unknown edition', async () => {
    const group = await cohort(t, planner, { students: 0 });
    const bad = await ceremony([group.editionId], { endsAt: inDays(29) }).expect(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'endsAt' })]);
    await ceremony(['00000000-0000-4000-8000-000000000000']).expect(404);
  });
});
