import { HttpException, HttpStatus, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Environment } from '../config/environment';

/**
 * Limits failed logins per account and per client address, counted in PostgreSQL so that
 * every API process sees the same counts.
 */
@Injectable()
export class LoginThrottleService {
  constructor(
    private readonly db: DataSource,
    private readonly env: Environment,
  ) {}

  async assertAllowed(email: string, address: string): Promise<void> {
    const [row] = await this.db.query(
      `SELECT count(*) FILTER (WHERE email = $1)::int   AS by_account,
              count(*) FILTER (WHERE address = $2)::int AS by_address
         FROM login_failure
        WHERE failed_at > now() - make_interval(mins => $3) AND (email = $1 OR address = $2)`,
      [email, address, this.env.LOGIN_WINDOW_MINUTES],
    );
    if (row.by_account >= this.env.LOGIN_MAX_FAILURES_PER_ACCOUNT || row.by_address >= this.env.LOGIN_MAX_FAILURES_PER_ADDRESS) {
      throw new HttpException(
        {
          code: 'too_many_login_attempts',
          detail: `Too many failed logins; try again in ${this.env.LOGIN_WINDOW_MINUTES} minutes`,
          retryAfterSeconds: this.env.LOGIN_WINDOW_MINUTES * 60,
        },
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
  }

  async recordFailure(email: string, address: string): Promise<void> {
    await this.db.query(`INSERT INTO login_failure (email, address) VALUES ($1, $2)`, [email, address]);
  }

  /** A successful login clears the account's failures, and old rows go so the table stays small. */
  async recordSuccess(email: string): Promise<void> {
    await this.db.query(
      `DELETE FROM login_failure WHERE email = $1 OR failed_at < now() - make_interval(mins => $2)`,
      [email, this.env.LOGIN_WINDOW_MINUTES],
    );
  }
}
