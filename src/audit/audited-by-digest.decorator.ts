import { createHash } from 'node:crypto';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';

const AUDITED_BY_DIGEST = Symbol('audited-by-digest');

/**
 * A column that the audit log notes by size and SHA-256 rather than copying: a value of tens of
 * kilobytes, derived from the rest of its row and written once (an advice's ranking of every open
 * edition). The row keeps the value itself; a second copy in the log only doubled the cost of saving.
 */
export function AuditedByDigest(): PropertyDecorator {
  return (target, property) => Reflect.defineMetadata(AUDITED_BY_DIGEST, true, target, property);
}

/** How the audit log shows a column's value: as it is, or by its digest when the entity says so. */
export function auditedValue(column: ColumnMetadata, value: unknown): unknown {
  const target = column.target;
  if (typeof target !== 'function' || !Reflect.getMetadata(AUDITED_BY_DIGEST, target.prototype, column.propertyName)) return value;
  const json = JSON.stringify(value);
  return `[derived: ${Buffer.byteLength(json)} bytes, sha256 ${createHash('sha256').update(json).digest('hex')}]`;
}
