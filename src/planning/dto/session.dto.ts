import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsUUID, Min, ValidateIf } from 'class-validator';
import { IsCalendarDate, IsWallTime } from './calendar-date.validator';
import { ConflictAcceptanceDto } from './edition.dto';

export class AddSessionDto extends ConflictAcceptanceDto {
  @IsCalendarDate()
  date: string;

  /** Europe/Amsterdam, HH:mm; default the edition's pattern. */
  @IsOptional()
  @IsWallTime()
  startTime?: string;

  @IsOptional()
  @IsWallTime()
  endTime?: string;

  @IsOptional()
  @IsUUID()
  teacherId?: string;

  @IsOptional()
  @IsUUID()
  roomId?: string;
}

/** Moves a session or changes its teacher or room: send only what changes, with the version you read. */
export class UpdateSessionDto extends ConflictAcceptanceDto {
  @IsInt()
  @Min(1)
  version: number;

  @IsOptional()
  @IsCalendarDate()
  date?: string;

  @IsOptional()
  @IsWallTime()
  startTime?: string;

  @IsOptional()
  @IsWallTime()
  endTime?: string;

  /** null takes the teacher off the session. */
  @ValidateIf((_, value) => value !== null)
  @IsOptional()
  @IsUUID()
  teacherId?: string | null;

  /** null takes the room off the session. */
  @ValidateIf((_, value) => value !== null)
  @IsOptional()
  @IsUUID()
  roomId?: string | null;
}

export class CancelSessionQuery {
  /** The version you read. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  version: number;
}
