import { ApiProperty, ApiPropertyOptions } from '@nestjs/swagger';
import type { HealthCheckStatus, HealthIndicatorResult } from '@nestjs/terminus';

const indicators = (required: boolean): ApiPropertyOptions => ({
  type: 'object',
  selfRequired: required,
  description: 'Per checked dependency (e.g. `database`): its status and any details it reports',
  additionalProperties: { type: 'object', required: ['status'], properties: { status: { type: 'string', enum: ['up', 'down'] } }, additionalProperties: true },
});

/** The answer of a health check (Terminus). */
export class HealthDto {
  @ApiProperty({ enum: ['ok', 'error', 'shutting_down', 'degraded'] })
  status: HealthCheckStatus;

  @ApiProperty(indicators(false))
  info?: Partial<HealthIndicatorResult>;

  @ApiProperty(indicators(false))
  error?: Partial<HealthIndicatorResult>;

  @ApiProperty(indicators(true))
  details: HealthIndicatorResult;
}
