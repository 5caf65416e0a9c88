import { DataSource } from 'typeorm';
import { bearer, createTestApp, TestApp } from '../test-app';

// A 1×1 PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAcCBlCwAAAABJRU5ErkJggg==', 'base64');

describe('Institute images (logo and signatures)', () => {
  let t: TestApp;
  let admin: { token: string; email: string };
  let planner: string;

  beforeAll(async () => {
    t = await createTestApp({ RUN_WORKER: 'false' });
    admin = await t.signIn(['admin']);
    planner = (await t.signIn(['planner'])).token;
  });
  afterAll(() => t.close());

  it('takes an image whose bytes are what it says, serves it, and removes it with an audit entry', async () => {
    const path = '/settings/images/coordinator_signature';
    const refused = await t.http.put(path).set(bearer(admin.token)).send({ mediaType: 'image/jpeg', data: PNG.toString('base64') }).expect(400);
    expect(refused.body.errors[0]).toMatchObject({ field: 'data', rule: 'mediaType' });
    await t.http.put(path).set(bearer(planner)).send({ mediaType: 'image/png', data: PNG.toString('base64') }).expect(403);

    await t.http.put(path).set(bearer(admin.token)).send({ mediaType: 'image/png', data: PNG.toString('base64') }).expect(204);
    const served = await t.http.get(path).set(bearer(planner)).buffer(true).parse((response, done) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => done(null, Buffer.concat(chunks)));
    }).expect(200);
    expect(served.headers['content-type']).toBe('image/png');
    expect(served.body).toEqual(PNG);

    await t.http.delete(path).set(bearer(planner)).expect(403);
    await t.http.delete(path).set(bearer(admin.token)).expect(204);
    await t.http.get(path).set(bearer(planner)).expect(404);
    await t.http.delete(path).set(bearer(admin.token)).expect(404);
    const [entry] = await t.app.get(DataSource).query(
      `SELECT action, changes FROM audit_entry WHERE entity = 'settings_image' AND entity_id = 'coordinator_signature' AND actor_email = $1 AND action = 'delete'`,
      [admin.email],
    );
    expect(entry).toMatchObject({ action: 'delete' });
  });
});
