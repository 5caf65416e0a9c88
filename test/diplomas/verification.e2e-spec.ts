import { DEMO_INSTITUTE } from '../../src/demo/demo-institute';
import { SettingsService } from '../../src/settings/settings.service';
import { bearer, createTestApp, TestApp } from '../test-app';
import { binary, cohort } from './factories';

describe('Diploma verification', () => {
  let t: TestApp;
  let coordinator: string;
  let valid: { id: string; number: string; verificationCode: string; nameOnDiploma: string };
  let revoked: { id: string; verificationCode: string };
  let superseded: { id: string; verificationCode: string };
  let pdf: Buffer;

  beforeAll(async () => {
    t = await createTestApp({ RUN_WORKER: 'false', VERIFY_RATE_PER_MINUTE: '1000' });
    const settings = t.app.get(SettingsService);
    await settings.update({ ...DEMO_INSTITUTE, version: (await settings.get()).version });
    coordinator = (await t.signIn(['coordinator'])).token;
    const planner = (await t.signIn(['planner'])).token;
    const { courseId, students } = await cohort(t, planner, { students: 3 });
    const issue = async (studentId: string) => (await t.http.post('/diplomas').set(bearer(coordinator)).send({ studentId, courseId, mail: false }).expect(201)).body.diploma;
    valid = await issue(students[0].studentId);
    revoked = await issue(students[1].studentId);
    await t.http.post(`/diplomas/${revoked.id}/revoke`).set(bearer(coordinator)).send({ reason: 'Fraude' }).expect(200);
    superseded = await issue(students[2].studentId);
    await t.http.post(`/diplomas/${superseded.id}/reissue`).set(bearer(coordinator)).send({ reason: 'Verloren', mail: false }).expect(201);
    pdf = (await t.http.get(`/diplomas/${valid.id}/pdf`).set(bearer(coordinator)).buffer(true).parse(binary).expect(200)).body;
  });
  afterAll(() => t.close());

  it('shows a valid diploma on a public Dutch page with the name, course, date and number only', async () => {
    const page = await t.http.get(`/verify/${valid.verificationCode}`).set('Accept', 'text/html').expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain('<html lang="nl">');
    expect(page.text).toContain('Dit diploma is geldig.');
    expect(page.text).toContain('Zoë Şahin-Łukasiewicz');
    expect(page.text).toContain(valid.number);
    expect(page.text).toContain('Post-hbo Leidinggeven aan Professionals');
    expect(page.text).not.toContain('@test.registrar.nl');
  });

  it('speaks English by Accept-Language or ?lang, and says revoked (with the date) or superseded', async () => {
    const english = await t.http.get(`/verify/${valid.verificationCode}`).set('Accept-Language', 'en-GB,en;q=0.9').expect(200);
    expect(english.text).toContain('This diploma is valid.');
    const revokedPage = await t.http.get(`/verify/${revoked.verificationCode}?lang=en`).expect(200);
    expect(revokedPage.text).toMatch(/This diploma was revoked on \d{1,2} \w+ \d{4}/);
    const revokedNl = await t.http.get(`/verify/${revoked.verificationCode}?lang=nl`).set('Accept-Language', 'en').expect(200);
    expect(revokedNl.text).toMatch(/ingetrokken op \d{1,2} \w+ \d{4}/);
    const supersededPage = await t.http.get(`/verify/${superseded.verificationCode}`).expect(200);
    expect(supersededPage.text).toContain('vervangen door een nieuwere versie');
  });

  it('answers JSON to machines', async () => {
    const json = await t.http.get(`/verify/${revoked.verificationCode}`).set('Accept', 'application/json').expect(200);
    expect(Object.keys(json.body).sort()).toEqual(['course', 'issueDate', 'name', 'number', 'revokedAt', 'state', 'supersededAt']);
    expect(json.body).toMatchObject({ state: 'revoked', revokedAt: expect.any(String) });
    const other = await t.http.get(`/verify/${superseded.verificationCode.toLowerCase()}`).set('Accept', 'application/json').expect(200);
    expect(other.body.state).toBe('superseded');
  });

  it('answers 400 to a code of the wrong shape and 404 to an unknown one, without a hint', async () => {
    const bad = await t.http.get('/verify/not-a-code').set('Accept', 'application/json').expect(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'code', rule: 'pattern' })]);
    const unknown = await t.http.get('/verify/AAAAAAAAAAAAAAAAAAAA').set('Accept', 'application/json').expect(404);
    expect(unknown.body.detail).toBe('Diploma with this verification code does not exist');
    for (const known of [valid, revoked, superseded]) expect(JSON.stringify(unknown.body)).not.toContain(known.verificationCode);
    const unknownPage = await t.http.get('/verify/AAAAAAAAAAAAAAAAAAAA').expect(404);
    expect(unknownPage.text).toContain('Er is geen diploma met deze code bekend.');
    const badPage = await t.http.get('/verify/x').expect(400);
    expect(badPage.text).toContain('geen geldige controlecode');
  });

  it('recognises an unaltered PDF by its SHA-256 and refuses a tampered copy or another file', async () => {
    const genuine = await t.http.post('/verify/document').set('Content-Type', 'application/pdf').send(pdf).expect(200);
    expect(genuine.body).toMatchObject({ authentic: true, diploma: { state: 'valid', number: valid.number } });
    const tampered = Buffer.from(pdf);
    tampered[tampered.length - 100] ^= 0x20;
    const refused = await t.http.post('/verify/document').set('Content-Type', 'application/pdf').send(tampered).expect(422);
    expect(refused.body.code).toBe('document_not_recognised');
    await t.http.post('/verify/document').set('Content-Type', 'application/pdf').send(Buffer.from('hello')).expect(400);
  });

  it('limits requests per address across API processes: two apps on one database share the count', async () => {
    const [one, two] = [
      await createTestApp({ RUN_WORKER: 'false', VERIFY_RATE_PER_MINUTE: '3' }, process.env.REGISTRAR_TEST_DATABASE_URL!),
      await createTestApp({ RUN_WORKER: 'false', VERIFY_RATE_PER_MINUTE: '3' }, process.env.REGISTRAR_TEST_DATABASE_URL!),
    ];
    // Behind a proxy on loopback the client's address is the forwarded one: one of this test's own.
    const address = `198.51.100.${Math.floor(Math.random() * 250) + 1}`;
    const check = (app: TestApp) => app.http.get(`/verify/${valid.verificationCode}`).set('X-Forwarded-For', address);
    try {
      await check(one).set('Accept', 'application/json').expect(200);
      await check(two).set('Accept', 'application/json').expect(200);
      await check(one).set('Accept', 'application/json').expect(200);
      const refused = await check(two).set('Accept', 'application/json').expect(429);
      expect(refused.body).toMatchObject({ code: 'rate_limited' });
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      const page = await check(one).set('Accept-Language', 'en').expect(429);
      expect(page.headers['content-type']).toMatch(/text\/html/);
      expect(Number(page.headers['retry-after'])).toBeLessThanOrEqual(60);
      await one.http.post('/verify/document').set('X-Forwarded-For', address).set('Content-Type', 'application/pdf').send(pdf).expect(429);
      // Another address is counted on its own.
      await check(two).set('X-Forwarded-For', `203.0.113.${Math.floor(Math.random() * 250) + 1}`).set('Accept', 'application/json').expect(200);
    } finally {
      await one.close();
      await two.close();
    }
  });
});
