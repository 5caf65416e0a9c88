import { Controller, Get, Header, Param } from '@nestjs/common';
import { ApiNotFoundResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/auth.decorators';
import { CalendarService } from './calendar.service';

@ApiTags('planning')
@Controller('calendar')
export class CalendarController {
  constructor(private readonly calendars: CalendarService) {}

  /** A teacher's sessions as an iCalendar feed, through the secret link (no login; rotate the link to revoke it). */
  @Public()
  @Get('teachers/:token.ics')
  @Header('Content-Type', 'text/calendar; charset=utf-8')
  @Header('Cache-Control', 'private, no-store')
  @ApiProduces('text/calendar')
  @ApiNotFoundResponse()
  teacher(@Param('token') token: string): Promise<string> {
    return this.calendars.teacherFeed(token);
  }
}
