import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import type { Pool } from 'pg';
import { type ObjectLiteral, QueryFailedError, type QueryRunner, type SelectQueryBuilder } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { rowJsonOf, selectsWholeEntity } from './row-json';

export const MAX_PAGE_SIZE = 100;

/** `?page=&pageSize=` on every list; a page size above the maximum is refused, not silently cut. */
export class PageQuery {
  @ApiProperty({ type: 'integer', required: false, minimum: 1, default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  page = 1;

  @ApiProperty({ type: 'integer', required: false, minimum: 1, maximum: MAX_PAGE_SIZE, default: 25 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  pageSize = 25;

  get offset(): number {
    return (this.page - 1) * this.pageSize;
  }
}

export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
}

export function pageOf<T>(items: T[], total: number, query: PageQuery): Page<T> {
  return { items, page: query.page, pageSize: query.pageSize, total };
}

/** One page of a list held whole in memory (a few dozen templates, the files of a folder). */
export function pageOfAll<T>(all: T[], query: PageQuery): Page<T> {
  return pageOf(all.slice(query.offset, query.offset + query.pageSize), all.length, query);
}

const TOTAL_ALIAS = 'page_total';

/**
 * One page of a query and the number of all its rows, in one round trip: the page's rows carry
 * the total (`count(*) OVER ()`), where TypeORM's getManyAndCount sends a count and a select.
 * Only a page past the end, which has no row to carry it, costs a count of its own. A query
 * with joins keeps getManyAndCount, whose count is of distinct entities, not of joined rows.
 */
export async function pageFrom<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, query: PageQuery): Promise<Page<T>> {
  if (qb.expressionMap.joinAttributes.length > 0) {
    const [items, total] = await qb.skip(query.offset).take(query.pageSize).getManyAndCount();
    return pageOf(items, total, query);
  }
  const { entities, raw } = await qb
    .addSelect('count(*) OVER ()', TOTAL_ALIAS)
    .offset(query.offset)
    .limit(query.pageSize)
    .getRawAndEntities<Record<typeof TOTAL_ALIAS, string>>();
  const total = raw.length > 0 ? Number(raw[0][TOTAL_ALIAS]) : query.offset === 0 ? 0 : await qb.getCount();
  return pageOf(entities, total, query);
}

/**
 * A page already written as JSON, sent to the client as it is (see `PageJsonInterceptor`,
 * which `@ApiPage` puts on a list). `T` is what its items are, for the route's signature.
 */
export class JsonPage<T> {
  declare readonly items?: T[];

  constructor(readonly json: string) {}
}

const ITEM_ALIAS = 'page_item';

/**
 * {@link pageFrom} for a list that answers its entities as they are: PostgreSQL writes each row
 * as the JSON the entity would be serialised to, so that no entity is hydrated and nothing is
 * serialised again (for a page of 25 that is most of the work of a list request). An entity
 * with a column that has no exact JSON equivalent in SQL (a value transformer, an embedded
 * object) and a query that selects more than its entity are paged by `pageFrom`.
 */
export async function jsonPageFrom<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, query: PageQuery): Promise<JsonPage<T>> {
  const rowJson = selectsWholeEntity(qb) ? rowJsonOf(qb.expressionMap.mainAlias!.metadata, qb.connection) : null;
  if (!rowJson) return new JsonPage(JSON.stringify(await pageFrom(qb, query)));
  const [sql, parameters] = pageStatement(qb, rowJson, query);
  const rows = await pageRows(qb, sql, parameters);
  const total = rows.length > 0 ? Number(rows[0][TOTAL_ALIAS]) : query.offset === 0 ? 0 : await qb.getCount();
  const items = rows.map((row) => row[ITEM_ALIAS]).join(',');
  return new JsonPage(`{"items":[${items}],"page":${query.page},"pageSize":${query.pageSize},"total":${total}}`);
}

type PageRow = Record<typeof ITEM_ALIAS | typeof TOTAL_ALIAS, string>;

/** At most this many page statements are prepared: each connection of the pool keeps its own plan of each. */
const MAX_PREPARED_PAGES = 100;
/** The name each prepared page statement has on every connection of the pool, by its SQL. */
const preparedPages = new Map<string, string>();

function preparedNameOf(text: string): string | undefined {
  let name = preparedPages.get(text);
  if (name === undefined && preparedPages.size < MAX_PREPARED_PAGES) {
    name = `registrar_page_${preparedPages.size + 1}`;
    preparedPages.set(text, name);
  }
  return name;
}

/**
 * Runs a page's SQL. Outside a transaction it is a prepared statement of the pool, planned once
 * per connection: parsing and planning were about a quarter of PostgreSQL's work for a page of
 * GET /users, and on a machine with few cores that work takes turns with the API's own. A page
 * inside a transaction runs on the transaction's connection, unprepared.
 */
async function pageRows<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, text: string, values: unknown[]): Promise<PageRow[]> {
  // TypeORM keeps a transaction's runner on the query builder and has no public getter for it.
  const runner = (qb as unknown as { queryRunner?: QueryRunner }).queryRunner;
  const name = runner ? undefined : preparedNameOf(text);
  if (name === undefined) return qb.connection.query(text, values, runner);
  const pool = (qb.connection.driver as PostgresDriver).master as Pool;
  try {
    return (await pool.query<PageRow>({ name, text, values })).rows;
  } catch (error) {
    // The same error as TypeORM's own queries raise, so that it is answered the same way.
    throw new QueryFailedError(text, values, error as Error);
  }
}

/** At most this many page statements are kept (each list has a few shapes, one per combination of its filters). */
const MAX_PAGE_STATEMENTS = 500;
/** The page SQL, with TypeORM's named parameters, of each shape of query seen (see `shapeOf`). */
const pageStatements = new Map<string, string>();

/**
 * The SQL of a page of `qb`'s rows as JSON, with the total, and its parameters. TypeORM's
 * building of the SQL cost more than the query itself (GET /users: about 60 µs of a request's
 * 580 µs of CPU), and for a list it is the same whenever the same filters are given: it is
 * built once per shape of the query and only the parameters are bound per request.
 */
function pageStatement<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, rowJson: (alias: string) => string, query: PageQuery): [string, unknown[]] {
  const shape = shapeOf(qb);
  let sql = shape === null ? undefined : pageStatements.get(shape);
  if (sql === undefined) {
    sql = pageSql(qb, rowJson);
    if (shape !== null && pageStatements.size < MAX_PAGE_STATEMENTS) pageStatements.set(shape, sql);
  }
  const parameters = { ...qb.getParameters(), [LIMIT_PARAMETER]: query.pageSize, [OFFSET_PARAMETER]: query.offset };
  return qb.connection.driver.escapeQueryWithParameters(sql, parameters) as [string, unknown[]];
}

const LIMIT_PARAMETER = 'page_limit';
const OFFSET_PARAMETER = 'page_offset';

/**
 * The page's rows are cut first and written as JSON after: PostgreSQL works out the select list
 * of every row an OFFSET skips, and with the JSON in it, page 2,000 of 100,000 users took 240 ms
 * instead of 65 (the last page 420 instead of 70). A subquery's order is kept only when asked
 * for again, so the page's order is given twice; sorting its few rows again costs next to nothing.
 */
function pageSql<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, rowJson: (alias: string) => string): string {
  const alias = qb.escape(qb.alias);
  const rows = qb.clone().select(`${alias}.*`).addSelect('count(*) OVER ()', TOTAL_ALIAS);
  const ordered = rows.getQuery();
  const unordered = rows.clone().orderBy().getQuery();
  // The order comes last in TypeORM's SQL, and refers to the alias's columns, which the subquery keeps under the same alias.
  const order = ordered.startsWith(unordered) ? ordered.slice(unordered.length) : undefined;
  if (order === undefined) throw new Error(`A page's order is not at the end of its SQL: ${ordered}`);
  return `SELECT ${rowJson(alias)} AS ${qb.escape(ITEM_ALIAS)}, ${qb.escape(TOTAL_ALIAS)} FROM (${ordered} LIMIT :${LIMIT_PARAMETER} OFFSET :${OFFSET_PARAMETER}) ${alias}${order}`;
}

/**
 * What decides a page query's SQL apart from its parameter values: the entity and alias, the
 * conditions and the order (TypeORM holds conditions as text with named parameters), and the
 * options a list might set. Null, so never shared, for a query with parts not written out here
 * (common table expressions, subqueries, more aliases).
 */
function shapeOf(qb: SelectQueryBuilder<ObjectLiteral>): string | null {
  const map = qb.expressionMap;
  if (map.commonTableExpressions.length > 0 || map.aliases.length !== 1 || map.subQuery) return null;
  return JSON.stringify([
    map.mainAlias!.metadata.name, map.mainAlias!.name, map.wheres, map.orderBys, map.havings, map.groupBys, map.selectDistinct, map.selectDistinctOn,
    map.limit, map.offset, map.skip, map.take, map.lockMode, map.onLocked, map.withDeleted, map.useIndex, map.comment, map.timeTravel,
  ]);
}
