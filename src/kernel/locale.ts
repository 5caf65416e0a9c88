/** The languages the institute speaks with students, staff and customers. */
export const LOCALES = ['nl', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

/** A course's title in the reader's language: the Dutch title when the course has no English one. */
export function courseName(course: { courseTitleNl: string; courseTitleEn: string | null }, locale: Locale): string {
  return locale === 'en' ? (course.courseTitleEn ?? course.courseTitleNl) : course.courseTitleNl;
}
