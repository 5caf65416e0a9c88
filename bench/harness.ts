/**
 * Benchmarks print one JSON line per metric. `baseline` is the same metric for a bare
 * reference measured in the same run, so `ratio` (value / baseline) means something on any
 * machine; a metric without a baseline prints null for both.
 */
export interface BenchMetric {
  bench: string;
  metric: string;
  value: number;
  unit: string;
  baseline: number | null;
  ratio: number | null;
}

export function report(bench: string, metric: string, value: number, unit: string, baseline: number | null = null): BenchMetric {
  const line: BenchMetric = {
    bench,
    metric,
    value: round(value),
    unit,
    baseline: baseline === null ? null : round(baseline),
    ratio: baseline ? round(value / baseline) : null,
  };
  process.stdout.write(`${JSON.stringify(line)}\n`);
  return line;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/** The p-th percentile (0–100) of a list of samples, nearest rank. */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

/** Peak resident set size of this process so far, in MB. */
export function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

export type Benchmark = () => Promise<void>;
