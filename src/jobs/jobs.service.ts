import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import PgBoss from 'pg-boss';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { Environment } from '../config/environment';
import { DatabaseAvailability } from '../database/database-availability';
import { DATABASE_URL } from '../database/database.module';
import { type Actor, RequestContext } from '../kernel/request-context';
import { NotFoundError } from '../kernel/domain-errors';
import { BackgroundJob } from './background-job.entity';
import { CronSchedule, DUE_WINDOW_MS } from './cron-schedule';
import { JobState, JobStatusDto } from './job-status.dto';

export interface JobContext<T> {
  id: string;
  data: T;
  /** Records how far the job has come; `total` may be given once known. */
  progress(done: number, total?: number): Promise<void>;
}

/** Who started a job: a user of the API (a scheduled job has none). */
export type JobRequester = Pick<Actor, 'id' | 'email'>;

export interface QueueOptions {
  /** Attempts after the first failure, with exponential backoff. */
  retryLimit?: number;
  /** A job whose worker has not finished it by then (it died, say) is failed and retried. */
  expireInSeconds?: number;
  /** Parallel workers for this queue in one process. */
  concurrency?: number;
  /** Five-field cron expression on the Amsterdam clock for a recurring job: worker processes send one job per due time. */
  cron?: string;
}

const DEADLOCK_DETECTED = '40P01';
/** The clock checks this long after the database's minute, so that an estimate of its clock a little off still lands after it. */
const CHECK_MARGIN_MS = 500;

const STATE: Record<PgBoss.JobWithMetadata['state'], JobState> = {
  created: 'queued',
  retry: 'queued',
  active: 'running',
  completed: 'completed',
  failed: 'failed',
  cancelled: 'cancelled',
};

/**
 * Long work as jobs in PostgreSQL (pg-boss), shared by every worker process on every
 * machine. Modules define a queue with its handler; requests start jobs and answer 202.
 */
@Injectable()
export class JobsService implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(JobsService.name);
  private readonly boss: PgBoss;
  private readonly runWorkers: boolean;
  private readonly handlers = new Map<string, (job: JobContext<object>) => Promise<unknown>>();
  private readonly schedules = new Map<string, CronSchedule>();
  private clock?: NodeJS.Timeout;
  private checking?: Promise<unknown>;
  private stopped = false;
  /** How far the database's clock is ahead of ours, as of the last check. */
  private databaseAheadMs = 0;

  constructor(
    env: Environment,
    @Inject(DATABASE_URL) databaseUrl: string,
    private readonly db: DataSource,
    @InjectRepository(BackgroundJob) private readonly jobs: Repository<BackgroundJob>,
    private readonly availability: DatabaseAvailability,
  ) {
    this.runWorkers = env.RUN_WORKER;
    this.boss = new PgBoss({
      connectionString: databaseUrl,
      schema: 'pgboss',
      application_name: 'registrar-jobs',
      max: 4,
      deleteAfterDays: 14,
      // Jobs of a worker that died are found this often (after their expiry) and retried.
      maintenanceIntervalSeconds: 30,
      // Our clock sends scheduled jobs (below): pg-boss's timekeeper evaluated every cron in
      // Europe/Amsterdam every 30 s with cron-parser, blocking the event loop for tens of ms.
      // Off with it go its `__pgboss__send-it` queue and its clock skew warning.
      schedule: false,
    });
    // Every worker's poll fails while the database is away: that is one outage, logged once.
    this.boss.on('error', (error) => availability.reportIfUnreachable(error) || this.logger.error(error));
  }

  async onModuleInit(): Promise<void> {
    await this.boss.start();
    // Schedules an earlier version kept in pg-boss: a process of that version still running
    // during a deploy would send them beside our clock.
    for (const { name } of await this.boss.getSchedules()) await this.boss.unschedule(name);
  }

  /** Worker processes keep the schedules, once every queue is defined. */
  onApplicationBootstrap(): void {
    if (this.runWorkers && this.schedules.size > 0) this.keepSchedules();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.clock);
    await this.checking;
    await this.boss.stop({ graceful: true, wait: true, timeout: 10_000 });
  }

  /** Creates the queue and, in a worker process, starts working it. Call from a module's onModuleInit. */
  async define<T extends object, R>(name: string, handler: (job: JobContext<T>) => Promise<R>, options: QueueOptions = {}): Promise<void> {
    const schedule = options.cron === undefined ? undefined : new CronSchedule(options.cron);
    await this.createQueue(name, options);
    this.handlers.set(name, handler as (job: JobContext<object>) => Promise<unknown>);
    if (schedule) this.schedules.set(name, schedule);
    if (!this.runWorkers) return;
    for (let i = 0; i < (options.concurrency ?? 1); i++) {
      await this.boss.work<T>(name, { batchSize: 1, pollingIntervalSeconds: 1 }, async ([job]) =>
        this.asJob(job.id, await this.requesterFor(job.id), () =>
          handler({ id: job.id, data: job.data, progress: (done, total) => this.progress(job.id, done, total) }),
        ),
      );
    }
  }

  /**
   * Runs a queue's handler here and now, outside the queue: for the CLI, where an operator
   * waits for the work and watches its progress bar.
   */
  async runHere<T extends object, R>(queue: string, data: T, progress: (done: number, total?: number) => void): Promise<R> {
    const handler = this.handlers.get(queue);
    if (!handler) throw new Error(`Queue ${queue} is not defined`);
    const id = randomUUID();
    return (await this.asJob(id, undefined, () => handler({ id, data, progress: async (done, total) => progress(done, total) }))) as R;
  }

  /**
   * Queues a job. Given a transaction's manager, the job exists only if that transaction
   * commits: work is never started for a change that was rolled back.
   */
  async start<T extends object>(queue: string, data: T, options: { requestedBy?: JobRequester; manager?: EntityManager } = {}): Promise<string> {
    const enqueue = async (manager: EntityManager) => {
      const id = randomUUID();
      const requester = options.requestedBy;
      await manager.insert(BackgroundJob, { id, queue, requestedBy: requester?.id ?? null, requestedByEmail: requester?.email ?? null, done: 0, total: null });
      if (!(await this.boss.send(queue, data, { id, db: inTransaction(manager) }))) throw new Error(`Queue ${queue} is not defined`);
      return id;
    };
    return options.manager?.queryRunner ? enqueue(options.manager) : this.db.transaction(enqueue);
  }

  /**
   * Sends a job of each scheduled queue whose due time fell in the minute up to now, and answers
   * the queues sent. Every worker process checks once a minute; pg-boss keeps it to one job per
   * due time among them: the due time is the job's singleton key, and the check's now, the
   * database's, lies in the minute that starts at the due time, pg-boss's singleton slot.
   * `at` stands in for the time checked, for tests.
   */
  async sendScheduledJobs(at?: Date): Promise<string[]> {
    return this.db.transaction(async (manager) => {
      // The transaction's now(): the same time pg-boss computes the singleton slot from.
      const [{ now }] = await manager.query<{ now: Date }[]>('SELECT now() AS now');
      this.databaseAheadMs = now.getTime() - Date.now();
      const sent: string[] = [];
      for (const [queue, schedule] of this.schedules) {
        const due = schedule.dueAt(at ?? now);
        if (!due) continue;
        const options = { db: inTransaction(manager), singletonKey: due.toISOString(), singletonSeconds: DUE_WINDOW_MS / 1000 };
        if (await this.boss.send(queue, {}, options)) sent.push(queue);
      }
      return sent;
    });
  }

  async status(id: string): Promise<JobStatusDto> {
    let record = await this.jobs.findOneBy({ id });
    if (!record) throw new NotFoundError('Job', id);
    const job = await this.boss.getJobById<object>(record.queue, id, { includeArchive: true });
    if (!job) throw new NotFoundError('Job', id);
    const state = STATE[job.state];
    // A job writes its last progress before it ends, so progress read after its end is final; the
    // progress read above, before the state, may be a step behind a job that ended in between.
    if (state !== 'queued' && state !== 'running') record = (await this.jobs.findOneBy({ id })) ?? record;
    const output = (job.output ?? null) as Record<string, unknown> | null;
    return {
      id,
      queue: record.queue,
      state,
      progress: { done: record.done, total: record.total },
      result: state === 'completed' ? (output ?? null) : null,
      error: state === 'failed' ? String(output?.message ?? 'The job failed') : null,
      attempts: job.retryCount + (state === 'queued' && job.retryCount === 0 ? 0 : 1),
      createdAt: job.createdOn,
      startedAt: job.startedOn ?? null,
      completedAt: job.completedOn ?? null,
    };
  }

  requesterOf(id: string): Promise<string | null | undefined> {
    return this.jobs.findOneBy({ id }).then((job) => (job ? job.requestedBy : undefined));
  }

  /** Checks the schedules now, then again just after each minute of the database's clock, until shutdown. */
  private keepSchedules(): void {
    this.checking = this.sendScheduledJobs()
      .catch((error: unknown) => this.availability.reportIfUnreachable(error) || this.logger.error(error))
      .finally(() => {
        if (this.stopped) return;
        const intoMinute = (Date.now() + this.databaseAheadMs) % DUE_WINDOW_MS;
        this.clock = setTimeout(() => this.keepSchedules(), DUE_WINDOW_MS - intoMinute + CHECK_MARGIN_MS).unref();
      });
  }

  /**
   * Processes that boot at the same moment (an API and a worker, say) create the same queues at
   * once, and pg-boss's creation can then deadlock in PostgreSQL: the loser tries again.
   */
  private async createQueue(name: string, options: QueueOptions): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.boss.createQueue(name, {
          name,
          retryLimit: options.retryLimit ?? 2,
          retryBackoff: true,
          expireInSeconds: options.expireInSeconds ?? 15 * 60,
        });
      } catch (error) {
        if ((error as { code?: string }).code !== DEADLOCK_DETECTED || attempt === 5) throw error;
      }
    }
  }

  /**
   * Runs a job's work as the one who started it (none: the system, for scheduled work), so that
   * every change it makes is audited with its actor and the job's id, like a request's.
   */
  private asJob<R>(jobId: string, actor: JobRequester | undefined, work: () => Promise<R>): Promise<R> {
    return RequestContext.run({ jobId, actor }, work);
  }

  /** Who started a job, from our record of it; scheduled jobs have none. */
  private async requesterFor(id: string): Promise<JobRequester | undefined> {
    const job = await this.jobs.findOne({ where: { id }, select: { requestedBy: true, requestedByEmail: true } });
    return job?.requestedBy && job.requestedByEmail ? { id: job.requestedBy, email: job.requestedByEmail } : undefined;
  }

  private async progress(id: string, done: number, total?: number): Promise<void> {
    await this.jobs.update({ id }, { done, ...(total !== undefined ? { total } : {}) });
  }
}

/** pg-boss's statements run in the transaction of `manager`. */
function inTransaction(manager: EntityManager) {
  const runner = manager.queryRunner!;
  return { executeSql: async (text: string, values: unknown[]) => ({ rows: (await runner.query(text, values, true)).records }) };
}
