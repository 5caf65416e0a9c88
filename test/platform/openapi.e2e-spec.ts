import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';
import { DEMO_INSTITUTE } from '../../src/demo/demo-institute';
import { courseInput, studentInput } from '../factories';
import { planningFixture, weekly } from '../planning/planning-fixtures';
import { bearer, createTestApp, TestApp } from '../test-app';
import { METHODS, mismatches, OpenApiDocument, untypedParts } from './openapi-conformance';

/** A real answer of one documented operation. */
interface Answer {
  method: string;
  path: string;
  status: number;
  body: unknown;
}

describe('The OpenAPI document, as a client meets it', () => {
  let t: TestApp;
  let document: OpenApiDocument;
  const answers: Answer[] = [];

  /** Calls `path` (a documented template, `{name}` filled from `params`) and keeps the answer. */
  const call = async (method: string, path: string, params: Record<string, string>, options: { token: string; body?: object; status: number }) => {
    const url = path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name]));
    const response = await t.http[method as 'get'](url).set(bearer(options.token)).send(options.body);
    if (response.status !== options.status) throw new Error(`${method.toUpperCase()} ${url}: ${response.status} ${JSON.stringify(response.body)}`);
    answers.push({ method, path, status: response.status, body: response.body });
    return response.body;
  };

  beforeAll(async () => {
    t = await createTestApp();
    document = (await t.http.get('/docs-json').expect(200)).body;
    await exerciseTheApi();
  }, 120_000);
  afterAll(() => t.close());

  /** One or more real answers of nearly every JSON operation, each kept for the checks below. */
  async function exerciseTheApi() {
    const { token: admin, id: adminId } = await t.signIn(['admin', 'planner', 'advisor']);
    const none = {};
    const get = (path: string, params: Record<string, string> = none) => call('get', path, params, { token: admin, status: 200 });
    const post = (path: string, params: Record<string, string>, body: object, status = 201) => call('post', path, params, { token: admin, body, status });
    const patch = (path: string, params: Record<string, string>, body: object) => call('patch', path, params, { token: admin, body, status: 200 });

    await get('/health');
    await get('/health/ready');
    await get('/auth/me');
    await get('/users');
    await get('/users/{id}', { id: adminId });
    await get('/audit');
    // The particulars global-setup seeded, again: nothing changes for later suites.
    await patch('/settings', none, { ...DEMO_INSTITUTE });
    await get('/enrolment-settings');
    await get('/planning/settings');
    await get('/mail/templates');
    await post('/mail/templates/{name}/preview', { name: 'enrolment-confirmed' }, { locale: 'nl' }, 200);
    await get('/mail/notification-preferences');
    await call('put', '/mail/notification-preferences/{kind}', { kind: 'enrolment_received' }, { token: admin, body: { delivery: 'digest' }, status: 200 });

    const fixture = await planningFixture(t, admin, { course: { minimumPriorEducation: 'hbo_bachelor' } });
    await get('/courses');
    await get('/courses/{id}', { id: fixture.courseId });
    await get('/teachers');
    await get('/teachers/{id}', { id: fixture.teacherId });
    await post('/teachers/{id}/calendar-token', { id: fixture.teacherId }, {}, 200);
    await get('/locations');
    await get('/locations/{id}', { id: fixture.locationId });
    const closingDay = await post('/closing-days', none, { fromDate: '2041-12-27', toDate: '2041-12-31', reason: 'Kerstsluiting' });
    await get('/closing-days');
    await call('delete', '/closing-days/{id}', { id: closingDay.id }, { token: admin, status: 204 });

    // Christmas is skipped, so the answer reports a skipped date.
    const created = await post('/editions', none, {
      courseId: fixture.courseId,
      locationId: fixture.locationId,
      capacity: 12,
      minParticipants: 1,
      startDate: '2041-12-17',
      pattern: weekly([3], 3),
      teacherId: fixture.teacherId,
    });
    const editionId = created.edition.id;
    await get('/editions');
    await get('/editions/{id}/sessions', { id: editionId });
    await get('/editions/{id}/conflicts', { id: editionId });
    await get('/planning/conflicts?from=2041-12-01&to=2042-02-01');
    const session = await post('/editions/{id}/sessions', { id: editionId }, { date: '2042-02-05' });
    await call('delete', `/sessions/{id}?version=${session.version}`, { id: session.id }, { token: admin, status: 200 });
    const edition = await patch('/editions/{id}', { id: editionId }, { titleSuffix: 'winter 2041', version: created.edition.version });
    await post('/editions/{id}/status', { id: editionId }, { status: 'open', version: edition.version }, 200);
    await get('/editions/{id}', { id: editionId });
    const job = await post('/planning/assign', none, { editionIds: [editionId] }, 202);
    for (let state = ''; state !== 'completed' && state !== 'failed'; await new Promise((resolve) => setTimeout(resolve, 100))) {
      state = (await get('/planning/assign/{job}', { job: job.jobId })).state;
    }
    await get('/jobs/{id}', { id: job.jobId });
    await post('/planning/assign/{job}/apply', { job: job.jobId }, {}, 200);

    // Without a recorded prior education the seat waits for an admission decision.
    const student = await post('/students', none, studentInput({ priorEducation: undefined }));
    const billingParty = await post('/billing-parties', none, { kind: 'employer', name: 'UMC Utrecht', address: { street: 'Heidelberglaan', houseNumber: '100', postcode: '3584 CX', city: 'Utrecht', country: 'NL' } });
    await get('/billing-parties');
    await get('/billing-parties/{id}', { id: billingParty.id });
    await get('/students');
    await patch('/students/{id}', { id: student.id }, { profession: 'Wijkverpleegkundige', version: student.version });
    const enrolment = await post('/enrolments', none, { studentId: student.id, editionId });
    await post('/enrolments/{id}/admission', { id: enrolment.id }, { admitted: true, priorEducationLevel: 'hbo_bachelor' }, 200);
    await get('/enrolments');
    await get('/enrolments/{id}', { id: enrolment.id });
    await get('/enrolments/{id}/history', { id: enrolment.id });
    await get('/students/{id}/enrolments', { id: student.id });
    await post('/enrolments/{id}/cancel', { id: enrolment.id }, { reason: 'verhuisd' }, 200);

    const advice = await post('/advice', none, { studentId: student.id, interests: 'coaching in de zorg', pePoints: [{ register: 'V&VN Kwaliteitsregister', points: 10 }] });
    await patch('/advice/{id}', { id: advice.id }, { personalNote: 'Tot ziens!', version: advice.version });
    await post('/advice/{id}/send', { id: advice.id }, {}, 200);
    await get('/advice/{id}', { id: advice.id });
    await get('/students/{id}/advice', { id: student.id });
    await post('/students/{id}/course-interests', { id: student.id }, { courseId: fixture.courseId });
    await get('/students/{id}/course-interests', { id: student.id });
    await get('/students/{id}/export', { id: student.id });
    const messages = await get('/mail/messages');
    await get('/mail/messages/{id}', { id: messages.items[0].id });
    await post('/students/{id}/erasure', { id: student.id }, { reason: 'verzoek van de student' }, 200);
    await get('/students/{id}', { id: student.id });
    await get('/courses/{id}', { id: (await post('/courses/{id}/retire', { id: (await post('/courses', none, courseInput())).id }, {}, 200)).id });
  }

  it('gives every 2xx answer and every parameter a complete schema, and a 204 no body', () => {
    const problems: string[] = [];
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations).filter(([m]) => METHODS.includes(m))) {
        for (const parameter of operation.parameters ?? []) {
          problems.push(...untypedParts(document, parameter.schema, `${method.toUpperCase()} ${path} ${parameter.in} ${parameter.name}`));
        }
        for (const [status, response] of Object.entries(operation.responses).filter(([s]) => s.startsWith('2'))) {
          const at = `${method.toUpperCase()} ${path} ${status}`;
          if (status === '204') {
            if (response.content) problems.push(`${at}: a 204 has no body`);
            continue;
          }
          if (!response.content) problems.push(`${at}: no content`);
          for (const [type, { schema }] of Object.entries(response.content ?? {})) problems.push(...untypedParts(document, schema, `${at} ${type}`));
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('documents every field of real answers, with its type and whether it may be null', () => {
    const answered = new Set(answers.map(({ method, path }) => `${method} ${path.split('?')[0]}`));
    expect(answered.size).toBeGreaterThan(60);
    const problems = answers.flatMap(({ method, path, status, body }) => {
      const response = document.paths[path.split('?')[0]][method].responses[status];
      const schema = response.content?.['application/json']?.schema;
      if (!schema) return status === 204 ? [] : [`${method} ${path} ${status}: undocumented answer`];
      return mismatches(document, body, schema, `${method.toUpperCase()} ${path} ${status}`);
    });
    expect([...new Set(problems)]).toEqual([]);
  });

  it('generates a client with openapi-typescript that type-checks against real answers', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'registrar-openapi-'));
    try {
      writeFileSync(join(folder, 'api.ts'), astToString(await openapiTS(document as never)));
      // Each real answer assigned to the type the generated client gives it: an undocumented
      // field, a missing one, a wrong type or an undeclared null fails to compile.
      const client = answers
        .filter(({ status }) => status !== 204)
        .map(({ method, path, status, body }, i) => {
          const type = `paths[${JSON.stringify(path.split('?')[0])}][${JSON.stringify(method)}]['responses'][${status}]['content']['application/json']`;
          return `// ${method.toUpperCase()} ${path}\nexport const answer${i}: ${type} = ${JSON.stringify(body)};`;
        });
      writeFileSync(join(folder, 'client.ts'), `import type { paths } from './api';\n\n${client.join('\n\n')}\n`);
      const program = ts.createProgram([join(folder, 'client.ts')], { strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, lib: ['lib.es2022.d.ts'], types: [] });
      const diagnostics = ts.getPreEmitDiagnostics(program).map((diagnostic) => {
        const where = diagnostic.file && diagnostic.start !== undefined ? diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start) : undefined;
        const line = where ? diagnostic.file!.text.split('\n')[where.line - 1] ?? '' : '';
        return `${line.startsWith('//') ? line : ''} ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`.slice(0, 600);
      });
      expect(diagnostics).toEqual([]);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('answers every list as one page: {items, page, pageSize, total}', async () => {
    const planner = (await t.signIn(['planner'])).token;
    const studentUser = await t.signIn(['student']);
    for (const [path, token] of [
      ['/locations', planner],
      ['/closing-days', planner],
      ['/mail/templates', planner],
      [`/students/${studentUser.studentId}/enrolments`, studentUser.token],
    ]) {
      const { body } = await t.http.get(`${path}?pageSize=1`).set(bearer(token)).expect(200);
      expect({ path, ...body }).toEqual({ path, items: expect.any(Array), page: 1, pageSize: 1, total: expect.any(Number) });
      expect(body.items.length).toBeLessThanOrEqual(1);
      await t.http.get(`${path}?pageSize=101`).set(bearer(token)).expect(400);
    }
    const templates = (await t.http.get('/mail/templates?page=2&pageSize=2').set(bearer(planner)).expect(200)).body;
    expect(templates.items).toHaveLength(2);
    expect(templates.total).toBeGreaterThan(4);
  });
});
