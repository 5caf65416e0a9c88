import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntitySubscriberInterface, UpdateEvent } from 'typeorm';
import { Edition } from '../planning/edition.entity';
import { AdviceService } from './advice.service';

/**
 * Hears planning open an edition (its status saved as `open`) and, in that same transaction,
 * mails every student who registered interest in the course. Planning needs to know nothing
 * of this: the entity change is the event.
 */
@Injectable()
export class EditionOpenedSubscriber implements EntitySubscriberInterface<Edition> {
  constructor(
    @InjectDataSource() dataSource: DataSource,
    private readonly advice: AdviceService,
  ) {
    dataSource.subscribers.push(this);
  }

  listenTo() {
    return Edition;
  }

  async afterUpdate(event: UpdateEvent<Edition>): Promise<void> {
    const before = event.databaseEntity;
    const after = { ...before, ...event.entity } as Edition;
    if (!after.id || !after.courseId || after.status !== 'open' || before?.status === 'open') return;
    await this.advice.notifyInterested(event.manager, after);
  }
}
