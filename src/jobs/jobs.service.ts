import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
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
  /** Cron expression in Europe/Amsterdam for a recurring job. */
  cron?: string;
}

const DEADLOCK_DETECTED = '40P01';

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
export class JobsService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(JobsService.name);
  private readonly boss: PgBoss;
  private readonly runWorkers: boolean;
  private readonly handlers = new Map<string, (job: JobContext<object>) => Promise<unknown>>();

  constructor(
    env: Environment,
    @Inject(DATABASE_URL) databaseUrl: string,
    private readonly db: DataSource,
    @InjectRepository(BackgroundJob) private readonly jobs: Repository<BackgroundJob>,
    availability: DatabaseAvailability,
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
    });
    // Every worker's poll fails while the database is away: that is one outage, logged once.
    this.boss.on('error', (error) => availability.reportIfUnreachable(error) || this.logger.error(error));
  }

  async onModuleInit(): Promise<void> {
    await this.boss.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.boss.stop({ graceful: true, wait: true, timeout: 10_000 });
  }

  /** Creates the queue and, in a worker process, starts working it. Call from a module's onModuleInit. */
  async define<T extends object, R>(name: string, handler: (job: JobContext<T>) => Promise<R>, options: QueueOptions = {}): Promise<void> {
    await this.createQueue(name, options);
    this.handlers.set(name, handler as (job: JobContext<object>) => Promise<unknown>);
    if (options.cron) await this.boss.schedule(name, options.cron, {}, { tz: 'Europe/Amsterdam' });
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
      const runner = manager.queryRunner!;
      const db = { executeSql: async (text: string, values: unknown[]) => ({ rows: (await runner.query(text, values, true)).records }) };
      const id = randomUUID();
      const requester = options.requestedBy;
      await manager.insert(BackgroundJob, { id, queue, requestedBy: requester?.id ?? null, requestedByEmail: requester?.email ?? null, done: 0, total: null });
      if (!(await this.boss.send(queue, data, { id, db }))) throw new Error(`Queue ${queue} is not defined`);
      return id;
    };
    return options.manager?.queryRunner ? enqueue(options.manager) : this.db.transaction(enqueue);
  }

  async status(id: string): Promise<JobStatusDto> {
    const record = await this.jobs.findOneBy({ id });
    if (!record) throw new NotFoundError('Job', id);
    const job = await this.boss.getJobById<object>(record.queue, id, { includeArchive: true });
    if (!job) throw new NotFoundError('Job', id);
    const state = STATE[job.state];
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
