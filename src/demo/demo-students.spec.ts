import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { CreateBillingPartyDto } from '../enrolment/dto/billing-party.dto';
import { CreateStudentDto } from '../enrolment/dto/student.dto';
import { DEMO_EMPLOYERS, DEMO_ENROLMENTS, DEMO_STUDENTS } from './demo-students';

// The seed calls the services directly, past the API's validation: the data must pass it anyway.
const problems = (type: new () => object, input: object) =>
  validateSync(plainToInstance(type, input), { whitelist: true, forbidNonWhitelisted: true }).map((error) => error.toString());

describe('demo students', () => {
  it('are valid as the API would take them', () => {
    expect(DEMO_STUDENTS.flatMap((student) => problems(CreateStudentDto, student))).toEqual([]);
    expect(DEMO_EMPLOYERS.flatMap((employer) => problems(CreateBillingPartyDto, employer))).toEqual([]);
  });

  it('have unique email addresses', () => {
    expect(new Set(DEMO_STUDENTS.map((student) => student.email)).size).toBe(DEMO_STUDENTS.length);
    expect(DEMO_STUDENTS).toHaveLength(44);
  });

  it('enrol only known students, each once per edition', () => {
    const known = new Set(DEMO_STUDENTS.map((student) => student.email.split('@')[0]));
    for (const [, keys] of DEMO_ENROLMENTS) {
      expect(keys.filter((key) => !known.has(key))).toEqual([]);
      expect(new Set(keys).size).toBe(keys.length);
    }
  });

  it('fill one edition past its 16 seats and leave one below its minimum of 8', () => {
    const sizes = Object.fromEntries(DEMO_ENROLMENTS.map(([code, keys]) => [code, keys.length]));
    expect(sizes.PCZ).toBe(19);
    expect(sizes.RMED).toBe(5);
  });
});
