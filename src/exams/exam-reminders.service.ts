import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { lockVersion } from '../database/version-lock';
import { JobsService } from '../jobs/jobs.service';
import { addDays, todayInAmsterdam } from '../kernel/time';
import { UpdateExamSettingsDto } from './dto/settings.dto';
import { ExamMail } from './exam-mail.service';
import { ExamRegistration } from './exam-registration.entity';
import { ExamSettings } from './exam-settings.entity';
import { ExamSitting } from './exam-sitting.entity';

export const EXAM_REMINDER_QUEUE = 'exams.reminders';
/** Every morning at seven, Amsterdam time. */
const EXAM_REMINDER_CRON = '0 7 * * *';

/** The exam settings, and the daily job that reminds registered students of a sitting some days ahead. */
@Injectable()
export class ExamRemindersService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly jobs: JobsService,
    private readonly mail: ExamMail,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.jobs.define(EXAM_REMINDER_QUEUE, async () => ({ reminded: await this.sendReminders() }), { cron: EXAM_REMINDER_CRON, retryLimit: 3 });
  }

  settings(): Promise<ExamSettings> {
    return this.db.getRepository(ExamSettings).findOneByOrFail({ id: 1 });
  }

  async updateSettings(input: UpdateExamSettingsDto): Promise<ExamSettings> {
    return this.db.transaction(async (manager) => {
      await lockVersion(manager, ExamSettings, 1, input.version, 'Exam settings');
      const settings = await manager.findOneByOrFail(ExamSettings, { id: 1 });
      settings.reminderDays = input.reminderDays;
      return manager.save(settings);
    });
  }

  /**
   * Mails every student registered for a sitting `reminderDays` from `today` (not cancelled).
   * Each reminder is idempotent per registration and sitting version, so a rerun (a retry, a
   * second worker) sends nothing twice. Answers how many were queued.
   */
  async sendReminders(today = todayInAmsterdam()): Promise<number> {
    const { reminderDays } = await this.settings();
    const sittings = await this.db.getRepository(ExamSitting).findBy({ date: addDays(today, reminderDays), status: In(['open', 'closed']) });
    let reminded = 0;
    for (const sitting of sittings) {
      await this.db.transaction(async (manager) => {
        const registrations = await manager.findBy(ExamRegistration, { sittingId: sitting.id, status: 'registered' });
        for (const registration of registrations) {
          await this.mail.reminder(manager, sitting, registration);
          reminded++;
        }
      });
    }
    return reminded;
  }
}
