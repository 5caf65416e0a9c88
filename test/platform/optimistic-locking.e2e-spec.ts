import { randomUUID } from 'node:crypto';
import { bearer, createTestApp, TestApp } from '../test-app';

/**
 * Two changes based on the same version, sent at the same moment: exactly one wins, the
 * other is told 409 stale_version, for every kind of record that takes a version.
 */
describe('Optimistic locking under concurrency', () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await createTestApp();
    admin = (await t.signIn(['admin'])).token;
  });
  afterAll(() => t.close());

  async function race(path: string, bodies: Record<string, unknown>[]) {
    const responses = await Promise.all(bodies.map((body) => t.http.patch(path).set(bearer(admin)).send(body)));
    return responses.map((r) => r.status).sort();
  }

  it('lets one of two concurrent user edits win', async () => {
    const { body: user } = await t.http
      .post('/users')
      .set(bearer(admin))
      .send({ email: `race-${randomUUID()}@test.nl`, displayName: 'Race', password: 'a-long-enough-password', roles: ['finance'] })
      .expect(201);
    const statuses = await race(`/users/${user.id}`, [
      { displayName: 'Anna', version: user.version },
      { displayName: 'Bram', version: user.version },
    ]);
    expect(statuses).toEqual([200, 409]);
    const after = await t.http.get(`/users/${user.id}`).set(bearer(admin)).expect(200);
    expect(after.body.version).toBe(user.version + 1);
  });

  it('lets one of two concurrent student edits win', async () => {
    const { body: student } = await t.http
      .post('/students')
      .set(bearer(admin))
      .send({ givenNames: 'Mehmet', familyName: 'Şahin', email: `mehmet-${randomUUID()}@example.nl` })
      .expect(201);
    const statuses = await race(`/students/${student.id}`, [
      { profession: 'Verpleegkundige', version: student.version },
      { profession: 'Docent', version: student.version },
    ]);
    expect(statuses).toEqual([200, 409]);
  });

  it('lets one of two concurrent teacher edits win, and answers 409 with the current version', async () => {
    const { body: teacher } = await t.http
      .post('/teachers')
      .set(bearer(admin))
      .send({ name: 'Małgorzata Wójcik', email: `mw-${randomUUID()}@example.nl`, disciplines: ['Zorg'] })
      .expect(201);
    const statuses = await race(`/teachers/${teacher.id}`, [
      { phone: '+31 6 1234 5678', version: teacher.version },
      { phone: '+31 6 8765 4321', version: teacher.version },
    ]);
    expect(statuses).toEqual([200, 409]);
    const stale = await t.http.patch(`/teachers/${teacher.id}`).set(bearer(admin)).send({ phone: '+31 6 0000 0000', version: teacher.version }).expect(409);
    expect(stale.body).toMatchObject({ code: 'stale_version', currentVersion: teacher.version + 1 });
  });

  it('keeps the institute settings to one winner', async () => {
    const { body: settings } = await t.http.get('/settings').set(bearer(admin)).expect(200);
    const statuses = await race('/settings', [
      { phone: '+31 20 111 1111', version: settings.version },
      { phone: '+31 20 222 2222', version: settings.version },
    ]);
    expect(statuses).toEqual([200, 409]);
  });
});
