import { parseTorontoInstance, TorontoFormatError } from './toronto-reader';

const COURSES = '0001 2\n0002 2\n0003 1\n';
const STUDENTS = '0001 0002\n0001\n0002 0003\n';

function failure(courses: string, students: string): TorontoFormatError {
  try {
    parseTorontoInstance(courses, students, 'x.crs', 'x.stu');
  } catch (error) {
    if (error instanceof TorontoFormatError) return error;
    throw error;
  }
  throw new Error('expected a TorontoFormatError');
}

describe('Toronto reader', () => {
  it('reads exams with their students, numbering students by line', () => {
    const { problem, studentCount } = parseTorontoInstance(COURSES, STUDENTS);
    expect(studentCount).toBe(3);
    expect(problem.exams).toEqual([
      { id: '0001', students: [0, 1] },
      { id: '0002', students: [0, 2] },
      { id: '0003', students: [2] },
    ]);
  });

  it('reads CRLF files as it reads LF files, with or without a final line ending', () => {
    const crlf = parseTorontoInstance(COURSES.replace(/\n/g, '\r\n'), STUDENTS.replace(/\n/g, '\r\n').trimEnd());
    expect(crlf).toEqual(parseTorontoInstance(COURSES, STUDENTS));
  });

  it('skips blank lines: they are not students (the published tre-s-92.stu ends with two)', () => {
    const { studentCount, problem } = parseTorontoInstance(COURSES, `0001 0002\r\n\r\n   \r\n0001\r\n0002 0003\r\n\r\n`);
    expect(studentCount).toBe(3);
    expect(problem.exams[0].students).toEqual([0, 1]);
  });

  it('matches ids as numbers, so 42 and 0042 are the same exam', () => {
    const { problem } = parseTorontoInstance('0042 1\n', '42\n');
    expect(problem.exams).toEqual([{ id: '0042', students: [0] }]);
  });

  it('refuses an exam id that is not in the .crs, naming the file and line', () => {
    const error = failure(COURSES, '0001\n0002 0009\n');
    expect(error.message).toBe('x.stu:2: exam 0009 is not in x.crs');
    expect([error.file, error.line]).toEqual(['x.stu', 2]);
  });

  it('refuses a token that is not a whole number in either file', () => {
    expect(failure(COURSES, '0001 0002\r\n0001 O003\r\n').message).toBe('x.stu:2: exam id "O003" is not a whole number');
    expect(failure('0001 2\n0002 two\n', STUDENTS).message).toBe('x.crs:2: enrolment "two" is not a whole number');
    expect(failure('0001 2\n-2 3\n', STUDENTS).message).toBe('x.crs:2: exam id "-2" is not a whole number');
  });

  it('refuses a .crs line that is not "exam_id enrolment", an exam listed twice and a .crs without exams', () => {
    expect(failure('0001 2\n0002\n', STUDENTS).message).toBe('x.crs:2: expected "exam_id enrolment", found "0002"');
    expect(failure('0001 2\n0001 3\n', STUDENTS).message).toBe('x.crs:2: exam 0001 is listed twice');
    expect(failure('\r\n', STUDENTS).message).toBe('x.crs:1: no exams');
  });
});
