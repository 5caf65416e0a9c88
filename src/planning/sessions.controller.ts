import { Body, Controller, Delete, Param, ParseUUIDPipe, Patch, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiNotFoundResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators';
import { CancelSessionQuery, UpdateSessionDto } from './dto/session.dto';
import { EditionsService } from './editions.service';
import { Session } from './session.entity';

@ApiTags('planning')
@Controller('sessions')
export class SessionsController {
  constructor(private readonly editions: EditionsService) {}

  /**
   * Moves a session or changes its teacher or room. 409 `stale_version` when someone changed
   * it since you read it; 409 `planning_conflicts` with the conflicts unless `acceptConflicts`.
   * The teacher and enrolled students are mailed when the date, time or room changes.
   */
  @Roles('planner', 'admin')
  @Patch(':id')
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'Stale version, or the change would create planning conflicts' })
  update(@Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateSessionDto): Promise<Session> {
    return this.editions.updateSession(id, body);
  }

  /** Cancels a session (`?version=`); calendars show it as cancelled. */
  @Roles('planner', 'admin')
  @Delete(':id')
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'Stale version' })
  cancel(@Param('id', ParseUUIDPipe) id: string, @Query() query: CancelSessionQuery): Promise<Session> {
    return this.editions.cancelSession(id, query.version);
  }
}
