export const ROLES = ['admin', 'planner', 'advisor', 'coordinator', 'finance', 'teacher', 'student'] as const;
export type Role = (typeof ROLES)[number];

/** The back-office staff: everyone but teachers and students. */
export const STAFF: Role[] = ['admin', 'planner', 'advisor', 'coordinator', 'finance'];
