import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsCalendarDate } from '../../planning/dto/calendar-date.validator';
import { DELIVERY_PREFERENCES, type DeliveryPreference } from '../advice-scoring';
import { DAYPARTS, type Daypart } from '../candidate-table';
import { LOCALES, type Locale } from '../../kernel/locale';
import { EDUCATION_LEVELS, type EducationLevel } from '../../enrolment/education-level';
import { Trim } from '../../http/transforms';
import { Advice } from '../advice.entity';

export class PePointsWantedDto {
  /** The professional register, e.g. "V&VN Kwaliteitsregister". */
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  register: string;

  @IsInt()
  @Min(1)
  @Max(1000)
  points: number;
}

/** The intake: what the applicant wants. Leave out what was not discussed; it then does not count. */
export class CreateAdviceDto {
  /** The student the advice is for; without one, the advice can be ranked but not sent. */
  @IsOptional()
  @IsUUID()
  studentId?: string;

  /** Language of the reasons and the mail; defaults to the student's, else Dutch. */
  @IsOptional()
  @IsIn(LOCALES)
  locale?: Locale;

  /** Interests in the applicant's own words, Dutch or English. */
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  interests?: string;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  goals?: string;

  /** Defaults to the student's recorded prior education. */
  @IsOptional()
  @IsIn(EDUCATION_LEVELS)
  priorEducationLevel?: EducationLevel;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  priorEducationField?: string;

  /** ISO weekdays, 1 = Monday … 7 = Sunday. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(7)
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(7, { each: true })
  preferredWeekdays?: number[];

  @IsOptional()
  @IsArray()
  @IsIn(DAYPARTS, { each: true })
  preferredDayparts?: Daypart[];

  @IsOptional()
  @IsIn(DELIVERY_PREFERENCES)
  delivery?: DeliveryPreference;

  /** A city or region, e.g. "Utrecht". */
  @IsOptional()
  @IsString()
  @MaxLength(100)
  region?: string;

  /** The most the applicant wants to spend on tuition, in cents. */
  @IsOptional()
  @IsInt()
  @Min(0)
  budgetCents?: number;

  /** Earliest wanted start, YYYY-MM-DD. */
  @IsOptional()
  @IsCalendarDate()
  startFrom?: string;

  /** Latest wanted start, YYYY-MM-DD: editions starting later are excluded. */
  @IsOptional()
  @IsCalendarDate()
  startUntil?: string;

  /** PE points needed per professional register. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => PePointsWantedDto)
  pePoints?: PePointsWantedDto[];

  /** How many editions to answer, best first. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(20)
  limit?: number;
}

export class SelectedEditionDto {
  @IsUUID()
  editionId: string;

  /** The reasons as the advisor wants them in the mail; left out: Registrar's. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(300, { each: true })
  reasons?: string[];
}

export class UpdateAdviceDto {
  /** The editions to send, best first. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => SelectedEditionDto)
  selection?: SelectedEditionDto[];

  /** Courses without an open edition in which to register the student's interest when sending. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsUUID('all', { each: true })
  interestCourseIds?: string[];

  @IsOptional()
  @IsString()
  @MaxLength(5000)
  personalNote?: string;

  @IsInt()
  version: number;
}

export class SentMailDto {
  subject: string;
  text: string;
  toEmail: string;
}

/** An advice with, once sent, the mail as it went out. */
export class AdviceDetailDto extends Advice {
  sentMail: SentMailDto | null;
}
