import { Platform1764230400000 } from './1764230400000-platform';

/** Every migration, oldest first. New migrations are appended here. */
export const MIGRATIONS = [Platform1764230400000];
