import { Cron } from 'croner';
import { INSTITUTE_ZONE } from '../kernel/time';

/** How far back a check looks for a due time: the minute up to it, as pg-boss's timekeeper did. */
export const DUE_WINDOW_MS = 60_000;

/**
 * A queue's recurring schedule: a five-field cron expression on the institute's wall clock
 * (Europe/Amsterdam, summer time included). On the day the clocks go forward a time in the
 * skipped hour (02:30) is due at 03:00; on the day they go back a fixed time in the repeated
 * hour is due once, the first time, while a `*\/10` is due at both passes (croner's rules,
 * those of Vixie cron).
 */
export class CronSchedule {
  private readonly cron: Cron;

  /** Throws on an expression that is not a valid five-field cron. */
  constructor(readonly expression: string) {
    // Without a function croner only computes times: no timer is started.
    this.cron = new Cron(expression, { timezone: INSTITUTE_ZONE, mode: '5-part' });
  }

  /** The due time in the minute up to `now` (after `now` − 60 s, up to and including `now`), if any. */
  dueAt(now: Date): Date | null {
    const due = this.cron.nextRun(new Date(now.getTime() - DUE_WINDOW_MS));
    return due && due.getTime() <= now.getTime() ? due : null;
  }
}
