import { AsyncLocalStorage } from 'node:async_hooks';
import type { Role } from '../auth/role';

/** Who is calling: the claims of a verified access token. */
export interface Actor {
  id: string;
  email: string;
  roles: Role[];
  studentId?: string;
  teacherId?: string;
}

interface RequestScope {
  requestId?: string;
  actor?: Actor;
  /** Why a change was made, when the caller had to give a reason (an override, accepted conflicts). */
  auditReason?: string;
}

const storage = new AsyncLocalStorage<RequestScope>();

/**
 * The current request's id and actor, reachable from code that has no request object
 * (the audit subscriber, the outbox). Empty outside a request, e.g. in a job worker.
 */
export const RequestContext = {
  run<T>(scope: RequestScope, fn: () => T): T {
    return storage.run(scope, fn);
  },
  current(): RequestScope {
    return storage.getStore() ?? {};
  },
  setActor(actor: Actor): void {
    const scope = storage.getStore();
    if (scope) scope.actor = actor;
  },
  setAuditReason(reason: string): void {
    const scope = storage.getStore();
    if (scope) scope.auditReason = reason;
  },
};
