import { randomUUID } from 'node:crypto';
import { restoreInstitute } from '../factories';
import { bearer, createTestApp, TestApp } from '../test-app';

describe('Users and the audit log', () => {
  let t: TestApp;
  let admin: { token: string; id: string };

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.signIn(['admin']);
  });
  // This suite changes the institute's particulars: they go back for the suites after it.
  afterAll(async () => {
    await restoreInstitute(t);
    await t.close();
  });

  it('lets an admin create a user with several roles and records who did it', async () => {
    const email = `nguyen-${randomUUID()}@test.nl`;
    const created = await t.http
      .post('/users')
      .set(bearer(admin.token))
      .send({ email, displayName: 'Nguyễn Thị Minh Khai', password: 'a-long-enough-password', roles: ['planner', 'advisor'] })
      .expect(201);
    expect(created.body).toMatchObject({ email, displayName: 'Nguyễn Thị Minh Khai', roles: ['planner', 'advisor'], active: true });

    const audit = await t.http.get(`/audit?entity=user_account&entityId=${created.body.id}`).set(bearer(admin.token)).expect(200);
    expect(audit.body.total).toBe(1);
    const [entry] = audit.body.items;
    expect(entry).toMatchObject({ action: 'create', actorId: admin.id, entity: 'user_account', entityId: created.body.id });
    expect(entry.changes.email).toEqual({ to: email });
    expect(entry.changes.passwordHash).toEqual({ to: '[redacted]' });
  });

  it('records the changed fields of an update with their old and new values', async () => {
    const email = `update-${randomUUID()}@test.nl`;
    const { body: user } = await t.http
      .post('/users')
      .set(bearer(admin.token))
      .send({ email, displayName: 'Before', password: 'a-long-enough-password', roles: ['finance'] })
      .expect(201);
    await t.http.patch(`/users/${user.id}`).set(bearer(admin.token)).send({ displayName: 'After', version: user.version }).expect(200);
    const audit = await t.http.get(`/audit?entityId=${user.id}&action=update`).set(bearer(admin.token)).expect(200);
    expect(audit.body.items).toHaveLength(1);
    expect(audit.body.items[0].changes).toEqual({ displayName: { from: 'Before', to: 'After' } });
  });

  it('refuses a duplicate email with 409 naming the field', async () => {
    const email = `dup-${randomUUID()}@test.nl`;
    const body = { email, displayName: 'Dup', password: 'a-long-enough-password', roles: ['finance'] };
    await t.http.post('/users').set(bearer(admin.token)).send(body).expect(201);
    const again = await t.http.post('/users').set(bearer(admin.token)).send({ ...body, email: email.toUpperCase() }).expect(409);
    expect(again.body.errors).toEqual([{ field: 'email', rule: 'unique', message: 'email is already in use' }]);
  });

  it('requires the student link for a student user and refuses unknown roles', async () => {
    const response = await t.http
      .post('/users')
      .set(bearer(admin.token))
      .send({ email: `s-${randomUUID()}@test.nl`, displayName: 'S', password: 'a-long-enough-password', roles: ['student', 'wizard'] })
      .expect(400);
    expect(response.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'roles', rule: 'isIn' })]));
  });

  it('filters the audit log by actor and time', async () => {
    const since = new Date().toISOString();
    await t.http.patch('/settings').set(bearer(admin.token)).send({ website: 'https://www.example.nl' }).expect(200);
    const audit = await t.http
      .get(`/audit?actorId=${admin.id}&from=${encodeURIComponent(since)}`)
      .set(bearer(admin.token))
      .expect(200);
    expect(audit.body.items.map((e: { entity: string }) => e.entity)).toEqual(['institute_settings']);
    expect(audit.body.items[0].changes.website.to).toBe('https://www.example.nl');
  });

  it('does not record a change that was refused', async () => {
    const since = new Date().toISOString();
    await t.http.patch('/settings').set(bearer(admin.token)).send({ paymentTermDays: 9999 }).expect(400);
    const audit = await t.http.get(`/audit?actorId=${admin.id}&from=${encodeURIComponent(since)}`).set(bearer(admin.token)).expect(200);
    expect(audit.body.total).toBe(0);
  });
});
