import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityMetadata, EntitySubscriberInterface, InsertEvent, ObjectLiteral, QueryRunner, RemoveEvent, UpdateEvent } from 'typeorm';
import { RequestContext } from '../kernel/request-context';
import { AuditAction, AuditEntry } from './audit-entry.entity';
import type { AuditedSaveData } from './audit-reason';
import { auditedValue } from './audited-by-digest.decorator';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';

/** Bookkeeping tables whose rows are not business changes. */
const NOT_AUDITED = new Set(['audit_entry', 'refresh_token', 'login_failure', 'background_job']);
/** Columns whose values never go into the audit log. */
const REDACTED = /hash|secret|token|password|^data$/i;

/**
 * Records every entity change made by an API request or a job, in the same transaction as the
 * change itself: a rolled-back change leaves no audit entry, a committed one always has one.
 * A job's changes carry its id and the user who started it (or `system`). Seeding is not audited.
 */
@Injectable()
export class AuditSubscriber implements EntitySubscriberInterface {
  /**
   * The last audit insert per connection: TypeORM announces the entities of one save all at once,
   * and a pg connection runs one query at a time, so the inserts wait for each other here.
   */
  private readonly lastInsert = new WeakMap<QueryRunner, Promise<unknown>>();

  constructor(@InjectDataSource() dataSource: DataSource) {
    dataSource.subscribers.push(this);
  }

  async afterInsert(event: InsertEvent<ObjectLiteral>): Promise<void> {
    const changes = Object.fromEntries(
      event.metadata.columns
        .filter((column) => column.getEntityValue(event.entity) !== undefined)
        .map((column) => [column.propertyName, { to: this.shown(column, column.getEntityValue(event.entity)) }]),
    );
    await this.record(event, 'create', event.entity, changes);
  }

  async afterUpdate(event: UpdateEvent<ObjectLiteral>): Promise<void> {
    if (!event.entity) return;
    const ignored = new Set(['updatedAt', 'version']);
    const changes = Object.fromEntries(
      event.updatedColumns
        .filter((column) => !ignored.has(column.propertyName))
        .map((column) => [
          column.propertyName,
          {
            from: this.shown(column, event.databaseEntity ? column.getEntityValue(event.databaseEntity) : undefined),
            to: this.shown(column, column.getEntityValue(event.entity as ObjectLiteral)),
          },
        ]),
    );
    if (Object.keys(changes).length === 0) return;
    await this.record(event, 'update', { ...event.databaseEntity, ...event.entity }, changes);
  }

  async afterRemove(event: RemoveEvent<ObjectLiteral>): Promise<void> {
    const entity = event.databaseEntity ?? event.entity;
    if (!entity) return;
    await this.record(event, 'delete', { ...entity, id: entity.id ?? event.entityId }, {});
  }

  private async record(
    event: { metadata: EntityMetadata; queryRunner: QueryRunner },
    action: AuditAction,
    entity: ObjectLiteral,
    changes: AuditEntry['changes'],
  ): Promise<void> {
    const table = event.metadata.tableName;
    const scope = RequestContext.current();
    if (NOT_AUDITED.has(table) || (!scope.requestId && !scope.jobId)) return;
    const reason = (event.queryRunner.data as AuditedSaveData | undefined)?.auditReason ?? null;
    // Work of a job that nobody started (a scheduled one) is the system's.
    const actorEmail = scope.actor?.email ?? (scope.jobId ? 'system' : null);
    const id = event.metadata.primaryColumns.map((column) => String(column.getEntityValue(entity))).join(':');
    const runner = event.queryRunner;
    // Plain SQL: an entity insert here would come back through this subscriber.
    const insert = (this.lastInsert.get(runner) ?? Promise.resolve()).then(() =>
      runner.query(
        `INSERT INTO audit_entry (actor_id, actor_email, request_id, job_id, action, entity, entity_id, changes, reason)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [scope.actor?.id ?? null, actorEmail, scope.requestId ?? null, scope.jobId ?? null, action, table, id, JSON.stringify(changes), reason],
      ),
    );
    this.lastInsert.set(runner, insert.catch(() => undefined));
    await insert;
  }

  private shown(column: ColumnMetadata, value: unknown): unknown {
    if (REDACTED.test(column.propertyName)) return '[redacted]';
    if (Buffer.isBuffer(value)) return `[${value.length} bytes]`;
    return auditedValue(column, value);
  }

}
