import { readFile } from 'node:fs/promises';
import type { StudentListProblem } from './model';

/**
 * The Toronto benchmark's files (Carter, Laporte and Lee 1996). `NAME.crs` has a line
 * `exam_id enrolment` per exam; `NAME.stu` a line per student with the ids of that student's
 * exams. Either line ending is read. A blank line in `.stu` is not a student (the published
 * files have some, and their student counts leave them out), so it is skipped rather than
 * refused; a repeated id on one line counts once. Anything else that is not a number, and an
 * exam id the `.crs` does not list, is refused with its file and line.
 */
export class TorontoFormatError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    problem: string,
  ) {
    super(`${file}:${line}: ${problem}`);
    this.name = 'TorontoFormatError';
  }
}

export interface TorontoInstance {
  /** Exam ids as written in the `.crs`, with their students (numbered by `.stu` line). */
  problem: Omit<StudentListProblem, 'slotCount'>;
  studentCount: number;
}

export async function readTorontoInstance(prefix: string): Promise<TorontoInstance> {
  const [courses, students] = await Promise.all([readFile(`${prefix}.crs`, 'latin1'), readFile(`${prefix}.stu`, 'latin1')]);
  return parseTorontoInstance(courses, students, `${prefix}.crs`, `${prefix}.stu`);
}

export function parseTorontoInstance(courses: string, students: string, coursesFile = 'courses.crs', studentsFile = 'students.stu'): TorontoInstance {
  const exams: { id: string; students: number[] }[] = [];
  const examByNumber = new Map<number, number>();
  lines(courses).forEach((text, index) => {
    const tokens = text.trim().split(/\s+/);
    if (tokens[0] === '') return;
    if (tokens.length !== 2) throw new TorontoFormatError(coursesFile, index + 1, `expected "exam_id enrolment", found "${text.trim()}"`);
    const id = numberOf(tokens[0], coursesFile, index + 1, 'exam id');
    numberOf(tokens[1], coursesFile, index + 1, 'enrolment');
    if (examByNumber.has(id)) throw new TorontoFormatError(coursesFile, index + 1, `exam ${tokens[0]} is listed twice`);
    examByNumber.set(id, exams.length);
    exams.push({ id: tokens[0], students: [] });
  });
  if (exams.length === 0) throw new TorontoFormatError(coursesFile, 1, 'no exams');
  let studentCount = 0;
  lines(students).forEach((text, index) => {
    const tokens = text.trim().split(/\s+/);
    if (tokens[0] === '') return;
    const student = studentCount++;
    for (const token of tokens) {
      const exam = examByNumber.get(numberOf(token, studentsFile, index + 1, 'exam id'));
      if (exam === undefined) throw new TorontoFormatError(studentsFile, index + 1, `exam ${token} is not in ${coursesFile}`);
      exams[exam].students.push(student);
    }
  });
  return { problem: { exams }, studentCount };
}

function lines(text: string): string[] {
  return text.split(/\r\n|\n|\r/);
}

/** Ids are compared as numbers, so `0042` in one file matches `42` in the other. */
function numberOf(token: string, file: string, line: number, what: string): number {
  if (!/^\d+$/.test(token)) throw new TorontoFormatError(file, line, `${what} "${token}" is not a whole number`);
  return Number(token);
}
