import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';
import { AUDIT_ENTRY_COLUMNS, auditEntryValues, createdChanges } from './audit-entry-values';

/**
 * Inserts one new entity together with its audit entry in a single statement: both rows are
 * written or neither, in one round trip to the database, where a save in a transaction takes
 * four (begin, insert, audit entry, commit). For a row created often and answered at once (an
 * advice's draft with its ranking). The values the database would generate (id, created and
 * updated time, version) are set here, so that the entity and its audit entry show them as a
 * save would.
 */
@Injectable()
export class AuditedInsert {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async insert<T extends ObjectLiteral>(target: EntityTarget<T>, entity: T): Promise<T> {
    const metadata = this.db.getMetadata(target);
    const now = new Date();
    for (const column of metadata.columns) {
      if (column.getEntityValue(entity) !== undefined) continue;
      if (column.isCreateDate || column.isUpdateDate) column.setEntityValue(entity, now);
      else if (column.isVersion) column.setEntityValue(entity, 1);
      else if (column.isGenerated && column.generationStrategy === 'uuid') column.setEntityValue(entity, randomUUID());
    }
    const columns = metadata.columns.filter((column) => column.getEntityValue(entity) !== undefined);
    const values = columns.map((column) => this.db.driver.preparePersistentValue(column.getEntityValue(entity), column));
    const insert = `INSERT INTO ${metadata.tableName} (${columns.map((c) => c.databaseName).join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`;
    const entry = auditEntryValues(metadata, 'create', entity, createdChanges(metadata, entity), null);
    if (!entry) {
      await this.db.query(insert, values);
      return entity;
    }
    const entryParameters = entry.map((_, i) => `$${values.length + i + 1}`).join(', ');
    // The audit entry is inserted from the row's insert, so that it is written only with the row.
    await this.db.query(`WITH inserted AS (${insert} RETURNING 1) INSERT INTO audit_entry (${AUDIT_ENTRY_COLUMNS}) SELECT ${entryParameters} FROM inserted`, [...values, ...entry]);
    return entity;
  }
}
