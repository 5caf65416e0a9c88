import type { DataSource, EntityMetadata, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';

/** Column types whose value PostgreSQL's JSON is the same as the entity's `JSON.stringify`. */
const AS_JSON = new Set(['uuid', 'text', 'character varying', 'varchar', 'citext', 'boolean', 'integer', 'int', 'int4', 'smallint', 'int2', 'enum', 'json', 'jsonb', 'date', 'time', 'time without time zone']);
/** The same, for array columns: what node-postgres reads as an array of strings, numbers or booleans. */
const AS_JSON_ARRAY = new Set(['uuid', 'text', 'character varying', 'varchar', 'boolean', 'integer', 'int', 'int4', 'smallint', 'int2']);
/** node-postgres reads these as strings, so the entity answers them as strings. */
const AS_TEXT = new Set(['bigint', 'int8', 'numeric', 'decimal']);
const AS_INSTANT = new Set(['timestamptz', 'timestamp with time zone']);

/** What `Date.prototype.toJSON` writes (node-postgres reads a timestamptz to the millisecond, cut, not rounded, as to_char's MS is). */
const instantJson = (expression: string) => `to_char(${expression} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** The keys of the row's JSON are column aliases, which PostgreSQL cuts at 63 bytes. */
const MAX_KEY_BYTES = 63;

/** The SQL for one column's value in the JSON of its row, or undefined when it has no exact equivalent. */
function columnJson(column: ColumnMetadata, type: string, expression: string): string | undefined {
  if (column.transformer || column.embeddedMetadata || column.isVirtual || column.isVirtualProperty) return undefined;
  if (column.isArray) return AS_JSON_ARRAY.has(type) ? expression : undefined;
  if (type === 'enum' && column.enum?.some((value) => typeof value !== 'string')) return undefined;
  if (AS_JSON.has(type)) return expression;
  if (AS_TEXT.has(type)) return `${expression}::text`;
  if (AS_INSTANT.has(type)) return instantJson(expression);
  return undefined;
}

/**
 * Whether what TypeORM and `JSON.stringify` make of a row can be anything but its columns:
 * code that runs on load, a `toJSON`, or fields the class sets itself.
 */
function hasOwnSerialisation(metadata: EntityMetadata, dataSource: DataSource): boolean {
  const target = metadata.target;
  if (typeof target !== 'function') return true;
  if (metadata.afterLoadListeners.length > 0 || metadata.childEntityMetadatas.length > 0 || metadata.discriminatorColumn) return true;
  if (dataSource.subscribers.some((subscriber) => subscriber.afterLoad && (!subscriber.listenTo || subscriber.listenTo() === target))) return true;
  if (typeof (target.prototype as { toJSON?: unknown }).toJSON === 'function') return true;
  const blank = metadata.create() as ObjectLiteral;
  return Object.keys(blank).some((key) => blank[key] !== undefined);
}

const cache = new WeakMap<EntityMetadata, ((alias: string) => string) | null>();

/**
 * A SQL expression that writes one row of an entity as the JSON text an API answer would hold
 * for it, under a query's alias; null when some column (or the entity) has no exact SQL
 * equivalent, e.g. a value transformer or an embedded object. Worked out once per entity.
 */
export function rowJsonOf(metadata: EntityMetadata, dataSource: DataSource): ((alias: string) => string) | null {
  let build = cache.get(metadata);
  if (build === undefined) {
    build = rowJsonBuilder(metadata, dataSource);
    cache.set(metadata, build);
  }
  return build;
}

function rowJsonBuilder(metadata: EntityMetadata, dataSource: DataSource): ((alias: string) => string) | null {
  // A primary column is selected even when marked `select: false`, as TypeORM does for the entities it hydrates.
  const columns = metadata.columns.filter((column) => column.isSelect || column.isPrimary);
  if (columns.some((column) => Buffer.byteLength(column.propertyName) > MAX_KEY_BYTES) || hasOwnSerialisation(metadata, dataSource)) return null;
  const driver = dataSource.driver;
  const parts: { key: string; value: (alias: string) => string | undefined }[] = columns.map((column) => {
    const type = driver.normalizeType(column);
    const name = driver.escape(column.databaseName);
    return { key: driver.escape(column.propertyName), value: (alias) => columnJson(column, type, `${alias}.${name}`) };
  });
  if (parts.some(({ value }) => value('t') === undefined)) return null;
  const byAlias = new Map<string, string>();
  return (alias) => {
    let sql = byAlias.get(alias);
    if (sql === undefined) {
      // row_to_json writes JSON as JSON.stringify does, without json_build_object's spaces around every key.
      sql = `(SELECT row_to_json(page_row) FROM (SELECT ${parts.map(({ key, value }) => `${value(alias)} AS ${key}`).join(', ')}) page_row)::text`;
      byAlias.set(alias, sql);
    }
    return sql;
  };
}

/** Whether a query selects its main entity whole and nothing else, so that its rows are that entity's. */
export function selectsWholeEntity(qb: SelectQueryBuilder<ObjectLiteral>): boolean {
  const map = qb.expressionMap;
  return (
    map.mainAlias?.hasMetadata === true &&
    map.joinAttributes.length === 0 &&
    map.relationIdAttributes.length === 0 &&
    map.groupBys.length === 0 &&
    map.selects.length === 1 &&
    map.selects[0].selection === map.mainAlias.name
  );
}
