import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Public } from '../auth/auth.decorators';
import { HealthDto } from './health.dto';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
  ) {}

  /** Liveness: the process answers. */
  @Public()
  @Get()
  @HealthCheck()
  live(): Promise<HealthDto> {
    return this.health.check([]);
  }

  /** Readiness: the database answers. */
  @Public()
  @Get('ready')
  @HealthCheck()
  ready(): Promise<HealthDto> {
    return this.health.check([() => this.database.pingCheck('database', { timeout: 3000 })]);
  }
}
