import { conflictGraphOf } from './conflict-graph';
import { constructTimetable } from './construction';
import { KempeSearch, OVER_CAPACITY } from './kempe-search';
import { Random } from './random';
import { clashingPairs, totalPenalty } from './spread-penalty';
import { verifyTimetable } from './verify-timetable';

/** 60 exams, 300 students with 2 to 5 exams each, from a fixed seed. */
function randomExams(seed: number): { id: string; students: number[] }[] {
  const random = new Random(seed);
  const exams = Array.from({ length: 60 }, (_, exam) => ({ id: `E${exam}`, students: [] as number[] }));
  for (let student = 0; student < 300; student++) {
    const count = 2 + random.below(4);
    for (let i = 0; i < count; i++) exams[random.below(exams.length)].students.push(student);
  }
  return exams;
}

describe('Kempe chain search', () => {
  const exams = randomExams(7);
  const graph = conflictGraphOf({ exams, slotCount: 14 });
  const initial = constructTimetable(graph, 14, null, performance.now() + 2000, new Random(1)).slots;

  it('starts from a clash-free construction of every exam', () => {
    expect(Array.from(initial).every((slot) => slot >= 0 && slot < 14)).toBe(true);
    expect(clashingPairs(graph, initial)).toBe(0);
  });

  it('computes each move’s change as a full recount does, and keeps every timetable clash-free', () => {
    const search = new KempeSearch(graph, 14, null, initial);
    const random = new Random(2024);
    const before = new Int32Array(exams.length);
    const wrong: string[] = [];
    let longest = 0;
    for (let move = 0; move < 1000; move++) {
      const exam = random.below(exams.length);
      let to = random.below(13);
      if (to >= search.slots[exam]) to++;
      before.set(search.slots);
      search.applyChain(search.kempeChain(exam, to));
      longest = Math.max(longest, before.filter((slot, e) => slot !== search.slots[e]).length);
      const recount = totalPenalty(graph, search.slots);
      if (search.slots[exam] !== to || search.penalty !== recount || clashingPairs(graph, search.slots) > 0) {
        wrong.push(`move ${move}: exam ${exam} to ${to}, penalty ${search.penalty}, recount ${recount}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(longest).toBeGreaterThan(2);
    const check = verifyTimetable(
      exams.map((exam) => exam.students),
      Array.from(search.slots),
      14,
    );
    expect(check.feasible).toBe(true);
    expect(check.cost * graph.studentCount).toBeCloseTo(search.penalty, 6);
  });

  it('refuses a chain that would overfill a slot’s seats', () => {
    const pair = conflictGraphOf({ exams: [{ id: 'A', students: [1, 2, 3] }, { id: 'B', students: [4] }], slotCount: 2 });
    const search = new KempeSearch(pair, 2, Float64Array.of(3, 3), Int32Array.of(0, 1));
    expect(search.kempeChain(1, 0)).toBe(OVER_CAPACITY);
    expect(search.kempeChain(0, 1)).toBe(OVER_CAPACITY);
  });

  it('anneals to a lower penalty and keeps the best timetable it met', () => {
    const search = new KempeSearch(graph, 14, null, initial);
    const start = search.penalty;
    search.anneal(new Random(5), performance.now() + 5000, 20_000, () => undefined);
    expect(search.bestPenalty).toBeLessThan(start);
    expect(totalPenalty(graph, search.best)).toBe(search.bestPenalty);
    expect(clashingPairs(graph, search.best)).toBe(0);
  });
});
