import type { PriorEducationLevel } from '../catalogue/course.entity';
import type { EducationLevel, Locale } from './student.entity';

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
