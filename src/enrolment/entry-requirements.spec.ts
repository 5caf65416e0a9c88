import { admissionDecides, admittedLevel, checkEntry, type EntryRequirements, levelRefuses } from './entry-requirements';
import type { EducationLevel } from './education-level';

const intakeCourse: EntryRequirements = { minimumPriorEducation: 'hbo_level_intake', prerequisiteCourseIds: [] };
const bachelorCourse: EntryRequirements = { minimumPriorEducation: 'hbo_bachelor', prerequisiteCourseIds: [] };
const decides = (course: EntryRequirements, level: EducationLevel | null, completed: string[] = []) => admissionDecides(course, checkEntry(course, level, new Set(completed)));

describe('admission check', () => {
  it('is needed for an intake course when the level is below it or unknown', () => {
    for (const level of ['mbo', 'hbo_associate', 'other', null] as const) expect(decides(intakeCourse, level)).toBe(true);
  });

  it('is needed for any course when the level is not recorded', () => {
    expect(decides(bachelorCourse, null)).toBe(true);
    expect(decides({ minimumPriorEducation: 'wo_master', prerequisiteCourseIds: [] }, null)).toBe(true);
  });

  it('is not what decides a known level short of a degree, missing earlier courses, or requirements already met', () => {
    expect(decides(bachelorCourse, 'mbo')).toBe(false);
    expect(decides(bachelorCourse, 'hbo_level_intake')).toBe(false);
    expect(decides({ minimumPriorEducation: 'hbo_level_intake', prerequisiteCourseIds: ['basis'] }, null)).toBe(false);
    expect(decides({ minimumPriorEducation: 'hbo_level_intake', prerequisiteCourseIds: ['basis'] }, 'mbo')).toBe(false);
    expect(decides(intakeCourse, 'hbo_bachelor')).toBe(false);
    expect(decides({ minimumPriorEducation: 'hbo_level_intake', prerequisiteCourseIds: ['basis'] }, null, ['basis'])).toBe(true);
  });
});

describe('a level that refuses on its own', () => {
  it('is a known level short of a degree, never one an intake can settle or one not recorded', () => {
    const refuses = (course: EntryRequirements, level: EducationLevel | null) => levelRefuses(course, checkEntry(course, level, new Set()));
    expect(refuses(bachelorCourse, 'mbo')).toBe(true);
    expect(refuses(bachelorCourse, 'hbo_level_intake')).toBe(true);
    expect(refuses(intakeCourse, 'mbo')).toBe(false);
    expect(refuses(bachelorCourse, null)).toBe(false);
    expect(refuses(bachelorCourse, 'wo_bachelor')).toBe(false);
  });
});

describe('the level an admission records', () => {
  it('is the intake level for an intake course when the level given or recorded is below it', () => {
    expect(admittedLevel('hbo_level_intake', 'mbo')).toBe('hbo_level_intake');
    expect(admittedLevel('hbo_level_intake', null)).toBe('hbo_level_intake');
    expect(admittedLevel('hbo_level_intake', 'wo_bachelor')).toBe('wo_bachelor');
  });

  it('must meet a degree minimum, or there is none', () => {
    expect(admittedLevel('hbo_bachelor', 'wo_master')).toBe('wo_master');
    expect(admittedLevel('hbo_bachelor', 'hbo_level_intake')).toBeNull();
    expect(admittedLevel('wo_bachelor', undefined)).toBeNull();
  });
});
