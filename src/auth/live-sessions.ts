import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DATABASE_URL } from '../database/database.module';
import { DatabaseAvailability } from '../database/database-availability';
import { NotificationListener } from '../database/notification-listener';
import { BoundedMap } from '../kernel/bounded-map';
import type { Actor } from '../kernel/request-context';
import type { Role } from '../kernel/role';

/** Sent (by triggers, see the migration) with a user's id when the user changes or one of their refresh tokens is revoked. */
export const AUTH_SESSION_CHANNEL = 'auth_session';
/** The safety net: even when a notification was missed, what is cached is at most this old. */
export const SESSION_CACHE_MILLISECONDS = 5_000;
const MAX_CACHED_SESSIONS = 10_000;

interface Cached {
  userId: string;
  /** The user as they are now, or null when the session ended or the user is gone or inactive. */
  actor: Actor | null;
  loadedAt: number;
}

interface SessionRow {
  id: string;
  email: string;
  roles: Role[];
  active: boolean;
  studentId: string | null;
  teacherId: string | null;
  live: boolean;
}

/**
 * Whether an access token's login session still stands, and who its user is now. A session is
 * a refresh-token family: it ends at logout, when a spent refresh token is presented again,
 * and when its user is deactivated or given a new password. The answer is cached briefly per
 * session, and dropped as soon as PostgreSQL notifies a change to the user, so that a revoked
 * session or a demotion takes effect in every process within moments, while a request with a
 * known session costs no query.
 */
@Injectable()
export class LiveSessions implements OnApplicationShutdown {
  private readonly logger = new Logger(LiveSessions.name);
  private readonly cache = new BoundedMap<string, Cached>(MAX_CACHED_SESSIONS);
  private readonly listener: NotificationListener;
  private listening: Promise<void> | undefined;
  /** Moves on every notification: a lookup that started before one must not cache what it read. */
  private generation = 0;

  constructor(
    private readonly db: DataSource,
    @Inject(DATABASE_URL) databaseUrl: string,
    availability: DatabaseAvailability,
  ) {
    this.listener = new NotificationListener(
      databaseUrl,
      AUTH_SESSION_CHANNEL,
      this.logger,
      availability,
      (userId) => this.forget(userId),
      () => this.forgetAll(),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.listener.stop();
  }

  /** The session's user as they are now, or null when the token must be refused. */
  async actorFor(userId: string, sessionId: string): Promise<Actor | null> {
    // Listening starts with the first request, so that the worker and the CLI hold no connection for it.
    this.listening ??= this.listener.start();
    await this.listening;
    const key = `${userId} ${sessionId}`;
    const cached = this.cache.get(key);
    if (cached && Date.now() - cached.loadedAt < SESSION_CACHE_MILLISECONDS) return cached.actor;

    const generation = this.generation;
    const actor = await this.load(userId, sessionId);
    if (generation === this.generation) this.cache.set(key, { userId, actor, loadedAt: Date.now() });
    return actor;
  }

  private async load(userId: string, sessionId: string): Promise<Actor | null> {
    const [row]: SessionRow[] = await this.db.query(
      `SELECT u.id, u.email, u.roles, u.active, u.student_id AS "studentId", u.teacher_id AS "teacherId",
              EXISTS (SELECT 1 FROM refresh_token r
                       WHERE r.family_id = $2 AND r.user_id = u.id AND r.revoked_at IS NULL AND r.expires_at > now()) AS live
         FROM user_account u
        WHERE u.id = $1`,
      [userId, sessionId],
    );
    if (!row?.active || !row.live) return null;
    return { id: row.id, email: row.email, roles: row.roles, studentId: row.studentId ?? undefined, teacherId: row.teacherId ?? undefined };
  }

  private forget(userId: string): void {
    this.generation++;
    for (const [key, entry] of this.cache) if (entry.userId === userId) this.cache.delete(key);
  }

  /** The listener was lost: notifications may have been missed. */
  private forgetAll(): void {
    this.generation++;
    this.cache.clear();
  }
}
