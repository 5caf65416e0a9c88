import { conflictGraphOf } from './conflict-graph';
import { clashingPairs, totalPenalty } from './spread-penalty';
import { verifyTimetable } from './verify-timetable';

/**
 * Exams A, B, C in slots 0, 1, 3. Student 0 takes A and B (1 apart: 16), student 1 A and C
 * (3 apart: 4), student 2 B and C (2 apart: 8), student 3 only A, student 4 A twice (one exam):
 * 28 over 5 students.
 */
const EXAMS = [
  { id: 'A', students: [0, 1, 3, 4, 4] },
  { id: 'B', students: [0, 2] },
  { id: 'C', students: [1, 2] },
];

describe('spread penalty', () => {
  it('weighs each pair of a student’s exams 16, 8, 4, 2, 1 by distance, per student', () => {
    const graph = conflictGraphOf({ exams: EXAMS, slotCount: 4 });
    expect(graph.studentCount).toBe(5);
    expect(Array.from(graph.sizes)).toEqual([4, 2, 2]);
    expect(totalPenalty(graph, Int32Array.of(0, 1, 3))).toBe(28);
    expect(verifyTimetable(EXAMS.map((exam) => exam.students), [0, 1, 3], 4)).toEqual({ clashes: 0, misplaced: 0, overfullSlots: 0, cost: 28 / 5, feasible: true });
  });

  it('counts nothing from six slots apart, and clashes separately', () => {
    const graph = conflictGraphOf({ exams: EXAMS, slotCount: 13 });
    expect(totalPenalty(graph, Int32Array.of(0, 6, 12))).toBe(0);
    expect(clashingPairs(graph, Int32Array.of(0, 0, 5))).toBe(1);
    expect(verifyTimetable(EXAMS.map((exam) => exam.students), [0, 0, 5], 13)).toMatchObject({ clashes: 1, feasible: false });
  });

  it('reads a conflict matrix the same as the student lists it comes from', () => {
    const graph = conflictGraphOf({
      exams: [
        { id: 'A', size: 4 },
        { id: 'B', size: 2 },
        { id: 'C', size: 2 },
      ],
      conflicts: [
        { first: 1, second: 0, students: 1 },
        { first: 0, second: 2, students: 1 },
        { first: 1, second: 2, students: 1 },
      ],
      studentCount: 5,
      slotCount: 4,
    });
    expect(totalPenalty(graph, Int32Array.of(0, 1, 3))).toBe(28);
  });
});
