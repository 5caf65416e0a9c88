import type { TimetablingProblem } from './model';

/**
 * Exams as a weighted graph in compressed sparse row form: the neighbours of exam `e` are
 * `neighbours[offsets[e] … offsets[e+1]-1]`, and `shared[k]` is the number of students exam
 * `e` shares with `neighbours[k]`. Flat typed arrays keep the search's inner loop free of
 * objects and allocation.
 */
export interface ConflictGraph {
  examCount: number;
  /** Students with at least one exam: the divisor of the spread penalty. */
  studentCount: number;
  /** Students per exam. */
  sizes: Int32Array;
  offsets: Int32Array;
  neighbours: Int32Array;
  shared: Int32Array;
}

export function conflictGraphOf(problem: TimetablingProblem): ConflictGraph {
  if ('conflicts' in problem) {
    const sizes = Int32Array.from(problem.exams, (exam) => exam.size);
    const pairs = new Map<number, number>();
    const n = problem.exams.length;
    for (const { first, second, students } of problem.conflicts) {
      if (!Number.isInteger(first) || !Number.isInteger(second) || first < 0 || second < 0 || first >= n || second >= n || first === second) {
        throw new RangeError(`A conflict names exams ${first} and ${second}: expected two different indexes below ${n}`);
      }
      if (students <= 0) continue;
      const key = Math.min(first, second) * n + Math.max(first, second);
      pairs.set(key, (pairs.get(key) ?? 0) + students);
    }
    return fromPairs(n, problem.studentCount, sizes, pairs);
  }
  return fromStudentLists(problem.exams.map((exam) => exam.students));
}

/** A student taking several exams links each pair of them once, however often an id repeats. */
function fromStudentLists(studentsPerExam: readonly (readonly number[])[]): ConflictGraph {
  const n = studentsPerExam.length;
  const examsOfStudent = new Map<number, number[]>();
  const sizes = new Int32Array(n);
  studentsPerExam.forEach((students, exam) => {
    for (const student of students) {
      let exams = examsOfStudent.get(student);
      if (!exams) examsOfStudent.set(student, (exams = []));
      if (exams[exams.length - 1] !== exam) {
        exams.push(exam);
        sizes[exam]++;
      }
    }
  });
  const pairs = new Map<number, number>();
  for (const exams of examsOfStudent.values()) {
    for (let i = 0; i < exams.length; i++) {
      for (let j = i + 1; j < exams.length; j++) {
        const key = exams[i] * n + exams[j];
        pairs.set(key, (pairs.get(key) ?? 0) + 1);
      }
    }
  }
  return fromPairs(n, examsOfStudent.size, sizes, pairs);
}

function fromPairs(n: number, studentCount: number, sizes: Int32Array, pairs: Map<number, number>): ConflictGraph {
  const degree = new Int32Array(n + 1);
  for (const key of pairs.keys()) {
    degree[Math.floor(key / n)]++;
    degree[key % n]++;
  }
  const offsets = new Int32Array(n + 1);
  for (let e = 0; e < n; e++) offsets[e + 1] = offsets[e] + degree[e];
  const fill = offsets.slice(0, n);
  const neighbours = new Int32Array(offsets[n]);
  const shared = new Int32Array(offsets[n]);
  for (const [key, students] of pairs) {
    const a = Math.floor(key / n);
    const b = key % n;
    neighbours[fill[a]] = b;
    shared[fill[a]++] = students;
    neighbours[fill[b]] = a;
    shared[fill[b]++] = students;
  }
  return { examCount: n, studentCount, sizes, offsets, neighbours, shared };
}
