import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { InvalidInputError, NotFoundError } from '../kernel/domain-errors';
import { Page, pageOf, PageQuery } from '../http/pagination';
import { ClosingDay } from './closing-day.entity';
import { CreateClosingDayDto, UpdatePlanningSettingsDto } from './dto/closing-day.dto';
import { NonTeachingDays } from './engine/holidays';
import { PlanningSettings } from './planning-settings.entity';
import { lockVersion } from '../database/version-lock';

/** The Dutch public holidays (with the institute's Liberation Day policy) and the institute's closing days. */
@Injectable()
export class NonTeachingDaysService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async calendar(manager: EntityManager = this.db.manager): Promise<NonTeachingDays> {
    const settings = await this.settings(manager);
    const closing = await manager.find(ClosingDay);
    return new NonTeachingDays({
      liberationDay: settings.liberationDayPolicy,
      closingDays: closing.map((c) => ({ from: c.fromDate, to: c.toDate, reason: c.reason })),
    });
  }

  settings(manager: EntityManager = this.db.manager): Promise<PlanningSettings> {
    return manager.findOneByOrFail(PlanningSettings, { id: 1 });
  }

  async updateSettings(input: UpdatePlanningSettingsDto): Promise<PlanningSettings> {
    await this.db.transaction(async (manager) => {
      await lockVersion(manager, PlanningSettings, 1, input.version, 'The planning settings');
      const current = await this.settings(manager);
      await manager.save(Object.assign(current, { id: 1, liberationDayPolicy: input.liberationDayPolicy }));
    });
    return this.settings();
  }

  async listClosingDays(query: PageQuery): Promise<Page<ClosingDay>> {
    const [items, total] = await this.db.getRepository(ClosingDay).findAndCount({ order: { fromDate: 'ASC', id: 'ASC' }, skip: query.offset, take: query.pageSize });
    return pageOf(items, total, query);
  }

  async addClosingDays(input: CreateClosingDayDto): Promise<ClosingDay> {
    const toDate = input.toDate ?? input.fromDate;
    if (toDate < input.fromDate) {
      throw new InvalidInputError([{ field: 'toDate', rule: 'not_before_from', message: `toDate ${toDate} is before fromDate ${input.fromDate}` }]);
    }
    return this.db.getRepository(ClosingDay).save({ fromDate: input.fromDate, toDate, reason: input.reason });
  }

  async removeClosingDays(id: string): Promise<void> {
    const repository = this.db.getRepository(ClosingDay);
    const closing = await repository.findOneBy({ id });
    if (!closing) throw new NotFoundError('Closing days', id);
    await repository.remove(closing);
  }
}
