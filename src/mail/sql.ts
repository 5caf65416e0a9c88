import type { EntityManager } from 'typeorm';

/** The rows of an `UPDATE … RETURNING`: TypeORM's PostgreSQL driver answers `[rows, count]` for updates. */
export async function updatedRows<T>(manager: EntityManager, sql: string, parameters: unknown[]): Promise<T[]> {
  const [rows] = (await manager.query(sql, parameters)) as [T[], number];
  return rows;
}
