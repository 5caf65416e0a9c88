import { PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
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
import { PageQuery } from '../../http/pagination';
import { DELIVERY_MODES, FEE_KINDS, PRIOR_EDUCATION_LEVELS, VAT_TREATMENTS } from '../course-attributes';
import type { DeliveryMode, FeeKind, PriorEducationLevel, VatTreatment } from '../course-attributes';
import { GRADINGS } from '../exam-component.entity';
import type { Grading } from '../exam-component.entity';
import { QueryBoolean, Trim } from '../../http/transforms';

const WALL_TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

export class PePointsDto {
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  register: string;

  @IsNumber({ maxDecimalPlaces: 1 })
  @Min(0)
  @Max(1000)
  points: number;
}

export class OtherFeeDto {
  @IsIn(FEE_KINDS)
  kind: FeeKind;

  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  description: string;

  /** Euro cents. */
  @IsInt()
  @Min(0)
  @Max(100_000_000)
  amountCents: number;

  @IsIn(VAT_TREATMENTS)
  vat: VatTreatment;
}

export class ExamComponentDto {
  /** Leave out for a new component; give the id of an existing one to keep it. */
  @IsOptional()
  @IsUUID()
  id?: string;

  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  /** Share in the final grade, in percent; all components add up to 100. */
  @IsInt()
  @Min(1)
  @Max(100)
  weight: number;

  /** 1.0–10.0 with one decimal; default 5.5. */
  @IsOptional()
  @IsNumber({ maxDecimalPlaces: 1 })
  @Min(1)
  @Max(10)
  passMark?: number;

  /** Default 2 (one resit). */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10)
  maxAttempts?: number;

  /** `grade` (default) or `pass_fail`. */
  @IsOptional()
  @IsIn(GRADINGS)
  grading?: Grading;
}

/** How meetings recur; shared by a course's default and an edition's own pattern. */
export class MeetingPatternDto {
  /** ISO weekdays, 1 = Monday … 7 = Sunday. */
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(7)
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(7, { each: true })
  weekdays: number[];

  /** Europe/Amsterdam wall-clock time, HH:mm. */
  @Matches(WALL_TIME, { message: 'startTime must be a time HH:mm' })
  startTime: string;

  /** Europe/Amsterdam wall-clock time, HH:mm; after startTime. */
  @Matches(WALL_TIME, { message: 'endTime must be a time HH:mm' })
  endTime: string;

  /** Number of meetings. */
  @IsInt()
  @Min(1)
  @Max(200)
  count: number;

  /** 1 = every week, 2 = every other week … */
  @IsInt()
  @Min(1)
  @Max(52)
  intervalWeeks: number;
}

export class CreateCourseDto {
  /** Unique, 2–20 upper-case letters, digits or hyphens. */
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toUpperCase() : value))
  @Matches(/^[A-Z0-9][A-Z0-9-]{1,19}$/, { message: 'code must be 2–20 letters, digits or hyphens' })
  code: string;

  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  titleNl: string;

  @IsOptional()
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  titleEn?: string;

  @IsOptional()
  @IsString()
  @MaxLength(10_000)
  descriptionNl?: string;

  @IsOptional()
  @IsString()
  @MaxLength(10_000)
  descriptionEn?: string;

  /** E.g. "Zorg", "Sociaal werk", "Financiën". */
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  discipline: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(30)
  @IsString({ each: true })
  @MaxLength(60, { each: true })
  keywords?: string[];

  @IsInt()
  @Min(1)
  @Max(10_000)
  studyLoadHours: number;

  @IsNumber({ maxDecimalPlaces: 1 })
  @Min(0)
  @Max(300)
  ects: number;

  /** Points per professional register. */
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => PePointsDto)
  pePoints?: PePointsDto[];

  /** Euro cents. */
  @IsInt()
  @Min(0)
  @Max(100_000_000)
  tuitionCents: number;

  /** `exempt` (education, CRKBO) or a rate: `rate_21`, `rate_9`, `rate_0`. */
  @IsIn(VAT_TREATMENTS)
  tuitionVat: VatTreatment;

  /** Exam fee, materials and the like, each with its VAT. */
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => OtherFeeDto)
  otherFees?: OtherFeeDto[];

  @IsIn(PRIOR_EDUCATION_LEVELS)
  minimumPriorEducation: PriorEducationLevel;

  /** Courses that must be completed first. */
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsUUID('all', { each: true })
  prerequisiteCourseIds?: string[];

  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => ExamComponentDto)
  examComponents?: ExamComponentDto[];

  @IsIn(DELIVERY_MODES)
  deliveryMode: DeliveryMode;

  @IsOptional()
  @ValidateNested()
  @Type(() => MeetingPatternDto)
  defaultPattern?: MeetingPatternDto;

  @IsInt()
  @Min(1)
  @Max(1000)
  minParticipants: number;

  @IsInt()
  @Min(1)
  @Max(1000)
  maxParticipants: number;
}

/** Send only what changes, with the version you read. */
export class UpdateCourseDto extends PartialType(CreateCourseDto) {
  @IsInt()
  @Min(1)
  version: number;
}

export class CourseQuery extends PageQuery {
  /** Full-text search in Dutch and English over title, keywords and description, best match first. */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  discipline?: string;

  /** Also list retired courses. */
  @IsOptional()
  @QueryBoolean()
  @IsBoolean()
  includeRetired?: boolean;
}
