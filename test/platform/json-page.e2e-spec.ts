import { DataSource } from 'typeorm';
import { jsonPageFrom, PageQuery, pageFrom } from '../../src/http/pagination';
import { rowJsonOf } from '../../src/http/row-json';
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
});
