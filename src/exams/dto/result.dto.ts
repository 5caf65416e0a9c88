import { IsIn, IsInt, IsNumber, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { PageQuery } from '../../http/pagination';
import { ReasonRequiredWhen } from '../../http/validators';
import { RESULT_OUTCOMES, ResultOutcome } from '../exam-result.entity';

/** One result for one registration: a grade, or pass, fail, absent, exempt. */
export class EnterResultDto {
  @IsUUID()
  registrationId: string;

  /** Left out: `grade` when a grade is given. */
  @IsOptional()
  @IsIn(RESULT_OUTCOMES)
  outcome?: ResultOutcome;

  /** 1.0–10.0 with one decimal, as a JSON number ("5,5" is refused). */
  @IsOptional()
  @IsNumber({ maxDecimalPlaces: 1, allowNaN: false, allowInfinity: false })
  @Min(1)
  @Max(10)
  grade?: number;

  /** The version you read, when changing a result that exists. */
  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;

  /** Required to change a published result; goes into the audit log and the student's mail. */
  @ReasonRequiredWhen(() => false, 'reason must be text')
  reason?: string;
}

export class ResultQuery extends PageQuery {
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

export class ResultsImportQuery {
  /** Required when the file changes results that were published. */
  @ReasonRequiredWhen(() => false, 'reason must be text')
  reason?: string;
}

export class ResultsImportDto {
  /** Results stored (new or changed). */
  stored: number;
}

export class PublishResultsDto {
  /** Results published now (and mailed). */
  published: number;
  /** Enrolments completed because every component is now passed. */
  completed: number;
}
