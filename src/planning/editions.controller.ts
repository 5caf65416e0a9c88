import { Body, Controller, Get, Header, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiNotFoundResponse, ApiProduces, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { STAFF } from '../kernel/role';
import { ApiPage } from '../http/api-page.decorator';
import { Page } from '../http/pagination';
import type { Actor } from '../kernel/request-context';
import { CalendarService } from './calendar.service';
import { ChangeEditionStatusDto, CreateEditionDto, EditionDetail, EditionQuery, UpdateEditionDto } from './dto/edition.dto';
import { ConflictDto, CreatedEdition } from './dto/planning.dto';
import { AddSessionDto } from './dto/session.dto';
import { Edition } from './edition.entity';
import { EditionsService } from './editions.service';
import { PlanningBoardService } from './planning-board.service';
import { Session } from './session.entity';

@ApiTags('planning')
@Controller('editions')
export class EditionsController {
  constructor(
    private readonly editions: EditionsService,
    private readonly board: PlanningBoardService,
    private readonly calendars: CalendarService,
  ) {}

  @Roles(...STAFF)
  @Get()
  @ApiPage(Edition)
  list(@Query() query: EditionQuery): Promise<Page<Edition>> {
    return this.editions.list(query);
  }

  /** An edition with all its sessions. */
  @Roles(...STAFF)
  @Get(':id')
  @ApiNotFoundResponse()
  get(@Param('id', ParseUUIDPipe) id: string): Promise<EditionDetail> {
    return this.editions.get(id);
  }

  /**
   * Creates an edition in `draft` and generates its sessions from the pattern (or the course's
   * default): public holidays and closing days are skipped and reported in `skippedDates`.
   */
  @Roles('planner', 'admin')
  @Post()
  @ApiConflictResponse({ description: 'The sessions would create planning conflicts (`planning_conflicts`, with the list), or the code is taken' })
  @ApiUnprocessableEntityResponse({ description: 'The course is retired, or the capacity is above the room' })
  create(@Body() body: CreateEditionDto): Promise<CreatedEdition> {
    return this.editions.create(body);
  }

  @Roles('planner', 'admin')
  @Patch(':id')
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'Stale version' })
  update(@Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateEditionDto): Promise<EditionDetail> {
    return this.editions.update(id, body);
  }

  /** `draft → open → confirmed → running → completed`, or `cancelled` before completed; confirming and cancelling mail the enrolled students. */
  @Roles('planner', 'admin')
  @Post(':id/status')
  @HttpCode(200)
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'Stale version' })
  @ApiUnprocessableEntityResponse({ description: 'Not a transition the status machine allows' })
  changeStatus(@Param('id', ParseUUIDPipe) id: string, @Body() body: ChangeEditionStatusDto): Promise<EditionDetail> {
    return this.editions.changeStatus(id, body);
  }

  @Roles(...STAFF)
  @Get(':id/sessions')
  @ApiNotFoundResponse()
  async sessions(@Param('id', ParseUUIDPipe) id: string): Promise<Session[]> {
    return (await this.editions.get(id)).sessions;
  }

  /** Adds one session; 409 with the conflicts it would create unless `acceptConflicts`. */
  @Roles('planner', 'admin')
  @Post(':id/sessions')
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'The session would create planning conflicts' })
  addSession(@Param('id', ParseUUIDPipe) id: string, @Body() body: AddSessionDto): Promise<Session> {
    return this.editions.addSession(id, body);
  }

  /** Every conflict involving a session of the edition. */
  @Roles(...STAFF)
  @Get(':id/conflicts')
  @ApiNotFoundResponse()
  async conflicts(@Param('id', ParseUUIDPipe) id: string): Promise<ConflictDto[]> {
    await this.editions.edition(id);
    return this.board.conflictsOfEdition(id);
  }

  /** The edition's sessions as an iCalendar feed: for planning staff, its teachers and its enrolled students. */
  @Roles('admin', 'planner', 'advisor', 'coordinator', 'teacher', 'student')
  @Get(':id/calendar.ics')
  @Header('Content-Type', 'text/calendar; charset=utf-8')
  @ApiProduces('text/calendar')
  @ApiNotFoundResponse()
  calendar(@Param('id', ParseUUIDPipe) id: string, @CurrentActor() actor: Actor): Promise<string> {
    return this.calendars.editionFeed(id, actor);
  }
}
