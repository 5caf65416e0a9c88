import { Body, Controller, Delete, Get, Header, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiProduces, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { ApiPage } from '../http/api-page.decorator';
import { Page } from '../http/pagination';
import type { Actor } from '../kernel/request-context';
import { toCsv } from './csv';
import { CancelRegistrationQuery, CreateRegistrationDto, RegistrationQuery, SittingParticipantDto, UpdateArrangementsDto } from './dto/registration.dto';
import { ExamRegistration } from './exam-registration.entity';
import { ExamRegistrationsService } from './exam-registrations.service';

@ApiTags('exams')
@Controller()
export class ExamRegistrationsController {
  constructor(private readonly registrations: ExamRegistrationsService) {}

  /**
   * Registers a student for a sitting. A student registers themself for an open sitting; staff
   * register anyone while it is planned, open or closed, and set special arrangements. The
   * student must be enrolled in an edition of the course; the attempt is counted per component
   * and refused beyond its maximum or after a pass (unless a coordinator sets `allowImprovement`).
   * A resit with a fee publishes `exam.resit_registered`. The student is mailed an invitation with an .ics.
   */
  @Roles('admin', 'planner', 'coordinator', 'advisor', 'student')
  @Post('exam-registrations')
  @ApiConflictResponse({ description: 'Already registered, an attempt still without result, or the student is busy then (`sitting_conflicts`)' })
  @ApiUnprocessableEntityResponse({ description: 'Not enrolled, full, passed, out of attempts, or the sitting is not open' })
  register(@Body() body: CreateRegistrationDto, @CurrentActor() actor: Actor): Promise<ExamRegistration> {
    return this.registrations.register(body, actor);
  }

  /** Registrations, newest first: staff see all, a student their own, a teacher those of sittings they invigilate. */
  @Roles('admin', 'planner', 'coordinator', 'advisor', 'teacher', 'student')
  @Get('exam-registrations')
  @ApiPage(ExamRegistration)
  list(@Query() query: RegistrationQuery, @CurrentActor() actor: Actor): Promise<Page<ExamRegistration>> {
    return this.registrations.list(query, actor);
  }

  @Roles('admin', 'planner', 'coordinator', 'advisor', 'teacher', 'student')
  @Get('exam-registrations/:id')
  @ApiNotFoundResponse()
  get(@Param('id', ParseUUIDPipe) id: string, @CurrentActor() actor: Actor): Promise<ExamRegistration> {
    return this.registrations.get(id, actor);
  }

  /** Changes the special arrangements (extra time, separate room, note). */
  @Roles('admin', 'planner', 'coordinator')
  @Patch('exam-registrations/:id')
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'Stale version' })
  updateArrangements(@Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateArrangementsDto): Promise<ExamRegistration> {
    return this.registrations.updateArrangements(id, body);
  }

  /** Withdraws a registration (`?version=`): a student their own while the sitting is open, staff until it is held. */
  @Roles('admin', 'planner', 'coordinator', 'advisor', 'student')
  @Delete('exam-registrations/:id')
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'Stale version' })
  cancel(@Param('id', ParseUUIDPipe) id: string, @Query() query: CancelRegistrationQuery, @CurrentActor() actor: Actor): Promise<ExamRegistration> {
    return this.registrations.cancel(id, query.version, actor);
  }

  /** The invigilator's list: the registered students in name order, with their special arrangements. */
  @Roles('admin', 'planner', 'coordinator', 'advisor', 'teacher')
  @Get('exam-sittings/:id/registrations')
  @ApiOkResponse({ type: [SittingParticipantDto] })
  @ApiNotFoundResponse()
  participants(@Param('id', ParseUUIDPipe) id: string, @CurrentActor() actor: Actor): Promise<SittingParticipantDto[]> {
    return this.registrations.participants(id, actor);
  }

  /** The same list as CSV: student number, name, attempt, extra time, separate room, note. */
  @Roles('admin', 'planner', 'coordinator', 'advisor', 'teacher')
  @Get('exam-sittings/:id/registrations.csv')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'CSV with a header row', schema: { type: 'string' } })
  @ApiNotFoundResponse()
  async participantsCsv(@Param('id', ParseUUIDPipe) id: string, @CurrentActor() actor: Actor): Promise<string> {
    const lines = await this.registrations.participants(id, actor);
    return toCsv([
      ['studentNumber', 'name', 'attempt', 'extraTimeMinutes', 'separateRoom', 'arrangementNote'],
      ...lines.map((l) => [l.studentNumber, l.name, l.attempt, l.extraTimeMinutes, l.separateRoom ? 'ja' : 'nee', l.arrangementNote]),
    ]);
  }
}
