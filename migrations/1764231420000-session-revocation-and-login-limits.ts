import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Access tokens that end with their session, and login limits that hold under concurrency.
 *
 * Every change to a user and every revoked refresh token sends the user's id on the channel
 * `auth_session`, from the changing transaction and so at its commit: every API process drops
 * what it cached about that user's sessions (see LiveSessions). A trigger rather than a call in
 * the services, so that no path (the API, the CLI, a hand-made UPDATE) can forget it.
 *
 * `login_failure` (one row per failure, counted and checked in separate statements) becomes
 * `login_throttle`: one counter per account and address, per account and per address, taken
 * under a row lock (see LoginThrottleService).
 */
export class SessionRevocationAndLoginLimits1764231420000 implements MigrationInterface {
  name = 'SessionRevocationAndLoginLimits1764231420000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE FUNCTION notify_auth_session() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_TABLE_NAME = 'user_account' THEN
          PERFORM pg_notify('auth_session', OLD.id::text);
        ELSE
          PERFORM pg_notify('auth_session', OLD.user_id::text);
        END IF;
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER user_account_notifies_auth_session AFTER UPDATE OR DELETE ON user_account
      FOR EACH ROW EXECUTE FUNCTION notify_auth_session()`);
    await db.query(`
      CREATE TRIGGER refresh_token_notifies_auth_session AFTER UPDATE OF revoked_at OR DELETE ON refresh_token
      FOR EACH ROW EXECUTE FUNCTION notify_auth_session()`);

    await db.query(`DROP TABLE login_failure`);
    await db.query(`
      CREATE TABLE login_throttle (
        scope           text NOT NULL CHECK (scope IN ('account_address', 'account', 'address')),
        key             text NOT NULL,
        -- failed (or still running) logins in the current window
        failures        integer NOT NULL DEFAULT 0 CHECK (failures >= 0),
        window_ends_at  timestamptz NOT NULL,
        -- times the limit was reached; each lockout lasts twice as long as the one before
        lockouts        integer NOT NULL DEFAULT 0 CHECK (lockouts >= 0),
        PRIMARY KEY (scope, key)
      )`);
    await db.query(`CREATE INDEX login_throttle_window_idx ON login_throttle (window_ends_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE login_throttle`);
    await db.query(`
      CREATE TABLE login_failure (
        id          bigserial PRIMARY KEY,
        email       text NOT NULL,
        address     text NOT NULL,
        failed_at   timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX login_failure_email_idx ON login_failure (email, failed_at)`);
    await db.query(`CREATE INDEX login_failure_address_idx ON login_failure (address, failed_at)`);
    await db.query(`DROP TRIGGER refresh_token_notifies_auth_session ON refresh_token`);
    await db.query(`DROP TRIGGER user_account_notifies_auth_session ON user_account`);
    await db.query(`DROP FUNCTION notify_auth_session()`);
  }
}
