import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsBoolean, IsOptional, IsUUID } from 'class-validator';
import type { ConflictKind } from '../engine/conflicts';
import type { JobState } from '../../jobs/job-status.dto';
import { IsCalendarDate } from './calendar-date.validator';
import { ConflictAcceptanceDto, EditionDetail } from './edition.dto';

export class ConflictDto {
  @ApiProperty({
    enum: ['teacher_double_booked', 'room_double_booked', 'teacher_unavailable', 'teacher_blocked', 'teacher_lacks_expertise', 'room_too_small', 'non_teaching_day', 'teacher_over_weekly_maximum'],
  })
  kind: ConflictKind;
  /** The sessions involved. */
  sessionIds: string[];
  teacherId?: string;
  roomId?: string;
  date: string;
  message: string;
}

/** A date the meeting pattern would have used, and why it did not. */
export class SkippedDateDto {
  date: string;
  /** The public holiday or closing day, e.g. "Tweede Paasdag". */
  reason: string;
}

/** The created edition, the dates its pattern skipped, and conflicts the planner accepted. */
export class CreatedEdition {
  edition: EditionDetail;
  skippedDates: SkippedDateDto[];
  acceptedConflicts: ConflictDto[];
}

export class ConflictRangeQuery {
  @IsCalendarDate()
  from: string;

  /** Inclusive; at most a year after from. */
  @IsCalendarDate()
  to: string;
}

export class StartAssignmentDto {
  /** The editions whose sessions need a teacher and a room. */
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  editionIds: string[];

  /** Also replace teachers and rooms sessions already have (default: keep them). */
  @IsOptional()
  @IsBoolean()
  reassignExisting?: boolean;
}

export class ApplyAssignmentDto extends ConflictAcceptanceDto {}

/** A change the assignment proposes for one session. */
export class ProposedAssignment {
  sessionId: string;
  editionId: string;
  /** The session's version when proposed: applying fails if it changed since. */
  version: number;
  date: string;
  startTime: string;
  endTime: string;
  teacherId: string | null;
  roomId: string | null;
  previousTeacherId: string | null;
  previousRoomId: string | null;
}

/** A session the assignment could not give a teacher or a room. */
export class UnplacedSessionDto {
  sessionId: string;
  date: string;
  /** In plain words, e.g. "no room at location … with at least 12 seats is free on …". */
  reasons: string[];
}

export class AssignmentProposal {
  editionIds: string[];
  /** Planned sessions of those editions. */
  sessionCount: number;
  /** Sessions that have a teacher and a room under the proposal. */
  placedCount: number;
  changes: ProposedAssignment[];
  /** Sessions left without a teacher or room, and why. */
  unplaced: UnplacedSessionDto[];
}

export class AssignmentJobDto {
  jobId: string;
  state: JobState;
  progress: { done: number; total: number | null };
  /** Once the job has completed. */
  proposal: AssignmentProposal | null;
  error: string | null;
}

export class AppliedAssignmentDto {
  /** Sessions that got the proposed teacher and room. */
  applied: number;
}

export class JobStartedDto {
  jobId: string;
}
