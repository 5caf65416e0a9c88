import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
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
  return { items, total, page: query.page, pageSize: query.pageSize };
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
  const rows = await qb
    .select(rowJson(qb.escape(qb.alias)), ITEM_ALIAS)
    .addSelect('count(*) OVER ()', TOTAL_ALIAS)
    .offset(query.offset)
    .limit(query.pageSize)
    .getRawMany<Record<typeof ITEM_ALIAS | typeof TOTAL_ALIAS, string>>();
  const total = rows.length > 0 ? Number(rows[0][TOTAL_ALIAS]) : query.offset === 0 ? 0 : await qb.getCount();
  const items = rows.map((row) => row[ITEM_ALIAS]).join(',');
  return new JsonPage(`{"items":[${items}],"page":${query.page},"pageSize":${query.pageSize},"total":${total}}`);
}
