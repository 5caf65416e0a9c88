import type { EntityMetadata, ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { RequestContext } from '../kernel/request-context';
import type { AuditAction, AuditEntry } from './audit-entry.entity';
import { auditedValue } from './audited-by-digest.decorator';

/** Bookkeeping tables whose rows are not business changes. */
const NOT_AUDITED = new Set(['audit_entry', 'refresh_token', 'login_failure', 'background_job']);
/** Columns whose values never go into the audit log. */
const REDACTED = /hash|secret|token|password|^data$/i;

/** The columns of an audit entry, in the order of `auditEntryValues`. */
export const AUDIT_ENTRY_COLUMNS = 'actor_id, actor_email, request_id, job_id, action, entity, entity_id, changes, reason';

/** How the audit log shows a column's value: redacted, by size, by digest, or as it is. */
export function shownInAudit(column: ColumnMetadata, value: unknown): unknown {
  if (REDACTED.test(column.propertyName)) return '[redacted]';
  if (Buffer.isBuffer(value)) return `[${value.length} bytes]`;
  return auditedValue(column, value);
}

/** What the audit log shows of a new entity: every column it was given a value for. */
export function createdChanges(metadata: EntityMetadata, entity: ObjectLiteral): AuditEntry['changes'] {
  return Object.fromEntries(
    metadata.columns
      .filter((column) => column.getEntityValue(entity) !== undefined)
      .map((column) => [column.propertyName, { to: shownInAudit(column, column.getEntityValue(entity)) }]),
  );
}

/**
 * The values of the audit entry for a change (see AUDIT_ENTRY_COLUMNS), or null when the change
 * is not audited: a bookkeeping table, or work of neither a request nor a job (seeding). The
 * actor and the request or job come from the current RequestContext.
 */
export function auditEntryValues(
  metadata: EntityMetadata,
  action: AuditAction,
  entity: ObjectLiteral,
  changes: AuditEntry['changes'],
  reason: string | null,
): unknown[] | null {
  const scope = RequestContext.current();
  if (NOT_AUDITED.has(metadata.tableName) || (!scope.requestId && !scope.jobId)) return null;
  // Work of a job that nobody started (a scheduled one) is the system's.
  const actorEmail = scope.actor?.email ?? (scope.jobId ? 'system' : null);
  const id = metadata.primaryColumns.map((column) => String(column.getEntityValue(entity))).join(':');
  return [scope.actor?.id ?? null, actorEmail, scope.requestId ?? null, scope.jobId ?? null, action, metadata.tableName, id, JSON.stringify(changes), reason];
}
