import { Type } from 'class-transformer';
import { ArrayUnique, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { PageQuery } from '../../http/pagination';
import { ReasonRequiredWhen } from '../../http/validators';
import { SITTING_MODES, SITTING_STATUSES, SittingMode, SittingStatus } from '../exam-sitting.entity';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Permission to save despite conflicts, with the reason that goes into the audit log. */
export class SittingConflictAcceptanceDto {
  /** Save even though the change creates conflicts (otherwise 409 `sitting_conflicts` with the list). */
  @IsOptional()
  @IsBoolean()
  acceptConflicts?: boolean;

  /** Why; required with `acceptConflicts: true`. */
  @ReasonRequiredWhen((dto: SittingConflictAcceptanceDto) => dto.acceptConflicts === true, 'reason is required to accept conflicts')
  reason?: string;
}

export class CreateSittingDto extends SittingConflictAcceptanceDto {
  @IsUUID()
  componentId: string;

  /** For the students of one edition of the component's course only; it then shows in that edition's calendar. */
  @IsOptional()
  @IsUUID()
  editionId?: string;

  /** YYYY-MM-DD, not in the past. */
  @Matches(DATE, { message: 'date must be YYYY-MM-DD' })
  date: string;

  /** Europe/Amsterdam, HH:mm. */
  @Matches(TIME, { message: 'startTime must be HH:mm' })
  startTime: string;

  /** The sitting must end before midnight. */
  @IsInt()
  @Min(15)
  @Max(600)
  durationMinutes: number;

  @IsIn(SITTING_MODES)
  mode: SittingMode;

  /** Required on site, absent online. */
  @IsOptional()
  @IsUUID()
  roomId?: string;

  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsUUID('all', { each: true })
  invigilatorIds?: string[];

  @IsInt()
  @Min(1)
  @Max(1000)
  capacity: number;

  /** Fee for a resit at this sitting, in cents; absent: the course's exam fee. */
  @IsOptional()
  @IsInt()
  @Min(0)
  resitFeeCents?: number;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}

/** Send only what changes, with the version you read. */
export class UpdateSittingDto extends SittingConflictAcceptanceDto {
  @IsInt()
  @Min(1)
  version: number;

  @IsOptional()
  @Matches(DATE, { message: 'date must be YYYY-MM-DD' })
  date?: string;

  @IsOptional()
  @Matches(TIME, { message: 'startTime must be HH:mm' })
  startTime?: string;

  @IsOptional()
  @IsInt()
  @Min(15)
  @Max(600)
  durationMinutes?: number;

  @IsOptional()
  @IsIn(SITTING_MODES)
  mode?: SittingMode;

  /** null: no room (online). */
  @ValidateIf((_, value) => value !== null)
  @IsOptional()
  @IsUUID()
  roomId?: string | null;

  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsUUID('all', { each: true })
  invigilatorIds?: string[];

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  capacity?: number;

  /** null: the course's exam fee. */
  @ValidateIf((_, value) => value !== null)
  @IsOptional()
  @IsInt()
  @Min(0)
  resitFeeCents?: number | null;

  @ValidateIf((_, value) => value !== null)
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string | null;
}

export class ChangeSittingStatusDto {
  @IsIn(SITTING_STATUSES)
  status: SittingStatus;

  @IsInt()
  @Min(1)
  version: number;

  /** Required to cancel; told to the registered students. */
  @ReasonRequiredWhen((dto: ChangeSittingStatusDto) => dto.status === 'cancelled', 'reason is required to cancel a sitting')
  reason?: string;
}

export class SittingQuery extends PageQuery {
  @IsOptional()
  @Matches(DATE, { message: 'from must be YYYY-MM-DD' })
  from?: string;

  @IsOptional()
  @Matches(DATE, { message: 'to must be YYYY-MM-DD' })
  to?: string;

  @IsOptional()
  @IsUUID()
  componentId?: string;

  @IsOptional()
  @IsUUID()
  courseId?: string;

  @IsOptional()
  @IsIn(SITTING_STATUSES)
  status?: SittingStatus;

  /** Sittings this teacher invigilates. */
  @IsOptional()
  @IsUUID()
  invigilatorId?: string;
}

export class DeleteSittingQuery {
  @Type(() => Number)
  @IsInt()
  @Min(1)
  version: number;
}

/** A clash of a sitting with another sitting or a course session. */
export class SittingConflictDto {
  kind: 'room_double_booked' | 'invigilator_double_booked' | 'student_double_booked';
  /** The other sitting or session, e.g. `sitting <id>` or `session <id>`. */
  with: string;
  roomId?: string;
  teacherId?: string;
  studentId?: string;
  message: string;
}
