/**
 * An independent check of a timetable, written apart from the engine and sharing none of its
 * code: it walks the students one by one, as the benchmark's definition reads, rather than the
 * engine's conflict graph. The tests and the benchmark judge the engine with it.
 */
export interface TimetableCheck {
  /** Pairs of exams of one student in the same slot, counted per student. */
  clashes: number;
  /** Exams without a slot or with one outside 0 … slotCount-1. */
  misplaced: number;
  /** Slots whose exams seat more students than the slot has seats. */
  overfullSlots: number;
  /** Toronto cost: per student, 16/8/4/2/1 for each pair of their exams 1…5 slots apart. */
  cost: number;
  feasible: boolean;
}

export function verifyTimetable(
  studentsPerExam: readonly (readonly number[])[],
  slots: readonly (number | null)[],
  slotCount: number,
  seatsPerSlot?: readonly number[],
): TimetableCheck {
  const weights = [0, 16, 8, 4, 2, 1];
  const examsOfStudent = new Map<number, Set<number>>();
  let misplaced = 0;
  const seated = new Array<number>(slotCount).fill(0);
  studentsPerExam.forEach((students, exam) => {
    const slot = slots[exam];
    const valid = typeof slot === 'number' && Number.isInteger(slot) && slot >= 0 && slot < slotCount;
    if (!valid) misplaced++;
    for (const student of new Set(students)) {
      if (!examsOfStudent.has(student)) examsOfStudent.set(student, new Set());
      examsOfStudent.get(student)!.add(exam);
      if (valid) seated[slot]++;
    }
  });
  let clashes = 0;
  let penalty = 0;
  for (const exams of examsOfStudent.values()) {
    const taken = [...exams].map((exam) => slots[exam]).filter((slot): slot is number => typeof slot === 'number');
    for (let i = 0; i < taken.length; i++) {
      for (let j = i + 1; j < taken.length; j++) {
        const distance = Math.abs(taken[i] - taken[j]);
        if (distance === 0) clashes++;
        else if (distance < weights.length) penalty += weights[distance];
      }
    }
  }
  const overfullSlots = seatsPerSlot ? seated.filter((count, slot) => count > seatsPerSlot[slot]).length : 0;
  return {
    clashes,
    misplaced,
    overfullSlots,
    cost: examsOfStudent.size ? penalty / examsOfStudent.size : 0,
    feasible: clashes === 0 && misplaced === 0 && overfullSlots === 0,
  };
}
