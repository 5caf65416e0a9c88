import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityMetadata, EntitySubscriberInterface, InsertEvent, ObjectLiteral, QueryRunner, RemoveEvent, UpdateEvent } from 'typeorm';
import { AuditAction, AuditEntry } from './audit-entry.entity';
import type { AuditedSaveData } from './audit-reason';
import { AUDIT_ENTRY_COLUMNS, auditEntryValues, createdChanges, shownInAudit } from './audit-entry-values';

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
    await this.record(event, 'create', event.entity, createdChanges(event.metadata, event.entity));
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
            from: shownInAudit(column, event.databaseEntity ? column.getEntityValue(event.databaseEntity) : undefined),
            to: shownInAudit(column, column.getEntityValue(event.entity as ObjectLiteral)),
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
    const reason = (event.queryRunner.data as AuditedSaveData | undefined)?.auditReason ?? null;
    const values = auditEntryValues(event.metadata, action, entity, changes, reason);
    if (!values) return;
    const runner = event.queryRunner;
    // Plain SQL: an entity insert here would come back through this subscriber.
    const insert = (this.lastInsert.get(runner) ?? Promise.resolve()).then(() =>
      runner.query(`INSERT INTO audit_entry (${AUDIT_ENTRY_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, values),
    );
    this.lastInsert.set(runner, insert.catch(() => undefined));
    await insert;
  }
}
