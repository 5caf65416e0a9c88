import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Environment } from '../config/environment';
import type { EnrolmentCompleted, EnrolmentReopened } from '../enrolment/enrolment-events';
import { DomainEvents } from '../events/domain-events';
import { StaffNotificationKinds } from '../mail/staff-notification-kinds';
import { StaffNotifications } from '../mail/staff-notifications.service';
import type { Diploma } from './diploma.entity';
import { DiplomasService } from './diplomas.service';

declare module '../mail/staff-notification-kinds' {
  interface StaffNotificationKindMap {
    diploma_needs_review: true;
  }
}

/**
 * A reopened enrolment (a result it rested on was corrected), or one completed again with
 * another final grade than its diploma shows, flags the student's current diploma of the course
 * for review and tells the coordinators at once; they answer it with `POST /diplomas/{id}/review`.
 * The diploma stays valid meanwhile.
 */
@Injectable()
export class DiplomaReview {
  /** The kind and the handler are registered when it is made, before any `onModuleInit` (the demo seeder's) can reopen an enrolment. */
  constructor(
    events: DomainEvents,
    private readonly diplomas: DiplomasService,
    private readonly staff: StaffNotifications,
    private readonly env: Environment,
    kinds: StaffNotificationKinds,
  ) {
    kinds.register('diploma_needs_review', {
      labels: {
        nl: { one: 'Diploma te herbeoordelen', many: "Diploma's te herbeoordelen" },
        en: { one: 'Diploma needs review', many: 'Diplomas that need review' },
      },
      audience: ['coordinator'],
      defaultDelivery: 'immediate',
    });
    events.on('enrolment.reopened', (event, manager) => this.flag(manager, event, () => `enrolment reopened: ${event.reason}`));
    events.on('enrolment.completed', (event, manager) => this.flag(manager, event, (diploma) => gradeCorrection(diploma.finalGrade, event)));
  }

  private async flag(manager: EntityManager, event: EnrolmentReopened | EnrolmentCompleted, reasonFor: (diploma: Diploma) => string | null): Promise<void> {
    const diploma = await this.diplomas.flagForReview(manager, event.studentId, event.courseId, reasonFor, event.at);
    if (!diploma) return;
    await this.staff.notify(manager, {
      kind: 'diploma_needs_review',
      summary: `Diploma ${diploma.number} (${diploma.nameOnDiploma}, ${diploma.courseTitle}) moet worden herbeoordeeld: ${diploma.reviewReason}`,
      link: `${this.env.PUBLIC_URL}/diplomas/${diploma.id}`,
      eventKey: `diploma_needs_review:${diploma.id}:${event.at.toISOString()}`,
      occurredAt: event.at,
    });
  }
}

/** A completion with another final grade than the diploma shows: the grade was corrected while the course stayed passed. */
function gradeCorrection(shown: number | null, completed: EnrolmentCompleted): string | null {
  if (shown === completed.finalGrade) return null;
  return `final grade corrected from ${shown ?? 'none'} to ${completed.finalGrade ?? 'none'}`;
}
