import { DateTime } from 'luxon';

export interface CancellationTerms {
  /** Cancelling is free until this many days before the start. */
  freeCancellationDays: number;
  /** After that, this share of the tuition is due. */
  cancellationFeePercent: number;
}

/**
 * The fee for cancelling a seat on `today` (Europe/Amsterdam calendar days) for an edition
 * starting on `startDate`: nothing while at least `freeCancellationDays` days remain, then the
 * percentage of the tuition, rounded to whole cents.
 */
export function cancellationFee(terms: CancellationTerms, tuitionCents: number, startDate: string, today: string): number {
  const daysLeft = DateTime.fromISO(startDate).diff(DateTime.fromISO(today), 'days').days;
  if (daysLeft >= terms.freeCancellationDays) return 0;
  return Math.round((tuitionCents * terms.cancellationFeePercent) / 100);
}

export { todayInAmsterdam } from '../kernel/time';
