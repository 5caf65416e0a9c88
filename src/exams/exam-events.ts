/** A student registered for a resit that costs a fee: invoicing bills it. */
export interface ResitRegistered {
  registrationId: string;
  studentId: string;
  /** The enrolment in the course that entitles the student to the attempt. */
  enrolmentId: string;
  courseId: string;
  componentId: string;
  /** 2 or more. */
  attempt: number;
  feeCents: number;
  at: Date;
}

declare module '../events/domain-events' {
  interface DomainEventMap {
    'exam.resit_registered': ResitRegistered;
  }
}
