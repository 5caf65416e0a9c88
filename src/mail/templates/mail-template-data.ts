/**
 * The data of every mail template (`templates/mail/<name>/template.json`), as TypeScript types,
 * so that a module that enqueues a mail with a wrong or missing variable fails the compiler.
 * `MailTemplates.load()` checks the same names against the folder at boot, and every render
 * still checks the data against the template's manifest.
 *
 * Optional variables (`"required": false`) may be left out or `null`. Instants are a Date or an
 * ISO instant; calendar days `YYYY-MM-DD`. Type aliases rather than interfaces, so that each is
 * also a `Record<string, unknown>` for the renderer.
 */
type Instant = Date | string;
type IsoDay = string;
type Optional<T> = T | null | undefined;

/** A session as the mails show it. */
export type MailedSessionData = {
  startsAt: Instant;
  endsAt: Instant;
  location: string;
  room: string | null;
};

/** What a student's mail about an edition always names. */
type EditionMail = {
  studentName: string;
  courseName: string;
  editionCode: string;
};

/** An exam sitting as the exam mails show it. */
export type MailedSittingData = {
  startsAt: Instant;
  endsAt: Instant;
  location: string;
  room: string | null;
};

/** What every mail to a student about a sitting names, with the student's special arrangements. */
type ExamMail = {
  studentName: string;
  courseName: string;
  componentName: string;
  sitting: MailedSittingData;
  extraTimeMinutes?: Optional<number>;
  separateRoom?: Optional<boolean>;
};

/** An invoice or credit note as its mails name it, to the billing party. */
type InvoiceMail = {
  recipientName: string;
  number: string;
  issueDate: IsoDay;
  dueDate: IsoDay;
  paymentReference: string;
  iban: string;
};

export interface MailTemplateData {
  'ceremony-invitation': {
    studentName: string;
    ceremonyTitle: string;
    startsAt: Instant;
    endsAt: Instant;
    place: string;
    address: string;
    programme: string;
    responseDeadline: Instant;
    maxGuests: number;
    answerUrl: string;
  };
  'diploma-issued': {
    studentName: string;
    courseName: string;
    diplomaNumber: string;
    issueDate: IsoDay;
    verificationUrl: string;
    reissue: boolean;
  };
  'exam-cancelled': ExamMail & { reason?: Optional<string> };
  'exam-changed': ExamMail & { previousSitting: MailedSittingData };
  'exam-invitation': ExamMail & { attempt: number; feeCents?: Optional<number> };
  'exam-registration-withdrawn': ExamMail;
  'exam-reminder': ExamMail;
  'exam-results-published': {
    studentName: string;
    courseName: string;
    componentName: string;
    result: string;
    passed: boolean;
    corrected: boolean;
    reason?: Optional<string>;
  };
  'invoice-issued': InvoiceMail & { creditNote: boolean; totalCents: number };
  'invoice-reminder': InvoiceMail & {
    second: boolean;
    notice: boolean;
    finalDemand: boolean;
    outstandingCents: number;
    payBy: IsoDay;
    collectionCostsCents?: Optional<number>;
  };
  advice: {
    applicantName: string;
    advisorName: string;
    personalNote?: Optional<string>;
    editions: { courseName: string; editionCode: string; startDate: IsoDay; location: string; priceCents: number; reasons: string[] }[];
    interestCourses?: Optional<{ courseName: string }[]>;
  };
  'course-interest-edition-opened': EditionMail & {
    startDate: IsoDay;
    location: string;
    sessionCount: number;
    priceCents: number;
    enrolUrl: string;
    enrolBefore?: Optional<IsoDay>;
  };
  'edition-cancelled': EditionMail & { startDate: IsoDay; alternatives: { editionCode: string; startDate: IsoDay; location: string }[] };
  'edition-confirmed': EditionMail & { startDate: IsoDay; sessions: MailedSessionData[] };
  'enrolment-cancelled': EditionMail & { startDate: IsoDay; cancellationFeeCents?: Optional<number> };
  'enrolment-confirmed': EditionMail & { sessions: MailedSessionData[]; tuitionCents?: Optional<number>; billingPartyName?: Optional<string> };
  'enrolment-not-admitted': EditionMail & { startDate: IsoDay };
  'enrolment-received': EditionMail & { startDate: IsoDay; location: string; receivedAt: Instant };
  'enrolment-waitlisted': EditionMail & { startDate: IsoDay; position: number };
  'go-no-go-proposal': {
    plannerName: string;
    courseName: string;
    editionCode: string;
    startDate: IsoDay;
    goNoGoDate: IsoDay;
    enrolledCount: number;
    minimumParticipants: number;
    capacity: number;
    decisionUrl: string;
  };
  'mail-test': { requestedBy: string; sentAt: Instant };
  'session-changed': EditionMail & { previousSession?: Optional<MailedSessionData>; newSession?: Optional<MailedSessionData>; reason?: Optional<string> };
  'staff-digest': { staffName: string; day: IsoDay; eventCount: number; groups: { kind: string; events: { summary: string; link: string; occurredAt: Instant }[] }[] };
  'staff-notification': { staffName: string; kind: string; summary: string; link: string; occurredAt: Instant };
  'teacher-session-changed': {
    teacherName: string;
    courseName: string;
    editionCode: string;
    previousSession?: Optional<MailedSessionData>;
    newSession?: Optional<MailedSessionData>;
    studentCount: number;
    reason?: Optional<string>;
  };
  'waitlist-promoted': EditionMail & { startDate: IsoDay; acceptBefore: Instant; acceptUrl: string };
}

export type MailTemplateName = keyof MailTemplateData;

/** Every template name, for the check at load that the types and the folder name the same templates. */
export const MAIL_TEMPLATE_NAMES = Object.keys({
  advice: true,
  'ceremony-invitation': true,
  'course-interest-edition-opened': true,
  'diploma-issued': true,
  'edition-cancelled': true,
  'edition-confirmed': true,
  'enrolment-cancelled': true,
  'enrolment-confirmed': true,
  'enrolment-not-admitted': true,
  'enrolment-received': true,
  'enrolment-waitlisted': true,
  'exam-cancelled': true,
  'exam-changed': true,
  'exam-invitation': true,
  'exam-registration-withdrawn': true,
  'exam-reminder': true,
  'exam-results-published': true,
  'go-no-go-proposal': true,
  'invoice-issued': true,
  'invoice-reminder': true,
  'mail-test': true,
  'session-changed': true,
  'staff-digest': true,
  'staff-notification': true,
  'teacher-session-changed': true,
  'waitlist-promoted': true,
} satisfies Record<MailTemplateName, true>) as MailTemplateName[];
