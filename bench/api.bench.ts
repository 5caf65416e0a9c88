import autocannon from 'autocannon';
import { startBenchApp } from './bench-app';
import { percentile, report } from './harness';

const CONNECTIONS = 20;
/**
 * The two routes take turns, a few seconds each, and each side's answers are pooled: a VM's
 * speed drifts by a tenth within a minute, and measured in one window each, that drift landed
 * on one side of the ratio only.
 */
const ROUNDS = 10;
const ROUND_SECONDS = 4;

interface Side {
  latencies: number[];
  requests: number;
  seconds: number;
  failures: number;
}

/**
 * One round of load on a route, with each answer's latency as measured: autocannon's own
 * percentiles cut latencies to whole milliseconds, which moves a ratio of p99s near 10 ms by a tenth.
 */
function load(url: string, headers: Record<string, string>, side: Side): Promise<void> {
  return new Promise((resolve, reject) => {
    const options = { url, headers, connections: CONNECTIONS, duration: ROUND_SECONDS, pipelining: 1 };
    autocannon(options, (error, result: autocannon.Result) => {
      if (error) return reject(error);
      side.requests += result.requests.total;
      side.seconds += result.duration;
      side.failures += result.non2xx + result.errors;
      resolve();
    }).on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode < 300) side.latencies.push(responseTime);
    });
  });
}

const side = (): Side => ({ latencies: [], requests: 0, seconds: 0, failures: 0 });

/**
 * An authenticated, paginated list endpoint (GET /users, with token verification, role
 * check, validation and the page query) against a bare public Nest route in the same process.
 */
export async function apiBenchmark(): Promise<void> {
  const bench = await startBenchApp();
  try {
    const token = await bench.signIn(['admin']);
    for (let i = 0; i < 40; i++) await bench.signIn(['planner']);
    const bareUrl = `${bench.baseUrl}/bench/bare`;
    const listUrl = `${bench.baseUrl}/users?pageSize=25`;
    const headers = { authorization: `Bearer ${token}` };
    // Warm-up of both routes, so neither side pays for JIT and pool start-up (the list opens the pool's connections).
    await autocannon({ url: bareUrl, duration: 2, connections: CONNECTIONS });
    await autocannon({ url: listUrl, headers, duration: 2, connections: CONNECTIONS });
    const bare = side();
    const list = side();
    for (let round = 0; round < ROUNDS; round++) {
      await load(bareUrl, {}, bare);
      await load(listUrl, headers, list);
    }
    if (list.failures > 0) throw new Error(`${list.failures} requests to /users failed`);
    report('api', 'requests_per_second', list.requests / list.seconds, 'req/s', bare.requests / bare.seconds);
    report('api', 'p50_latency', percentile(list.latencies, 50), 'ms', percentile(bare.latencies, 50));
    report('api', 'p99_latency', percentile(list.latencies, 99), 'ms', percentile(bare.latencies, 99));
  } finally {
    await bench.close();
  }
}
