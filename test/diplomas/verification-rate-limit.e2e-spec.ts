import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { RateLimiter } from '../../src/diplomas/verification/rate-limiter';

/** Two limiters, each with a pool of its own (as two API processes have), on the test database. */
describe('The verification rate limit, counted in PostgreSQL', () => {
  let pools: DataSource[];

  beforeAll(async () => {
    pools = [0, 1].map(() => new DataSource({ type: 'postgres', url: process.env.REGISTRAR_TEST_DATABASE_URL!, poolSize: 10 }));
    await Promise.all(pools.map((pool) => pool.initialize()));
  });
  afterAll(() => Promise.all(pools.map((pool) => pool.destroy())));

  it('lets no more than the limit through when both processes are asked at once', async () => {
    const [a, b] = pools.map((pool) => new RateLimiter(pool, 5));
    const address = `test-${randomUUID()}`;
    const answers = await Promise.all(Array.from({ length: 24 }, (_, i) => (i % 2 ? a : b).take(address)));
    expect(answers.filter((wait) => wait === undefined)).toHaveLength(5);
    for (const wait of answers.filter((w) => w !== undefined)) expect(wait).toBeGreaterThan(0);
    expect(await a.take(`test-${randomUUID()}`)).toBeUndefined();
  });

  it('starts a new window when the last one has ended, and says how long is left of the current one', async () => {
    const [a, b] = pools.map((pool) => new RateLimiter(pool, 2, 60));
    const address = `test-${randomUUID()}`;
    expect([await a.take(address), await b.take(address)]).toEqual([undefined, undefined]);
    const wait = await a.take(address);
    expect(wait).toBeGreaterThanOrEqual(59);
    expect(wait).toBeLessThanOrEqual(60);
    await pools[0].query(`UPDATE verification_throttle SET window_ends_at = now() + interval '15 seconds' WHERE address = $1`, [address]);
    expect(await b.take(address)).toBeLessThanOrEqual(15);
    await pools[0].query(`UPDATE verification_throttle SET window_ends_at = now() - interval '1 second' WHERE address = $1`, [address]);
    expect(await b.take(address)).toBeUndefined();
    const [row] = await pools[0].query(`SELECT requests FROM verification_throttle WHERE address = $1`, [address]);
    expect(row.requests).toBe(1);
  });

  it('clears addresses idle for an hour', async () => {
    const stale = `test-${randomUUID()}`;
    await pools[0].query(`INSERT INTO verification_throttle (address, requests, window_ends_at) VALUES ($1, 7, now() - interval '2 hours')`, [stale]);
    await new RateLimiter(pools[1], 5).take(`test-${randomUUID()}`);
    expect(await pools[0].query(`SELECT 1 FROM verification_throttle WHERE address = $1`, [stale])).toEqual([]);
  });
});
