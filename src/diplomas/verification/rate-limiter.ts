import type { DataSource } from 'typeorm';

/**
 * A fixed window per client address, counted in PostgreSQL so that every API process shares
 * the count (as auth's login limits do): enough to make guessing codes on the public
 * verification routes slow, though 100 random bits leave nothing to find anyway.
 */
export class RateLimiter {
  private lastSweep = 0;

  constructor(
    private readonly db: DataSource,
    private readonly limit: number,
    private readonly windowSeconds = 60,
  ) {}

  /**
   * Counts a request; the seconds to wait when it is over the limit, else undefined. One
   * statement: the address's row is created, counted, or started anew when its window has
   * ended, under the row's lock, so concurrent requests from several processes never both
   * take the last place.
   */
  async take(address: string): Promise<number | undefined> {
    await this.sweep();
    const [row]: { requests: number; secondsLeft: number }[] = await this.db.query(
      `INSERT INTO verification_throttle AS t (address, requests, window_ends_at)
       VALUES ($1, 1, now() + make_interval(secs => $2))
       ON CONFLICT (address) DO UPDATE SET
         requests = CASE WHEN t.window_ends_at <= now() THEN 1 ELSE t.requests + 1 END,
         window_ends_at = CASE WHEN t.window_ends_at <= now() THEN now() + make_interval(secs => $2) ELSE t.window_ends_at END
       RETURNING t.requests, greatest(1, ceil(extract(epoch FROM t.window_ends_at - clock_timestamp())))::int AS "secondsLeft"`,
      [address, this.windowSeconds],
    );
    return row.requests <= this.limit ? undefined : row.secondsLeft;
  }

  /**
   * Once a window per process, the rows of addresses idle for an hour go. Its own statement,
   * skipping rows being counted, so that it never waits for a request nor a request for it
   * in a cycle.
   */
  private async sweep(): Promise<void> {
    const now = Date.now();
    if (now - this.lastSweep < this.windowSeconds * 1000) return;
    this.lastSweep = now;
    await this.db.query(
      `DELETE FROM verification_throttle WHERE address IN (
         SELECT address FROM verification_throttle WHERE window_ends_at < now() - interval '1 hour' FOR UPDATE SKIP LOCKED)`,
    );
  }
}
