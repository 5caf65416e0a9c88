import { Module } from '@nestjs/common';
import { TimetableTorontoCommand } from './timetable-toronto.command';

/** Commands that need neither the application nor a database, so they start without them. */
export const STANDALONE_COMMANDS: readonly string[] = ['timetable:toronto'];

@Module({ providers: [TimetableTorontoCommand] })
export class StandaloneCliModule {}
