import { DataSource } from 'typeorm';
import { sentStatements } from '../sent-statements';
import { bearer, createTestApp, TestApp } from '../test-app';

/** A page and the number of all rows, as every list answers them, from one query. */
describe('Pagination', () => {
  let t: TestApp;
  let admin: { token: string };

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.signIn(['admin']);
    for (let i = 0; i < 3; i++) await t.signIn(['planner']);
  });
  afterAll(() => t.close());

  it('answers a page and the total of GET /users with one query', async () => {
    const [{ users }] = await t.app.get(DataSource).query(`SELECT count(*)::int AS users FROM user_account WHERE 'planner' = ANY(roles)`);
    let body: { items: unknown[]; total: number; page: number; pageSize: number } | undefined;
    // The first request checks the session; the next ones find it cached.
    await t.http.get('/users?pageSize=1').set(bearer(admin.token)).expect(200);
    const sent = await sentStatements(async () => {
      body = (await t.http.get('/users?role=planner&pageSize=2').set(bearer(admin.token)).expect(200)).body;
    });
    expect(body).toMatchObject({ page: 1, pageSize: 2, total: users });
    expect(body!.items).toHaveLength(2);
    expect(sent.map(({ text }) => text)).toEqual([expect.stringMatching(/FROM "user_account"/)]);
  });

  it('still counts all rows on a page past the end', async () => {
    const [{ users }] = await t.app.get(DataSource).query(`SELECT count(*)::int AS users FROM user_account WHERE 'planner' = ANY(roles)`);
    const body = (await t.http.get('/users?role=planner&page=1000&pageSize=100').set(bearer(admin.token)).expect(200)).body;
    expect(body).toMatchObject({ items: [], page: 1000, pageSize: 100, total: users });
  });
});
