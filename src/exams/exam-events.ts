import type { ExamRegistration } from './exam-registration.entity';

/** A student's registration for an attempt at an exam component. */
interface RegistrationFact {
  registrationId: string;
  studentId: string;
  /** The enrolment in the course that entitles the student to the attempt. */
  enrolmentId: string;
  courseId: string;
  componentId: string;
  attempt: number;
  at: Date;
}

/** A student registered for a resit (attempt 2 or more) that costs a fee: invoicing bills it. */
export interface ResitRegistered extends RegistrationFact {
  feeCents: number;
}

/**
 * A registration ended before its sitting was held: withdrawn by the student or the exam office,
 * or with its sitting or its enrolment cancelled. Invoicing takes a resit fee back.
 */
export interface RegistrationWithdrawn extends RegistrationFact {
  /** The resit fee the registration carried, null when none. */
  feeCents: number | null;
  reason: 'withdrawn' | 'sitting_cancelled' | 'enrolment_cancelled';
}

/** The event for a registration just withdrawn. */
export function registrationWithdrawn(registration: ExamRegistration, reason: RegistrationWithdrawn['reason']): RegistrationWithdrawn {
  const { id: registrationId, studentId, enrolmentId, courseId, componentId, attempt, feeCents } = registration;
  return { registrationId, studentId, enrolmentId, courseId, componentId, attempt, feeCents, reason, at: registration.cancelledAt ?? new Date() };
}

declare module '../events/domain-events' {
  interface DomainEventMap {
    'exam.resit_registered': ResitRegistered;
    'exam.registration_withdrawn': RegistrationWithdrawn;
  }
}
