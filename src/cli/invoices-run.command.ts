import { CliCommand, Command, validated } from './cli-command';
import { runWithProgressBar } from './progress-bar';
import { JobsService } from '../jobs/jobs.service';
import { BATCH_QUEUE, BatchesService, BatchReport } from '../invoicing/batches.service';
import { BatchSelectionDto } from '../invoicing/dto/invoicing.dto';
import { decimalAmount } from '../invoicing/documents/totals';

@Command({
  name: 'invoices:run',
  description: 'Bill every open item up to the end of a month: issue the invoices, render PDF and UBL, queue the mails',
  options: [
    { flags: '--period <period>', description: 'the month, YYYY-MM', required: true },
    { flags: '--grouping <grouping>', description: 'per_enrolment (default) or per_party' },
    { flags: '--dry-run', description: 'only show what would be billed' },
  ],
})
export class InvoicesRunCommand implements CliCommand {
  constructor(
    private readonly batches: BatchesService,
    private readonly jobs: JobsService,
  ) {}

  async run(options: Record<string, string | boolean | undefined>): Promise<void> {
    const selection = await validated(BatchSelectionDto, { period: options.period, ...(options.grouping ? { grouping: options.grouping } : {}) });
    if (options.dryRun) {
      const report = await this.batches.dryRun(selection);
      process.stdout.write(`Period ${report.period}: ${report.invoices} invoices, ${report.items} items, total € ${decimalAmount(report.totalCents)}\n`);
      for (const rate of report.totalsPerVatRate) {
        process.stdout.write(`  ${rate.category.padEnd(8)} taxable € ${decimalAmount(rate.taxableCents)}  VAT € ${decimalAmount(rate.vatCents)}\n`);
      }
      for (const party of report.perBillingParty) process.stdout.write(`  ${party.name}: ${party.invoices} invoices, € ${decimalAmount(party.totalCents)}\n`);
      for (const warning of report.warnings) process.stdout.write(`  warning: ${warning.name || warning.billingPartyId}: ${warning.warning}\n`);
      return;
    }
    const batch = await this.batches.create(selection, null);
    const report = await runWithProgressBar<{ batchId: string }, BatchReport>(this.jobs, `Invoicing ${selection.period}`, BATCH_QUEUE, { batchId: batch.id });
    process.stdout.write(`Batch ${batch.id}: ${report.billed.length} billed, ${report.skipped.length} skipped, ${report.failed.length} failed\n`);
    for (const skipped of report.skipped) process.stdout.write(`  skipped ${skipped.billingPartyId} (${skipped.items} items): ${skipped.reason}\n`);
    for (const failed of report.failed) process.stdout.write(`  failed ${failed.billingPartyId} (${failed.items} items): ${failed.error}\n`);
    if (report.failed.length) process.exitCode = 1;
  }
}
