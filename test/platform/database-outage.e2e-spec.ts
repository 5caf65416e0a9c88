import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, Server, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { loadEnvironment } from '../../src/config/environment';
import { connectDatabase, DatabaseHandle } from '../../src/database/connect';
import { JobsService } from '../../src/jobs/jobs.service';
import { bearer, createTestApp, eventually, TestApp } from '../test-app';

/**
 * What the API promises while PostgreSQL is away: 503 problem+json with Retry-After, one log
 * line for the outage, and service again without a manual step once the database is back.
 */

interface Answer {
  status: number;
  type: string;
  retryAfter?: string;
  code?: string;
}

/**
 * Asks `path` until it answers 200 after having failed at least once; every answer on the way.
 * (Requests that reach PostgreSQL in the instant before it is gone are still served.)
 */
async function answersUntilServedAgain(t: TestApp, path: string, token: string, withinMs: number): Promise<{ answers: Answer[]; servedAfterMs: number }> {
  const began = Date.now();
  const answers: Answer[] = [];
  while (Date.now() - began < withinMs) {
    const response = await t.http.get(path).set(bearer(token));
    answers.push({ status: response.status, type: response.type, retryAfter: response.headers['retry-after'], code: response.body?.code });
    if (response.status === 200 && answers.some((answer) => answer.status !== 200)) return { answers, servedAfterMs: Date.now() - began };
    await sleep(100);
  }
  throw new Error(`${path} was not served again within ${withinMs} ms: ${JSON.stringify(answers.slice(-3))}`);
}

/** Every failure on the way was a 503 problem with Retry-After, and there was one. */
function expectUnavailableUntilServed(answers: Answer[]): void {
  const unavailable = answers.filter((answer) => answer.status !== 200);
  expect(unavailable.length).toBeGreaterThan(0);
  for (const answer of unavailable) {
    expect(answer).toEqual({ status: 503, type: 'application/problem+json', retryAfter: '5', code: 'database_unavailable' });
  }
}

/** The messages a spied Nest logger method was called with that match `pattern`. */
function logged(spy: { mock: { calls: unknown[][] } }, pattern: RegExp): string[] {
  return spy.mock.calls.map(([message]) => String(message)).filter((message) => pattern.test(message));
}

/** Connections of the mail worker's LISTEN on the outbox channel. */
async function mailListeners(t: TestApp): Promise<number> {
  const [{ count }] = await t.app.get(DataSource).query(`SELECT count(*)::int AS count FROM pg_stat_activity WHERE application_name = 'registrar-mail_outbox' AND datname = current_database()`);
  return count;
}

describe('The embedded PostgreSQL killed', () => {
  const port = 61000 + Math.floor(Math.random() * 3000);
  let dataDir: string;
  let database: DatabaseHandle;
  let t: TestApp;
  let token: string;
  let planner: { id: string; email: string; token: string };

  beforeAll(async () => {
    // Quiet until the app's own (silent) logger takes over; the spies below still see every line.
    Logger.overrideLogger(false);
    dataDir = mkdtempSync(join(tmpdir(), 'registrar-outage-'));
    const settings = { DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(port), RUN_WORKER: 'true' };
    database = await connectDatabase(loadEnvironment({ NODE_ENV: 'test', JWT_SECRET: 'test-secret-that-is-at-least-32-bytes-long', ...settings }));
    t = await createTestApp(settings, database.url);
    await t.app.get(JobsService).define('test-after-outage', async () => ({ done: true }), { retryLimit: 0 });
    planner = await t.signIn(['planner']);
    token = planner.token;
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await database?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers 503 with Retry-After, logs the outage once, restarts PostgreSQL and serves again within 30 s', async () => {
    await t.http.get('/courses').set(bearer(token)).expect(200);
    const errors = jest.spyOn(Logger.prototype, 'error');
    const infos = jest.spyOn(Logger.prototype, 'log');
    try {
      const postmaster = Number.parseInt(readFileSync(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8'), 10);
      process.kill(postmaster, 'SIGKILL');

      // The search looks longer than the promise, so that the promise is what is checked.
      const { answers, servedAfterMs } = await answersUntilServedAgain(t, '/courses', token, 45_000);
      expectUnavailableUntilServed(answers);
      expect(servedAfterMs).toBeLessThan(30_000);
      await t.http.get('/health/ready').expect(200);
      await eventually(() => logged(infos, /^Database back after/).length === 1);

      expect(logged(errors, /^Database unreachable \(.+\) since \d{4}-/)).toHaveLength(1);
      expect(logged(errors, /^Embedded PostgreSQL \(pid \d+\) stopped unexpectedly/)).toHaveLength(1);
      // Nothing else was logged as an error: not a line per failed request or job poll.
      expect(errors).toHaveBeenCalledTimes(2);
    } finally {
      errors.mockRestore();
      infos.mockRestore();
    }
  }, 60_000);

  it('has its job workers and the mail listener back', async () => {
    const jobs = t.app.get(JobsService);
    const id = await jobs.start('test-after-outage', {}, { requestedBy: planner });
    await eventually(async () => (await t.http.get(`/jobs/${id}`).set(bearer(token))).body.state === 'completed');
    await eventually(() => mailListeners(t).then((count) => count === 1));
  });
});

/**
 * A DATABASE_URL server that goes away: the app talks to the run's database through a TCP
 * relay that the test cuts (open connections reset, new ones refused) and restores.
 */
describe('A DATABASE_URL server out of reach', () => {
  let t: TestApp;
  let token: string;
  let relay: Server;
  const sockets = new Set<Socket>();
  const target = new URL(process.env.REGISTRAR_TEST_DATABASE_URL!);
  const relayPort = 64100 + Math.floor(Math.random() * 1000);

  function openRelay(): Promise<void> {
    relay = createServer((client) => {
      const upstream = new Socket();
      upstream.connect(Number(target.port || 5432), target.hostname);
      for (const socket of [client, upstream]) {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
    });
    return new Promise((resolve) => relay.listen(relayPort, '127.0.0.1', resolve));
  }

  function cutRelay(): Promise<void> {
    for (const socket of sockets) socket.resetAndDestroy();
    return new Promise((resolve) => relay.close(() => resolve()));
  }

  beforeAll(async () => {
    await openRelay();
    const url = new URL(target);
    url.hostname = '127.0.0.1';
    url.port = String(relayPort);
    t = await createTestApp({ RUN_WORKER: 'true' }, url.toString());
    token = (await t.signIn(['planner'])).token;
  });
  afterAll(async () => {
    await t?.close();
    relay.close();
  });

  it('answers 503 problem+json with Retry-After while it is away, and serves and listens again once it is back', async () => {
    await t.http.get('/courses').set(bearer(token)).expect(200);
    await cutRelay();

    const away = await t.http.get('/courses').set(bearer(token)).expect(503);
    expect(away.type).toBe('application/problem+json');
    expect(away.headers['retry-after']).toBe('5');
    expect(away.body).toMatchObject({ status: 503, code: 'database_unavailable', title: 'Service unavailable', instance: '/courses' });
    const ready = await t.http.get('/health/ready').expect(503);
    expect(ready.type).toBe('application/problem+json');
    await t.http.get('/health').expect(200);

    // Away for longer than one mail poll (5 s): the mail worker keeps trying to LISTEN again.
    await sleep(6_000);
    await openRelay();
    // The pool has dropped its broken connections and opens new ones: no restart needed.
    await eventually(async () => (await t.http.get('/courses').set(bearer(token))).status === 200, 10_000);
    await eventually(() => mailListeners(t).then((count) => count === 1), 10_000);
  });
});
