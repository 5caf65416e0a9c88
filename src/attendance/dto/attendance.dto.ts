import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayUnique, IsArray, IsBoolean, IsInt, IsUUID, Max, Min, ValidateIf, ValidateNested } from 'class-validator';

export class AttendanceMarkDto {
  @IsUUID()
  studentId: string;

  @IsBoolean()
  present: boolean;
}

/** Presence at one session for any number of its students at once; students left out keep what they had. */
export class RecordAttendanceDto {
  @IsArray()
  @ArrayMaxSize(500)
  @ArrayUnique((mark: AttendanceMarkDto) => mark.studentId, { message: 'records must name each student once' })
  @ValidateNested({ each: true })
  @Type(() => AttendanceMarkDto)
  records: AttendanceMarkDto[];
}

export class SessionAttendanceEntry {
  studentId: string;
  studentNumber: number;
  name: string;
  /** null: not recorded yet (counts as absent). */
  @ApiProperty({ type: Boolean, nullable: true })
  present: boolean | null;
  @ApiProperty({ type: Date, nullable: true })
  recordedAt: Date | null;
}

export class SessionAttendance {
  sessionId: string;
  editionId: string;
  /** YYYY-MM-DD */
  date: string;
  startTime: string;
  endTime: string;
  entries: SessionAttendanceEntry[];
}

export class StudentAttendanceSummary {
  studentId: string;
  studentNumber: number;
  name: string;
  held: number;
  present: number;
  @ApiProperty({ type: Number, nullable: true, description: 'Of the sessions held, rounded down to one decimal; null before any was held' })
  percent: number | null;
  /** Whether the course's minimum is met (always, when the course sets none). */
  meetsMinimum: boolean;
}

export class EditionAttendance {
  editionId: string;
  courseId: string;
  @ApiProperty({ type: Number, nullable: true, description: "The course's minimum percentage; null when it sets none" })
  minimumPercent: number | null;
  sessionsHeld: number;
  students: StudentAttendanceSummary[];
}

export class OwnSessionPresence {
  sessionId: string;
  date: string;
  startTime: string;
  endTime: string;
  @ApiProperty({ type: Boolean, nullable: true })
  present: boolean | null;
}

export class OwnEditionAttendance {
  editionId: string;
  courseId: string;
  held: number;
  present: number;
  @ApiProperty({ type: Number, nullable: true })
  percent: number | null;
  @ApiProperty({ type: Number, nullable: true })
  minimumPercent: number | null;
  sessions: OwnSessionPresence[];
}

export class StudentAttendance {
  studentId: string;
  editions: OwnEditionAttendance[];
}

export class SetAttendanceRequirementDto {
  /** The minimum percentage of sessions for the diploma; null removes it. */
  @ApiProperty({ type: 'integer', nullable: true, minimum: 1, maximum: 100 })
  @ValidateIf((_dto, value) => value !== null)
  @IsInt()
  @Min(1)
  @Max(100)
  minimumPercent: number | null;
}

export class AttendanceRequirementDto {
  courseId: string;
  @ApiProperty({ type: Number, nullable: true })
  minimumPercent: number | null;
}
