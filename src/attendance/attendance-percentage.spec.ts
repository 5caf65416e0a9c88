import { attendanceSummary, meetsMinimum } from './attendance-percentage';

describe('attendance percentage', () => {
  const held = ['s1', 's2', 's3', 's4', 's5', 's6'];

  it('is the sessions present at over the sessions held', () => {
    expect(attendanceSummary(held, new Set(['s1', 's2', 's3']))).toEqual({ held: 6, present: 3, percent: 50 });
    expect(attendanceSummary(held, new Set(held))).toEqual({ held: 6, present: 6, percent: 100 });
  });

  it('rounds down to one decimal, so that just under a minimum never reads as meeting it', () => {
    // 5 of 6 = 83.33…%
    expect(attendanceSummary(held, new Set(['s1', 's2', 's3', 's4', 's5'])).percent).toBe(83.3);
    // 2 of 3 = 66.66…%
    expect(attendanceSummary(['a', 'b', 'c'], new Set(['a', 'b'])).percent).toBe(66.6);
  });

  it('counts presence only at sessions that were held (not a cancelled or future one)', () => {
    expect(attendanceSummary(['s1', 's2'], new Set(['s1', 'cancelled']))).toEqual({ held: 2, present: 1, percent: 50 });
  });

  it('has no percentage before any session was held', () => {
    expect(attendanceSummary([], new Set())).toEqual({ held: 0, present: 0, percent: null });
  });

  it('meets a minimum at or above it, never without a percentage, always without a minimum', () => {
    expect(meetsMinimum({ held: 5, present: 4, percent: 80 }, 80)).toBe(true);
    expect(meetsMinimum({ held: 6, present: 4, percent: 66.6 }, 80)).toBe(false);
    expect(meetsMinimum({ held: 0, present: 0, percent: null }, 80)).toBe(false);
    expect(meetsMinimum({ held: 0, present: 0, percent: null }, null)).toBe(true);
  });
});
