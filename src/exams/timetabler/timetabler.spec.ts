import { resolve } from 'node:path';
import { conflictGraphOf } from './conflict-graph';
import { constructTimetable } from './construction';
import { Random } from './random';
import { clashingPairs } from './spread-penalty';
import { solveTimetable } from './timetabler';
import { readTorontoInstance } from './toronto-reader';
import { verifyTimetable } from './verify-timetable';

const HEC92 = resolve(process.cwd(), '..', 'shared', 'bench-data', 'toronto', 'hec-s-92');

describe('exam timetabler', () => {
  it('fits hec-s-92 into its 18 slots, where saturation order alone needs 19', async () => {
    const { problem } = await readTorontoInstance(HEC92);
    const graph = conflictGraphOf({ ...problem, slotCount: 18 });
    const { slots, reasons } = constructTimetable(graph, 18, null, performance.now() + 3000, new Random(1));
    expect(reasons.size).toBe(0);
    expect(Math.max(...slots)).toBeLessThan(18);
    expect(Math.min(...slots)).toBe(0);
    expect(clashingPairs(graph, slots)).toBe(0);
  });

  it('solves hec-s-92 clash-free within the limit, well below a first timetable, as the independent checker sees it', async () => {
    const { problem } = await readTorontoInstance(HEC92);
    const progress: (number | null)[] = [];
    const timetable = await solveTimetable(
      { ...problem, slotCount: 18 },
      { timeLimitMs: 1500, maxIterations: 60_000, workers: 0, onProgress: (p) => progress.push(p.bestCost) },
    );
    const check = verifyTimetable(
      problem.exams.map((exam) => exam.students),
      timetable.slots,
      18,
    );
    expect(check).toMatchObject({ feasible: true, clashes: 0, misplaced: 0 });
    expect(timetable.cost).toBeCloseTo(check.cost, 9);
    expect(timetable.unplaced).toEqual([]);
    expect(timetable.slotsUsed).toBe(18);
    expect(timetable.cost).toBeLessThan(12);
    expect(progress[0]).toBeNull();
  });

  it('gives the same timetable for the same seed and moves', async () => {
    const { problem } = await readTorontoInstance(HEC92);
    const run = (seed: number) => solveTimetable({ ...problem, slotCount: 18 }, { timeLimitMs: 10_000, maxIterations: 20_000, workers: 0, seed });
    const [first, again, other] = await Promise.all([run(3), run(3), run(4)]);
    expect(again.slots).toEqual(first.slots);
    expect(other.slots).not.toEqual(first.slots);
  });

  it('keeps each slot within its seats and names the exams that do not fit, with the reason', async () => {
    const exams = ['A', 'B', 'C', 'D'].map((id) => ({ id, size: 10 }));
    const fits = await solveTimetable({ exams, conflicts: [], studentCount: 40, slotCount: 2, seatsPerSlot: [20, 20] }, { timeLimitMs: 200, workers: 0 });
    expect(fits.unplaced).toEqual([]);
    expect(fits.slots.filter((slot) => slot === 0)).toHaveLength(2);

    const tight = await solveTimetable(
      { exams, conflicts: [{ first: 0, second: 1, students: 1 }], studentCount: 39, slotCount: 2, seatsPerSlot: [15, 10] },
      { timeLimitMs: 200, workers: 0 },
    );
    expect(tight.slots.filter((slot) => slot !== null)).toHaveLength(2);
    expect(tight.unplaced).toHaveLength(2);
    expect(tight.unplaced[0].reason).toMatch(/^no slot has 10 free seats$|lack 10 free seats/);
  });

  it('says why an exam that clashes with every slot is left out', async () => {
    const exams = [
      { id: 'A', students: [1] },
      { id: 'B', students: [1] },
      { id: 'C', students: [1] },
    ];
    const timetable = await solveTimetable({ exams, slotCount: 2 }, { timeLimitMs: 300, workers: 0 });
    expect(timetable.unplaced).toHaveLength(1);
    expect(timetable.unplaced[0].reason).toBe('no clash-free slot was found: of the 2 slots, 2 hold an exam that shares students with it');
    expect(verifyTimetable(exams.map((exam) => exam.students), timetable.slots, 2)).toMatchObject({ clashes: 0, misplaced: 1 });
  });

  it('refuses a slot count or seats that do not make sense', async () => {
    await expect(solveTimetable({ exams: [], slotCount: 0 }, { timeLimitMs: 10 })).rejects.toThrow('slotCount must be a whole number of at least 1, not 0');
    await expect(solveTimetable({ exams: [], slotCount: 2, seatsPerSlot: [5] }, { timeLimitMs: 10 })).rejects.toThrow('seatsPerSlot has 1 numbers for 2 slots');
  });
});
