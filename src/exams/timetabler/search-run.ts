import type { ConflictGraph } from './conflict-graph';
import { KempeSearch } from './kempe-search';
import { Random } from './random';

/** What one search needs; plain data, so that it can be posted to a worker thread. */
export interface SearchInput {
  graph: ConflictGraph;
  slotCount: number;
  seats: Float64Array | null;
  initial: Int32Array;
  seed: number;
  /** When to stop, in milliseconds since the epoch (`performance.timeOrigin` differs per thread). */
  deadlineEpochMs: number;
  maxIterations: number;
}

export interface SearchOutcome {
  slots: Int32Array;
  penalty: number;
  iterations: number;
}

export function runSearch(input: SearchInput, onProgress: (bestPenalty: number) => void): SearchOutcome {
  const deadline = input.deadlineEpochMs - performance.timeOrigin;
  const search = new KempeSearch(input.graph, input.slotCount, input.seats, input.initial);
  const iterations = search.anneal(new Random(input.seed), deadline, input.maxIterations, onProgress);
  return { slots: search.best, penalty: search.bestPenalty, iterations };
}
