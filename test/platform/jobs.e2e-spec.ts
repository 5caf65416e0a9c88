import { setTimeout as sleep } from 'node:timers/promises';
import { randomUUID } from 'node:crypto';
import PgBoss from 'pg-boss';
import { DataSource } from 'typeorm';
import { JobsService } from '../../src/jobs/jobs.service';
import { ClosingDay } from '../../src/planning/closing-day.entity';
import { bearer, createTestApp, TestApp } from '../test-app';

const id6 = () => randomUUID().slice(0, 6);

describe('Background jobs', () => {
  let t: TestApp;
  let jobs: JobsService;
  let attemptsOfFlaky = 0;
  let openGate: () => void;
  const gate = new Promise<void>((resolve) => (openGate = resolve));

  beforeAll(async () => {
    t = await createTestApp();
    jobs = t.app.get(JobsService);
    await jobs.define<{ upTo: number }, { sum: number }>('test-count', async (job) => {
      let sum = 0;
      for (let i = 1; i <= job.data.upTo; i++) {
        sum += i;
        await job.progress(i, job.data.upTo);
      }
      return { sum };
    });
    await jobs.define('test-gated', async (job) => {
      await job.progress(1, 2);
      await gate;
      await job.progress(2, 2);
      return {};
    }, { retryLimit: 0 });
    await jobs.define('test-broken', async () => {
      throw new Error('The import file has no header row');
    }, { retryLimit: 0 });
    await jobs.define('test-hangs-once', async () => {
      attemptsOfFlaky += 1;
      // The first attempt never finishes, like a worker that died: it expires and is retried.
      if (attemptsOfFlaky === 1) await new Promise(() => undefined);
      return { attempt: attemptsOfFlaky };
    }, { retryLimit: 1, expireInSeconds: 1 });
    await jobs.define<{ reason: string }, { id: string }>('test-audited', async (job) => {
      // A day far out that no other test plans on, and that differs per run.
      const date = new Date(Date.UTC(2090, 0, 1) + Math.floor(Math.random() * 3650) * 86_400_000).toISOString().slice(0, 10);
      const day = await t.app.get(DataSource).transaction((manager) => manager.save(manager.create(ClosingDay, { fromDate: date, toDate: date, reason: job.data.reason })));
      return { id: day.id };
    }, { retryLimit: 0 });
  });
  afterAll(() => t.close());

  async function waitFor(id: string, token: string, state: string) {
    for (let i = 0; i < 100; i++) {
      const { body } = await t.http.get(`/jobs/${id}`).set(bearer(token)).expect(200);
      if (body.state === state) return body;
      await sleep(200);
    }
    throw new Error(`job ${id} never reached ${state}`);
  }

  it('runs a job to completion with progress and result', async () => {
    const planner = await t.signIn(['planner']);
    const id = await jobs.start('test-count', { upTo: 5 }, { requestedBy: planner });
    const done = await waitFor(id, planner.token, 'completed');
    expect(done).toMatchObject({ id, queue: 'test-count', progress: { done: 5, total: 5 }, result: { sum: 15 }, error: null });
  });

  it('shows the final progress of a job that ends while its status is being read', async () => {
    const planner = await t.signIn(['planner']);
    const id = await jobs.start('test-gated', {}, { requestedBy: planner });
    for (let i = 0; (await jobs.status(id)).progress.done !== 1; i++) {
      if (i === 100) throw new Error(`job ${id} never reported its first step`);
      await sleep(100);
    }
    // The job ends between the two reads of its status: after its progress is read, before its state is.
    const boss = jobs['boss'] as PgBoss;
    const getJobById = boss.getJobById.bind(boss);
    boss.getJobById = (async (...args: Parameters<typeof getJobById>) => {
      boss.getJobById = getJobById;
      openGate();
      while ((await getJobById(...args))?.state !== 'completed') await sleep(50);
      return getJobById(...args);
    }) as typeof boss.getJobById;
    expect(await jobs.status(id)).toMatchObject({ state: 'completed', progress: { done: 2, total: 2 } });
  });

  it("runs a queue's work in place for the CLI, reporting progress", async () => {
    const seen: string[] = [];
    const result = await jobs.runHere('test-count', { upTo: 3 }, (done, total) => seen.push(`${done}/${total}`));
    expect(result).toEqual({ sum: 6 });
    expect(seen).toEqual(['1/3', '2/3', '3/3']);
  });

  it('reports why a job failed', async () => {
    const planner = await t.signIn(['planner']);
    const id = await jobs.start('test-broken', {}, { requestedBy: planner });
    const failed = await waitFor(id, planner.token, 'failed');
    expect(failed.error).toBe('The import file has no header row');
  });

  it('retries a job whose attempt expired', async () => {
    const planner = await t.signIn(['planner']);
    const id = await jobs.start('test-hangs-once', {}, { requestedBy: planner });
    const done = await waitFor(id, planner.token, 'completed');
    expect(done.result).toEqual({ attempt: 2 });
  }, 30000);

  it('shows a job only to the one who started it, and to admins', async () => {
    const owner = await t.signIn(['finance']);
    const other = await t.signIn(['finance']);
    const admin = await t.signIn(['admin']);
    const id = await jobs.start('test-count', { upTo: 1 }, { requestedBy: owner });
    await t.http.get(`/jobs/${id}`).set(bearer(other.token)).expect(404);
    await t.http.get(`/jobs/${id}`).set(bearer(admin.token)).expect(200);
  });

  it("audits a job's changes with the one who started it and the job's id, and scheduled work as the system's", async () => {
    const planner = await t.signIn(['planner']);
    const admin = await t.signIn(['admin']);
    const id = await jobs.start('test-audited', { reason: `audited ${id6()}` }, { requestedBy: planner });
    const { result } = await waitFor(id, planner.token, 'completed');
    const { body } = await t.http.get('/audit').query({ jobId: id }).set(bearer(admin.token)).expect(200);
    expect(body.items).toEqual([expect.objectContaining({ action: 'create', entity: 'closing_day', entityId: result.id, actorId: planner.id, actorEmail: planner.email, jobId: id, requestId: null })]);

    const here = await jobs.runHere<{ reason: string }, { id: string }>('test-audited', { reason: `scheduled ${id6()}` }, () => undefined);
    const [entry] = await t.app.get(DataSource).query(`SELECT actor_id, actor_email, job_id FROM audit_entry WHERE entity = 'closing_day' AND entity_id = $1`, [here.id]);
    expect(entry).toEqual({ actor_id: null, actor_email: 'system', job_id: expect.any(String) });
  });

  it('starts nothing when the transaction that asked for it rolls back', async () => {
    const db = t.app.get(JobsService)['db'];
    let jobId = '';
    await expect(
      db.transaction(async (manager) => {
        jobId = await jobs.start('test-count', { upTo: 1 }, { manager });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    const admin = await t.signIn(['admin']);
    await t.http.get(`/jobs/${jobId}`).set(bearer(admin.token)).expect(404);
  });
});

describe('Scheduled jobs', () => {
  // Two processes on one database, as two workers would be; they send but do not work the jobs.
  let one: TestApp;
  let other: TestApp;

  beforeAll(async () => {
    [one, other] = await Promise.all([createTestApp({ RUN_WORKER: 'false' }), createTestApp({ RUN_WORKER: 'false' })]);
  });
  afterAll(() => Promise.all([one?.close(), other?.close()]));

  /** The due times of the jobs sent to a queue. */
  async function sentTo(queue: string): Promise<string[]> {
    const rows: { singleton_key: string }[] = await one.app.get(DataSource).query(`SELECT singleton_key FROM pgboss.job WHERE name = $1 ORDER BY singleton_key`, [queue]);
    return rows.map((row) => row.singleton_key);
  }

  /** pg-boss dedupes within the database's minute: the checks of a test run inside one. */
  async function awayFromTheMinutesEnd(): Promise<void> {
    const [{ second }] = await one.app.get(DataSource).query(`SELECT extract(second FROM now())::float AS second`);
    if (second > 45) await sleep((61 - second) * 1000);
  }

  it('sends one job per due time, however many processes check', async () => {
    // 07:03 and 07:13 on 29 February in Amsterdam: never due while the suite runs, nor any of the
    // application's own schedules at those minutes.
    const queue = `test-scheduled-${id6()}`;
    await Promise.all([one, other].map((app) => app.app.get(JobsService).define(queue, async () => undefined, { cron: '3,13 7 29 2 *' })));
    const checkBoth = (at: string) => Promise.all([one, other].map((app) => app.app.get(JobsService).sendScheduledJobs(new Date(at))));
    await awayFromTheMinutesEnd();

    // 07:03:00.4 CET, just after the due time, in both processes at once.
    const sent = (await checkBoth('2028-02-29T06:03:00.400Z')).flat().filter((name) => name === queue);
    expect(sent).toEqual([queue]);
    // The next check of the minute, in either, finds it sent.
    expect(await checkBoth('2028-02-29T06:03:59.900Z')).toEqual([[], []]);
    // A due time more than a minute ago is not due.
    expect(await checkBoth('2028-02-29T06:04:00.400Z')).toEqual([[], []]);
    expect(await sentTo(queue)).toEqual(['2028-02-29T06:03:00.000Z']);

    // The next due time is sent once more.
    await checkBoth('2028-02-29T06:13:00.400Z');
    expect(await sentTo(queue)).toEqual(['2028-02-29T06:03:00.000Z', '2028-02-29T06:13:00.000Z']);
  });

  it('removes at boot a schedule an earlier version left in pg-boss, which its processes would send too', async () => {
    const queue = `test-left-${id6()}`;
    const jobs = one.app.get(JobsService);
    await jobs.define(queue, async () => undefined);
    await (jobs['boss'] as PgBoss).schedule(queue, '0 7 * * *', {}, { tz: 'Europe/Amsterdam' });
    const scheduled = () => one.app.get(DataSource).query(`SELECT name FROM pgboss.schedule WHERE name = $1`, [queue]);
    expect(await scheduled()).toEqual([{ name: queue }]);
    await (await createTestApp({ RUN_WORKER: 'false' })).close();
    expect(await scheduled()).toEqual([]);
  });

  it('refuses a cron expression that is not valid when the queue is defined', async () => {
    await expect(one.app.get(JobsService).define(`test-bad-cron-${id6()}`, async () => undefined, { cron: '0 25 * * *' })).rejects.toThrow(/hour/);
  });
});
