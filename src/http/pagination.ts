import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';

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
