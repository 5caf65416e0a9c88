import { RateLimiter } from './rate-limiter';

describe('the verification rate limiter', () => {
  it('allows the limit per address per window, then says how long to wait', () => {
    let now = 1_000_000;
    const limiter = new RateLimiter(3, 60_000, () => now);
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')]).toEqual([undefined, undefined, undefined]);
    expect(limiter.take('a')).toBe(60);
    expect(limiter.take('b')).toBeUndefined();
    now += 45_000;
    expect(limiter.take('a')).toBe(15);
    now += 15_000;
    expect(limiter.take('a')).toBeUndefined();
  });
});
