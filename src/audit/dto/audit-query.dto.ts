import { IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { PageQuery } from '../../http/pagination';
import { IsIsoDateTime } from '../../http/validators';

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

  /** The job whose changes to list (see `GET /jobs/{id}`). */
  @IsOptional()
  @IsUUID()
  jobId?: string;

  @IsOptional()
  @IsIn(['create', 'update', 'delete'])
  action?: 'create' | 'update' | 'delete';

  /** ISO 8601 date or date-time, inclusive. */
  @IsOptional()
  @IsIsoDateTime()
  from?: string;

  /** ISO 8601 date or date-time, exclusive. */
  @IsOptional()
  @IsIsoDateTime()
  to?: string;
}
