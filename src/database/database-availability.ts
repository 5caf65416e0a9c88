import { Logger, OnApplicationShutdown } from '@nestjs/common';
import { connectionError, unreachableReason } from './connection-errors';

/** What a caller is told to wait before trying again while the database is away. */
export const RETRY_AFTER_SECONDS = 5;
/** How often an outage is probed for its end. */
const PROBE_MILLISECONDS = 1_000;

/**
 * Knows whether the database is away. Requests, job workers and mail delivery all fail while it
 * is, and all report here: the outage is logged once when it starts and once when a probe finds
 * the database back, instead of once for every failed request or poll.
 */
export class DatabaseAvailability implements OnApplicationShutdown {
  private readonly logger = new Logger('Database');
  private outageSince?: Date;
  private probe?: NodeJS.Timeout;
  private closed = false;

  constructor(private readonly url: string) {}

  /**
   * Returns true when the error means the database cannot be reached; the outage is then
   * noted (and logged if it is new). Any other error is left to the caller.
   */
  reportIfUnreachable(error: unknown): boolean {
    const reason = unreachableReason(error);
    if (reason === undefined) return false;
    if (this.outageSince) return true;
    this.outageSince = new Date();
    this.logger.error(`Database unreachable (${reason}) since ${this.outageSince.toISOString()}; answering 503 until it is back`);
    this.probeSoon();
    return true;
  }

  onApplicationShutdown(): void {
    this.closed = true;
    clearTimeout(this.probe);
  }

  private probeSoon(): void {
    this.probe = setTimeout(async () => {
      if (this.closed) return;
      if (!(await this.answers())) return this.probeSoon();
      const seconds = Math.round((Date.now() - this.outageSince!.getTime()) / 100) / 10;
      this.outageSince = undefined;
      this.logger.log(`Database back after ${seconds} s`);
    }, PROBE_MILLISECONDS).unref();
  }

  private async answers(): Promise<boolean> {
    return (await connectionError(this.url, 'registrar-probe')) === undefined;
  }

}
