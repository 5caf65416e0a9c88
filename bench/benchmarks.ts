import type { Benchmark } from './harness';
import { apiBenchmark } from './api.bench';
import { planningBenchmark } from './planning.bench';

/** Every benchmark by the name `npm run bench -- <name>` takes. Add new ones here. */
export const BENCHMARKS: Record<string, Benchmark> = {
  api: apiBenchmark,
  planning: planningBenchmark,
};
