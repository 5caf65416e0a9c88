import type { Benchmark } from './harness';
import { apiBenchmark } from './api.bench';

/** Every benchmark by the name `npm run bench -- <name>` takes. Add new ones here. */
export const BENCHMARKS: Record<string, Benchmark> = {
  api: apiBenchmark,
};
