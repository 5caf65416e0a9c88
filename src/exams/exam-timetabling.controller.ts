import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import type { Actor } from '../kernel/request-context';
import { AppliedTimetableDto, ApplyTimetableDto, StartTimetablingDto, TimetablingJobDto, TimetablingStartedDto } from './dto/timetabling.dto';
import { ExamTimetablingService } from './exam-timetabling.service';

@ApiTags('exams')
@Controller('exam-timetabling')
export class ExamTimetablingController {
  constructor(private readonly timetabling: ExamTimetablingService) {}

  /**
   * Starts a job that proposes sittings: the exam components of the editions' courses, each for
   * the enrolled students who have not passed it, in the given slots and free rooms, so that no
   * student has two exams at once and a student's exams are spread. Poll GET for the proposal.
   */
  @Roles('planner', 'admin')
  @Post()
  @HttpCode(202)
  @ApiAcceptedResponse({ type: TimetablingStartedDto })
  @ApiNotFoundResponse()
  async start(@Body() body: StartTimetablingDto, @CurrentActor() actor: Actor): Promise<TimetablingStartedDto> {
    return { jobId: await this.timetabling.start(body, actor) };
  }

  /** The job's state and progress (milliseconds of its time limit), and once completed the proposal: sittings, cost, unplaced exams with reasons. */
  @Roles('planner', 'admin')
  @Get(':job')
  @ApiOkResponse({ type: TimetablingJobDto })
  @ApiNotFoundResponse()
  status(@Param('job', ParseUUIDPipe) job: string): Promise<TimetablingJobDto> {
    return this.timetabling.status(job);
  }

  /** Creates the proposed sittings (planned, without invigilators); 409 when a room is taken since, unless accepted. */
  @Roles('planner', 'admin')
  @Post(':job/apply')
  @HttpCode(200)
  @ApiOkResponse({ type: AppliedTimetableDto })
  @ApiConflictResponse({ description: 'Not completed, applied already, or a sitting would clash' })
  apply(@Param('job', ParseUUIDPipe) job: string, @Body() body: ApplyTimetableDto): Promise<AppliedTimetableDto> {
    return this.timetabling.apply(job, body);
  }
}
