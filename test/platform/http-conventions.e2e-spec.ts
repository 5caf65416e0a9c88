import { restoreInstitute } from '../factories';
import { bearer, createTestApp, TestApp } from '../test-app';

describe('HTTP conventions', () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await createTestApp();
    admin = (await t.signIn(['admin'])).token;
  });
  // This suite changes the institute's particulars: they go back for the suites after it.
  afterAll(async () => {
    await restoreInstitute(t);
    await t.close();
  });

  const expectProblem = (body: Record<string, unknown>, status: number) => {
    expect(body).toMatchObject({ status, type: expect.stringContaining('/problems/'), title: expect.any(String), detail: expect.any(String) });
  };

  it('answers unknown fields with 400 naming the field and rule, and changes nothing', async () => {
    const before = (await t.http.get('/settings').set(bearer(admin)).expect(200)).body;
    const response = await t.http.patch('/settings').set(bearer(admin)).send({ name: 'Changed', hacker: true }).expect(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expectProblem(response.body, 400);
    expect(response.body.errors).toEqual([{ field: 'hacker', rule: 'unknown_field', message: 'hacker is not a known field' }]);
    const after = (await t.http.get('/settings').set(bearer(admin)).expect(200)).body;
    expect(after).toEqual(before);
  });

  it('answers wrong types and nested errors with dotted field paths', async () => {
    const response = await t.http
      .patch('/settings')
      .set(bearer(admin))
      .send({ paymentTermDays: 'thirty', visitingAddress: { street: 'Dam 1', postcode: '1012 JS', city: 'Amsterdam', country: 'nl' } })
      .expect(400);
    const fields = response.body.errors.map((e: { field: string; rule: string }) => `${e.field}:${e.rule}`);
    expect(fields).toEqual(expect.arrayContaining(['paymentTermDays:isInt', 'visitingAddress.country:matches']));
  });

  it('answers malformed JSON with 400 in the problem format', async () => {
    const response = await t.http.patch('/settings').set(bearer(admin)).set('Content-Type', 'application/json').send('{"name": ').expect(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expectProblem(response.body, 400);
  });

  it('answers a 2 MB body with 413', async () => {
    const response = await t.http
      .patch('/settings')
      .set(bearer(admin))
      .send({ name: 'x'.repeat(2 * 1024 * 1024) })
      .expect(413);
    expectProblem(response.body, 413);
  });

  it('refuses a page size above the maximum', async () => {
    const response = await t.http.get('/users?pageSize=100000').set(bearer(admin)).expect(400);
    expect(response.body.errors[0]).toMatchObject({ field: 'pageSize', rule: 'max' });
    await t.http.get('/users?page=0').set(bearer(admin)).expect(400);
    await t.http.get('/users?page=abc').set(bearer(admin)).expect(400);
  });

  it('answers a malformed id with 400, an unknown one with 404', async () => {
    await t.http.get('/users/not-a-uuid').set(bearer(admin)).expect(400);
    const response = await t.http.get('/users/00000000-0000-4000-8000-000000000000').set(bearer(admin)).expect(404);
    expectProblem(response.body, 404);
  });

  it('answers an unknown route with 404 in the problem format', async () => {
    const response = await t.http.get('/no-such-thing').set(bearer(admin)).expect(404);
    expectProblem(response.body, 404);
  });

  it('carries a request id in the response header and in problems', async () => {
    const response = await t.http.get('/users/nope').set(bearer(admin)).set('x-request-id', 'trace-123').expect(400);
    expect(response.headers['x-request-id']).toBe('trace-123');
    expect(response.body.requestId).toBe('trace-123');
  });

  it('refuses a stale version with 409', async () => {
    const current = (await t.http.get('/settings').set(bearer(admin)).expect(200)).body;
    await t.http.patch('/settings').set(bearer(admin)).send({ phone: '+31 20 123 4567', version: current.version }).expect(200);
    const stale = await t.http.patch('/settings').set(bearer(admin)).send({ phone: '+31 20 765 4321', version: current.version }).expect(409);
    expect(stale.body.code).toBe('stale_version');
  });

  it('serves liveness and readiness without a token', async () => {
    await t.http.get('/health').expect(200);
    const ready = await t.http.get('/health/ready').expect(200);
    expect(ready.body.info.database.status).toBe('up');
  });
});
