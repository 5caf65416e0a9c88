import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { PageQuery } from '../../http/pagination';
import { QueryBoolean, Trim } from '../../http/transforms';
import { DIPLOMA_STATES, DiplomaState } from '../diploma.entity';

export class IssueDiplomaDto {
  @IsUUID()
  studentId: string;

  @IsUUID()
  courseId: string;

  /** The name as it must appear on the diploma, checked by the coordinator; the student's name in its own order when left out. */
  @IsOptional()
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  nameOnDiploma?: string;

  /** Mail it to the student with the PDF attached (default true). */
  @IsOptional()
  @IsBoolean()
  mail?: boolean;
}

export class IssueEditionDiplomasDto {
  /** Mail each new diploma to its student (default true). */
  @IsOptional()
  @IsBoolean()
  mail?: boolean;
}

export class ReissueDiplomaDto {
  /** Why: lost, a name change, a correction. */
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  reason: string;

  @IsOptional()
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  nameOnDiploma?: string;

  @IsOptional()
  @IsBoolean()
  mail?: boolean;
}

export class RevokeDiplomaDto {
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  reason: string;
}

export class DiplomaQuery extends PageQuery {
  @IsOptional()
  @IsUUID()
  editionId?: string;

  @IsOptional()
  @IsUUID()
  studentId?: string;

  @IsOptional()
  @IsUUID()
  courseId?: string;

  @ApiProperty({ enum: DIPLOMA_STATES, required: false })
  @IsOptional()
  @IsIn(DIPLOMA_STATES)
  state?: DiplomaState;

  /** Only diplomas flagged for review (true) or only those not flagged (false). */
  @IsOptional()
  @QueryBoolean()
  @IsBoolean()
  needsReview?: boolean;
}

export const INELIGIBILITY_CODES = ['not_enrolled', 'not_completed', 'attendance_below_minimum', 'tuition_not_paid'] as const;

export class IneligibilityReason {
  @ApiProperty({ enum: INELIGIBILITY_CODES })
  code: (typeof INELIGIBILITY_CODES)[number];
  message: string;
}

export const REVIEW_DECISIONS = ['confirm', 'revoke', 'reissue'] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

/**
 * How a coordinator resolves a diploma flagged for review; the reason is kept in the audit log
 * (and as the revocation or reissue reason), the name and mail apply to a reissue.
 */
export class ResolveReviewDto extends ReissueDiplomaDto {
  /** `confirm`: it stays as issued; `revoke`: it is revoked; `reissue`: a new version with the enrolment's current final grade. */
  @ApiProperty({ enum: REVIEW_DECISIONS })
  @IsIn(REVIEW_DECISIONS)
  decision: ReviewDecision;
}

export class UpdateDiplomaSettingsDto {
  /** A diploma only once the enrolment's tuition is paid, as invoicing reports it. */
  @IsOptional()
  @IsBoolean()
  requirePaidTuition?: boolean;

  /** The version the change is based on (409 when someone changed it since). */
  @IsInt()
  version: number;
}

export class DiplomaCandidate {
  studentId: string;
  studentNumber: number;
  name: string;
  enrolmentId: string;
  /** The enrolment's status: `completed` once every exam component is passed. */
  enrolmentStatus: string;
  eligible: boolean;
  @ApiProperty({ type: () => [IneligibilityReason] })
  reasons: IneligibilityReason[];
  @ApiProperty({ type: Number, nullable: true })
  finalGrade: number | null;
  @ApiProperty({ type: Number, nullable: true })
  attendancePercent: number | null;
  @ApiProperty({ type: Number, nullable: true })
  minimumAttendancePercent: number | null;
  /** Whether invoicing reports the enrolment's tuition paid (asked only when the settings require it). */
  tuitionPaid: boolean;
  paidTuitionRequired: boolean;
  /** The current diploma of this student and course, when issued. */
  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  diplomaId: string | null;
  @ApiProperty({ type: String, nullable: true })
  diplomaNumber: string | null;
}

export class DiplomaCandidates {
  editionId: string;
  courseId: string;
  eligible: number;
  @ApiProperty({ type: () => [DiplomaCandidate] })
  candidates: DiplomaCandidate[];
}

/** A diploma with its state and verification URL. */
export class DiplomaView {
  id: string;
  number: string;
  @ApiProperty({ enum: DIPLOMA_STATES })
  state: DiplomaState;
  verificationCode: string;
  verificationUrl: string;
  studentId: string;
  courseId: string;
  editionId: string;
  version: number;
  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  supersedesId: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  supersededById: string | null;
  @ApiProperty({ type: String, nullable: true })
  reissueReason: string | null;
  nameOnDiploma: string;
  courseTitle: string;
  studyLoadHours: number;
  @ApiProperty({ type: 'array', items: { type: 'object', properties: { register: { type: 'string' }, points: { type: 'number' } }, required: ['register', 'points'] } })
  pePoints: { register: string; points: number }[];
  @ApiProperty({ type: Number, nullable: true })
  finalGrade: number | null;
  issueDate: string;
  @ApiProperty({ enum: ['nl', 'en'] })
  locale: 'nl' | 'en';
  pdfSha256: string;
  pdfSize: number;
  @ApiProperty({ type: String, nullable: true, description: 'Subject of the signing certificate; null when issued unsigned' })
  signer: string | null;
  issuedAt: Date;
  @ApiProperty({ type: Date, nullable: true })
  revokedAt: Date | null;
  @ApiProperty({ type: String, nullable: true })
  revocationReason: string | null;
  @ApiProperty({ type: Date, nullable: true })
  supersededAt: Date | null;
  @ApiProperty({ type: Date, nullable: true })
  mailedAt: Date | null;
  mailCount: number;
  /** Flagged for a coordinator's review because its enrolment was reopened; the public page does not show it. */
  needsReview: boolean;
  @ApiProperty({ type: String, nullable: true })
  reviewReason: string | null;
  @ApiProperty({ type: Date, nullable: true })
  reviewRequestedAt: Date | null;
}

export class IssuedDiploma {
  /** False when the student already had this course's diploma: that one is answered. */
  created: boolean;
  @Type(() => DiplomaView)
  diploma: DiplomaView;
}

export class MailedDiploma {
  diplomaId: string;
  mailId: string;
  mailCount: number;
}

/** The outcome of issuing for an edition, in the job's result. */
export class EditionIssueResult {
  editionId: string;
  candidates: number;
  eligible: number;
  issued: number;
  alreadyIssued: number;
  mailed: number;
  notEligible: number;
}

/** The edition run started: follow it at GET /jobs/{jobId}. */
export class DiplomaJobStarted {
  jobId: string;
}
