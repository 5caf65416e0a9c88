import type { EnrolmentStatus } from './enrolment.entity';

/**
 * What enrolment tells the other modules, in the transaction of the change (see
 * `DomainEvents`). Invoicing bills from these, exams and diplomas follow completion.
 */
interface EnrolmentFact {
  enrolmentId: string;
  studentId: string;
  editionId: string;
  courseId: string;
  at: Date;
}

/** A seat became final: the student is enrolled, with the tuition as agreed. Not raised for the new enrolment of a transfer. */
export interface EnrolmentConfirmed extends EnrolmentFact {
  billingPartyId: string | null;
  tuitionCents: number;
  purchaseOrder: string | null;
}

/** A live enrolment was cancelled; a seat cancelled late owes `cancellationFeeCents`. */
export interface EnrolmentCancelled extends EnrolmentFact {
  billingPartyId: string | null;
  cancellationFeeCents: number | null;
  /** Whether the seat was final; a waitlisted or received one never owed tuition. */
  wasEnrolled: boolean;
}

/** The enrolment moved to another edition of the course: `enrolmentId` ended, `toEnrolmentId` carries on. */
export interface EnrolmentTransferred extends EnrolmentFact {
  toEnrolmentId: string;
  toEditionId: string;
  billingPartyId: string | null;
  /** The tuition of the new edition, and whether its seat is final (not waitlisted or pending admission). */
  tuitionCents: number;
  seated: boolean;
}

/**
 * Who pays for the enrolment was set or changed; with its billable terms as they are now, so
 * that what was not billed for want of a billing party can be, and what is not yet invoiced
 * goes to the new one.
 */
export interface EnrolmentBillingPartyChanged extends EnrolmentFact {
  previousBillingPartyId: string | null;
  billingPartyId: string;
  purchaseOrder: string | null;
  status: EnrolmentStatus;
  tuitionCents: number;
  cancellationFeeCents: number | null;
}

export type EnrolmentNotAdmitted = EnrolmentFact;

/** Every exam component passed: the course is completed, with its final grade where the course gives one. */
export interface EnrolmentCompleted extends EnrolmentFact {
  finalGrade: number | null;
}

/** A completed enrolment was reopened, because a result it rested on was corrected. */
export interface EnrolmentReopened extends EnrolmentFact {
  reason: string;
}

declare module '../events/domain-events' {
  interface DomainEventMap {
    'enrolment.confirmed': EnrolmentConfirmed;
    'enrolment.cancelled': EnrolmentCancelled;
    'enrolment.transferred': EnrolmentTransferred;
    'enrolment.billing_party_changed': EnrolmentBillingPartyChanged;
    'enrolment.not_admitted': EnrolmentNotAdmitted;
    'enrolment.completed': EnrolmentCompleted;
    'enrolment.reopened': EnrolmentReopened;
  }
}
