import { Module, OnModuleDestroy } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CatalogueModule } from '../catalogue/catalogue.module';
import { EnrolmentModule } from '../enrolment/enrolment.module';
import { ExamsModule } from '../exams/exams.module';
import { JobsModule } from '../jobs/jobs.module';
import { MailModule } from '../mail/mail.module';
import { SettingsModule } from '../settings/settings.module';
import { BatchesService } from './batches.service';
import { BillableItemsController, CreditBalancesController, InvoiceBatchesController, InvoiceReportsController, PaymentsController } from './billing.controller';
import { CreditsService } from './credits.service';
import { RenderPool } from './documents/render-pool';
import { InvoicesController } from './invoices.controller';
import { InvoicesService } from './invoices.service';
import { INVOICING_ENTITIES } from './invoicing.entities';
import { InvoicingPersonalData } from './invoicing-personal-data';
import { LedgerService } from './ledger.service';
import { PaymentsService } from './payments.service';
import { RemindersService } from './reminders.service';
import { InvoiceReportsService } from './reports.service';
import { TuitionSettlement } from './tuition-settlement';

/**
 * Invoicing: a ledger of billable items filled from enrolment's (and exams') domain events,
 * invoices and credit notes with gapless numbers, PDF and Peppol UBL, payments and bank
 * statements, invoice runs, reminders and reports.
 */
@Module({
  imports: [TypeOrmModule.forFeature(INVOICING_ENTITIES), EnrolmentModule, ExamsModule, CatalogueModule, SettingsModule, MailModule, JobsModule],
  controllers: [InvoicesController, BillableItemsController, PaymentsController, CreditBalancesController, InvoiceBatchesController, InvoiceReportsController],
  providers: [{ provide: RenderPool, useFactory: () => new RenderPool() }, InvoicingPersonalData, LedgerService, InvoicesService, PaymentsService, CreditsService, BatchesService, RemindersService, InvoiceReportsService, TuitionSettlement],
  exports: [LedgerService, InvoicesService, BatchesService],
})
export class InvoicingModule implements OnModuleDestroy {
  constructor(private readonly renderer: RenderPool) {}

  async onModuleDestroy(): Promise<void> {
    await this.renderer.close();
  }
}
