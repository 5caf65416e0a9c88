import { randomUUID } from 'node:crypto';
import { Brackets, DataSource, QueryFailedError, SelectQueryBuilder } from 'typeorm';
import { UserAccount } from '../../src/auth/user-account.entity';
import { jsonPageFrom, PageQuery, pageFrom } from '../../src/http/pagination';
import { rowJsonOf } from '../../src/http/row-json';
import { sentStatements } from '../sent-statements';
import { bearer, createTestApp, TestApp } from '../test-app';

/** A list paged as PostgreSQL-written JSON answers exactly what its entities would serialise to. */
describe('Pages written as JSON by PostgreSQL', () => {
  let t: TestApp;
  let db: DataSource;
  const query = Object.assign(new PageQuery(), { pageSize: 100 });

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
    const { id } = await t.signIn(['student'], {});
    // A time with microseconds that a careless rounding would carry into the next millisecond.
    await db.query(`UPDATE user_account SET created_at = '2027-03-01T09:30:00.123999+01:00' WHERE id = $1`, [id]);
    // An audit entry, with its changes as JSON.
    const admin = await t.signIn(['admin']);
    await t.http.patch(`/users/${id}`).set(bearer(admin.token)).send({ displayName: 'Renamed "quoted" \\ user' }).expect(200);
  });
  afterAll(() => t.close());

  /** Every entity that can be paged as JSON, over the rows the test database holds. */
  it('gives the same items, page and total as hydrated entities for every entity it takes', async () => {
    const compared: string[] = [];
    for (const metadata of db.entityMetadatas.filter((m) => rowJsonOf(m, db))) {
      const alias = 'row';
      const qb = () => db.getRepository(metadata.target).createQueryBuilder(alias).orderBy(`${alias}.${metadata.primaryColumns[0].propertyPath}`);
      const entities = JSON.parse(JSON.stringify(await pageFrom(qb(), query)));
      const json = JSON.parse((await jsonPageFrom(qb(), query)).json);
      expect({ entity: metadata.name, page: json }).toEqual({ entity: metadata.name, page: entities });
      if (entities.items.length > 0) compared.push(metadata.name);
    }
    expect(compared).toEqual(expect.arrayContaining(['UserAccount', 'AuditEntry', 'Student', 'RefreshToken']));
  });

  it('leaves entities with a value transformer or an embedded object to pageFrom', () => {
    const byName = (name: string) => db.entityMetadatas.find((m) => m.name === name)!;
    expect(rowJsonOf(byName('Invoice'), db)).toBeNull();
    expect(rowJsonOf(byName('Course'), db)).toBeNull();
    expect(rowJsonOf(byName('UserAccount'), db)).not.toBeNull();
  });

  it('answers GET /users as JSON with its page and total', async () => {
    const { token } = await t.signIn(['admin']);
    for (let i = 0; i < 3; i++) await t.signIn(['planner']);
    const response = await t.http.get('/users?pageSize=2&page=2').set(bearer(token)).expect(200);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    const [{ total }] = await db.query(`SELECT count(*)::int AS total FROM user_account`);
    expect(response.body).toMatchObject({ page: 2, pageSize: 2, total });
    expect(response.body.items).toHaveLength(2);
  });

  it('builds the SQL of each shape of list query once, and binds every request its own values', async () => {
    const repository = db.getRepository(UserAccount);
    const emails = [`shape-a-${randomUUID()}@example.org`, `shape-b-${randomUUID()}@example.org`, `shape-c-${randomUUID()}@example.org`];
    for (const [i, email] of emails.entries()) {
      await repository.insert({ email, displayName: `Shape ${i}`, passwordHash: 'x', roles: i === 0 ? ['teacher'] : ['advisor'], locale: 'nl', active: true });
    }
    const page = async (build: (qb: SelectQueryBuilder<UserAccount>) => void, pageSize = 100) => {
      const qb = repository.createQueryBuilder('user').orderBy('user.email');
      build(qb);
      const json = JSON.parse((await jsonPageFrom(qb, Object.assign(new PageQuery(), { pageSize }))).json) as { items: Array<{ email: string }>; total: number };
      return { emails: json.items.map((item) => item.email), total: json.total };
    };
    const byEmail = (email: string) => (qb: SelectQueryBuilder<UserAccount>) => qb.andWhere('user.email = :email', { email });
    const byEmails = (list: string[]) => (qb: SelectQueryBuilder<UserAccount>) => qb.andWhere('user.email IN (:...list)', { list });
    const shaped = (role: string, like: string) => (qb: SelectQueryBuilder<UserAccount>) =>
      qb.andWhere(':role = ANY(user.roles)', { role }).andWhere(new Brackets((w) => w.where('user.email LIKE :like', { like }).orWhere('user.displayName LIKE :like', { like })));
    // The same shape with other values, and lists of other lengths, each answer their own rows.
    for (const email of emails) expect(await page(byEmail(email))).toEqual({ emails: [email], total: 1 });
    expect(await page(byEmails(emails.slice(0, 1)))).toEqual({ emails: emails.slice(0, 1), total: 1 });
    expect(await page(byEmails(emails))).toEqual({ emails, total: 3 });
    expect(await page(shaped('teacher', 'shape-%'))).toEqual({ emails: emails.slice(0, 1), total: 1 });
    expect(await page(shaped('advisor', 'shape-%'))).toEqual({ emails: emails.slice(1), total: 2 });
    // Another shape of the same entity is not answered by the first one's SQL.
    expect(await page((qb) => qb.andWhere('user.displayName = :name', { name: 'Shape 2' }))).toEqual({ emails: emails.slice(2), total: 1 });
    expect(await page(byEmails(emails), 2)).toEqual({ emails: emails.slice(0, 2), total: 3 });
  });

  it('cuts the page before it writes the rows as JSON, and keeps their order', async () => {
    const prefix = `offset-${randomUUID()}`;
    const emails = [0, 1, 2, 3].map((i) => `${prefix}-${i}@example.org`);
    await db.getRepository(UserAccount).insert(emails.map((email) => ({ email, displayName: 'Offset', passwordHash: 'x', roles: ['planner' as const], locale: 'nl' as const, active: true })));
    const page = async (number: number) => {
      const qb = db.getRepository(UserAccount).createQueryBuilder('user').where('user.email LIKE :prefix', { prefix: `${prefix}-%` }).orderBy('user.email', 'DESC');
      const { items, total } = JSON.parse((await jsonPageFrom(qb, Object.assign(new PageQuery(), { page: number, pageSize: 3 }))).json) as { items: Array<{ email: string }>; total: number };
      return { emails: items.map((item) => item.email), total };
    };
    const statements = await sentStatements(async () => {
      expect(await page(1)).toEqual({ emails: [emails[3], emails[2], emails[1]], total: 4 });
      expect(await page(2)).toEqual({ emails: [emails[0]], total: 4 });
    });
    // PostgreSQL works out the select list of every row an OFFSET skips: the JSON must be written above the LIMIT.
    const { text, values } = statements.find((statement) => statement.text.includes('row_to_json'))!;
    const [{ 'QUERY PLAN': [{ Plan: plan }] }] = await db.query(`EXPLAIN (VERBOSE, FORMAT JSON) ${text}`, values);
    const limit = (function find(node: { 'Node Type': string; Plans?: object[] }): object | undefined {
      return node['Node Type'] === 'Limit' ? node : (node.Plans ?? []).map((child) => find(child as typeof node)).find(Boolean);
    })(plan);
    expect(limit).toBeDefined();
    expect(JSON.stringify(plan)).toContain('row_to_json');
    expect(JSON.stringify(limit)).not.toContain('row_to_json');
  });

  it('prepares each page statement once on a connection and runs it again with other values', async () => {
    // A pool of one connection, so that this test's own queries see the statements prepared on it.
    const single = await new DataSource({ ...db.options, extra: { ...(db.options.extra as object), max: 1 } } as typeof db.options).initialize();
    try {
      const email = `prepared-${randomUUID()}@example.org`;
      await single.getRepository(UserAccount).insert({ email, displayName: 'Prepared', passwordHash: 'x', roles: ['finance'], locale: 'nl', active: true });
      // Other suites' users share the database: the rows asked for are this test's own.
      const page = async (wanted: string) => {
        const qb = single.getRepository(UserAccount).createQueryBuilder('user').where('user.email = :wanted', { wanted }).orderBy('user.email');
        return JSON.parse((await jsonPageFrom(qb, new PageQuery())).json) as { items: Array<{ email: string }>; total: number };
      };
      expect(await page(email)).toMatchObject({ items: [{ email }], total: 1 });
      expect(await page(`nobody-${randomUUID()}@example.org`)).toMatchObject({ items: [], total: 0 });
      const prepared: Array<{ statement: string }> = await single.query(`SELECT statement FROM pg_prepared_statements WHERE name LIKE 'registrar_page_%'`);
      expect(prepared.filter(({ statement }) => statement.includes('"user"."email" = $1'))).toHaveLength(1);
    } finally {
      await single.destroy();
    }
  });

  it('pages inside a transaction on its connection, seeing what the transaction wrote', async () => {
    const email = `in-transaction-${randomUUID()}@example.org`;
    await db
      .transaction(async (manager) => {
        await manager.getRepository(UserAccount).insert({ email, displayName: 'Uncommitted', passwordHash: 'x', roles: ['advisor'], locale: 'nl', active: true });
        const qb = manager.getRepository(UserAccount).createQueryBuilder('user').where('user.email = :email', { email }).orderBy('user.email');
        expect(JSON.parse((await jsonPageFrom(qb, new PageQuery())).json)).toMatchObject({ items: [{ email }], total: 1 });
        throw new Error('roll back');
      })
      .catch((error: Error) => expect(error.message).toBe('roll back'));
    expect(await db.getRepository(UserAccount).countBy({ email })).toBe(0);
  });

  it('answers a page query that PostgreSQL refuses as TypeORM answers its own', async () => {
    const qb = db.getRepository(UserAccount).createQueryBuilder('user').where('user.email::int = :n', { n: 1 }).orderBy('user.email');
    await expect(jsonPageFrom(qb, new PageQuery())).rejects.toBeInstanceOf(QueryFailedError);
  });
});
