import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { becauseOf } from '../audit/audit-reason';
import { RequestContext } from '../kernel/request-context';
import { Enrolment, EnrolmentStatus, EnrolmentStatusChange } from './enrolment.entity';

/** An enrolment's life as a list of steps: every status change is saved with its line, by whom and why. */
@Injectable()
export class EnrolmentHistory {
  /** Saves a status change of an existing enrolment with its history line. */
  async save(manager: EntityManager, enrolment: Enrolment, reason: string | null): Promise<Enrolment> {
    const [{ status: before }] = await manager.query(`SELECT status FROM enrolment WHERE id = $1`, [enrolment.id]);
    const saved = await manager.save(enrolment, becauseOf(reason));
    await this.record(manager, saved, before, reason);
    return saved;
  }

  async record(manager: EntityManager, enrolment: Enrolment, from: EnrolmentStatus | null, reason: string | null): Promise<void> {
    const actor = RequestContext.current().actor;
    await manager.insert(EnrolmentStatusChange, {
      enrolmentId: enrolment.id,
      fromStatus: from,
      toStatus: enrolment.status,
      reason,
      actorId: actor?.id ?? null,
      actorEmail: actor?.email ?? null,
      at: new Date(),
    });
  }
}
