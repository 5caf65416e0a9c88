import { randomUUID } from 'node:crypto';
import { ROLES, type Role } from '../../src/kernel/role';
import { bearer, createTestApp, TestApp } from '../test-app';

interface Schema {
  $ref?: string;
  type?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  enum?: unknown[];
}

interface Operation {
  method: string;
  path: string;
  /** The path with every id parameter malformed, when it has one. */
  malformedIdPath?: string;
  role: Role;
  body?: Schema;
  /** Takes a body of another kind only, such as an uploaded PDF. */
  otherBody: boolean;
  query: string[];
}

/** Path parameters that hold the id of a record or a job (the others are names, kinds and tokens). */
const ID_PARAMETER = /^(id|[a-z]+Id|job)$/;

/** Values of the wrong type for a property of the given schema. */
function wrongValuesFor(schema: Schema): unknown[] {
  switch (schema.type) {
    case 'string':
      return [12345, { nested: true }, ['a'], '', 'x'.repeat(5000), '\u0000'];
    case 'integer':
    case 'number':
      return ['twelve', -1e20, 1.5, { n: 1 }, Number.MAX_SAFE_INTEGER + 2];
    case 'boolean':
      return ['yes', 2];
    case 'array':
      return ['not-an-array', [{ deep: { deeper: [] } }], Array.from({ length: 3 }, () => null)];
    default:
      return ['text', 42, [], null];
  }
}

/**
 * No input a user can send may cause a 500: every documented operation gets malformed
 * bodies, wrong types field by field, odd ids and odd query strings, from a role it allows.
 */
/** Each sweep sends a few thousand requests; on a busy machine that takes longer than jest's default. */
const SWEEP_TIMEOUT_MS = 180_000;

describe('Robustness of every documented operation', () => {
  let t: TestApp;
  let operations: Operation[];
  let schemas: Record<string, Schema>;

  beforeAll(async () => {
    t = await createTestApp();
    const document = (await t.http.get('/docs-json').expect(200)).body;
    schemas = document.components.schemas;
    operations = Object.entries(document.paths as Record<string, Record<string, Record<string, unknown>>>).flatMap(([path, methods]) =>
      Object.entries(methods)
        .filter(([, op]) => !op['x-public'] || op.requestBody)
        .map(([method, op]) => {
          const parameters = (op.parameters ?? []) as { in: string; name: string; schema?: Schema }[];
          const concrete = (malformId: boolean) =>
            path.replace(/\{(\w+)\}/g, (_, name: string) => {
              if (malformId && ID_PARAMETER.test(name)) return 'not-a-uuid';
              const values = parameters.find((p) => p.in === 'path' && p.name === name)?.schema?.enum;
              return String(values?.[0] ?? randomUUID());
            });
          const content = (op.requestBody as { content?: Record<string, { schema: Schema }> } | undefined)?.content;
          const body = content?.['application/json']?.schema;
          return {
            method,
            path: concrete(false),
            malformedIdPath: [...path.matchAll(/\{(\w+)\}/g)].some(([, name]) => ID_PARAMETER.test(name)) ? concrete(true) : undefined,
            role: ((op['x-roles'] as Role[] | undefined) ?? ['admin'])[0],
            body,
            otherBody: !body && content !== undefined && Object.keys(content).length > 0,
            query: parameters.filter((p) => p.in === 'query').map((p) => p.name),
          };
        }),
    );
  });
  afterAll(() => t.close());

  /** The access token of a new user with exactly this role, one per role, signed in before the timed sweeps. */
  const tokens = new Map<Role, string>();
  beforeAll(async () => {
    for (const [role, token] of await Promise.all(ROLES.map(async (role) => [role, (await t.signIn([role])).token] as const))) tokens.set(role, token);
  });
  const tokenFor = (role: Role) => tokens.get(role)!;

  function resolve(schema: Schema | undefined): Schema | undefined {
    return schema?.$ref ? schemas[schema.$ref.split('/').pop()!] : schema;
  }

  /** Every 400 names the fields and the rules they break. */
  const namesFieldsAndRules = (body: { errors?: unknown }) =>
    Array.isArray(body.errors) &&
    body.errors.length > 0 &&
    body.errors.every((e: Record<string, unknown>) => typeof e.field === 'string' && typeof e.rule === 'string' && typeof e.message === 'string');

  async function expectNo500(operation: Operation, send: (request: import('supertest').Test) => import('supertest').Test, what: string, failures: string[]) {
    const request = (t.http as unknown as Record<string, (path: string) => import('supertest').Test>)[operation.method](operation.path);
    const response = await send(request.set(bearer(tokenFor(operation.role))));
    if (response.status >= 500 || (response.status === 400 && !namesFieldsAndRules(response.body))) {
      failures.push(`${operation.method.toUpperCase()} ${operation.path} ${what} → ${response.status} ${JSON.stringify(response.body).slice(0, 200)}`);
    }
    return response;
  }

  it('answers malformed and mistyped bodies with 4xx, never 5xx', async () => {
    const failures: string[] = [];
    for (const operation of operations.filter((op) => op.body)) {
      for (const body of [{}, [], 'plain text', { unexpected: true }, { __proto__: { admin: true } }]) {
        await expectNo500(operation, (r) => r.send(body as object), `body ${JSON.stringify(body)}`, failures);
      }
      await expectNo500(operation, (r) => r.set('Content-Type', 'application/json').send('{"broken": '), 'malformed JSON', failures);
      const properties = resolve(operation.body)?.properties ?? {};
      for (const [name, schema] of Object.entries(properties)) {
        for (const value of wrongValuesFor(resolve(schema) ?? schema)) {
          await expectNo500(operation, (r) => r.send({ [name]: value }), `${name}=${JSON.stringify(value)?.slice(0, 40)}`, failures);
        }
      }
    }
    expect(failures).toEqual([]);
  }, SWEEP_TIMEOUT_MS);

  it('answers odd query strings and ids with 4xx, never 5xx', async () => {
    const failures: string[] = [];
    const oddValues = ['-1', '0', '99999999999999999999', 'abc', '', '%00', '2027-02-30', "'; DROP TABLE user_account; --", 'x'.repeat(3000)];
    for (const operation of operations.filter((op) => op.method === 'get')) {
      for (const name of operation.query) {
        for (const value of oddValues) {
          await expectNo500(operation, (r) => r.query({ [name]: value }), `?${name}=${value.slice(0, 20)}`, failures);
        }
        await expectNo500(operation, (r) => r.query(`${name}=a&${name}=b`), `?${name} twice`, failures);
      }
    }
    for (const operation of operations.filter((op) => op.malformedIdPath)) {
      const odd = { ...operation, path: operation.malformedIdPath! };
      const response = await expectNo500(odd, (r) => r, 'malformed id', failures);
      if (response.status !== 400 || !response.body.errors?.some((e: { rule: string }) => e.rule === 'isUuid')) {
        failures.push(`${odd.method.toUpperCase()} ${odd.path} → ${response.status} without an isUuid error naming the parameter`);
      }
    }
    expect(failures).toEqual([]);
  }, SWEEP_TIMEOUT_MS);

  it('answers a body sent to an operation that takes none with 400', async () => {
    const failures: string[] = [];
    for (const operation of operations.filter((op) => !op.body && !op.otherBody)) {
      const response = await expectNo500(operation, (r) => r.send({ unexpected: true }), 'with a body', failures);
      if (response.status !== 400 || response.body.errors?.[0]?.rule !== 'noBody') {
        failures.push(`${operation.method.toUpperCase()} ${operation.path} with a body → ${response.status} ${JSON.stringify(response.body).slice(0, 200)}`);
      }
    }
    expect(failures).toEqual([]);
  }, SWEEP_TIMEOUT_MS);
});
