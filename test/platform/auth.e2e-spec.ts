import { randomUUID } from 'node:crypto';
import { UsersService } from '../../src/auth/users.service';
import { bearer, createTestApp, TestApp } from '../test-app';

describe('Authentication', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ LOGIN_MAX_FAILURES_PER_ACCOUNT: '3', LOGIN_MAX_FAILURES_PER_ADDRESS: '1000' });
  });
  afterAll(() => t.close());

  async function newUser(roles: ('admin' | 'planner')[] = ['planner']) {
    const email = `Auth-${randomUUID()}@Test.nl`;
    const password = `secret-${randomUUID()}`;
    const user = await t.app.get(UsersService).create({ email, password, roles, displayName: 'Zoë Şahin-Łukasiewicz' });
    return { id: user.id, email, password, credentials: { email, password } };
  }

  it('signs in case-insensitively and answers who you are', async () => {
    const user = await newUser();
    const login = await t.http.post('/auth/login').send({ email: user.email.toUpperCase(), password: user.password }).expect(200);
    expect(login.body).toMatchObject({ tokenType: 'Bearer', expiresIn: 900, accessToken: expect.any(String), refreshToken: expect.any(String) });
    const me = await t.http.get('/auth/me').set(bearer(login.body.accessToken)).expect(200);
    expect(me.body).toMatchObject({ id: user.id, email: user.email.toLowerCase(), displayName: 'Zoë Şahin-Łukasiewicz', roles: ['planner'] });
    expect(me.body.passwordHash).toBeUndefined();
  });

  it('answers a wrong password exactly as an unknown email', async () => {
    const user = await newUser();
    const wrongPassword = await t.http.post('/auth/login').send({ email: user.email, password: 'not-the-password' }).expect(401);
    const unknownEmail = await t.http.post('/auth/login').send({ email: `nobody-${randomUUID()}@test.nl`, password: user.password }).expect(401);
    const strip = (body: Record<string, unknown>) => ({ ...body, requestId: undefined });
    expect(strip(wrongPassword.body)).toEqual(strip(unknownEmail.body));
    expect(wrongPassword.body.code).toBe('invalid_credentials');
  });

  it('locks an account after too many failures, even for the right password', async () => {
    const user = await newUser();
    for (let i = 0; i < 3; i++) await t.http.post('/auth/login').send({ email: user.email, password: 'wrong-password' }).expect(401);
    const locked = await t.http.post('/auth/login').send({ email: user.email, password: user.password }).expect(429);
    expect(locked.body.code).toBe('too_many_login_attempts');
  });

  it('rotates refresh tokens and revokes the family when a spent one is reused', async () => {
    const user = await newUser();
    const first = (await t.http.post('/auth/login').send(user.credentials).expect(200)).body;
    const second = (await t.http.post('/auth/refresh').send({ refreshToken: first.refreshToken }).expect(200)).body;
    expect(second.refreshToken).not.toBe(first.refreshToken);
    await t.http.get('/auth/me').set(bearer(second.accessToken)).expect(200);
    // Reusing the spent token signals theft: it fails, and so does the newer token of its family.
    await t.http.post('/auth/refresh').send({ refreshToken: first.refreshToken }).expect(401);
    await t.http.post('/auth/refresh').send({ refreshToken: second.refreshToken }).expect(401);
  });

  it('ends the session on logout', async () => {
    const user = await newUser();
    const tokens = (await t.http.post('/auth/login').send(user.credentials).expect(200)).body;
    await t.http.post('/auth/logout').set(bearer(tokens.accessToken)).send({ refreshToken: tokens.refreshToken }).expect(204);
    await t.http.post('/auth/refresh').send({ refreshToken: tokens.refreshToken }).expect(401);
  });

  it('refuses a deactivated user at login and at refresh', async () => {
    const user = await newUser();
    const admin = await t.signIn(['admin']);
    const tokens = (await t.http.post('/auth/login').send(user.credentials).expect(200)).body;
    await t.http.patch(`/users/${user.id}`).set(bearer(admin.token)).send({ active: false }).expect(200);
    await t.http.post('/auth/refresh').send({ refreshToken: tokens.refreshToken }).expect(401);
    await t.http.post('/auth/login').send(user.credentials).expect(401);
  });
});
