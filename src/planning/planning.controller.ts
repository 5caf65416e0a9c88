import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiConflictResponse, ApiNotFoundResponse, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { STAFF } from '../kernel/role';
import { InvalidInputError } from '../kernel/domain-errors';
import type { Actor } from '../kernel/request-context';
import { AssignmentService } from './assignment.service';
import { UpdatePlanningSettingsDto } from './dto/closing-day.dto';
import { AppliedAssignmentDto, ApplyAssignmentDto, AssignmentJobDto, ConflictDto, ConflictRangeQuery, JobStartedDto, StartAssignmentDto } from './dto/planning.dto';
import { EditionLifeService } from './edition-life.service';
import { addDays } from '../kernel/time';
import { NonTeachingDaysService } from './non-teaching-days.service';
import { PlanningBoardService } from './planning-board.service';
import { PlanningSettings } from './planning-settings.entity';

@ApiTags('planning')
@Controller('planning')
export class PlanningController {
  constructor(
    private readonly board: PlanningBoardService,
    private readonly assignment: AssignmentService,
    private readonly life: EditionLifeService,
    private readonly nonTeachingDays: NonTeachingDaysService,
  ) {}

  /** Every planning conflict on dates from `from` to `to` (at most a year). */
  @Roles(...STAFF)
  @Get('conflicts')
  conflicts(@Query() query: ConflictRangeQuery): Promise<ConflictDto[]> {
    if (query.to < query.from) throw new InvalidInputError([{ field: 'to', rule: 'not_before_from', message: `to ${query.to} is before from ${query.from}` }]);
    if (query.to > addDays(query.from, 366)) throw new InvalidInputError([{ field: 'to', rule: 'max_one_year', message: 'the range may span at most a year' }]);
    return this.board.conflictsBetween(query.from, query.to);
  }

  /** Starts the automatic assignment of teachers and rooms for the editions; it proposes, it does not apply. */
  @Roles('planner', 'admin')
  @Post('assign')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: JobStartedDto })
  @ApiNotFoundResponse()
  async assign(@Body() body: StartAssignmentDto, @CurrentActor() actor: Actor): Promise<JobStartedDto> {
    return { jobId: await this.assignment.start(body, actor) };
  }

  /** Progress and, once completed, the proposal: the changes and what could not be placed, with reasons. */
  @Roles('planner', 'admin')
  @Get('assign/:job')
  @ApiNotFoundResponse()
  status(@Param('job', ParseUUIDPipe) job: string): Promise<AssignmentJobDto> {
    return this.assignment.status(job);
  }

  /** Applies the proposal; 409 `proposal_stale` when a session changed since it was made. */
  @Roles('planner', 'admin')
  @Post('assign/:job/apply')
  @HttpCode(200)
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'Not completed, stale, or it would create conflicts' })
  apply(@Param('job', ParseUUIDPipe) job: string, @Body() body: ApplyAssignmentDto): Promise<AppliedAssignmentDto> {
    return this.assignment.apply(job, body);
  }

  /** Runs the go/no-go check now (it also runs every morning). */
  @Roles('planner', 'admin')
  @Post('go-no-go')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: JobStartedDto })
  async goNoGo(@CurrentActor() actor: Actor): Promise<JobStartedDto> {
    return { jobId: await this.life.start(actor) };
  }

  @Roles(...STAFF)
  @Get('settings')
  settings(): Promise<PlanningSettings> {
    return this.nonTeachingDays.settings();
  }

  /** The Liberation Day policy: `every-year`, `lustrum` or `never`. */
  @Roles('planner', 'admin')
  @Patch('settings')
  @ApiConflictResponse({ description: 'Stale version' })
  updateSettings(@Body() body: UpdatePlanningSettingsDto): Promise<PlanningSettings> {
    return this.nonTeachingDays.updateSettings(body);
  }
}
