import { PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { IsCalendarDate, IsWallTime } from './calendar-date.validator';
import { Trim } from '../../http/transforms';

export class AvailabilityWindowDto {
  /** ISO weekday, 1 = Monday … 7 = Sunday. */
  @IsInt()
  @Min(1)
  @Max(7)
  weekday: number;

  /** HH:mm. */
  @IsWallTime()
  from: string;

  /** HH:mm, after from. */
  @IsWallTime()
  to: string;
}

export class BlockedPeriodDto {
  @IsCalendarDate()
  from: string;

  /** Inclusive. */
  @IsCalendarDate()
  to: string;

  /** E.g. "vakantie", "ziek". */
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  reason: string;
}

export class CreateTeacherDto {
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsEmail({ allow_utf8_local_part: true })
  @MaxLength(254)
  email: string;

  @IsOptional()
  @Matches(/^\+?[0-9 ()-]{6,20}$/, { message: 'phone must be a phone number' })
  phone?: string;

  /** Language of the teacher's mail; default nl. */
  @IsOptional()
  @IsIn(['nl', 'en'])
  locale?: 'nl' | 'en';

  /** Disciplines in which the teacher may teach every course; with courseIds at least one expertise. */
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  disciplines?: string[];

  /** Courses the teacher may teach. */
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(200)
  @IsUUID('all', { each: true })
  courseIds?: string[];

  /** Weekly windows; windows on the same weekday may not overlap. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => AvailabilityWindowDto)
  availability?: AvailabilityWindowDto[];

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => BlockedPeriodDto)
  blockedPeriods?: BlockedPeriodDto[];

  /** Leave out for no maximum. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(50)
  maxMeetingsPerWeek?: number;
}

/** Send only what changes, with the version you read. */
export class UpdateTeacherDto extends PartialType(CreateTeacherDto) {
  @IsInt()
  @Min(1)
  version: number;
}

export class TeacherSessionsQuery {
  /** First day, inclusive (YYYY-MM-DD); default: today. */
  @IsOptional()
  @IsCalendarDate()
  from?: string;

  /** Last day, inclusive (YYYY-MM-DD); default: everything after `from`. */
  @IsOptional()
  @IsCalendarDate()
  to?: string;
}

/** One session on a teacher's schedule, as their calendar shows it. */
export class TeacherSessionDto {
  id: string;
  date: string;
  startTime: string;
  endTime: string;
  /** Course title with the edition code. */
  courseTitle: string;
  cancelled: boolean;
  roomName?: string;
  locationName?: string;
}

export class CalendarLinkDto {
  /** The secret; shown only now. Rotating again makes the previous link stop working. */
  token: string;
  /** The feed to subscribe to in a calendar app. */
  url: string;
}
