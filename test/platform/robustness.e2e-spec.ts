import { randomUUID } from 'node:crypto';
import { ROLES, type Role } from '../../src/auth/role';
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
  role: Role;
  body?: Schema;
  query: string[];
}

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
          const concrete = path.replace(/\{(\w+)\}/g, (_, name: string) => {
            const values = parameters.find((p) => p.in === 'path' && p.name === name)?.schema?.enum;
            return String(values?.[0] ?? randomUUID());
          });
          const body = (op.requestBody as { content?: Record<string, { schema: Schema }> } | undefined)?.content?.['application/json']?.schema;
          return {
            method,
            path: concrete,
            role: ((op['x-roles'] as Role[] | undefined) ?? ['admin'])[0],
            body,
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

  async function expectNo500(operation: Operation, send: (request: import('supertest').Test) => import('supertest').Test, what: string, failures: string[]) {
    const request = (t.http as unknown as Record<string, (path: string) => import('supertest').Test>)[operation.method](operation.path);
    const response = await send(request.set(bearer(tokenFor(operation.role))));
    if (response.status >= 500) failures.push(`${operation.method.toUpperCase()} ${operation.path} ${what} → ${response.status} ${JSON.stringify(response.body).slice(0, 200)}`);
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
  });

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
    for (const operation of operations.filter((op) => /[0-9a-f]{8}-/.test(op.path))) {
      const odd = { ...operation, path: operation.path.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, 'not-a-uuid') };
      await expectNo500(odd, (r) => r, 'malformed id', failures);
    }
    expect(failures).toEqual([]);
  });
});
