import { PickType } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { PageQuery } from '../../http/pagination';
import { Enrolment, ENROLMENT_STATUSES, type EnrolmentStatus } from '../enrolment.entity';
import { EDUCATION_LEVELS, type EducationLevel } from '../education-level';
import { QueryBoolean, Trim } from '../../http/transforms';
import { ReasonRequiredWhen } from '../../http/validators';

/** An enrolment as the enrolment routes answer it: with its place on the waitlist. */
export class EnrolmentViewDto extends Enrolment {
  /** 1 for the first in line while `waitlisted`; null in every other status. */
  waitlistPosition: number | null;
}

export class CreateEnrolmentDto {
  @IsUUID()
  studentId: string;

  @IsUUID()
  editionId: string;

  /** Who pays; left out: the student. */
  @IsOptional()
  @IsUUID()
  billingPartyId?: string;

  /** Purchase order for this enrolment, instead of the billing party's reference. */
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(100)
  purchaseOrder?: string;

  /** Enrol although the entry requirements are not met; needs `overrideReason`. */
  @IsOptional()
  @IsBoolean()
  overrideEntryRequirements?: boolean;

  /** Why the advisor waives the entry requirements; recorded with the enrolment and in the audit log. */
  @ReasonRequiredWhen((dto: CreateEnrolmentDto) => dto.overrideEntryRequirements === true, 'overrideReason is required to override the entry requirements')
  overrideReason?: string;
}

/** Who pays for an enrolment from now on: what is not yet invoiced is billed to them. */
export class ChangeBillingPartyDto extends PickType(CreateEnrolmentDto, ['purchaseOrder'] as const) {
  @IsUUID()
  billingPartyId: string;

  /** Why; kept in the audit log. */
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(1000)
  reason?: string;
}

export class CancelEnrolmentDto {
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(1000)
  reason?: string;
}

/** The advisor's decision after the intake, on an enrolment whose admission is pending. */
export class AdmissionDecisionDto {
  @IsBoolean()
  admitted: boolean;

  /** Why; required when the student is not admitted. Recorded in the status history and the audit log. */
  @ReasonRequiredWhen((dto: AdmissionDecisionDto) => dto.admitted === false, 'reason is required when the student is not admitted')
  reason?: string;

  /**
   * The prior education the intake established, recorded on the student when admitted. Required
   * for a course that asks for a degree, unless the student's record already meets it.
   */
  @IsOptional()
  @IsIn(EDUCATION_LEVELS)
  priorEducationLevel?: EducationLevel;
}

export class TransferEnrolmentDto {
  /** Another edition of the same course. */
  @IsUUID()
  editionId: string;

  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(1000)
  reason?: string;
}

export class EnrolmentQuery extends PageQuery {
  @IsOptional()
  @IsUUID()
  editionId?: string;

  @IsOptional()
  @IsUUID()
  studentId?: string;

  @IsOptional()
  @IsIn(ENROLMENT_STATUSES)
  status?: EnrolmentStatus;

  /** Only enrolments whose admission an advisor still has to decide (true), or only the others (false). */
  @IsOptional()
  @QueryBoolean()
  @IsBoolean()
  admissionPending?: boolean;
}

export class UpdateEnrolmentSettingsDto {
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(60)
  offerDays?: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(365)
  freeCancellationDays?: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  cancellationFeePercent?: number;

  /** Students that may wait per edition; null: no limit, 0: no waitlist. */
  @IsOptional()
  @ValidateIf((_dto, value) => value !== null)
  @IsInt()
  @Min(0)
  waitlistLimit?: number | null;

  @IsInt()
  version: number;
}
