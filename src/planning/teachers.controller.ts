import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiNotFoundResponse, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { STAFF } from '../kernel/role';
import { ApiPage } from '../http/api-page.decorator';
import { InvalidInputError, NotFoundError } from '../kernel/domain-errors';
import { Page, PageQuery } from '../http/pagination';
import type { Actor } from '../kernel/request-context';
import { CalendarService } from './calendar.service';
import { CalendarLinkDto, CreateTeacherDto, TeacherSessionDto, TeacherSessionsQuery, UpdateTeacherDto } from './dto/teacher.dto';
import { todayInAmsterdam } from '../kernel/time';
import { Teacher } from './teacher.entity';
import { TeachersService } from './teachers.service';

/** A teacher user reaches only their own record; any other id is answered as unknown. */
function assertOwnOrStaff(actor: Actor, teacherId: string): void {
  if (actor.roles.some((role) => role !== 'teacher' && role !== 'student')) return;
  if (actor.teacherId !== teacherId) throw new NotFoundError('Teacher', teacherId);
}

@ApiTags('planning')
@Controller('teachers')
export class TeachersController {
  constructor(
    private readonly teachers: TeachersService,
    private readonly calendar: CalendarService,
  ) {}

  @Roles(...STAFF)
  @Get()
  @ApiPage(Teacher)
  list(@Query() query: PageQuery): Promise<Page<Teacher>> {
    return this.teachers.list(query);
  }

  /** A teacher; teachers may read their own. */
  @Roles(...STAFF, 'teacher')
  @Get(':id')
  @ApiNotFoundResponse()
  get(@Param('id', ParseUUIDPipe) id: string, @CurrentActor() actor: Actor): Promise<Teacher> {
    assertOwnOrStaff(actor, id);
    return this.teachers.get(id);
  }

  @Roles('planner', 'admin')
  @Post()
  @ApiConflictResponse({ description: 'The email address is taken' })
  create(@Body() body: CreateTeacherDto): Promise<Teacher> {
    return this.teachers.create(body);
  }

  @Roles('planner', 'admin')
  @Patch(':id')
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'Stale version' })
  update(@Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateTeacherDto): Promise<Teacher> {
    return this.teachers.update(id, body);
  }

  /** The teacher's own sessions from `from` (default today) to `to`; teachers may read their own schedule. */
  @Roles(...STAFF, 'teacher')
  @Get(':id/sessions')
  @ApiNotFoundResponse()
  async sessions(@Param('id', ParseUUIDPipe) id: string, @Query() query: TeacherSessionsQuery, @CurrentActor() actor: Actor): Promise<TeacherSessionDto[]> {
    assertOwnOrStaff(actor, id);
    if (query.from && query.to && query.to < query.from) {
      throw new InvalidInputError([{ field: 'to', rule: 'not_before_from', message: 'to must not be before from' }]);
    }
    const sessions = await this.calendar.teacherSessions(id, query.from ?? todayInAmsterdam(), query.to);
    return sessions.map(({ id, date, startTime, endTime, courseTitle, cancelled, roomName, locationName }) => ({
      id,
      date,
      startTime,
      endTime,
      courseTitle,
      cancelled: cancelled ?? false,
      roomName,
      locationName,
    }));
  }

  /** A new secret link to the teacher's calendar feed; the old link stops working. Teachers may rotate their own. */
  @Roles('planner', 'admin', 'teacher')
  @Post(':id/calendar-token')
  @HttpCode(200)
  @ApiNotFoundResponse()
  rotateCalendarToken(@Param('id', ParseUUIDPipe) id: string, @CurrentActor() actor: Actor): Promise<CalendarLinkDto> {
    assertOwnOrStaff(actor, id);
    return this.teachers.rotateCalendarToken(id);
  }
}
