import { DataSource } from 'typeorm';
import { createTestApp, TestApp } from '../test-app';

/**
 * The migrations are the schema; the entities describe it to TypeORM, which never synchronises.
 * A column whose entity says other than its migration made it (a jsonb read as json, a nullable
 * column taken for a required one) still runs, until it does not: every entity column is held
 * to the table the migrations built, by type and nullability.
 */
describe('Entities and migrations', () => {
  let t: TestApp;
  let db: DataSource;

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
  });
  afterAll(() => t.close());

  /** PostgreSQL's names for a type, as information_schema gives them for a column or an array's element. */
  const SAME_TYPE: Record<string, string[]> = {
    // An entity's `string` is TypeORM's character varying; our migrations write text.
    'character varying': ['text', 'character varying', 'citext'],
    text: ['text', 'character varying', 'citext'],
    enum: ['text', 'character varying'],
    int: ['integer'],
    int4: ['integer'],
    int2: ['smallint'],
    int8: ['bigint'],
    bool: ['boolean'],
    varchar: ['character varying', 'text'],
    timestamptz: ['timestamp with time zone'],
  };
  const ELEMENT: Record<string, string> = { int4: 'integer', int2: 'smallint', int8: 'bigint', varchar: 'character varying', timestamptz: 'timestamp with time zone', bool: 'boolean' };

  it('gives every entity column the type and nullability of its table column', async () => {
    const rows: Array<{ table_name: string; column_name: string; data_type: string; udt_name: string; is_nullable: 'YES' | 'NO' }> = await db.query(
      `SELECT table_name, column_name, data_type, udt_name, is_nullable FROM information_schema.columns WHERE table_schema = current_schema()`,
    );
    const columns = new Map(rows.map((row) => [`${row.table_name}.${row.column_name}`, row]));
    const problems: string[] = [];
    let checked = 0;
    for (const entity of db.entityMetadatas.filter((m) => m.tableType !== 'view')) {
      for (const column of entity.columns.filter((c) => !c.isVirtual && !c.isVirtualProperty)) {
        const name = `${entity.tableName}.${column.databaseName}`;
        const row = columns.get(name);
        if (!row) {
          problems.push(`${entity.name}.${column.propertyName}: no column ${name}`);
          continue;
        }
        const stored = column.isArray
          ? row.data_type === 'ARRAY' ? (ELEMENT[row.udt_name.slice(1)] ?? row.udt_name.slice(1)) : `${row.data_type} (not an array)`
          : row.data_type === 'USER-DEFINED' ? row.udt_name : row.data_type;
        const declared = db.driver.normalizeType(column);
        if (!(SAME_TYPE[declared] ?? [declared]).includes(stored)) problems.push(`${entity.name}.${column.propertyName}: entity ${declared}, table ${stored}`);
        if (!column.isPrimary && column.isNullable !== (row.is_nullable === 'YES')) {
          problems.push(`${entity.name}.${column.propertyName}: entity ${column.isNullable ? 'nullable' : 'required'}, table ${row.is_nullable === 'YES' ? 'nullable' : 'NOT NULL'}`);
        }
        checked++;
      }
    }
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThan(300);
  });
});
