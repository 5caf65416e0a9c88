import type { MailTemplateData } from '../mail/templates/mail-template-data';
import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { EntityManager } from 'typeorm';
import { CatalogueService } from '../catalogue/catalogue.service';
import { MailAttachmentInput, MailOutbox } from '../mail/mail-outbox.service';
import { CalendarSession, mailedCalendar, MailedCalendarMethod } from '../planning/engine/calendar';
import { INSTITUTE_ZONE, wallTimeToUtc } from '../kernel/time';
import { LocationsService } from '../planning/locations.service';
import { ExamRegistration } from './exam-registration.entity';
import { ExamResult } from './exam-result.entity';
import type { Locale } from '../kernel/locale';
import { ExamSitting } from './exam-sitting.entity';
import { ExamStudent, ExamStudents } from './exam-students';



/** The mails to a registered student about a sitting, which all share `SittingMailBase`. */
type SittingMailType = 'exam-invitation' | 'exam-changed' | 'exam-cancelled' | 'exam-registration-withdrawn' | 'exam-reminder';
type SittingMailBase = Pick<MailTemplateData['exam-reminder'], 'studentName' | 'courseName' | 'componentName' | 'sitting' | 'extraTimeMinutes' | 'separateRoom'>;

interface MailedSitting {
  startsAt: string;
  endsAt: string;
  location: string;
  room: string | null;
}

/** How long before a sitting the attached calendar event reminds the student. */
const ALARM_MINUTES_BEFORE = 24 * 60;

const instant = (date: string, time: string) => DateTime.fromJSDate(wallTimeToUtc(date, time)).setZone(INSTITUTE_ZONE).toISO()!;

/** A grade as the recipient writes it: "7,5" in Dutch, "7.5" in English. */
export function shownResult(result: Pick<ExamResult, 'outcome' | 'grade'>, locale: Locale): string {
  if (result.outcome === 'grade') return locale === 'nl' ? result.grade!.toFixed(1).replace('.', ',') : result.grade!.toFixed(1);
  const words: Record<Exclude<ExamResult['outcome'], 'grade'>, [string, string]> = {
    pass: ['voldaan', 'pass'],
    fail: ['niet voldaan', 'fail'],
    absent: ['afwezig', 'absent'],
    exempt: ['vrijstelling', 'exempt'],
  };
  return words[result.outcome][locale === 'nl' ? 0 : 1];
}

/**
 * The exams module's mail, always into the outbox inside the transaction of the change: the
 * invitation with an .ics (and a reminder alarm in it), a change or cancellation of the sitting
 * (same UID, a higher SEQUENCE or METHOD:CANCEL), the reminder some days before, the result.
 */
@Injectable()
export class ExamMail {
  constructor(
    private readonly outbox: MailOutbox,
    private readonly catalogue: CatalogueService,
    private readonly locations: LocationsService,
    private readonly students: ExamStudents,
  ) {}

  async invitation(manager: EntityManager, sitting: ExamSitting, registration: ExamRegistration): Promise<void> {
    const facts = await this.facts(manager, sitting);
    await this.toStudent(manager, registration, 'exam-invitation', `exam-invitation:${registration.id}`, facts, { attempt: registration.attempt, feeCents: registration.feeCents ?? undefined }, 'PUBLISH');
  }

  /** The date, time or place changed: every registered student gets the sitting anew. */
  async sittingChanged(manager: EntityManager, sitting: ExamSitting, before: ExamSitting): Promise<void> {
    const registrations = await manager.findBy(ExamRegistration, { sittingId: sitting.id, status: 'registered' });
    if (registrations.length === 0) return;
    const facts = await this.facts(manager, sitting);
    const previous = await this.facts(manager, before);
    for (const registration of registrations) {
      await this.toStudent(manager, registration, 'exam-changed', `exam-changed:${sitting.id}:${sitting.sequence}:${registration.id}`, facts, { previousSitting: previous.shown }, 'PUBLISH');
    }
  }

  async sittingCancelled(manager: EntityManager, sitting: ExamSitting, registrations: ExamRegistration[], reason: string | null): Promise<void> {
    if (registrations.length === 0) return;
    const facts = await this.facts(manager, sitting);
    for (const registration of registrations) {
      await this.toStudent(manager, registration, 'exam-cancelled', `exam-cancelled:${sitting.id}:${registration.id}`, facts, { reason: reason ?? undefined }, 'CANCEL');
    }
  }

  /** One registration withdrawn: the student's calendar loses the exam (METHOD:CANCEL, same UID). */
  async registrationWithdrawn(manager: EntityManager, sitting: ExamSitting, registration: ExamRegistration): Promise<void> {
    const facts = await this.facts(manager, sitting);
    await this.toStudent(manager, registration, 'exam-registration-withdrawn', `exam-withdrawn:${registration.id}`, facts, {}, 'CANCEL');
  }

  async reminder(manager: EntityManager, sitting: ExamSitting, registration: ExamRegistration): Promise<void> {
    const facts = await this.facts(manager, sitting);
    await this.toStudent(manager, registration, 'exam-reminder', `exam-reminder:${registration.id}:${sitting.sequence}`, facts, {});
  }

  /** A result is published, or a published one corrected (`reason`). */
  async resultPublished(manager: EntityManager, sitting: ExamSitting, result: ExamResult, reason?: string): Promise<void> {
    const student = await this.students.student(result.studentId, manager);
    if (!student?.email) return;
    const facts = await this.facts(manager, sitting);
    await this.outbox.enqueue(manager, {
      type: 'exam-results-published',
      locale: student.locale,
      to: { email: student.email, name: student.name },
      studentId: student.id,
      data: {
        studentName: student.name,
        courseName: facts.courseName(student.locale),
        componentName: facts.componentName,
        result: shownResult(result, student.locale),
        passed: result.passed,
        corrected: reason !== undefined,
        ...(reason !== undefined ? { reason } : {}),
      },
      idempotencyKey: `exam-result:${result.id}:${result.version}`,
    });
  }

  private async toStudent<K extends SittingMailType>(
    manager: EntityManager,
    registration: ExamRegistration,
    type: K,
    key: string,
    facts: SittingFacts,
    extra: Omit<MailTemplateData[K], keyof SittingMailBase>,
    calendar?: MailedCalendarMethod,
  ): Promise<void> {
    const student = await this.students.student(registration.studentId, manager);
    if (!student?.email) return;
    const attachments: MailAttachmentInput[] = calendar ? [mailedCalendar('examen.ics', this.feed(facts, student), calendar, await this.outbox.sender(manager))] : [];
    await this.outbox.enqueue(manager, {
      type,
      locale: student.locale,
      to: { email: student.email, name: student.name },
      studentId: student.id,
      data: {
        studentName: student.name,
        courseName: facts.courseName(student.locale),
        componentName: facts.componentName,
        sitting: facts.shown,
        ...(registration.extraTimeMinutes > 0 ? { extraTimeMinutes: registration.extraTimeMinutes } : {}),
        ...(registration.separateRoom ? { separateRoom: true } : {}),
        ...(Object.fromEntries(Object.entries(extra).filter(([, v]) => v !== undefined)) as typeof extra),
      } as MailTemplateData[K],
      attachments,
      idempotencyKey: key,
    });
  }

  /** The sitting as one calendar event; the UID is the one planning's calendar feeds give it. */
  private feed(facts: SittingFacts, student: ExamStudent) {
    const sitting = facts.sitting;
    const event: CalendarSession = {
      id: sitting.id,
      uid: `exam-sitting-${sitting.id}@registrar`,
      date: sitting.date,
      startTime: sitting.startTime,
      endTime: sitting.endTime,
      courseTitle: `${facts.componentName} — ${facts.courseName(student.locale)}`,
      sequence: sitting.sequence,
      cancelled: sitting.status === 'cancelled',
      roomName: facts.shown.room ?? undefined,
      locationName: facts.shown.location,
      updatedAt: sitting.updatedAt ?? new Date(),
      alarmMinutesBefore: ALARM_MINUTES_BEFORE,
    };
    return { name: facts.componentName, sessions: [event] };
  }

  private async facts(manager: EntityManager, sitting: ExamSitting): Promise<SittingFacts> {
    const course = await this.catalogue.get(sitting.courseId, manager);
    const component = course.examComponents.find((c) => c.id === sitting.componentId);
    let location = 'Online';
    let room: string | null = null;
    if (sitting.roomId) {
      const r = await this.locations.room(sitting.roomId, manager);
      const place = await this.locations.get(r.locationId, manager);
      location = place.online ? place.name : [place.city, place.street].filter(Boolean).join(', ') || place.name;
      room = place.online ? null : r.name;
    }
    return {
      sitting,
      componentName: component?.name ?? '',
      courseName: (locale: Locale) => (locale === 'en' && course.titleEn ? course.titleEn : course.titleNl),
      shown: { startsAt: instant(sitting.date, sitting.startTime), endsAt: instant(sitting.date, sitting.endTime), location, room },
    };
  }
}

interface SittingFacts {
  sitting: ExamSitting;
  componentName: string;
  courseName: (locale: Locale) => string;
  shown: MailedSitting;
}
