import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, MaxLength, Min, MinLength } from 'class-validator';
import { IsCalendarDate } from './calendar-date.validator';
import type { LiberationDayPolicy } from '../engine/holidays';

export class CreateClosingDayDto {
  @IsCalendarDate()
  fromDate: string;

  /** Inclusive; leave out for a single day. */
  @IsOptional()
  @IsCalendarDate()
  toDate?: string;

  /** E.g. "Zomersluiting", "Studiedag team". */
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  reason: string;
}

export class UpdatePlanningSettingsDto {
  /** Whether 5 May is a day off: `every-year`, `lustrum` (only in years divisible by 5) or `never`. */
  @IsIn(['every-year', 'lustrum', 'never'])
  liberationDayPolicy: LiberationDayPolicy;

  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;
}
