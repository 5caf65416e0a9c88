import { randomUUID } from 'node:crypto';
import type { Test } from 'supertest';
import { bearer, createTestApp, eventually, TestApp } from '../test-app';

interface FieldError {
  field: string;
  rule: string;
  message: string;
}

/** JSON text nested `depth` levels deep, built as a string: a JavaScript object that deep could not be serialised. */
const nestedObject = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
const nestedArray = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

/** Names that are not data fields: prototype machinery, methods every object has, and a getter of PageQuery. */
const MACHINERY = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', '__defineGetter__', 'offset'];

describe('Request input: every bad input is a 400 naming the field and rule', () => {
  let t: TestApp;
  let staff: string;

  beforeAll(async () => {
    t = await createTestApp();
    staff = (await t.signIn(['admin', 'planner', 'advisor'])).token;
  });
  afterAll(() => t.close());

  const json = (request: Test, text: string) => request.set('Content-Type', 'application/json').send(text);

  function expectFieldError(response: { status: number; body: { errors?: FieldError[] } }, expected: Partial<FieldError>) {
    expect({ status: response.status, errors: response.body.errors }).toEqual({ status: 400, errors: expect.arrayContaining([expect.objectContaining(expected)]) });
  }

  describe('deeply nested JSON', () => {
    it.each([2_000, 10_000, 100_000])('refuses a body nested %i deep on public, authenticated and bodyless routes', async (depth) => {
      for (const body of [nestedObject(depth), nestedArray(depth), `{"email":"a@example.nl","password":"x","extra":${nestedObject(depth)}}`]) {
        expectFieldError(await json(t.http.post('/auth/login'), body), { rule: 'maxDepth' });
        expectFieldError(await json(t.http.patch('/settings').set(bearer(staff)), body), { rule: 'maxDepth' });
        expectFieldError(await json(t.http.post('/students').set(bearer(staff)), body), { rule: 'maxDepth' });
        expectFieldError(await json(t.http.post('/planning/go-no-go').set(bearer(staff)), body), { field: 'body', rule: 'noBody' });
      }
    });

    it('names the path where the nesting goes too deep', async () => {
      const response = await json(t.http.patch('/settings').set(bearer(staff)), `{"visitingAddress":${nestedObject(50)}}`);
      expectFieldError(response, { rule: 'maxDepth', field: `visitingAddress${'.a'.repeat(31)}` });
    });

    it('accepts the nesting a real request has', async () => {
      const response = await json(t.http.patch('/settings').set(bearer(staff)), '{"visitingAddress":{"street":"Dam 1","postcode":"1012 JS","city":"Amsterdam","country":"nl"}}');
      expectFieldError(response, { field: 'visitingAddress.country', rule: 'matches' });
    });
  });

  describe('keys that are not declared fields, whatever their name', () => {
    const lists = ['/courses', '/users', '/editions', '/students', '/audit', '/mail/messages', '/teachers', '/billing-parties', '/enrolments'];

    it.each(lists)('GET %s refuses object machinery as query parameters', async (path) => {
      for (const name of MACHINERY) {
        const response = await t.http.get(`${path}?page=1&${encodeURIComponent(name)}=5`).set(bearer(staff));
        expectFieldError(response, { field: name, rule: 'unknown_field' });
      }
      await t.http.get(`${path}?page=1&pageSize=5`).set(bearer(staff)).expect(200);
    });

    it('refuses them in bodies, at the top and nested, on public and authenticated routes', async () => {
      for (const name of MACHINERY) {
        const key = JSON.stringify(name);
        expectFieldError(await json(t.http.post('/auth/login'), `{"email":"a@example.nl","password":"secret",${key}:{"admin":true}}`), { field: name, rule: 'unknown_field' });
        expectFieldError(await json(t.http.patch('/settings').set(bearer(staff)), `{${key}:1}`), { field: name, rule: 'unknown_field' });
        expectFieldError(await json(t.http.patch('/settings').set(bearer(staff)), `{"visitingAddress":{${key}:{"polluted":true}}}`), {
          field: `visitingAddress.${name}`,
          rule: 'unknown_field',
        });
        expectFieldError(await json(t.http.post('/courses').set(bearer(staff)), `{"examComponents":[{${key}:1}]}`), { field: `examComponents.0.${name}`, rule: 'unknown_field' });
        expectFieldError(await json(t.http.post('/students').set(bearer(staff)), `{${key}:"x"}`), { field: name, rule: 'unknown_field' });
      }
    });

    it('refuses them in form bodies too (where the form parser already drops __proto__ itself)', async () => {
      for (const name of MACHINERY.filter((n) => n !== '__proto__')) {
        const response = await t.http.post('/auth/login').type('form').send(`email=a%40example.nl&password=secret&${name}=1`);
        expectFieldError(response, { field: name, rule: 'unknown_field' });
      }
    });

    it('leaves no trace of a refused __proto__ on later requests', async () => {
      await json(t.http.patch('/settings').set(bearer(staff)), '{"__proto__":{"polluted":true}}').expect(400);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  });

  describe('routes that take no body', () => {
    const bodyless = (): { name: string; send: () => Test; without: number }[] => [
      { name: 'POST /planning/go-no-go', send: () => t.http.post('/planning/go-no-go').set(bearer(staff)), without: 202 },
      { name: 'POST /courses/{id}/retire', send: () => t.http.post(`/courses/${randomUUID()}/retire`).set(bearer(staff)), without: 404 },
      { name: 'POST /enrolments/{id}/accept', send: () => t.http.post(`/enrolments/${randomUUID()}/accept`).set(bearer(staff)), without: 404 },
      { name: 'DELETE /closing-days/{id}', send: () => t.http.delete(`/closing-days/${randomUUID()}`).set(bearer(staff)), without: 404 },
      { name: 'GET /users', send: () => t.http.get('/users').set(bearer(staff)), without: 200 },
    ];

    // The go/no-go check runs institute-wide: each one started here is waited for, so that none runs on into a later suite.
    const started: string[] = [];
    const statusOf = (response: { status: number; body: { jobId?: string } }) => {
      if (response.body?.jobId) started.push(response.body.jobId);
      return response.status;
    };
    const ended = async (id: string) => ['completed', 'failed', 'cancelled'].includes((await t.http.get(`/jobs/${id}`).set(bearer(staff))).body.state);
    afterAll(async () => {
      for (const id of started) await eventually(() => ended(id));
    });

    it('refuse a JSON body, a form and plain text, and still answer without one', async () => {
      for (const route of bodyless()) {
        expectFieldError(await route.send().send({ anything: 'at all' }), { field: 'body', rule: 'noBody' });
        expectFieldError(await route.send().set('Content-Type', 'application/x-www-form-urlencoded').send('a=1'), { field: 'body', rule: 'noBody' });
        expectFieldError(await route.send().set('Content-Type', 'text/plain').send('garbage'), { field: 'body', rule: 'noBody' });
        expect({ route: route.name, status: statusOf(await route.send()) }).toEqual({ route: route.name, status: route.without });
        expect({ route: route.name, status: statusOf(await route.send().set('Content-Length', '0')) }).toEqual({ route: route.name, status: route.without });
        // Many clients send an empty JSON object with every POST: it carries nothing, so it is no body.
        expect({ route: route.name, status: statusOf(await route.send().send({})) }).toEqual({ route: route.name, status: route.without });
        expectFieldError(await json(route.send(), '[]'), { field: 'body', rule: 'noBody' });
      }
    });

    it('refuse query parameters too, as do other routes that declare none', async () => {
      expectFieldError(await t.http.post('/planning/go-no-go?dryRun=true').set(bearer(staff)), { field: 'dryRun', rule: 'unknown_field' });
      expectFieldError(await t.http.get('/settings?__proto__=1').set(bearer(staff)), { field: '__proto__', rule: 'unknown_field' });
      expectFieldError(await t.http.get('/auth/me?toString=1').set(bearer(staff)), { field: 'toString', rule: 'unknown_field' });
      await t.http.get('/settings').set(bearer(staff)).expect(200);
    });

    it('are checked after the token: a caller without one learns nothing', async () => {
      await t.http.post('/planning/go-no-go').send({ anything: true }).expect(401);
    });
  });

  describe('path parameters', () => {
    it.each([
      ['get', '/users/not-a-uuid', 'id'],
      ['get', '/courses/42', 'id'],
      ['patch', `/sessions/${'x'.repeat(36)}`, 'id'],
      ['get', '/planning/assign/nope', 'job'],
      ['get', '/jobs/1', 'id'],
      ['patch', `/locations/${randomUUID()}/rooms/room-1`, 'roomId'],
      ['post', '/students/00000000-0000-0000-0000-00000000000g/erasure', 'id'],
    ])('%s %s names the parameter and the isUuid rule', async (method, path, field) => {
      const request = (t.http as unknown as Record<string, (path: string) => Test>)[method](path).set(bearer(staff));
      const response = await (method === 'get' ? request : request.send({}));
      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual([{ field, rule: 'isUuid', message: `${field} must be a UUID` }]);
    });

    it('answers a path that is not valid percent-encoding with 400 and an error entry', async () => {
      const response = await t.http.get('/users/%FF').set(bearer(staff)).expect(400);
      expect(response.body.errors).toEqual([{ field: '', rule: 'invalid', message: expect.any(String) }]);
    });

    it('names an unknown settings image kind', async () => {
      const response = await t.http.get('/settings/images/banner').set(bearer(staff)).expect(400);
      expect(response.body.errors).toEqual([{ field: 'kind', rule: 'isEnum', message: 'kind is not one of the allowed values' }]);
    });
  });

  it('names the body and the rule for malformed JSON', async () => {
    const response = await json(t.http.post('/auth/login'), '{"email": ').expect(400);
    expect(response.body.errors).toEqual([{ field: 'body', rule: 'isJson', message: 'The request body is not valid JSON' }]);
  });

  describe('accepting planning conflicts', () => {
    const changes = () => [
      { request: () => t.http.post('/editions'), body: { courseId: randomUUID(), locationId: randomUUID(), startDate: '2027-09-06' } },
      { request: () => t.http.post(`/editions/${randomUUID()}/sessions`), body: { date: '2027-09-13' } },
      { request: () => t.http.patch(`/sessions/${randomUUID()}`), body: { version: 1, date: '2027-09-20' } },
    ];

    it('needs a reason, which is named when missing or blank', async () => {
      for (const change of changes()) {
        for (const reason of [undefined, '', '   ']) {
          const response = await change.request().set(bearer(staff)).send({ ...change.body, acceptConflicts: true, reason });
          expectFieldError(response, { field: 'reason', message: 'reason is required to accept conflicts' });
          expect(response.body.errors.map((e: FieldError) => e.field)).toEqual(expect.arrayContaining(['reason']));
          expect(response.body.errors.every((e: FieldError) => e.field === 'reason')).toBe(true);
        }
        const given = await change.request().set(bearer(staff)).send({ ...change.body, acceptConflicts: true, reason: 'Tweede groep deelt het lokaal' });
        // Past validation: the change is made or refused for what it is, never for its reason.
        expect(given.status).toBeLessThan(500);
        expect((given.body.errors ?? []).map((e: FieldError) => e.field)).not.toContain('reason');
      }
    });
  });

  describe('email addresses with surrounding spaces', () => {
    it('are trimmed on users, login, students, billing parties and settings', async () => {
      const email = `trim-${randomUUID()}@example.nl`;
      const password = `pw-${randomUUID()}`;
      const user = await t.http.post('/users').set(bearer(staff)).send({ email: `  ${email} `, password, displayName: 'Trim', roles: ['planner'] }).expect(201);
      expect(user.body.email).toBe(email);
      await t.http.post('/auth/login').send({ email: ` ${email}\t`, password }).expect(200);

      const student = await t.http
        .post('/students')
        .set(bearer(staff))
        .send({ givenNames: 'Trim', familyName: 'Test', email: ` student-${email} ` })
        .expect(201);
      expect(student.body.email).toBe(`student-${email}`);

      const party = await t.http
        .post('/billing-parties')
        .set(bearer(staff))
        .send({ kind: 'student', studentId: student.body.id, contactEmail: ` billing-${email} ` })
        .expect(201);
      expect(party.body.contactEmail).toBe(`billing-${email}`);

      // The institute's settings are shared by every suite: a second, invalid field keeps them as they are.
      const settings = await t.http.patch('/settings').set(bearer(staff)).send({ email: ` info-${email} `, paymentTermDays: 'thirty' }).expect(400);
      expect(settings.body.errors.map((e: FieldError) => e.field)).not.toContain('email');
    });
  });

  describe('date and date-time query parameters', () => {
    const parameters: [string, string, string][] = [
      ['/audit', 'from', ''],
      ['/audit', 'to', ''],
      ['/mail/messages', 'from', ''],
      ['/mail/messages', 'to', ''],
      ['/editions', 'startsFrom', ''],
      ['/editions', 'startsUntil', ''],
      ['/planning/conflicts', 'from', '&to=2027-12-31'],
      ['/planning/conflicts', 'to', '&from=2027-01-01'],
      ['/teachers/{teacher}/sessions', 'from', ''],
      ['/teachers/{teacher}/sessions', 'to', ''],
    ];
    let teacherId: string;
    beforeAll(async () => {
      teacherId = await t.aTeacher();
    });

    it.each(parameters)('%s?%s= refuses what is not an ISO 8601 date, naming the parameter', async (route, name, rest) => {
      const path = route.replace('{teacher}', teacherId);
      for (const value of ['yesterday', '1', '2027-02-30', '2027-W05', '2027-123', '2027-01-01T25:00', '01-02-2027', 'now']) {
        const response = await t.http.get(`${path}?${name}=${encodeURIComponent(value)}${rest}`).set(bearer(staff));
        expect({ value, status: response.status }).toEqual({ value, status: 400 });
        expect(response.body.errors).toEqual([expect.objectContaining({ field: name })]);
      }
      await t.http.get(`${path}?${name}=2027-03-01${rest}`).set(bearer(staff)).expect(200);
    });

    it('takes a date-time with an offset where an instant is meant', async () => {
      for (const value of ['2027-03-01T09:30:00+01:00', '2027-03-01T08:30:00.123Z', '2027-03-01T09:30']) {
        await t.http.get(`/audit?from=${encodeURIComponent(value)}`).set(bearer(staff)).expect(200);
        await t.http.get(`/mail/messages?to=${encodeURIComponent(value)}`).set(bearer(staff)).expect(200);
      }
      const refused = await t.http.get('/audit?from=yesterday').set(bearer(staff)).expect(400);
      expect(refused.body.errors).toEqual([{ field: 'from', rule: 'isIso8601', message: expect.stringContaining('from must be an ISO 8601 date or date-time') }]);
    });
  });
});
