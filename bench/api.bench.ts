import autocannon from 'autocannon';
import { startBenchApp } from './bench-app';
import { percentile, report } from './harness';

const DURATION_SECONDS = 8;
const CONNECTIONS = 20;

/**
 * The load, with each answer's latency as measured: autocannon's own percentiles cut latencies
 * to whole milliseconds, which moves a ratio of p99s near 10 ms by a tenth.
 */
function load(url: string, headers: Record<string, string> = {}): Promise<{ result: autocannon.Result; latencies: number[] }> {
  const latencies: number[] = [];
  return new Promise((resolve, reject) => {
    const options = { url, headers, connections: CONNECTIONS, duration: DURATION_SECONDS, pipelining: 1 };
    autocannon(options, (error, result: autocannon.Result) => (error ? reject(error) : resolve({ result, latencies }))).on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode < 300) latencies.push(responseTime);
    });
  });
}

/**
 * An authenticated, paginated list endpoint (GET /users, with token verification, role
 * check, validation and a count query) against a bare public Nest route in the same process.
 */
export async function apiBenchmark(): Promise<void> {
  const bench = await startBenchApp();
  try {
    const token = await bench.signIn(['admin']);
    for (let i = 0; i < 40; i++) await bench.signIn(['planner']);
    // Warm-up of both routes, so neither side pays for JIT and pool start-up (the list opens the pool's connections).
    await autocannon({ url: `${bench.baseUrl}/bench/bare`, duration: 2, connections: CONNECTIONS });
    await autocannon({ url: `${bench.baseUrl}/users?pageSize=25`, headers: { authorization: `Bearer ${token}` }, duration: 2, connections: CONNECTIONS });
    const bare = await load(`${bench.baseUrl}/bench/bare`);
    const list = await load(`${bench.baseUrl}/users?pageSize=25`, { authorization: `Bearer ${token}` });
    const failures = list.result.non2xx + list.result.errors;
    if (failures > 0) throw new Error(`${failures} requests to /users failed`);
    report('api', 'requests_per_second', list.result.requests.average, 'req/s', bare.result.requests.average);
    report('api', 'p99_latency', percentile(list.latencies, 99), 'ms', percentile(bare.latencies, 99));
  } finally {
    await bench.close();
  }
}
