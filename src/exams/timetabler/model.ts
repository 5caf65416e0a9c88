/**
 * The exam timetabler's view of the problem: exams, the students they share, and a number of
 * slots. Nothing here knows about dates, rooms or the database; the exams module maps its
 * sittings onto this and back.
 */

/** An exam to place, with the students registered for it (any numbering, one number per student). */
export interface ExamWithStudents {
  id: string;
  students: readonly number[];
}

/** An exam given by its size only, for problems stated as a conflict matrix. */
export interface ExamWithSize {
  id: string;
  /** Students sitting the exam: what it takes of a slot's seats. */
  size: number;
}

/** Two exams (indexes into `exams`) that share `students` students. */
export interface SharedStudents {
  first: number;
  second: number;
  students: number;
}

interface SlotLimits {
  /** Timeslots 0 … slotCount-1; consecutive numbers are consecutive slots for the spread penalty. */
  slotCount: number;
  /**
   * Seats per slot (one number per slot): the students of all exams in a slot together may not
   * exceed it. Left out, slots are unlimited (the Toronto benchmark).
   */
  seatsPerSlot?: readonly number[];
}

export interface StudentListProblem extends SlotLimits {
  exams: readonly ExamWithStudents[];
}

export interface ConflictMatrixProblem extends SlotLimits {
  exams: readonly ExamWithSize[];
  conflicts: readonly SharedStudents[];
  /** The divisor of the spread penalty: the number of students with at least one exam. */
  studentCount: number;
}

export type TimetablingProblem = StudentListProblem | ConflictMatrixProblem;

export interface TimetablingProgress {
  elapsedMs: number;
  timeLimitMs: number;
  /** Best spread penalty so far (per student); null until every exam that can be placed is. */
  bestCost: number | null;
  phase: 'construction' | 'search';
}

export interface TimetablingOptions {
  /** Wall-clock budget for the whole run, construction included. */
  timeLimitMs: number;
  /** Same seed, same iteration budget, same timetable. */
  seed?: number;
  /**
   * Caps the local search at this many moves per search; the cooling then follows the moves
   * instead of the clock, so that a run is reproducible on any machine (as long as the time
   * limit does not cut it short).
   */
  maxIterations?: number;
  /**
   * Independent searches (seeds seed, seed+1, …) run in worker threads; the best one wins. By
   * default one per core, at most two. 0 runs one search on the calling thread, as happens
   * too where the compiled worker is not there (TypeScript under jest).
   */
  workers?: number;
  onProgress?: (progress: TimetablingProgress) => void;
}

export interface UnplacedExam {
  examId: string;
  reason: string;
}

export interface Timetable {
  /** Slot of each exam (in the order of the problem's exams), or null when it could not be placed. */
  slots: (number | null)[];
  /** Toronto spread penalty: per student, 16/8/4/2/1 for each pair of their exams 1…5 slots apart. */
  cost: number;
  /** Distinct slots that hold at least one exam. */
  slotsUsed: number;
  unplaced: UnplacedExam[];
  /** Moves the local search tried, over all searches. */
  iterations: number;
  elapsedMs: number;
}
