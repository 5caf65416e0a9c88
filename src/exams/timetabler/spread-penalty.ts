import type { ConflictGraph } from './conflict-graph';

/** Penalty for two exams of one student d slots apart (index d); nothing from 6 slots on. */
export const PROXIMITY_PENALTY = Int32Array.of(0, 16, 8, 4, 2, 1);
export const PROXIMITY_REACH = PROXIMITY_PENALTY.length - 1;

/**
 * The spread penalty summed over students (an integer, so that the search adds and subtracts
 * deltas without rounding drift); divide by the student count for the Toronto cost. Exams
 * without a slot (-1) count for nothing.
 */
export function totalPenalty(graph: ConflictGraph, slots: Int32Array): number {
  let total = 0;
  for (let e = 0; e < graph.examCount; e++) {
    const se = slots[e];
    if (se < 0) continue;
    for (let k = graph.offsets[e]; k < graph.offsets[e + 1]; k++) {
      const other = graph.neighbours[k];
      if (other <= e || slots[other] < 0) continue;
      const distance = Math.abs(se - slots[other]);
      if (distance <= PROXIMITY_REACH) total += graph.shared[k] * PROXIMITY_PENALTY[distance];
    }
  }
  return total;
}

/** Pairs of placed exams in the same slot that share students: zero in a feasible timetable. */
export function clashingPairs(graph: ConflictGraph, slots: Int32Array): number {
  let clashes = 0;
  for (let e = 0; e < graph.examCount; e++) {
    if (slots[e] < 0) continue;
    for (let k = graph.offsets[e]; k < graph.offsets[e + 1]; k++) {
      if (graph.neighbours[k] > e && slots[graph.neighbours[k]] === slots[e]) clashes++;
    }
  }
  return clashes;
}
