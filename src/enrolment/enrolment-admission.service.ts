import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { Course } from '../catalogue/course.entity';
import { BusinessRuleError } from '../kernel/domain-errors';
import type { Actor } from '../kernel/request-context';
import { DomainEvents } from '../events/domain-events';
import { AdmissionDecisionDto, CreateEnrolmentDto } from './dto/enrolment.dto';
import { EnrolmentDirectory } from './enrolment-directory';
import { EnrolmentHistory } from './enrolment-history';
import { EnrolmentMail } from './enrolment-mail.service';
import { billingPartyOf, EnrolmentSeats, eventFact } from './enrolment-seats.service';
import { enrolmentTerms } from './enrolment-settings.entity';
import { Enrolment, LIVE } from './enrolment.entity';
import { admissionDecides, admittedLevel, checkEntry, entryMet, REQUIREMENT_LABELS } from './entry-requirements';
import { Student } from './student.entity';
import { StudentsService } from './students.service';

/** How a new enrolment stands to the entry requirements. */
export interface EntryDecision {
  /** Waived by an advisor: the reason given. */
  overrideReason: string | null;
  /** The records cannot show the entry level: an advisor decides admission. */
  admissionPending: boolean;
}

/**
 * Admission: the entry requirements a new enrolment meets, is let off by an advisor, or leaves
 * to an intake; and the intake's decision on an enrolment whose admission is pending.
 */
@Injectable()
export class EnrolmentAdmission {
  constructor(
    private readonly seats: EnrolmentSeats,
    private readonly students: StudentsService,
    private readonly mail: EnrolmentMail,
    private readonly events: DomainEvents,
    private readonly steps: EnrolmentHistory,
    private readonly directory: EnrolmentDirectory,
  ) {}

  /**
   * Met, waived by an advisor with a reason (the override reason), or left to an advisor's
   * admission decision when the records cannot show the level; otherwise refused.
   */
  async checkEntryRequirements(manager: EntityManager, student: Student, course: Course, input: CreateEnrolmentDto): Promise<EntryDecision> {
    const completed = await this.directory.completedCourses(student.id, manager);
    const check = checkEntry(course, student.priorEducation?.level, new Set(completed.map((c) => c.courseId)));
    if (entryMet(check)) return { overrideReason: null, admissionPending: false };
    const wantsOverride = input.overrideEntryRequirements === true || input.overrideReason !== undefined;
    if (wantsOverride && input.overrideReason) {
      return { overrideReason: input.overrideReason, admissionPending: false };
    }
    if (admissionDecides(course, check)) return { overrideReason: null, admissionPending: true };
    const requirement = REQUIREMENT_LABELS[course.minimumPriorEducation].en;
    const problems = [
      check.levelMet === false ? `requires ${requirement}, the student has ${student.priorEducation!.level}` : null,
      check.levelMet === null ? `requires ${requirement}, the student's prior education is not recorded` : null,
      check.missingPrerequisiteIds.length > 0 ? `requires completing ${check.missingPrerequisiteIds.length} earlier course(s) first` : null,
    ].filter(Boolean);
    throw new BusinessRuleError(
      'entry_requirements_not_met',
      `The student does not meet the entry requirements of ${course.code}: ${problems.join('; ')}. An advisor may override them with overrideReason.`,
      { minimumPriorEducation: course.minimumPriorEducation, priorEducationLevel: student.priorEducation?.level ?? null, missingPrerequisiteIds: check.missingPrerequisiteIds },
    );
  }

  /**
   * The intake's decision on an enrolment whose admission is pending. Admitted: the student's
   * level is recorded as the intake showed it, and a received seat becomes final (confirmed,
   * with the calendar); one still waiting for a seat keeps its place. Not admitted: the
   * enrolment ends, and the seat it held goes to the waitlist.
   */
  async decide(id: string, input: AdmissionDecisionDto, actor: Actor): Promise<Enrolment> {
    return this.seats.changeLocked(id, actor, async (manager, enrolment, edition) => {
      if (!enrolment.admissionPending || !LIVE.includes(enrolment.status)) {
        throw new BusinessRuleError('admission_not_pending', `The enrolment is ${enrolment.status} and has no admission to decide`, {
          enrolmentStatus: enrolment.status,
          admissionPending: enrolment.admissionPending,
        });
      }
      const student = await manager.findOneByOrFail(Student, { id: enrolment.studentId });
      const facts = await this.mail.facts(manager, edition);
      const reason = [input.admitted ? 'admitted' : 'not admitted', input.reason].filter(Boolean).join(': ');
      if (!input.admitted) {
        Object.assign(enrolment, { status: 'not_admitted', admissionPending: false, offerExpiresAt: null });
        const saved = await this.steps.save(manager, enrolment, reason);
        await this.events.publish(manager, 'enrolment.not_admitted', eventFact(saved, edition));
        await this.mail.notAdmitted(manager, saved, student, facts);
        await this.seats.fillFreeSeats(manager, edition, await enrolmentTerms(manager));
        return saved;
      }
      const level = admittedLevel(facts.course.minimumPriorEducation, input.priorEducationLevel ?? student.priorEducation?.level);
      if (!level) {
        const requirement = REQUIREMENT_LABELS[facts.course.minimumPriorEducation].en;
        throw new BusinessRuleError(
          'admission_level_not_met',
          `${facts.course.code} requires ${requirement}: admitting needs the student's priorEducationLevel meeting it`,
          { minimumPriorEducation: facts.course.minimumPriorEducation },
          [{ field: 'priorEducationLevel', rule: 'meetsMinimum', message: `priorEducationLevel must meet ${facts.course.minimumPriorEducation}` }],
        );
      }
      await this.students.recordLevel(manager, student, level, reason);
      Object.assign(enrolment, { admissionPending: false, status: enrolment.status === 'received' ? 'enrolled' : enrolment.status });
      const saved = await this.steps.save(manager, enrolment, reason);
      if (saved.status === 'enrolled') await this.seats.confirmed(manager, saved, edition);
      if (saved.status === 'enrolled') await this.mail.announce(manager, saved, student, facts, await billingPartyOf(manager, saved), null);
      return saved;
    });
  }
}
