/** The languages the institute speaks with students, staff and customers. */
export const LOCALES = ['nl', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
