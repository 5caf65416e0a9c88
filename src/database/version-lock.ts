import { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { ConflictError, NotFoundError } from '../kernel/domain-errors';

export function staleVersion(what: string, current: number): ConflictError {
  return new ConflictError('stale_version', `${what} was changed by someone else (now version ${current})`, { currentVersion: current });
}

/**
 * Optimistic locking that holds under concurrency: locks the row until the transaction ends,
 * then compares the version the caller's change was based on. Two concurrent changes from
 * the same version never both win: the second waits for the first and gets 409.
 * Call inside the transaction that makes the change, before reading the row for it.
 */
export async function lockVersion(
  manager: EntityManager,
  entity: EntityTarget<ObjectLiteral>,
  id: string | number,
  expectedVersion: number | undefined,
  what: string,
): Promise<void> {
  const table = manager.connection.getMetadata(entity).tablePath;
  const rows: { version: number }[] = await manager.query(`SELECT version FROM ${table} WHERE id = $1 FOR UPDATE`, [id]);
  if (rows.length === 0) throw new NotFoundError(what, String(id));
  if (expectedVersion !== undefined && rows[0].version !== expectedVersion) throw staleVersion(what, rows[0].version);
}
