import { Type } from 'class-transformer';
import { IsDate, IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { PageQuery } from '../../http/pagination';

export class AuditQuery extends PageQuery {
  /** Table name of the entity, e.g. `user_account`. */
  @IsOptional()
  @IsString()
  @MaxLength(63)
  entity?: string;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  entityId?: string;

  @IsOptional()
  @IsUUID()
  actorId?: string;

  @IsOptional()
  @IsIn(['create', 'update', 'delete'])
  action?: 'create' | 'update' | 'delete';

  /** ISO 8601 instant, inclusive. */
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  from?: Date;

  /** ISO 8601 instant, exclusive. */
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  to?: Date;
}
