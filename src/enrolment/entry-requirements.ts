import type { PriorEducationLevel } from '../catalogue/course-attributes';
import { type Locale } from '../kernel/locale';
import type { EducationLevel } from './education-level';

/** The prior education levels that meet each minimum the catalogue can set. */
const MEETS: Record<PriorEducationLevel, readonly EducationLevel[]> = {
  hbo_level_intake: ['hbo_level_intake', 'hbo_bachelor', 'wo_bachelor', 'hbo_master', 'wo_master'],
  hbo_bachelor: ['hbo_bachelor', 'wo_bachelor', 'hbo_master', 'wo_master'],
  wo_bachelor: ['wo_bachelor', 'hbo_master', 'wo_master'],
  wo_master: ['wo_master'],
};

export const REQUIREMENT_LABELS: Record<PriorEducationLevel, Record<Locale, string>> = {
  hbo_level_intake: { nl: 'hbo-werk- en denkniveau (vast te stellen in een intake)', en: 'bachelor working level (shown in an intake)' },
  hbo_bachelor: { nl: 'een hbo-bachelor', en: 'a bachelor of applied sciences (hbo)' },
  wo_bachelor: { nl: 'een wo-bachelor', en: 'a university bachelor' },
  wo_master: { nl: 'een wo-master', en: 'a university master' },
};

export interface EntryRequirements {
  minimumPriorEducation: PriorEducationLevel;
  prerequisiteCourseIds: readonly string[];
}

export interface EntryCheck {
  /** True: meets the minimum level; false: does not; null: the level is not known. */
  levelMet: boolean | null;
  missingPrerequisiteIds: string[];
}

/** Whether a student with this level, who completed these courses, may enter a course. */
export function checkEntry(course: EntryRequirements, level: EducationLevel | null | undefined, completedCourseIds: ReadonlySet<string>): EntryCheck {
  return {
    levelMet: level ? MEETS[course.minimumPriorEducation].includes(level) : null,
    missingPrerequisiteIds: course.prerequisiteCourseIds.filter((id) => !completedCourseIds.has(id)),
  };
}

export const entryMet = (check: EntryCheck) => check.levelMet === true && check.missingPrerequisiteIds.length === 0;

/**
 * Whether an intake must decide admission because the records cannot: the student's level is
 * not recorded, or the course asks for hbo working level (which an intake can show) and the
 * recorded level is below it. Missing earlier courses, or a known level short of a degree the
 * course asks for, are not for an intake to change: those stay refused.
 */
export const admissionDecides = (course: EntryRequirements, check: EntryCheck) => check.missingPrerequisiteIds.length === 0 && intakeDecidesLevel(course, check);

/** Whether an intake can settle the level: none is recorded, or it is below the hbo working level an intake can show. */
export const intakeDecidesLevel = (course: EntryRequirements, check: EntryCheck) =>
  check.levelMet === null || (check.levelMet === false && course.minimumPriorEducation === 'hbo_level_intake');

/** Whether the level alone shuts a student out: known, short of the minimum, and not for an intake to settle. */
export const levelRefuses = (course: EntryRequirements, check: EntryCheck) => check.levelMet === false && !intakeDecidesLevel(course, check);

/**
 * The level to record when an intake admits the student, from the level the advisor gives or
 * else the recorded one: kept when it meets the minimum; an intake for hbo working level proved
 * that level; null when the course asks for a degree the level does not show.
 */
export function admittedLevel(minimum: PriorEducationLevel, level: EducationLevel | null | undefined): EducationLevel | null {
  if (level && MEETS[minimum].includes(level)) return level;
  return minimum === 'hbo_level_intake' ? 'hbo_level_intake' : null;
}
