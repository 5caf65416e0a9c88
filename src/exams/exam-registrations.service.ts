import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { becauseOf } from '../audit/audit-reason';
import { CatalogueService } from '../catalogue/catalogue.service';
import { DomainEvents } from '../events/domain-events';
import { registrationWithdrawn } from './exam-events';
import { lockVersion } from '../database/version-lock';
import { BusinessRuleError, ConflictError, InvalidInputError, NotFoundError } from '../kernel/domain-errors';
import { Page, pageFrom } from '../http/pagination';
import { Actor } from '../kernel/request-context';
import { minutesOf } from '../kernel/time';
import { CreateRegistrationDto, RegistrationQuery, SittingParticipantDto, UpdateArrangementsDto } from './dto/registration.dto';
import { ExamMail } from './exam-mail.service';
import { ExamRegistration } from './exam-registration.entity';
import { ExamResult } from './exam-result.entity';
import { ExamSitting } from './exam-sitting.entity';
import { ExamSittingsService } from './exam-sittings.service';
import { ExamStudents } from './exam-students';

/** Staff who register students and set special arrangements. */
const REGISTRARS = ['admin', 'planner', 'coordinator', 'advisor'];
/** Staff who may allow an attempt after a pass. */
const IMPROVEMENT_DECIDERS = ['admin', 'coordinator'];

const isRegistrar = (actor: Actor) => actor.roles.some((role) => REGISTRARS.includes(role));

/** PostgreSQL's code for a unique violation. */
const UNIQUE_VIOLATION = '23505';

/**
 * Registrations for sittings: who may sit which attempt of a component, within the sitting's
 * capacity. The sitting's row is locked for the whole registration, so that concurrent
 * registrations count the seats one after the other.
 */
@Injectable()
export class ExamRegistrationsService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly catalogue: CatalogueService,
    private readonly sittings: ExamSittingsService,
    private readonly students: ExamStudents,
    private readonly mail: ExamMail,
    private readonly events: DomainEvents,
  ) {}

  /**
   * A cancelled enrolment withdraws the student's registrations for sittings not yet held (each
   * mailed); a transfer carries them over to the new enrolment in the same course.
   */
  onModuleInit(): void {
    this.events.on('enrolment.cancelled', async (event, manager) => {
      for (const { registration, sitting } of await this.pending(manager, event.enrolmentId)) {
        Object.assign(registration, { status: 'cancelled', cancelledAt: event.at });
        await manager.save(registration, becauseOf('the enrolment was cancelled'));
        await this.events.publish(manager, 'exam.registration_withdrawn', registrationWithdrawn(registration, 'enrolment_cancelled'));
        await this.mail.registrationWithdrawn(manager, sitting, registration);
      }
    });
    this.events.on('enrolment.transferred', async (event, manager) => {
      for (const { registration } of await this.pending(manager, event.enrolmentId)) {
        Object.assign(registration, { enrolmentId: event.toEnrolmentId, editionId: event.toEditionId });
        await manager.save(registration, becauseOf('the enrolment was transferred'));
      }
    });
  }

  /** The enrolment's registrations for sittings that are not held or cancelled, each with its sitting. */
  private async pending(manager: EntityManager, enrolmentId: string): Promise<Array<{ registration: ExamRegistration; sitting: ExamSitting }>> {
    const registrations = await manager.findBy(ExamRegistration, { enrolmentId, status: 'registered' });
    const found = [];
    for (const registration of registrations) {
      const sitting = await manager.findOneByOrFail(ExamSitting, { id: registration.sittingId });
      if (['planned', 'open', 'closed'].includes(sitting.status)) found.push({ registration, sitting });
    }
    return found;
  }

  async register(input: CreateRegistrationDto, actor: Actor): Promise<ExamRegistration> {
    const staff = isRegistrar(actor);
    const studentId = staff ? input.studentId : actor.studentId;
    if (!staff) {
      if (!actor.studentId || (input.studentId && input.studentId !== actor.studentId)) throw new NotFoundError('Student', input.studentId ?? 'of this account');
      const staffOnly = (['allowImprovement', 'extraTimeMinutes', 'separateRoom', 'arrangementNote', 'acceptConflicts'] as const).filter((f) => input[f] !== undefined);
      if (staffOnly.length > 0) {
        throw new InvalidInputError(staffOnly.map((field) => ({ field, rule: 'staff_only', message: `${field} is set by the exam office, not by the student` })));
      }
    }
    if (!studentId) throw new InvalidInputError([{ field: 'studentId', rule: 'required', message: 'studentId is required when staff register a student' }]);
    if (input.allowImprovement && !actor.roles.some((role) => IMPROVEMENT_DECIDERS.includes(role))) {
      throw new InvalidInputError([{ field: 'allowImprovement', rule: 'coordinator_only', message: 'only a coordinator may allow an attempt after a pass' }]);
    }
    try {
      return await this.db.transaction(async (manager) => {
        // The sitting's row lock: registrations for one sitting count its seats one at a time.
        const [locked] = await manager.query(`SELECT id FROM exam_sitting WHERE id = $1 FOR UPDATE`, [input.sittingId]);
        const sitting = locked ? await manager.findOneByOrFail(ExamSitting, { id: input.sittingId }) : null;
        if (!sitting || (!staff && sitting.status !== 'open')) throw new NotFoundError('Exam sitting', input.sittingId);
        if (!['planned', 'open', 'closed'].includes(sitting.status)) {
          throw new BusinessRuleError('sitting_not_open', `Sitting ${sitting.id} is ${sitting.status}; nobody can register for it any more`);
        }
        const student = await this.students.student(studentId, manager);
        if (!student) throw new InvalidInputError([{ field: 'studentId', rule: 'exists', message: `student ${studentId} does not exist` }]);
        const enrolment = await this.students.enrolmentInCourse(studentId, sitting.courseId, manager);
        if (!enrolment) throw new BusinessRuleError('not_enrolled', `Student ${studentId} holds no enrolment in an edition of this course, so cannot sit its exams`);
        // A student who completed the course sits again only to improve a grade, as the coordinator allows.
        if (enrolment.status === 'completed' && !input.allowImprovement) {
          throw new BusinessRuleError('course_completed', `Student ${studentId} completed this course; another attempt needs the coordinator's allowImprovement`);
        }
        if (sitting.editionId && enrolment.editionId !== sitting.editionId) {
          throw new BusinessRuleError('other_edition', `Sitting ${sitting.id} is for the students of another edition`);
        }
        const component = await this.catalogue.examComponent(sitting.componentId, manager);
        const earlier = await manager.find(ExamRegistration, { where: { studentId, componentId: component.id, status: 'registered' } });
        if (earlier.some((r) => r.sittingId === sitting.id)) throw new ConflictError('already_registered', `Student ${studentId} is already registered for this sitting`);
        const results = earlier.length > 0 ? await manager.findBy(ExamResult, { registrationId: In(earlier.map((r) => r.id)) }) : [];
        const pending = earlier.filter((r) => !results.some((res) => res.registrationId === r.id));
        if (pending.length > 0) {
          throw new ConflictError('attempt_pending', `Student ${studentId} is registered for sitting ${pending[0].sittingId} of this exam, which has no result yet`, {
            registrationId: pending[0].id,
          });
        }
        if (results.some((r) => r.passed) && !input.allowImprovement) {
          throw new BusinessRuleError('already_passed', `Student ${studentId} passed ${component.name}; another attempt needs the coordinator's allowImprovement`);
        }
        const attempt = earlier.length + 1;
        if (attempt > component.maxAttempts) {
          throw new BusinessRuleError('max_attempts_reached', `${component.name} allows ${component.maxAttempts} attempt(s); student ${studentId} has had ${earlier.length}`, {
            maxAttempts: component.maxAttempts,
          });
        }
        const taken = await manager.countBy(ExamRegistration, { sittingId: sitting.id, status: 'registered' });
        if (taken >= sitting.capacity) throw new BusinessRuleError('sitting_full', `Sitting ${sitting.id} has all ${sitting.capacity} places taken`, { capacity: sitting.capacity });
        const extra = input.extraTimeMinutes ?? 0;
        if (minutesOf(sitting.endTime) + extra >= 24 * 60) {
          throw new InvalidInputError([{ field: 'extraTimeMinutes', rule: 'ends_before_midnight', message: `with ${extra} extra minutes the exam would end after midnight` }]);
        }
        const clashes = await this.sittings.studentClashes(manager, sitting, [studentId]);
        if (clashes.length > 0 && !(staff && input.acceptConflicts)) {
          throw new ConflictError('sitting_conflicts', `Student ${studentId} is busy at that time: ${clashes.map((c) => c.message).join('; ')}`, { conflicts: clashes });
        }
        const accepted = clashes.length > 0 ? `Registered despite the student's clash (${clashes.map((c) => c.with).join(', ')}): ${input.reason}` : undefined;
        const feeCents = attempt > 1 ? await this.resitFee(manager, sitting) : null;
        const registration = await manager.save(
          manager.create(ExamRegistration, {
            sittingId: sitting.id,
            componentId: component.id,
            courseId: sitting.courseId,
            studentId,
            enrolmentId: enrolment.enrolmentId,
            editionId: enrolment.editionId,
            attempt,
            status: 'registered',
            feeCents,
            allowImprovement: input.allowImprovement ?? false,
            extraTimeMinutes: extra,
            separateRoom: input.separateRoom ?? false,
            arrangementNote: input.arrangementNote ?? null,
            registeredBy: actor.id,
            cancelledAt: null,
          }),
          becauseOf(accepted),
        );
        if (feeCents !== null && feeCents > 0) {
          await this.events.publish(manager, 'exam.resit_registered', {
            registrationId: registration.id,
            studentId,
            enrolmentId: registration.enrolmentId,
            courseId: registration.courseId,
            componentId: registration.componentId,
            attempt,
            feeCents,
            at: registration.createdAt,
          });
        }
        await this.mail.invitation(manager, sitting, registration);
        return registration;
      });
    } catch (error) {
      if ((error as { code?: string }).code === UNIQUE_VIOLATION) {
        throw new ConflictError('already_registered', `Student ${studentId} registered for this exam at the same moment in another request`);
      }
      throw error;
    }
  }

  /** The sitting's resit fee, else the course's exam fee, else none. */
  private async resitFee(manager: EntityManager, sitting: ExamSitting): Promise<number | null> {
    if (sitting.resitFeeCents !== null) return sitting.resitFeeCents;
    const course = await this.catalogue.get(sitting.courseId, manager);
    return course.otherFees.find((fee) => fee.kind === 'exam')?.amountCents ?? null;
  }

  async list(query: RegistrationQuery, actor: Actor): Promise<Page<ExamRegistration>> {
    const qb = this.db.getRepository(ExamRegistration).createQueryBuilder('r');
    if (query.sittingId) qb.andWhere('r.sittingId = :sittingId', { sittingId: query.sittingId });
    if (query.studentId) qb.andWhere('r.studentId = :studentId', { studentId: query.studentId });
    if (query.componentId) qb.andWhere('r.componentId = :componentId', { componentId: query.componentId });
    if (!isRegistrar(actor)) {
      const own: string[] = [];
      if (actor.studentId) own.push('r.studentId = :self');
      if (actor.teacherId) own.push(`r.sittingId IN (SELECT id FROM exam_sitting WHERE :teacher = ANY(invigilator_ids))`);
      qb.andWhere(own.length > 0 ? `(${own.join(' OR ')})` : 'false', { self: actor.studentId, teacher: actor.teacherId });
    }
    qb.orderBy('r.createdAt', 'DESC').addOrderBy('r.id');
    return pageFrom(qb, query);
  }

  async get(id: string, actor: Actor): Promise<ExamRegistration> {
    const registration = await this.db.getRepository(ExamRegistration).findOneBy({ id });
    if (!registration || !(await this.maySee(actor, registration))) throw new NotFoundError('Exam registration', id);
    return registration;
  }

  private async maySee(actor: Actor, registration: ExamRegistration): Promise<boolean> {
    if (isRegistrar(actor)) return true;
    if (actor.studentId === registration.studentId) return true;
    if (!actor.teacherId) return false;
    const sitting = await this.db.getRepository(ExamSitting).findOneBy({ id: registration.sittingId });
    return sitting?.invigilatorIds.includes(actor.teacherId) ?? false;
  }

  async updateArrangements(id: string, input: UpdateArrangementsDto): Promise<ExamRegistration> {
    return this.db.transaction(async (manager) => {
      await lockVersion(manager, ExamRegistration, id, input.version, 'Exam registration');
      const registration = await manager.findOneByOrFail(ExamRegistration, { id });
      const sitting = await manager.findOneByOrFail(ExamSitting, { id: registration.sittingId });
      const extra = input.extraTimeMinutes ?? registration.extraTimeMinutes;
      if (minutesOf(sitting.endTime) + extra >= 24 * 60) {
        throw new InvalidInputError([{ field: 'extraTimeMinutes', rule: 'ends_before_midnight', message: `with ${extra} extra minutes the exam would end after midnight` }]);
      }
      if (input.extraTimeMinutes !== undefined) registration.extraTimeMinutes = input.extraTimeMinutes;
      if (input.separateRoom !== undefined) registration.separateRoom = input.separateRoom;
      if (input.arrangementNote !== undefined) registration.arrangementNote = input.arrangementNote;
      return manager.save(registration);
    });
  }

  /** Withdraws a registration before the sitting is held (`exam.registration_withdrawn`); a student only their own, while the sitting is open. */
  async cancel(id: string, version: number, actor: Actor): Promise<ExamRegistration> {
    return this.db.transaction(async (manager) => {
      const registration = await manager.findOneBy(ExamRegistration, { id });
      if (!registration || (!isRegistrar(actor) && registration.studentId !== actor.studentId)) throw new NotFoundError('Exam registration', id);
      await manager.query(`SELECT id FROM exam_sitting WHERE id = $1 FOR UPDATE`, [registration.sittingId]);
      await lockVersion(manager, ExamRegistration, id, version, 'Exam registration');
      const sitting = await manager.findOneByOrFail(ExamSitting, { id: registration.sittingId });
      if (registration.status !== 'registered') throw new BusinessRuleError('registration_cancelled', `Registration ${id} is already cancelled`);
      const allowed = isRegistrar(actor) ? ['planned', 'open', 'closed'] : ['open'];
      if (!allowed.includes(sitting.status)) {
        throw new BusinessRuleError('sitting_not_open', `Sitting ${sitting.id} is ${sitting.status}; the registration can no longer be withdrawn${isRegistrar(actor) ? '' : ' by the student'}`);
      }
      registration.status = 'cancelled';
      registration.cancelledAt = new Date();
      const saved = await manager.save(registration);
      await this.events.publish(manager, 'exam.registration_withdrawn', registrationWithdrawn(saved, 'withdrawn'));
      await this.mail.registrationWithdrawn(manager, sitting, saved);
      return saved;
    });
  }

  /** The invigilator's list: who sits, in name order, with their special arrangements. */
  async participants(sittingId: string, actor: Actor): Promise<SittingParticipantDto[]> {
    const sitting = await this.db.getRepository(ExamSitting).findOneBy({ id: sittingId });
    const invigilates = actor.teacherId !== undefined && sitting?.invigilatorIds.includes(actor.teacherId);
    if (!sitting || !(isRegistrar(actor) || invigilates)) throw new NotFoundError('Exam sitting', sittingId);
    const registrations = await this.db.getRepository(ExamRegistration).find({ where: { sittingId, status: 'registered' } });
    const lines: SittingParticipantDto[] = [];
    for (const r of registrations) {
      const student = await this.students.student(r.studentId);
      lines.push({
        registrationId: r.id,
        studentId: r.studentId,
        studentNumber: student?.studentNumber ?? '',
        name: student?.name ?? '',
        attempt: r.attempt,
        extraTimeMinutes: r.extraTimeMinutes,
        separateRoom: r.separateRoom,
        arrangementNote: r.arrangementNote,
      });
    }
    return lines.sort((a, b) => a.name.localeCompare(b.name, 'nl') || a.studentNumber.localeCompare(b.studentNumber));
  }
}
