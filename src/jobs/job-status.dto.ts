import { ApiProperty } from '@nestjs/swagger';

export type JobState = 'queued' | 'running' | 'completed' | 'failed' | 'cancelled';

export class JobProgressDto {
  done: number;
  /** Unknown until the job has counted its work. */
  total: number | null;
}

export class JobStatusDto {
  id: string;
  queue: string;
  state: JobState;
  progress: JobProgressDto;
  /** What the job answered, once completed: its shape depends on the queue (e.g. `GET /planning/assign/{job}` types an assignment's). */
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true })
  result: unknown;
  /** Why it failed, once failed for good. */
  error: string | null;
  attempts: number;
  createdAt: Date;
  startedAt: Date | null;
  completedAt: Date | null;
}
