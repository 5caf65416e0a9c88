import { JwtService } from '@nestjs/jwt';
import { randomUUID } from 'node:crypto';
import { SESSION_CACHE_MILLISECONDS } from '../../src/auth/live-sessions';
import { aUser } from '../factories';
import { bearer, createTestApp, eventually, TestApp } from '../test-app';

/**
 * An access token lives 15 minutes, but no longer than its session and its user: it is
 * refused within moments of logout, deactivation, a new password or a demotion, in every
 * process, and its claims are checked before anything trusts them.
 */
describe('Access tokens and their sessions', () => {
  let t: TestApp;
  /** A second API process on the same database: the change is made there, the token is used here. */
  let other: TestApp;
  let admin: { token: string };

  beforeAll(async () => {
    t = await createTestApp();
    other = await createTestApp();
    admin = await other.signIn(['admin']);
  });
  afterAll(async () => {
    await other.close();
    await t.close();
  });

  async function newUser(roles: ('admin' | 'planner')[] = ['planner']) {
    const user = await aUser(t, roles, 'Sessie Test');
    const tokens = (await t.http.post('/auth/login').send({ email: user.email, password: user.password }).expect(200)).body as { accessToken: string; refreshToken: string };
    return { ...user, ...tokens };
  }

  /**
   * The status a request settles on, polled for well under the cache's lifetime: a refusal in
   * time can only come from the notification, not from the cached answer running out.
   */
  async function statusSoon(path: string, token: string, wanted: number): Promise<number> {
    let status = 0;
    const settled = async () => (status = (await t.http.get(path).set(bearer(token))).status) === wanted;
    await eventually(settled, SESSION_CACHE_MILLISECONDS / 3).catch(() => undefined);
    return status;
  }

  it('refuses the access token of a deactivated user, in every process, within moments', async () => {
    const user = await newUser();
    await t.http.get('/auth/me').set(bearer(user.accessToken)).expect(200);
    await other.http.patch(`/users/${user.id}`).set(bearer(admin.token)).send({ active: false }).expect(200);
    expect(await statusSoon('/auth/me', user.accessToken, 401)).toBe(401);
    expect((await t.http.get('/auth/me').set(bearer(user.accessToken))).body.code).toBe('session_ended');
  });

  it('refuses the access token after a new password', async () => {
    const user = await newUser();
    await t.http.get('/auth/me').set(bearer(user.accessToken)).expect(200);
    await other.http.patch(`/users/${user.id}`).set(bearer(admin.token)).send({ password: `new-${randomUUID()}` }).expect(200);
    expect(await statusSoon('/auth/me', user.accessToken, 401)).toBe(401);
  });

  it('refuses the access token after logout, and only that session', async () => {
    const user = await newUser();
    const second = (await t.http.post('/auth/login').send({ email: user.email, password: user.password }).expect(200)).body;
    await t.http.get('/auth/me').set(bearer(user.accessToken)).expect(200);
    await other.http.post('/auth/logout').set(bearer(user.accessToken)).send({ refreshToken: user.refreshToken }).expect(204);
    expect(await statusSoon('/auth/me', user.accessToken, 401)).toBe(401);
    await t.http.get('/auth/me').set(bearer(second.accessToken)).expect(200);
  });

  it('acts with the current roles: a demoted admin is refused at once', async () => {
    const demoted = await newUser(['admin']);
    await t.http.get('/users').set(bearer(demoted.accessToken)).expect(200);
    await other.http.patch(`/users/${demoted.id}`).set(bearer(admin.token)).send({ roles: ['planner'] }).expect(200);
    expect(await statusSoon('/users', demoted.accessToken, 403)).toBe(403);
    await t.http
      .post('/users')
      .set(bearer(demoted.accessToken))
      .send({ email: `made-by-demoted-${randomUUID()}@test.nl`, displayName: 'Nope', password: 'a-long-enough-password', roles: ['admin'] })
      .expect(403);
    // Still signed in, as a planner.
    expect((await t.http.get('/auth/me').set(bearer(demoted.accessToken)).expect(200)).body.roles).toEqual(['planner']);
  });

  it('refuses the access tokens of a family revoked because a spent refresh token came back', async () => {
    const user = await newUser();
    const rotated = (await t.http.post('/auth/refresh').send({ refreshToken: user.refreshToken }).expect(200)).body;
    await t.http.post('/auth/refresh').send({ refreshToken: user.refreshToken }).expect(401);
    expect(await statusSoon('/auth/me', rotated.accessToken, 401)).toBe(401);
  });

  describe('claims', () => {
    /** Tokens made with the test secret, as someone who had it could. */
    const forge = (claims: Record<string, unknown>, options: { expiresIn?: number } = { expiresIn: 600 }) =>
      t.app.get(JwtService).sign(claims, options);

    it('accepts a well-formed token of a live session, as a control', async () => {
      const user = await newUser();
      const { sid } = t.app.get(JwtService).decode(user.accessToken) as { sid: string };
      await t.http.get('/auth/me').set(bearer(forge({ sub: user.id, sid, roles: ['planner'] }))).expect(200);
    });

    it('answers 401, never 500, to roles that are not a list of known roles, and to a missing sub or exp', async () => {
      const user = await newUser();
      const { sid } = t.app.get(JwtService).decode(user.accessToken) as { sid: string };
      const forged = [
        forge({ sub: user.id, sid, roles: 'admin' }),
        forge({ sub: user.id, sid }),
        forge({ sub: user.id, sid, roles: ['admin', 'superuser'] }),
        forge({ sub: user.id, sid, roles: [] }),
        forge({ sub: user.id, sid, roles: { some: 1 } }),
        forge({ sid, roles: ['planner'] }),
        forge({ sub: 'not-a-uuid', sid, roles: ['planner'] }),
        forge({ sub: user.id, roles: ['planner'] }),
        forge({ sub: user.id, sid, roles: ['planner'] }, {}),
      ];
      for (const token of forged) {
        const response = await t.http.get('/auth/me').set(bearer(token));
        expect({ status: response.status, type: response.headers['content-type'] }).toEqual({ status: 401, type: expect.stringContaining('application/problem+json') });
      }
    });

    it('answers 401 for a user who does not exist, or a session that never was', async () => {
      const user = await newUser();
      await t.http.get('/auth/me').set(bearer(forge({ sub: randomUUID(), sid: randomUUID(), roles: ['admin'] }))).expect(401);
      await t.http.get('/users').set(bearer(forge({ sub: user.id, sid: randomUUID(), roles: ['admin'] }))).expect(401);
    });
  });

  it('ends only the caller\'s own session on logout: another user\'s refresh token is answered as unknown, and keeps working', async () => {
    const victim = await newUser();
    const intruder = await newUser();
    const unknown = await t.http.post('/auth/logout').set(bearer(intruder.accessToken)).send({ refreshToken: `unknown-${randomUUID()}` }).expect(204);
    const foreign = await t.http.post('/auth/logout').set(bearer(intruder.accessToken)).send({ refreshToken: victim.refreshToken }).expect(204);
    expect(foreign.body).toEqual(unknown.body);
    await t.http.get('/auth/me').set(bearer(victim.accessToken)).expect(200);
    await t.http.post('/auth/refresh').send({ refreshToken: victim.refreshToken }).expect(200);
    await t.http.get('/auth/me').set(bearer(intruder.accessToken)).expect(200);
  });
});
