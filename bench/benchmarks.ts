import type { Benchmark } from './harness';
import { apiBenchmark } from './api.bench';
import { planningBenchmark } from './planning.bench';
import { mailBenchmark } from './mail.bench';
import { adviceBenchmark } from './advice.bench';
import { enrolmentBenchmark } from './enrolment.bench';
import { timetablingBenchmark } from './timetabling.bench';
import { invoicingBenchmark } from './invoicing.bench';
import { diplomasBenchmark } from './diplomas.bench';

/** Every benchmark by the name `npm run bench -- <name>` takes. Add new ones here. */
export const BENCHMARKS: Record<string, Benchmark> = {
  api: apiBenchmark,
  planning: planningBenchmark,
  mail: mailBenchmark,
  advice: adviceBenchmark,
  enrolment: enrolmentBenchmark,
  timetabling: timetablingBenchmark,
  invoicing: invoicingBenchmark,
  diplomas: diplomasBenchmark,
};
