import { randomUUID } from 'node:crypto';
import { ROLES, type Role } from '../../src/kernel/role';
import { bearer, createTestApp, TestApp } from '../test-app';

interface Operation {
  method: string;
  path: string;
  roles?: Role[];
  isPublic: boolean;
}

/**
 * Deny by default, checked over every route the API documents: each one that is not
 * explicitly public answers 401 without a token and 403 to every role it is not for.
 */
describe('Access control on every documented route', () => {
  let t: TestApp;
  let operations: Operation[];
  /** The access token of a new user with exactly this role, one per role. */
  let tokens: Record<Role, string>;

  beforeAll(async () => {
    t = await createTestApp();
    const document = (await t.http.get('/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, { 'x-roles'?: Role[]; 'x-public'?: boolean; parameters?: { name: string; in: string; schema?: { enum?: string[] } }[] }>>;
    };
    operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => {
        const concrete = path.replace(/\{(\w+)\}/g, (_, name: string) => {
          const enumValues = operation.parameters?.find((p) => p.in === 'path' && p.name === name)?.schema?.enum;
          return enumValues?.[0] ?? randomUUID();
        });
        return { method, path: concrete, roles: operation['x-roles'], isPublic: operation['x-public'] === true };
      }),
    );
    tokens = Object.fromEntries(await Promise.all(ROLES.map(async (role) => [role, (await t.signIn([role])).token] as const))) as Record<Role, string>;
  });
  afterAll(() => t.close());

  const call = (operation: Operation) =>
    (t.http as unknown as Record<string, (path: string) => import('supertest').Test>)[operation.method](operation.path);

  it('documents every route as either public or with roles', () => {
    expect(operations.length).toBeGreaterThan(10);
    const undeclared = operations.filter((op) => !op.isPublic && !op.roles?.length);
    expect(undeclared).toEqual([]);
  });

  it('answers 401 without a token on every route that is not public', async () => {
    const failures: string[] = [];
    for (const operation of operations.filter((op) => !op.isPublic)) {
      const response = await call(operation);
      if (response.status !== 401 || !String(response.headers['content-type']).includes('application/problem+json')) {
        failures.push(`${operation.method.toUpperCase()} ${operation.path} → ${response.status}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('answers 401 to a forged or expired token', async () => {
    const operation = operations.find((op) => op.path === '/auth/me')!;
    await call(operation).set(bearer('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl')).expect(401);
    const [header, payload] = tokens.admin.split('.');
    await call(operation).set(bearer(`${header}.${payload}.tampered`)).expect(401);
  });

  it('answers 403 to every role a route is not for', async () => {
    const calls = operations.filter((op) => !op.isPublic).flatMap((operation) => ROLES.filter((r) => !operation.roles!.includes(r)).map((role) => ({ operation, role })));
    const failures: string[] = [];
    // A few at a time: the sweep grows with every module, and the refusals need no order.
    for (let i = 0; i < calls.length; i += 8) {
      await Promise.all(
        calls.slice(i, i + 8).map(async ({ operation, role }) => {
          const response = await call(operation).set(bearer(tokens[role]));
          if (response.status !== 403) failures.push(`${role}: ${operation.method.toUpperCase()} ${operation.path} → ${response.status}`);
        }),
      );
    }
    expect(failures.sort()).toEqual([]);
  }, 120_000);
});
