import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Environment } from '../config/environment';
import { MailAttachmentInput, MailOutbox } from '../mail/mail-outbox.service';
import { StaffNotificationKinds } from '../mail/staff-notification-kinds';
import { StaffNotifications } from '../mail/staff-notifications.service';
import { EditionReadModel, MailedEdition, MailedEditionSession, type PlannedEdition } from '../planning/edition-read-model';
import type { MailTemplateData } from '../mail/templates/mail-template-data';
import { CalendarFeed, mailedCalendar } from '../planning/engine/calendar';
import { courseName } from '../kernel/locale';
import type { BillingParty } from './billing-party.entity';
import type { Enrolment } from './enrolment.entity';
import type { Student } from './student.entity';
import { fullName } from './student-name';

declare module '../mail/staff-notification-kinds' {
  interface StaffNotificationKindMap {
    enrolment_received: true;
    admission_decision_needed: true;
    enrolment_cancelled: true;
  }
}

/** The mails about one enrolment, to its student. */
type StudentEnrolmentMail = 'enrolment-confirmed' | 'enrolment-received' | 'enrolment-not-admitted' | 'enrolment-waitlisted' | 'waitlist-promoted' | 'enrolment-cancelled';

/** What every enrolment mail says about the edition: planning's edition as mailed. */
export type EditionFacts = MailedEdition;

/** The course's title in the student's language. */
const nameOf = (facts: EditionFacts, student: Pick<Student, 'locale'>) => courseName({ courseTitleNl: facts.course.titleNl, courseTitleEn: facts.course.titleEn }, student.locale);

/**
 * The student's mail about an enrolment, written into the outbox in the transaction of the
 * change, each keyed by its event so that a retried request mails once; and staff notices.
 */
@Injectable()
export class EnrolmentMail {
  /**
   * Registers the staff notices enrolment gives (new enrolments and cancellations to the digest,
   * an admission decision at once) when it is made, so that every `onModuleInit` (the demo
   * seeder's sets a preference) finds them.
   */
  constructor(
    private readonly outbox: MailOutbox,
    private readonly staff: StaffNotifications,
    private readonly env: Environment,
    private readonly editions: EditionReadModel,
    kinds: StaffNotificationKinds,
  ) {
    kinds.register('enrolment_received', {
      labels: { nl: { one: 'Nieuwe aanmelding', many: 'Nieuwe aanmeldingen' }, en: { one: 'New enrolment', many: 'New enrolments' } },
      audience: ['advisor'],
      defaultDelivery: 'digest',
    });
    kinds.register('admission_decision_needed', {
      labels: {
        nl: { one: 'Toelatingsbesluit nodig', many: 'Aanmeldingen die op een toelatingsbesluit wachten' },
        en: { one: 'Admission decision needed', many: 'Applications awaiting an admission decision' },
      },
      audience: ['advisor'],
      defaultDelivery: 'immediate',
    });
    kinds.register('enrolment_cancelled', {
      labels: { nl: { one: 'Afmelding', many: 'Afmeldingen' }, en: { one: 'Enrolment cancelled', many: 'Cancelled enrolments' } },
      audience: ['advisor'],
      defaultDelivery: 'digest',
    });
  }

  facts(manager: EntityManager, edition: PlannedEdition): Promise<EditionFacts> {
    return this.editions.mailed(manager, edition);
  }

  /** The seat is final: every session, with an .ics of them all attached for the student's calendar. */
  async confirmed(manager: EntityManager, enrolment: Enrolment, student: Student, facts: EditionFacts, billingPartyName: string | null): Promise<void> {
    const sessions = await this.plannedSessions(manager, facts);
    const name = nameOf(facts, student);
    const calendar = mailedCalendar(`${facts.edition.code}.ics`, this.feed(facts, name, sessions), 'PUBLISH', await this.outbox.sender(manager));
    await this.send(manager, 'enrolment-confirmed', enrolment, student, {
      courseName: name,
      editionCode: facts.edition.code,
      sessions: sessions.map((s) => ({ startsAt: s.startsAt, endsAt: s.endsAt, location: s.location, room: s.room })),
      tuitionCents: enrolment.tuitionCents > 0 ? enrolment.tuitionCents : null,
      billingPartyName,
    }, [calendar]);
  }

  /** The mail of a new place: confirmed with its sessions, received with what happens next, or the place on the waitlist. */
  async announce(
    manager: EntityManager,
    enrolment: Enrolment,
    student: Student,
    facts: EditionFacts,
    billingParty: Pick<BillingParty, 'kind' | 'name'> | null,
    waitlistPosition: number | null,
  ): Promise<void> {
    if (enrolment.status === 'enrolled') {
      await this.confirmed(manager, enrolment, student, facts, billingParty?.kind === 'employer' ? billingParty.name : null);
    } else if (enrolment.status === 'received') {
      await this.received(manager, enrolment, student, facts);
    } else {
      await this.waitlisted(manager, enrolment, student, facts, waitlistPosition!);
    }
  }

  /** The seat is held, admission still to be decided: the student hears what happens next. */
  async received(manager: EntityManager, enrolment: Enrolment, student: Student, facts: EditionFacts): Promise<void> {
    await this.send(manager, 'enrolment-received', enrolment, student, {
      ...this.common(facts, student),
      location: facts.location,
      receivedAt: enrolment.createdAt.toISOString(),
    });
  }

  async notAdmitted(manager: EntityManager, enrolment: Enrolment, student: Student, facts: EditionFacts): Promise<void> {
    await this.send(manager, 'enrolment-not-admitted', enrolment, student, this.common(facts, student));
  }

  async waitlisted(manager: EntityManager, enrolment: Enrolment, student: Student, facts: EditionFacts, position: number): Promise<void> {
    await this.send(manager, 'enrolment-waitlisted', enrolment, student, { ...this.common(facts, student), position });
  }

  async promoted(manager: EntityManager, enrolment: Enrolment, student: Student, facts: EditionFacts): Promise<void> {
    await this.send(manager, 'waitlist-promoted', enrolment, student, {
      ...this.common(facts, student),
      acceptBefore: enrolment.offerExpiresAt!.toISOString(),
      acceptUrl: `${this.env.PUBLIC_URL}/enrolments/${enrolment.id}/accept`,
    });
  }

  /**
   * A student who was sent the sessions (`wasEnrolled`) gets them withdrawn: a CANCEL per
   * session, because RFC 5546 lets one CANCEL name only one UID.
   */
  async cancelled(manager: EntityManager, enrolment: Enrolment, student: Student, facts: EditionFacts, wasEnrolled: boolean): Promise<void> {
    const withdrawn: MailAttachmentInput[] = [];
    if (wasEnrolled) {
      const sessions = await this.plannedSessions(manager, facts);
      const organizer = await this.outbox.sender(manager);
      const name = nameOf(facts, student);
      sessions.forEach((session, i) => withdrawn.push(mailedCalendar(`${facts.edition.code}-${i + 1}.ics`, this.feed(facts, name, [session]), 'CANCEL', organizer)));
    }
    await this.send(manager, 'enrolment-cancelled', enrolment, student, {
      ...this.common(facts, student),
      cancellationFeeCents: enrolment.cancellationFeeCents ? enrolment.cancellationFeeCents : null,
    }, withdrawn);
  }

  /**
   * Staff hear of a new enrolment or a cancellation. A new one is told before its seat is
   * decided (outside the edition's lock), so the notice says it was received, not its place;
   * the link shows that. One whose admission an advisor must decide says so, and is a notice
   * of its own kind, which comes at once by default while new enrolments wait for the digest.
   */
  async notifyStaff(
    manager: EntityManager,
    event: 'enrolment_received' | 'enrolment_cancelled',
    enrolmentId: string,
    student: Student,
    facts: EditionFacts,
    admissionPending = false,
  ): Promise<void> {
    const what = event === 'enrolment_received' ? 'aangemeld voor' : 'afgemeld voor';
    const kind = event === 'enrolment_received' && admissionPending ? 'admission_decision_needed' : event;
    await this.staff.notify(manager, {
      kind,
      summary: `${fullName(student)} ${what} ${facts.course.titleNl} (${facts.edition.code})${admissionPending ? ': toelatingsbesluit nodig' : ''}`,
      link: `${this.env.PUBLIC_URL}/enrolments/${enrolmentId}`,
      eventKey: `${kind}:${enrolmentId}`,
    });
  }

  private plannedSessions(manager: EntityManager, facts: EditionFacts): Promise<MailedEditionSession[]> {
    return this.editions.sessionsAsMailed(manager, facts);
  }

  private feed(facts: EditionFacts, shownName: string, sessions: MailedEditionSession[]): CalendarFeed {
    const title = `${shownName} (${facts.edition.code})`;
    return {
      name: title,
      sessions: sessions.map((s) => ({
        id: s.id,
        date: s.date,
        startTime: s.startTime,
        endTime: s.endTime,
        courseTitle: title,
        sequence: s.sequence,
        roomName: s.roomName ?? undefined,
        locationName: s.locationName ?? undefined,
        updatedAt: s.updatedAt,
      })),
    };
  }

  private common(facts: EditionFacts, student: Student) {
    return {
      courseName: nameOf(facts, student),
      editionCode: facts.edition.code,
      startDate: facts.edition.startDate,
    };
  }

  private async send<K extends StudentEnrolmentMail>(
    manager: EntityManager,
    type: K,
    enrolment: Enrolment,
    student: Student,
    data: Omit<MailTemplateData[K], 'studentName'>,
    attachments?: MailAttachmentInput[],
  ): Promise<void> {
    if (!student.email) return;
    await this.outbox.enqueue(manager, {
      type,
      locale: student.locale,
      to: { email: student.email, name: fullName(student) },
      studentId: student.id,
      data: { studentName: fullName(student), ...data } as MailTemplateData[K],
      attachments,
      idempotencyKey: `${type}:${enrolment.id}`,
    });
  }
}
