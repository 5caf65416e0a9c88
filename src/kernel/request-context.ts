import { AsyncLocalStorage } from 'node:async_hooks';
import type { Role } from './role';

/** Who is acting: the claims of a verified access token. */
export interface Actor {
  id: string;
  email: string;
  roles: Role[];
  studentId?: string;
  teacherId?: string;
}

interface WorkScope {
  /** The HTTP request doing the work, or none. */
  requestId?: string;
  /** The background job doing the work, or none. */
  jobId?: string;
  /** Who started the work; none for scheduled work, which the system does. */
  actor?: Pick<Actor, 'id' | 'email'>;
}

const storage = new AsyncLocalStorage<WorkScope>();

/**
 * Who is doing the current work and as part of what — a request or a job — reachable from
 * code that has no request object (the audit subscriber, the outbox). Empty outside both,
 * e.g. while seeding the demo.
 */
export const RequestContext = {
  run<T>(scope: WorkScope, fn: () => T): T {
    return storage.run(scope, fn);
  },
  current(): WorkScope {
    return storage.getStore() ?? {};
  },
  setActor(actor: Actor): void {
    const scope = storage.getStore();
    if (scope) scope.actor = actor;
  },
};
