import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DomainEvents } from '../events/domain-events';
import { BusinessRuleError, InvalidInputError, NotFoundError } from '../kernel/domain-errors';
import { EditionsService } from '../planning/editions.service';
import { EnrolmentHistory } from './enrolment-history';
import { Enrolment } from './enrolment.entity';

/**
 * The command exams calls when a student has passed every component of the course, and its
 * reverse when a result it rested on is corrected. Both run in the caller's transaction and
 * raise their event there, so diplomas and the rest follow the same commit.
 */
@Injectable()
export class EnrolmentCompletion {
  constructor(
    private readonly history: EnrolmentHistory,
    private readonly events: DomainEvents,
    private readonly editions: EditionsService,
  ) {}

  /** Enrolled → completed, with the final grade where the course gives one (1.0–10.0, one decimal). Completing again with the same grade changes nothing. */
  async complete(manager: EntityManager, enrolmentId: string, finalGrade: number | null): Promise<Enrolment> {
    if (finalGrade !== null && !(finalGrade >= 1 && finalGrade <= 10 && Math.round(finalGrade * 10) === finalGrade * 10)) {
      throw new InvalidInputError([{ field: 'finalGrade', rule: 'grade', message: `finalGrade must be 1.0 to 10.0 with one decimal, not ${finalGrade}` }]);
    }
    const enrolment = await this.locked(manager, enrolmentId);
    if (enrolment.status === 'completed' && enrolment.finalGrade === finalGrade) return enrolment;
    if (enrolment.status !== 'enrolled' && enrolment.status !== 'completed') {
      throw new BusinessRuleError('enrolment_not_completable', `The enrolment is ${enrolment.status}; only an enrolled student completes a course`, {
        enrolmentStatus: enrolment.status,
      });
    }
    const reason = finalGrade === null ? 'every exam component passed' : `every exam component passed, final grade ${finalGrade.toFixed(1)}`;
    Object.assign(enrolment, { status: 'completed', finalGrade, completedAt: enrolment.completedAt ?? new Date() });
    const saved = await this.history.save(manager, enrolment, reason);
    await this.events.publish(manager, 'enrolment.completed', { ...(await this.fact(manager, saved)), finalGrade });
    return saved;
  }

  /** Completed → enrolled again, because a result it rested on was corrected; the reason goes into its history. */
  async reopen(manager: EntityManager, enrolmentId: string, reason: string): Promise<Enrolment> {
    const enrolment = await this.locked(manager, enrolmentId);
    if (enrolment.status !== 'completed') {
      throw new BusinessRuleError('enrolment_not_completed', `The enrolment is ${enrolment.status}; only a completed one can be reopened`, {
        enrolmentStatus: enrolment.status,
      });
    }
    Object.assign(enrolment, { status: 'enrolled', finalGrade: null, completedAt: null });
    const saved = await this.history.save(manager, enrolment, `reopened: ${reason}`);
    await this.events.publish(manager, 'enrolment.reopened', { ...(await this.fact(manager, saved)), reason });
    return saved;
  }

  private async locked(manager: EntityManager, id: string): Promise<Enrolment> {
    const enrolment = await manager.findOne(Enrolment, { where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!enrolment) throw new NotFoundError('Enrolment', id);
    return enrolment;
  }

  private async fact(manager: EntityManager, enrolment: Enrolment) {
    const edition = await this.editions.edition(enrolment.editionId, manager);
    return { enrolmentId: enrolment.id, studentId: enrolment.studentId, editionId: edition.id, courseId: edition.courseId, at: new Date() };
  }
}
