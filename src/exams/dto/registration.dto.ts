import { Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { PageQuery } from '../../http/pagination';
import { SittingConflictAcceptanceDto } from './sitting.dto';

export class CreateRegistrationDto extends SittingConflictAcceptanceDto {
  @IsUUID()
  sittingId: string;

  /** Staff name the student; a student registers themself (leave out, or give their own id). */
  @IsOptional()
  @IsUUID()
  studentId?: string;

  /** Coordinator only: another attempt after a pass, to improve the grade. */
  @IsOptional()
  @IsBoolean()
  allowImprovement?: boolean;

  /** Special arrangement (staff only): extra minutes. */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(240)
  extraTimeMinutes?: number;

  /** Special arrangement (staff only): a room of their own. */
  @IsOptional()
  @IsBoolean()
  separateRoom?: boolean;

  /** Special arrangement (staff only): e.g. "grote letter", "laptop met voorleessoftware". */
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  arrangementNote?: string;
}

/** Changes the special arrangements of a registration. */
export class UpdateArrangementsDto {
  @IsInt()
  @Min(1)
  version: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(240)
  extraTimeMinutes?: number;

  @IsOptional()
  @IsBoolean()
  separateRoom?: boolean;

  @ValidateIf((_, value) => value !== null)
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  arrangementNote?: string | null;
}

export class RegistrationQuery extends PageQuery {
  @IsOptional()
  @IsUUID()
  sittingId?: string;

  @IsOptional()
  @IsUUID()
  studentId?: string;

  @IsOptional()
  @IsUUID()
  componentId?: string;
}

export class CancelRegistrationQuery {
  @Type(() => Number)
  @IsInt()
  @Min(1)
  version: number;
}

/** A line of the invigilator's list. */
export class SittingParticipantDto {
  registrationId: string;
  studentId: string;
  studentNumber: string;
  name: string;
  attempt: number;
  extraTimeMinutes: number;
  separateRoom: boolean;
  arrangementNote: string | null;
}
