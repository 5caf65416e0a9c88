import { Injectable } from '@nestjs/common';
import { EntityManager, MoreThan } from 'typeorm';
import type { ResitRegistered } from './exam-events';
import { ExamRegistration } from './exam-registration.entity';

/**
 * What exams publishes about the fees it charges: the resit fees an enrolment owes, as
 * `exam.resit_registered` told them, for a biller that could not bill them then (no billing
 * party yet) and asks again once there is one.
 */
@Injectable()
export class ExamFees {
  /** The enrolment's registrations that carry a resit fee and were not withdrawn. */
  async resitFeesOf(manager: EntityManager, enrolmentId: string): Promise<ResitRegistered[]> {
    const registrations = await manager.find(ExamRegistration, { where: { enrolmentId, status: 'registered', feeCents: MoreThan(0) }, order: { createdAt: 'ASC' } });
    return registrations.map((registration) => ({
      registrationId: registration.id,
      studentId: registration.studentId,
      enrolmentId: registration.enrolmentId,
      courseId: registration.courseId,
      componentId: registration.componentId,
      attempt: registration.attempt,
      feeCents: registration.feeCents!,
      at: registration.createdAt,
    }));
  }
}
