import type { MailLocale } from './templates/mail-templates';

/** What staff are told about. Add a kind here (with its labels) when a module has a new one. */
export const STAFF_NOTIFICATION_KINDS = [
  'enrolment_received',
  'admission_decision_needed',
  'advice_requested',
  'enrolment_cancelled',
  'mail_failed',
  'payment_unmatched',
  'exam_results_waiting',
] as const;
export type StaffNotificationKind = (typeof STAFF_NOTIFICATION_KINDS)[number];

export const NOTIFICATION_DELIVERIES = ['immediate', 'digest'] as const;
/** At once, one mail per event; or bundled into the digest at the end of the working day. */
export type NotificationDelivery = (typeof NOTIFICATION_DELIVERIES)[number];

/**
 * How a kind is delivered until a staff member chooses otherwise. Frequent kinds go to the
 * digest, so that a busy enrolment day is one mail, not one per student; rare ones that need
 * someone soon (an applicant waiting for an admission decision, a mail that did not arrive, a
 * payment or results waiting for a decision) come at once.
 */
export const DEFAULT_DELIVERY: Record<StaffNotificationKind, NotificationDelivery> = {
  enrolment_received: 'digest',
  admission_decision_needed: 'immediate',
  advice_requested: 'digest',
  enrolment_cancelled: 'digest',
  mail_failed: 'immediate',
  payment_unmatched: 'immediate',
  exam_results_waiting: 'immediate',
};

/** Labels per locale: one event (the subject of a notification), several (a heading in the digest). */
export const KIND_LABELS: Record<StaffNotificationKind, Record<MailLocale, { one: string; many: string }>> = {
  enrolment_received: {
    nl: { one: 'Nieuwe aanmelding', many: 'Nieuwe aanmeldingen' },
    en: { one: 'New enrolment', many: 'New enrolments' },
  },
  admission_decision_needed: {
    nl: { one: 'Toelatingsbesluit nodig', many: 'Aanmeldingen die op een toelatingsbesluit wachten' },
    en: { one: 'Admission decision needed', many: 'Applications awaiting an admission decision' },
  },
  advice_requested: {
    nl: { one: 'Adviesaanvraag', many: 'Adviesaanvragen' },
    en: { one: 'Advice requested', many: 'Advice requests' },
  },
  enrolment_cancelled: {
    nl: { one: 'Afmelding', many: 'Afmeldingen' },
    en: { one: 'Enrolment cancelled', many: 'Cancelled enrolments' },
  },
  mail_failed: {
    nl: { one: 'Mail niet bezorgd', many: 'Niet bezorgde mails' },
    en: { one: 'Mail not delivered', many: 'Undelivered mails' },
  },
  payment_unmatched: {
    nl: { one: 'Betaling niet gekoppeld', many: 'Niet gekoppelde betalingen' },
    en: { one: 'Unmatched payment', many: 'Unmatched payments' },
  },
  exam_results_waiting: {
    nl: { one: 'Examenresultaten wachten op publicatie', many: 'Examenresultaten die wachten op publicatie' },
    en: { one: 'Exam results awaiting publication', many: 'Exam results awaiting publication' },
  },
};
