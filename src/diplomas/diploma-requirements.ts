import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { lockVersion } from '../database/version-lock';
import { DomainEvents } from '../events/domain-events';
import { DiplomaSettings, DiplomaTuition } from './diploma-settings.entity';
import { UpdateDiplomaSettingsDto } from './dto/diploma.dto';

/**
 * What the institute asks for a diploma beyond the course (paid tuition), and diplomas' own
 * record of whether each enrolment's tuition is paid, kept from invoicing's events in the
 * transaction that raises them: diplomas never reads invoicing's tables.
 */
@Injectable()
export class DiplomaRequirements {
  /** The handlers are registered when it is made, before any `onModuleInit` (the demo seeder's pays tuition) raises the events. */
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    events: DomainEvents,
  ) {
    events.on('invoicing.tuition_paid', (event, manager) => this.record(manager, event.enrolmentId, true, event.at));
    events.on('invoicing.tuition_unpaid', (event, manager) => this.record(manager, event.enrolmentId, false, event.at));
  }

  settings(manager: EntityManager = this.db.manager): Promise<DiplomaSettings> {
    return manager.findOneByOrFail(DiplomaSettings, { id: 1 });
  }

  async updateSettings(input: UpdateDiplomaSettingsDto): Promise<DiplomaSettings> {
    return this.db.transaction(async (manager) => {
      await lockVersion(manager, DiplomaSettings, 1, input.version, 'The diploma settings');
      const settings = await this.settings(manager);
      const { version: _version, ...changes } = input;
      return manager.save(Object.assign(settings, changes));
    });
  }

  /** The enrolments whose tuition is paid, of those asked. */
  async paidTuition(enrolmentIds: string[], manager: EntityManager = this.db.manager): Promise<Set<string>> {
    if (enrolmentIds.length === 0) return new Set();
    const rows = await manager.find(DiplomaTuition, { where: { enrolmentId: In(enrolmentIds), paid: true }, select: { enrolmentId: true } });
    return new Set(rows.map((row) => row.enrolmentId));
  }

  private async record(manager: EntityManager, enrolmentId: string, paid: boolean, at: Date): Promise<void> {
    await manager.upsert(DiplomaTuition, { enrolmentId, paid, changedAt: at }, ['enrolmentId']);
  }
}
