/** A student's attendance in one edition. */
export interface AttendanceSummary {
  /** Sessions that took place: planned (not cancelled), on or before today. */
  held: number;
  present: number;
  /** Of the sessions held, rounded down to one decimal; null when none was held yet. */
  percent: number | null;
}

/**
 * The attendance percentage: sessions present at over sessions held. A held session without a
 * record counts as absent: presence is what someone saw. Rounded down, so 79.99% never reads as 80%.
 */
export function attendanceSummary(heldSessionIds: readonly string[], presentSessionIds: ReadonlySet<string>): AttendanceSummary {
  const held = heldSessionIds.length;
  const present = heldSessionIds.filter((id) => presentSessionIds.has(id)).length;
  return { held, present, percent: held === 0 ? null : Math.floor((present * 1000) / held) / 10 };
}

/** Whether the summary meets a course's minimum; a course without a minimum is always met. */
export function meetsMinimum(summary: AttendanceSummary, minimumPercent: number | null): boolean {
  if (minimumPercent === null) return true;
  return summary.percent !== null && summary.percent >= minimumPercent;
}
