import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { ApiPage } from '../http/api-page.decorator';
import { Page } from '../http/pagination';
import type { Actor } from '../kernel/request-context';
import { ChangeSittingStatusDto, CreateSittingDto, DeleteSittingQuery, SittingConflictDto, SittingQuery, UpdateSittingDto } from './dto/sitting.dto';
import { ExamSitting } from './exam-sitting.entity';
import { ExamSittingsService } from './exam-sittings.service';

@ApiTags('exams')
@Controller('exam-sittings')
export class ExamSittingsController {
  constructor(private readonly sittings: ExamSittingsService) {}

  /** Sittings in date order. Staff see all; a teacher those they invigilate; a student those open for registration. */
  @Roles('admin', 'planner', 'coordinator', 'advisor', 'teacher', 'student')
  @Get()
  @ApiPage(ExamSitting)
  list(@Query() query: SittingQuery, @CurrentActor() actor: Actor): Promise<Page<ExamSitting>> {
    return this.sittings.list(query, actor);
  }

  @Roles('admin', 'planner', 'coordinator', 'advisor', 'teacher', 'student')
  @Get(':id')
  @ApiNotFoundResponse()
  get(@Param('id', ParseUUIDPipe) id: string, @CurrentActor() actor: Actor): Promise<ExamSitting> {
    return this.sittings.get(id, actor);
  }

  /**
   * Plans a sitting of an exam component (status `planned`). 400 for a date in the past or an end
   * after midnight; 409 `sitting_conflicts` when its room or an invigilator is taken by a session
   * or another sitting, unless `acceptConflicts` with a reason.
   */
  @Roles('planner', 'admin')
  @Post()
  @ApiConflictResponse({ description: 'The room or an invigilator is taken (`sitting_conflicts`, with the list)' })
  @ApiUnprocessableEntityResponse({ description: 'The capacity is above the room' })
  create(@Body() body: CreateSittingDto): Promise<ExamSitting> {
    return this.sittings.create(body);
  }

  /** Changes a sitting that is not held or cancelled; a new date, time or place is mailed to the registered students. */
  @Roles('planner', 'admin')
  @Patch(':id')
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'Stale version, or the change creates conflicts' })
  update(@Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateSittingDto): Promise<ExamSitting> {
    return this.sittings.update(id, body);
  }

  /**
   * planned → open → closed → held, or cancelled before held (with a reason; the registered
   * students are told and their registrations lapse). A sitting is held on or after its day.
   */
  @Roles('planner', 'coordinator', 'admin')
  @Post(':id/status')
  @HttpCode(200)
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'Stale version' })
  @ApiUnprocessableEntityResponse({ description: 'Not a valid transition' })
  changeStatus(@Param('id', ParseUUIDPipe) id: string, @Body() body: ChangeSittingStatusDto): Promise<ExamSitting> {
    return this.sittings.changeStatus(id, body);
  }

  /** Deletes a planned sitting without registrations (`?version=`); cancel any other. */
  @Roles('planner', 'admin')
  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse()
  @ApiNotFoundResponse()
  @ApiUnprocessableEntityResponse({ description: 'Not planned, or has registrations' })
  async remove(@Param('id', ParseUUIDPipe) id: string, @Query() query: DeleteSittingQuery): Promise<void> {
    await this.sittings.remove(id, query.version);
  }

  /** The sitting's clashes as it stands: its room, invigilators and registered students elsewhere at the same time. */
  @Roles('planner', 'coordinator', 'admin')
  @Get(':id/conflicts')
  @ApiOkResponse({ type: [SittingConflictDto] })
  @ApiNotFoundResponse()
  conflicts(@Param('id', ParseUUIDPipe) id: string): Promise<SittingConflictDto[]> {
    return this.sittings.conflicts(id);
  }
}
