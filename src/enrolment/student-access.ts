import { STAFF } from '../kernel/role';
import { NotFoundError } from '../kernel/domain-errors';
import type { Actor } from '../kernel/request-context';

export const isStaff = (actor: Actor) => actor.roles.some((role) => STAFF.includes(role));

/**
 * Staff may read every student; a student user only their own records. To anyone else the
 * student does not exist: a 404, so that ids cannot be probed.
 */
export function assertMayRead(actor: Actor, studentId: string, entity = 'Student', id = studentId): void {
  if (isStaff(actor)) return;
  if (actor.roles.includes('student') && actor.studentId === studentId) return;
  throw new NotFoundError(entity, id);
}
