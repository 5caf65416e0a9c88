import { HttpException, HttpStatus, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Environment } from '../config/environment';

type Scope = 'account' | 'account_address' | 'address';

interface Counter {
  scope: Scope;
  key: string;
  failures: number;
  expired: boolean;
  secondsLeft: number;
}

/** However often the limit is reached, a lockout lasts at most a day. */
const MAX_LOCKOUT_MINUTES = 24 * 60;

/**
 * Limits failed logins the way OWASP advises, counted in PostgreSQL so that every API process
 * shares the counts:
 * - per account and client address (LOGIN_MAX_FAILURES_PER_ACCOUNT): whoever guesses from one
 *   address is stopped there, while the owner still signs in from another;
 * - per account over all addresses (LOGIN_MAX_FAILURES_PER_ACCOUNT_TOTAL, much higher), against
 *   guessing spread over many addresses;
 * - per address (LOGIN_MAX_FAILURES_PER_ADDRESS), against one address trying many accounts.
 * Each time a limit is reached its lockout lasts twice as long as the one before (the first
 * one LOGIN_WINDOW_MINUTES).
 *
 * An attempt is counted as a failure before its password is checked, under a row lock on its
 * three counters, and given back when it succeeds: of any number of concurrent attempts, no
 * more than the limit get their password checked.
 */
@Injectable()
export class LoginThrottleService {
  constructor(
    private readonly db: DataSource,
    private readonly env: Environment,
  ) {}

  /** Counts the attempt, or refuses it (429 with the seconds to wait) when a limit is reached. */
  async admit(email: string, address: string): Promise<void> {
    const counters = this.countersOf(email, address);
    const scopes = counters.map((c) => c.scope);
    const keys = counters.map((c) => c.key);
    const retryAfterSeconds = await this.db.transaction(async (manager) => {
      // Always the same order (by scope, then key), so that concurrent attempts never deadlock.
      await manager.query(
        `INSERT INTO login_throttle (scope, key, window_ends_at)
         SELECT scope, key, now() + make_interval(mins => $3) FROM unnest($1::text[], $2::text[]) AS c(scope, key)
         ON CONFLICT (scope, key) DO NOTHING`,
        [scopes, keys, this.env.LOGIN_WINDOW_MINUTES],
      );
      const locked: Counter[] = await manager.query(
        `SELECT t.scope, t.key, t.failures, t.window_ends_at <= now() AS expired,
                greatest(1, ceil(extract(epoch FROM t.window_ends_at - clock_timestamp())))::int AS "secondsLeft"
           FROM login_throttle t JOIN unnest($1::text[], $2::text[]) AS c(scope, key) ON (t.scope, t.key) = (c.scope, c.key)
          ORDER BY t.scope, t.key
            FOR UPDATE OF t`,
        [scopes, keys],
      );
      const limitOf = (scope: Scope) => counters.find((c) => c.scope === scope)!.limit;
      const refused = locked.filter((c) => !c.expired && c.failures >= limitOf(c.scope));
      if (refused.length > 0) return Math.max(...refused.map((c) => c.secondsLeft));
      const failures = locked.map((c) => (c.expired ? 1 : c.failures + 1));
      // The attempt that reaches a limit starts its lockout: the window's length doubled for each earlier one.
      await manager.query(
        `UPDATE login_throttle t
            SET failures = c.failures,
                window_ends_at = CASE
                  WHEN c.reached THEN now() + least(make_interval(mins => $5) * power(2, least(t.lockouts, 16)), make_interval(mins => $6))
                  WHEN t.window_ends_at <= now() THEN now() + make_interval(mins => $5)
                  ELSE t.window_ends_at END,
                lockouts = t.lockouts + c.reached::int
           FROM unnest($1::text[], $2::text[], $3::int[], $4::boolean[]) AS c(scope, key, failures, reached)
          WHERE (t.scope, t.key) = (c.scope, c.key)`,
        [
          locked.map((c) => c.scope),
          locked.map((c) => c.key),
          failures,
          locked.map((c, i) => failures[i] >= limitOf(c.scope)),
          this.env.LOGIN_WINDOW_MINUTES,
          MAX_LOCKOUT_MINUTES,
        ],
      );
      return undefined;
    });
    if (retryAfterSeconds !== undefined) {
      throw new HttpException(
        {
          code: 'too_many_login_attempts',
          detail: `Too many failed logins; try again in ${Math.ceil(retryAfterSeconds / 60)} minutes`,
          retryAfterSeconds,
        },
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
  }

  /**
   * A successful login was no failure: it clears its account and address pair and gives back
   * what it took from the other two. Counters idle for a day go, so the table stays small.
   */
  async succeeded(email: string, address: string): Promise<void> {
    const [account, pair, byAddress] = this.countersOf(email, address);
    // One statement, so that the pair is cleared and the attempt given back together or not at all;
    // the rows they touch (live ones) and the day-old ones deleted never overlap.
    await this.db.query(
      `WITH cleared AS (DELETE FROM login_throttle WHERE (scope, key) = ($1, $2) OR window_ends_at < now() - interval '1 day')
       UPDATE login_throttle SET failures = greatest(failures - 1, 0)
        WHERE ((scope, key) = ($3, $4) OR (scope, key) = ($5, $6)) AND window_ends_at > now()`,
      [pair.scope, pair.key, account.scope, account.key, byAddress.scope, byAddress.key],
    );
  }

  /** In the order of their scopes, the order in which they are locked. */
  private countersOf(email: string, address: string): { scope: Scope; key: string; limit: number }[] {
    return [
      { scope: 'account', key: email, limit: this.env.LOGIN_MAX_FAILURES_PER_ACCOUNT_TOTAL },
      { scope: 'account_address', key: `${address} ${email}`, limit: this.env.LOGIN_MAX_FAILURES_PER_ACCOUNT },
      { scope: 'address', key: address, limit: this.env.LOGIN_MAX_FAILURES_PER_ADDRESS },
    ];
  }
}
