import { ApiProperty, PartialType, PickType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { MeetingPatternDto } from '../../catalogue/dto/course.dto';
import { PageQuery } from '../../http/pagination';
import { Edition, EDITION_STATUSES } from '../edition.entity';
import type { EditionStatus } from '../edition.entity';
import type { Session } from '../session.entity';
import { ReasonRequiredWhen } from '../../http/validators';
import { IsCalendarDate } from './calendar-date.validator';

/** Saving anyway a change that creates planning conflicts; recorded in the audit log. */
export class ConflictAcceptanceDto {
  /** Save even though the change creates conflicts (otherwise 409 with the conflicts). */
  @IsOptional()
  @IsBoolean()
  acceptConflicts?: boolean;

  /** Why; required with `acceptConflicts: true`, and recorded in the audit log. */
  @ReasonRequiredWhen((dto: ConflictAcceptanceDto) => dto.acceptConflicts === true, 'reason is required to accept conflicts')
  reason?: string;
}

export class CreateEditionDto extends ConflictAcceptanceDto {
  @IsUUID()
  courseId: string;

  /** Unique; leave out for `<course code>-<year>-<nn>`. */
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toUpperCase() : value))
  @Matches(/^[A-Z0-9][A-Z0-9-]{1,39}$/, { message: 'code must be 2–40 letters, digits or hyphens' })
  code?: string;

  /** Added to the course title, e.g. "voorjaar 2027, Utrecht". */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  titleSuffix?: string;

  /** The first possible meeting date. */
  @IsCalendarDate()
  startDate: string;

  /** How the meetings recur; leave out for the course's default pattern. */
  @IsOptional()
  @ValidateNested()
  @Type(() => MeetingPatternDto)
  pattern?: MeetingPatternDto;

  @IsUUID()
  locationId: string;

  /** A room for every generated session (optional; automatic assignment can choose later). */
  @IsOptional()
  @IsUUID()
  roomId?: string;

  /** A teacher for every generated session (optional). */
  @IsOptional()
  @IsUUID()
  teacherId?: string;

  /** Seats; default the course's maximum; at most the smallest room used. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  capacity?: number;

  /** Default the course's minimum. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  minParticipants?: number;

  @IsOptional()
  @IsCalendarDate()
  enrolmentDeadline?: string;

  /** The day the edition is confirmed or proposed for cancellation; on or before the start date. */
  @IsOptional()
  @IsCalendarDate()
  goNoGoDate?: string;

  /** Tuition in cents for this edition instead of the course's. */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100_000_000)
  priceOverrideCents?: number;
}

export class UpdateEditionDto extends PartialType(
  PickType(CreateEditionDto, ['titleSuffix', 'capacity', 'minParticipants', 'enrolmentDeadline', 'goNoGoDate', 'priceOverrideCents'] as const),
) {
  @IsInt()
  @Min(1)
  version: number;
}

export class ChangeEditionStatusDto {
  @ApiProperty({ enum: EDITION_STATUSES })
  @IsIn(EDITION_STATUSES)
  status: EditionStatus;

  @IsInt()
  @Min(1)
  version: number;

  /** Why, e.g. the reason for a cancellation; shown in the audit log. */
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

export class EditionQuery extends PageQuery {
  @IsOptional()
  @IsUUID()
  courseId?: string;

  @IsOptional()
  @IsIn(EDITION_STATUSES)
  status?: EditionStatus;

  /** Editions starting on or after this date. */
  @IsOptional()
  @IsCalendarDate()
  startsFrom?: string;

  /** Editions starting on or before this date. */
  @IsOptional()
  @IsCalendarDate()
  startsUntil?: string;
}

/** An edition with its sessions (cancelled ones included, marked so). */
export class EditionDetail extends Edition {
  sessions: Session[];
}
