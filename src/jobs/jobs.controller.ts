import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiNotFoundResponse, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { STAFF } from '../kernel/role';
import { NotFoundError } from '../kernel/domain-errors';
import type { Actor } from '../kernel/request-context';
import { JobStatusDto } from './job-status.dto';
import { JobsService } from './jobs.service';

@ApiTags('jobs')
@Controller('jobs')
export class JobsController {
  constructor(private readonly jobs: JobsService) {}

  /** Status, progress and outcome of a job you started (admins see every job). */
  @Roles(...STAFF)
  @Get(':id')
  @ApiNotFoundResponse()
  async get(@Param('id', ParseUUIDPipe) id: string, @CurrentActor() actor: Actor): Promise<JobStatusDto> {
    const requester = await this.jobs.requesterOf(id);
    if (requester === undefined || (requester !== actor.id && !actor.roles.includes('admin'))) {
      throw new NotFoundError('Job', id);
    }
    return this.jobs.status(id);
  }
}
