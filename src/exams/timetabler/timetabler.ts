import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { conflictGraphOf } from './conflict-graph';
import { constructTimetable } from './construction';
import type { Timetable, TimetablingOptions, TimetablingProblem } from './model';
import { Random } from './random';
import { runSearch, SearchInput, SearchOutcome } from './search-run';

/** Share of the time limit the construction may spend repairing clashes before the search starts. */
const CONSTRUCTION_SHARE = 0.6;
const DEFAULT_SEED = 1;

/**
 * Gives every exam a slot so that no student has two exams at once (and, with seats per slot,
 * no slot overfills), minimising the Toronto spread penalty: a clash-free construction within
 * the slot limit, then simulated annealing over Kempe chains until the time limit.
 */
export async function solveTimetable(problem: TimetablingProblem, options: TimetablingOptions): Promise<Timetable> {
  const start = performance.now();
  validate(problem);
  const deadline = start + options.timeLimitMs;
  const seed = options.seed ?? DEFAULT_SEED;
  const graph = conflictGraphOf(problem);
  const report = (bestPenalty: number | null, phase: 'construction' | 'search') =>
    options.onProgress?.({
      elapsedMs: performance.now() - start,
      timeLimitMs: options.timeLimitMs,
      bestCost: bestPenalty === null ? null : bestPenalty / Math.max(1, graph.studentCount),
      phase,
    });

  const seats = problem.seatsPerSlot ? Float64Array.from(problem.seatsPerSlot) : null;
  report(null, 'construction');
  const construction = constructTimetable(graph, problem.slotCount, seats, start + options.timeLimitMs * CONSTRUCTION_SHARE, new Random(seed));

  const input: Omit<SearchInput, 'seed'> = {
    graph,
    slotCount: problem.slotCount,
    seats,
    initial: construction.slots,
    deadlineEpochMs: performance.timeOrigin + deadline,
    maxIterations: options.maxIterations ?? Number.POSITIVE_INFINITY,
  };
  const workers = options.workers ?? Math.min(2, availableParallelism());
  const script = workerScript();
  let bestSoFar = Number.POSITIVE_INFINITY;
  const improved = (penalty: number) => {
    bestSoFar = Math.min(bestSoFar, penalty);
    report(bestSoFar, 'search');
  };
  const outcomes =
    workers > 0 && script
      ? await Promise.all(Array.from({ length: workers }, (_, i) => searchInWorker(script, { ...input, seed: seed + i }, improved)))
      : [runSearch({ ...input, seed }, improved)];
  const best = outcomes.reduce((a, b) => (b.penalty < a.penalty ? b : a));

  const slots = Array.from(best.slots, (slot) => (slot < 0 ? null : slot));
  return {
    slots,
    cost: best.penalty / Math.max(1, graph.studentCount),
    slotsUsed: new Set(slots.filter((slot) => slot !== null)).size,
    unplaced: [...construction.reasons].map(([exam, reason]) => ({ examId: problem.exams[exam].id, reason })),
    iterations: outcomes.reduce((sum, outcome) => sum + outcome.iterations, 0),
    elapsedMs: performance.now() - start,
  };
}

function validate(problem: TimetablingProblem): void {
  if (!Number.isInteger(problem.slotCount) || problem.slotCount < 1) throw new RangeError(`slotCount must be a whole number of at least 1, not ${problem.slotCount}`);
  if (problem.seatsPerSlot && problem.seatsPerSlot.length !== problem.slotCount) {
    throw new RangeError(`seatsPerSlot has ${problem.seatsPerSlot.length} numbers for ${problem.slotCount} slots`);
  }
}

/** The compiled worker beside this file; absent when this runs as TypeScript (jest). */
function workerScript(): string | null {
  if (typeof __dirname !== 'string') return null;
  const script = join(__dirname, 'search.worker.js');
  return existsSync(script) ? script : null;
}

function searchInWorker(script: string, input: SearchInput, onProgress: (bestPenalty: number) => void): Promise<SearchOutcome> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(script, { workerData: input });
    worker.on('message', (message: { kind: 'progress'; bestPenalty: number } | ({ kind: 'done' } & SearchOutcome)) => {
      if (message.kind === 'progress') onProgress(message.bestPenalty);
      else resolve(message);
    });
    worker.on('error', reject);
    worker.on('exit', (code) => {
      if (code !== 0) reject(new Error(`The timetabling search thread stopped with code ${code}`));
    });
  });
}
