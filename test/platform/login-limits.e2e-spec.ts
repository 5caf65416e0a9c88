import { randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { aUser } from '../factories';
import { createTestApp, TestApp } from '../test-app';

const PER_ACCOUNT_AND_ADDRESS = 5;
const PER_ACCOUNT = 12;
const PER_ADDRESS = 20;
const WINDOW_MINUTES = 15;
/** Every checked password costs an argon2 verification (about 64 MB and tens of milliseconds): room for a busy machine. */
const SLOW = 120_000;

/**
 * Login limits over a listening server, as clients meet them: concurrent attempts, the
 * client's address taken from X-Forwarded-For (the app trusts a proxy on loopback, as the
 * tests' connections are), and a 429 that says when to come back.
 */
describe('Login limits', () => {
  let t: TestApp;
  let http: ReturnType<typeof request>;

  beforeAll(async () => {
    t = await createTestApp({
      LOGIN_MAX_FAILURES_PER_ACCOUNT: String(PER_ACCOUNT_AND_ADDRESS),
      LOGIN_MAX_FAILURES_PER_ACCOUNT_TOTAL: String(PER_ACCOUNT),
      LOGIN_MAX_FAILURES_PER_ADDRESS: String(PER_ADDRESS),
      LOGIN_WINDOW_MINUTES: String(WINDOW_MINUTES),
    });
    await t.app.listen(0, '127.0.0.1');
    http = request(`http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`);
  });
  afterAll(() => t.close());

  /** An address of the documentation range, new for each test. */
  const anAddress = () => `2001:db8::${randomBytes(2).toString('hex')}:${randomBytes(2).toString('hex')}`;

  const newUser = () => aUser(t, ['planner'], 'Limiet Test');

  const login = (email: string, password: string, address: string) =>
    http.post('/auth/login').set('X-Forwarded-For', address).send({ email, password });

  function tally(responses: request.Response[]) {
    const statuses = responses.map((r) => r.status);
    return { checked: statuses.filter((s) => s === 401).length, refused: statuses.filter((s) => s === 429).length, other: statuses.filter((s) => s !== 401 && s !== 429) };
  }

  it('checks no more passwords than the limit of 30 parallel attempts on one account, and says when to retry', async () => {
    const user = await newUser();
    const address = anAddress();
    const responses = await Promise.all(Array.from({ length: 30 }, () => login(user.email, 'wrong-password', address)));
    expect(tally(responses)).toEqual({ checked: PER_ACCOUNT_AND_ADDRESS, refused: 30 - PER_ACCOUNT_AND_ADDRESS, other: [] });
    for (const refused of responses.filter((r) => r.status === 429)) {
      expect(refused.body.code).toBe('too_many_login_attempts');
      const retryAfter = Number(refused.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(WINDOW_MINUTES * 60 - 30);
      expect(retryAfter).toBeLessThanOrEqual(WINDOW_MINUTES * 60);
    }
    // The right password from the attacker's address waits too.
    await login(user.email, user.password, address).expect(429);
  }, SLOW);

  it('checks no more passwords than the address limit of 100 parallel attempts from one address', async () => {
    const address = anAddress();
    const responses = await Promise.all(Array.from({ length: 100 }, () => login(`nobody-${randomUUID()}@test.nl`, 'wrong-password', address)));
    expect(tally(responses)).toEqual({ checked: PER_ADDRESS, refused: 100 - PER_ADDRESS, other: [] });
    expect(Number(responses.find((r) => r.status === 429)!.headers['retry-after'])).toBeGreaterThan(0);
  }, SLOW);

  it('does not lock the owner out when someone else guesses from another address', async () => {
    const user = await newUser();
    const attacker = anAddress();
    for (let i = 0; i < PER_ACCOUNT_AND_ADDRESS; i++) await login(user.email, 'wrong-password', attacker).expect(401);
    await login(user.email, 'wrong-password', attacker).expect(429);
    await login(user.email, user.password, anAddress()).expect(200);
  }, SLOW);

  it('stops guessing spread over many addresses at the account-wide ceiling', async () => {
    const user = await newUser();
    let failures = 0;
    while (failures < PER_ACCOUNT) {
      const address = anAddress();
      for (let i = 0; i < PER_ACCOUNT_AND_ADDRESS && failures < PER_ACCOUNT; i++, failures++) await login(user.email, 'wrong-password', address).expect(401);
    }
    await login(user.email, user.password, anAddress()).expect(429);
  }, SLOW);

  it('does not count a successful login, and clears the failures of its account and address', async () => {
    const user = await newUser();
    const address = anAddress();
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < PER_ACCOUNT_AND_ADDRESS - 1; i++) await login(user.email, 'wrong-password', address).expect(401);
      await login(user.email, user.password, address).expect(200);
    }
  }, SLOW);

  it('makes each lockout of an account and address last twice as long as the one before', async () => {
    const user = await newUser();
    const address = anAddress();
    const lockOut = async () => {
      for (let i = 0; i < PER_ACCOUNT_AND_ADDRESS; i++) await login(user.email, 'wrong-password', address).expect(401);
      return Number((await login(user.email, 'wrong-password', address).expect(429)).headers['retry-after']);
    };
    const first = await lockOut();
    // The first lockout is over (time moves on in the database), and the guessing starts again.
    await t.app.get(DataSource).query(`UPDATE login_throttle SET window_ends_at = now() - interval '1 second' WHERE key IN ($1, $2)`, [
      `${address} ${user.email}`,
      address,
    ]);
    const second = await lockOut();
    expect(first).toBeGreaterThan(WINDOW_MINUTES * 60 - 30);
    expect(second).toBeGreaterThan(2 * WINDOW_MINUTES * 60 - 30);
    expect(second).toBeLessThanOrEqual(2 * WINDOW_MINUTES * 60);
  }, SLOW);
});
