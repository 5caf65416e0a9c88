/**
 * Levels of prior education a student can have. The catalogue's entry requirements name
 * four of them; the others (below the bachelor, or a master) are needed to say who meets them.
 */
export const EDUCATION_LEVELS = ['mbo', 'hbo_associate', 'hbo_level_intake', 'hbo_bachelor', 'wo_bachelor', 'hbo_master', 'wo_master', 'other'] as const;
export type EducationLevel = (typeof EDUCATION_LEVELS)[number];
