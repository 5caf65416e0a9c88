import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DateTime } from 'luxon';
import { DataSource, IsNull, LessThanOrEqual } from 'typeorm';
import { type JobRequester, JobsService } from '../jobs/jobs.service';
import { Edition } from './edition.entity';
import { EnrolledStudents } from './edition-participants';
import { EditionsService } from './editions.service';
import { INSTITUTE_ZONE } from '../kernel/time';
import { PlanningMail } from './planning-mail.service';

export const GO_NO_GO_QUEUE = 'planning.go-no-go';
/** Every morning at 06:00, before the planners start. */
const GO_NO_GO_CRON = '0 6 * * *';

export interface GoNoGoOutcome {
  confirmed: string[];
  proposedForCancellation: string[];
}

/**
 * The go/no-go check: an open edition whose go/no-go date has come is confirmed when it has
 * its minimum of enrolled students; otherwise the planners are asked (once) to cancel it.
 * Cancelling stays a planner's decision.
 */
@Injectable()
export class EditionLifeService implements OnModuleInit {
  private readonly logger = new Logger(EditionLifeService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly jobs: JobsService,
    private readonly editions: EditionsService,
    private readonly participants: EnrolledStudents,
    private readonly mail: PlanningMail,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.jobs.define(GO_NO_GO_QUEUE, () => this.check(), { cron: GO_NO_GO_CRON, retryLimit: 2 });
  }

  /** Runs the check now, as a job. */
  start(requestedBy: JobRequester): Promise<string> {
    return this.jobs.start(GO_NO_GO_QUEUE, {}, { requestedBy });
  }

  async check(today = DateTime.now().setZone(INSTITUTE_ZONE).toISODate()!): Promise<GoNoGoOutcome> {
    const due = await this.db.getRepository(Edition).find({
      where: { status: 'open', goNoGoDate: LessThanOrEqual(today), goNoGoProposedAt: IsNull() },
      order: { goNoGoDate: 'ASC' },
    });
    const outcome: GoNoGoOutcome = { confirmed: [], proposedForCancellation: [] };
    for (const { id } of due) {
      // One transaction per edition: one failing edition does not hold up the others.
      await this.db.transaction(async (manager) => {
        const edition = await this.editions.edition(id, manager, true);
        if (edition.status !== 'open' || edition.goNoGoProposedAt) return;
        const enrolled = (await this.participants.countTowardsMinimum([id], manager)).get(id) ?? 0;
        if (enrolled >= edition.minParticipants) {
          await this.editions.transition(manager, edition, 'confirmed', `go/no-go ${today}: ${enrolled} of minimum ${edition.minParticipants} enrolled`);
          outcome.confirmed.push(edition.code);
        } else {
          await this.mail.proposeCancellation(manager, edition, enrolled);
          await manager.save(Object.assign(edition, { goNoGoProposedAt: new Date() }));
          outcome.proposedForCancellation.push(edition.code);
        }
      });
    }
    this.logger.log(`go/no-go ${today}: ${outcome.confirmed.length} confirmed, ${outcome.proposedForCancellation.length} proposed for cancellation`);
    return outcome;
  }
}
