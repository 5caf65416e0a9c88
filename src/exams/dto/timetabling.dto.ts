import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsInt, IsOptional, IsUUID, Matches, Max, Min, ValidateIf, ValidateNested } from 'class-validator';
import { SittingConflictAcceptanceDto } from './sitting.dto';

export class TimetableSlotDto {
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'date must be YYYY-MM-DD' })
  date: string;

  @Matches(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'startTime must be HH:mm' })
  startTime: string;

  @IsInt()
  @Min(15)
  @Max(600)
  durationMinutes: number;
}

/**
 * A timetable to propose: the exam components of the courses of the given editions (or of the
 * editions meeting between `from` and `to`), each sat by the students enrolled in them who have
 * not passed it yet, in the given slots and rooms.
 */
export class StartTimetablingDto {
  /** The editions whose students sit their courses' exams; or give `from` and `to`. */
  @ValidateIf((dto: StartTimetablingDto) => dto.editionIds !== undefined || dto.from === undefined)
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  editionIds?: string[];

  /** With `to`: every edition with a session from this day on. */
  @ValidateIf((dto: StartTimetablingDto) => dto.editionIds === undefined)
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'from must be YYYY-MM-DD' })
  from?: string;

  @ValidateIf((dto: StartTimetablingDto) => dto.editionIds === undefined)
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'to must be YYYY-MM-DD' })
  to?: string;

  /** In time order; consecutive slots count as close for the spread of a student's exams. */
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => TimetableSlotDto)
  slots: TimetableSlotDto[];

  /** Physical rooms to use; in each slot an exam gets one room big enough for it. */
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  roomIds: string[];

  /** Default 10, at most 120. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(120)
  timeLimitSeconds?: number;
}

export class ApplyTimetableDto extends SittingConflictAcceptanceDto {}

export class ProposedSittingDto {
  componentId: string;
  componentName: string;
  courseId: string;
  studentCount: number;
  date: string;
  startTime: string;
  durationMinutes: number;
  roomId: string;
}

export class UnplacedExamDto {
  componentId: string;
  componentName: string;
  studentCount: number;
  reason: string;
}

export class TimetableProposalDto {
  /** Toronto spread penalty per student (lower is better: fewer exams close together). */
  cost: number;
  slotsUsed: number;
  sittings: ProposedSittingDto[];
  unplaced: UnplacedExamDto[];
}

export class TimetablingJobDto {
  jobId: string;
  state: 'queued' | 'running' | 'completed' | 'failed' | 'cancelled';
  progress: { done: number; total: number | null };
  proposal: TimetableProposalDto | null;
  error: string | null;
}

export class AppliedTimetableDto {
  /** The sittings made (status planned). */
  sittingIds: string[];
}

export class TimetablingStartedDto {
  jobId: string;
}
