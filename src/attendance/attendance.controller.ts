import { Body, Controller, Get, Param, ParseUUIDPipe, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { STAFF } from '../kernel/role';
import { NotFoundError } from '../kernel/domain-errors';
import type { Actor } from '../kernel/request-context';
import { AttendanceService } from './attendance.service';
import {
  AttendanceRequirementDto,
  EditionAttendance,
  RecordAttendanceDto,
  SessionAttendance,
  SetAttendanceRequirementDto,
  StudentAttendance,
} from './dto/attendance.dto';

@ApiTags('attendance')
@Controller()
export class AttendanceController {
  constructor(private readonly attendance: AttendanceService) {}

  /**
   * Records presence at a session that has taken place, for any number of its students at once
   * (present or absent); a teacher only at their own sessions. Students left out keep their record.
   */
  @Put('editions/:editionId/sessions/:sessionId/attendance')
  @Roles('planner', 'teacher')
  record(
    @Param('editionId', ParseUUIDPipe) editionId: string,
    @Param('sessionId', ParseUUIDPipe) sessionId: string,
    @Body() input: RecordAttendanceDto,
    @CurrentActor() actor: Actor,
  ): Promise<SessionAttendance> {
    return this.attendance.record(actor, editionId, sessionId, input);
  }

  /** Every enrolled student of the session's edition with what was recorded (null: nothing yet). */
  @Get('editions/:editionId/sessions/:sessionId/attendance')
  @Roles('planner', 'coordinator', 'teacher')
  ofSession(
    @Param('editionId', ParseUUIDPipe) editionId: string,
    @Param('sessionId', ParseUUIDPipe) sessionId: string,
    @CurrentActor() actor: Actor,
  ): Promise<SessionAttendance> {
    return this.attendance.ofSession(actor, editionId, sessionId);
  }

  /** Attendance percentage per student of the edition, against the course's minimum. */
  @Get('editions/:editionId/attendance')
  @Roles('planner', 'coordinator')
  ofEdition(@Param('editionId', ParseUUIDPipe) editionId: string): Promise<EditionAttendance> {
    return this.attendance.ofEdition(editionId);
  }

  /** A student's presence per edition; a student user only their own. */
  @Get('students/:studentId/attendance')
  @Roles(...STAFF, 'student')
  ofStudent(@Param('studentId', ParseUUIDPipe) studentId: string, @CurrentActor() actor: Actor): Promise<StudentAttendance> {
    const staff = actor.roles.some((role) => STAFF.includes(role));
    if (!staff && actor.studentId !== studentId) throw new NotFoundError('Student', studentId);
    return this.attendance.ofStudent(studentId);
  }

  @Get('courses/:courseId/attendance-requirement')
  @Roles(...STAFF)
  requirement(@Param('courseId', ParseUUIDPipe) courseId: string): Promise<AttendanceRequirementDto> {
    return this.attendance.requirement(courseId);
  }

  /** Sets the share of sessions the course's diploma asks for (null: none). */
  @Put('courses/:courseId/attendance-requirement')
  @Roles('planner', 'coordinator')
  setRequirement(@Param('courseId', ParseUUIDPipe) courseId: string, @Body() input: SetAttendanceRequirementDto): Promise<AttendanceRequirementDto> {
    return this.attendance.setRequirement(courseId, input.minimumPercent);
  }
}
