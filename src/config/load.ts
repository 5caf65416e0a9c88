import { Logger, LogLevel } from '@nestjs/common';
import { Environment, InvalidEnvironmentError, loadEnvironment } from './environment';

/** For entry points: a bad configuration stops the process with a message naming each variable and rule. */
export function loadEnvironmentOrExit(): Environment {
  try {
    const env = loadEnvironment();
    Logger.overrideLogger(levelsFrom(env.LOG_LEVEL));
    return env;
  } catch (error) {
    if (error instanceof InvalidEnvironmentError) {
      process.stderr.write(`Registrar cannot start. ${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
}

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/** Nest's own logger (used before the JSON logger exists) at the configured level and above. */
function levelsFrom(level: string): LogLevel[] {
  const index = { fatal: 0, error: 1, warn: 2, info: 3, debug: 4, trace: 5, silent: -1 }[level] ?? 3;
  return LEVELS.slice(0, index + 1);
}
