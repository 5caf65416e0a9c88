import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { JobsService } from '../jobs/jobs.service';
import { MailOutbox } from '../mail/mail-outbox.service';
import { SettingsService } from '../settings/settings.service';
import { addDaysIso, amsterdamDate, daysBetween } from './dates';
import { collectionCostsCents } from './documents/collection-costs';
import { Invoice, InvoiceReminder, InvoicingSettings, ReminderLevel } from './invoicing.entities';

export const REMINDER_QUEUE = 'invoicing.reminders';

export interface ReminderRun {
  today: string;
  sent: { invoiceId: string; number: string; level: ReminderLevel; collectionCostsCents: number }[];
}

/** The next step for an overdue invoice, or null when none is due yet. */
export function nextReminder(
  invoice: { reminderLevel: number; dueDate: string; consumer: boolean },
  today: string,
  settings: Pick<InvoicingSettings, 'firstReminderDays' | 'secondReminderDays' | 'finalStepDays'>,
): ReminderLevel | null {
  const overdue = daysBetween(invoice.dueDate, today);
  if (overdue <= 0) return null;
  if (invoice.reminderLevel === 0 && overdue >= settings.firstReminderDays) return 'first';
  if (invoice.reminderLevel === 1 && overdue >= settings.secondReminderDays) return 'second';
  if (invoice.reminderLevel === 2 && overdue >= settings.finalStepDays) return invoice.consumer ? 'notice' : 'final_demand';
  return null;
}

/**
 * Chases overdue invoices, once a day: a first reminder, a second, then for a consumer the
 * statutory 14-day notice (stating the collection costs the law allows, none charged before
 * it) and for a business the final demand. Each is a mail with the invoice attached, recorded
 * on the invoice in the same transaction.
 */
@Injectable()
export class RemindersService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly jobs: JobsService,
    private readonly outbox: MailOutbox,
    private readonly settings: SettingsService,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.jobs.define<{ today?: string }, ReminderRun>(REMINDER_QUEUE, (job) => this.run(job.data.today), { cron: '0 7 * * *' });
  }

  async run(today = amsterdamDate(new Date())): Promise<ReminderRun> {
    const settings = await this.db.manager.findOneByOrFail(InvoicingSettings, { id: 1 });
    const institute = await this.settings.get();
    const candidates = await this.db.manager
      .getRepository(Invoice)
      .createQueryBuilder('invoice')
      .where(`invoice.kind = 'invoice' AND invoice.status IN ('issued', 'partially_paid') AND invoice.due_date < :today AND invoice.reminder_level < 3`, { today })
      .orderBy('invoice.due_date')
      .getMany();
    const run: ReminderRun = { today, sent: [] };
    for (const candidate of candidates) {
      await this.db.transaction(async (manager) => {
        const invoice = await manager
          .getRepository(Invoice)
          .createQueryBuilder('invoice')
          .addSelect('invoice.pdf')
          .setLock('pessimistic_write')
          .setOnLocked('skip_locked')
          .where('invoice.id = :id', { id: candidate.id })
          .getOne();
        if (!invoice || !['issued', 'partially_paid'].includes(invoice.status)) return;
        const consumer = invoice.buyer?.kind === 'student';
        const level = nextReminder({ reminderLevel: invoice.reminderLevel, dueDate: invoice.dueDate!, consumer }, today, settings);
        if (!level) return;
        const outstanding = invoice.grossCents - invoice.creditedCents - invoice.paidCents;
        const costs = level === 'notice' ? collectionCostsCents(outstanding) : 0;
        // Fourteen days after the day after sending, when the letter counts as received.
        const payBy = addDaysIso(today, level === 'notice' ? 15 : 14);
        let mailId: string | null = null;
        if (invoice.buyer?.email) {
          const mail = await this.outbox.enqueue(manager, {
            type: 'invoice-reminder',
            locale: invoice.locale,
            to: { email: invoice.buyer.email, name: invoice.buyer.name },
            ...(invoice.studentId ? { studentId: invoice.studentId } : {}),
            billingPartyId: invoice.billingPartyId,
            // An issued invoice has its number, dates and payment reference.
            data: {
              second: level === 'second',
              notice: level === 'notice',
              finalDemand: level === 'final_demand',
              recipientName: invoice.buyer.name,
              number: invoice.number!,
              issueDate: invoice.issueDate!,
              dueDate: invoice.dueDate!,
              outstandingCents: outstanding,
              payBy,
              ...(costs ? { collectionCostsCents: costs } : {}),
              paymentReference: invoice.paymentReference!,
              iban: institute.iban,
            },
            attachments: [{ filename: `${invoice.number}.pdf`, contentType: 'application/pdf', content: invoice.pdf! }],
            idempotencyKey: `invoice-reminder:${invoice.id}:${level}`,
          });
          mailId = mail.id;
        }
        await manager.save(manager.create(InvoiceReminder, { invoiceId: invoice.id, level, sentOn: today, outstandingCents: outstanding, collectionCostsCents: costs, mailId }));
        const recorded = await manager.findOneByOrFail(Invoice, { id: invoice.id });
        recorded.reminderLevel = invoice.reminderLevel + 1;
        await manager.save(recorded);
        run.sent.push({ invoiceId: invoice.id, number: invoice.number!, level, collectionCostsCents: costs });
      });
    }
    return run;
  }

  history(invoiceId: string): Promise<InvoiceReminder[]> {
    return this.db.manager.find(InvoiceReminder, { where: { invoiceId }, order: { createdAt: 'ASC' } });
  }
}
