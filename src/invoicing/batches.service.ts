import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { EnrolmentDirectory } from '../enrolment/enrolment-directory';
import { JobRequester, JobsService } from '../jobs/jobs.service';
import { BusinessRuleError, NotFoundError } from '../kernel/domain-errors';
import { Page, PageQuery, pageFrom } from '../http/pagination';
import { periodBounds } from './dates';
import { CreditsService } from './credits.service';
import { computeTotals, VAT_CATEGORIES, VatCategory } from './documents/totals';
import { InvoicesService } from './invoices.service';
import { BillableItem, BillableKind, InvoiceBatch } from './invoicing.entities';

export const BATCH_QUEUE = 'invoicing.batch';
/** Invoices issued per transaction: their numbers and documents commit together or not at all. */
const CHUNK = 25;

export interface BatchSelection {
  /** YYYY-MM: items billable up to the end of this month. */
  period: string;
  editionIds?: string[];
  kinds?: BillableKind[];
  billingPartyIds?: string[];
  /** One invoice per enrolment, or one per billing party collecting all its items. */
  grouping?: 'per_enrolment' | 'per_party';
}

export interface BatchWarning {
  billingPartyId: string;
  name: string;
  warning: 'missing_address' | 'no_vat_number_for_e_invoice' | 'no_email' | 'unknown_billing_party' | 'credit_available';
  creditCents?: number;
}

export interface DryRunReport {
  period: string;
  invoices: number;
  items: number;
  totalCents: number;
  totalsPerVatRate: { category: VatCategory; percent: number; taxableCents: number; vatCents: number }[];
  perBillingParty: { billingPartyId: string; name: string; invoices: number; items: number; totalCents: number }[];
  warnings: BatchWarning[];
}

export interface BatchReport {
  billed: { invoiceId: string; number: string; billingPartyId: string; items: number; totalCents: number }[];
  skipped: { billingPartyId: string; items: number; reason: string }[];
  failed: { billingPartyId: string; items: number; error: string }[];
}

interface Group {
  billingPartyId: string;
  items: BillableItem[];
}

/**
 * Invoice runs: a dry run that changes nothing, and a run as a job that bills every open item
 * of the selection once. The ledger makes it idempotent: an item is billed by locking it and
 * marking it invoiced in the transaction that issues its invoice, so a run started twice, or
 * stopped and started again, bills only what is left.
 */
@Injectable()
export class BatchesService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly jobs: JobsService,
    private readonly invoices: InvoicesService,
    private readonly directory: EnrolmentDirectory,
    private readonly credits: CreditsService,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.jobs.define<{ batchId: string }, BatchReport>(BATCH_QUEUE, (job) => this.run(job.data.batchId, (done, total) => job.progress(done, total)), {
      retryLimit: 1,
      expireInSeconds: 60 * 60,
    });
  }

  list(query: PageQuery): Promise<Page<InvoiceBatch>> {
    return pageFrom(this.db.getRepository(InvoiceBatch).createQueryBuilder('batch').orderBy('batch.created_at', 'DESC').addOrderBy('batch.id'), query);
  }

  async get(id: string): Promise<InvoiceBatch> {
    const batch = await this.db.manager.findOneBy(InvoiceBatch, { id });
    if (!batch) throw new NotFoundError('Invoice batch', id);
    return batch;
  }

  /** The open items of a selection, grouped into the invoices a run would make. */
  private async groups(manager: EntityManager, selection: BatchSelection): Promise<Group[]> {
    const { last } = periodBounds(selection.period);
    const qb = manager
      .getRepository(BillableItem)
      .createQueryBuilder('item')
      // Only what grouping and totals need: a run of tens of thousands of items stays small in memory.
      .select(['item.id', 'item.billingPartyId', 'item.enrolmentId', 'item.quantity', 'item.unitPriceCents', 'item.vatCategory'])
      .where(`item.status = 'open'`)
      .andWhere('item.billable_on <= :last', { last })
      .orderBy('item.billing_party_id')
      .addOrderBy('item.enrolment_id')
      .addOrderBy('item.billable_on')
      .addOrderBy('item.key');
    if (selection.editionIds?.length) qb.andWhere('item.edition_id IN (:...editions)', { editions: selection.editionIds });
    if (selection.kinds?.length) qb.andWhere('item.kind IN (:...kinds)', { kinds: selection.kinds });
    if (selection.billingPartyIds?.length) qb.andWhere('item.billing_party_id IN (:...parties)', { parties: selection.billingPartyIds });
    const items = await qb.getMany();
    const groups = new Map<string, Group>();
    for (const item of items) {
      const key = selection.grouping === 'per_party' ? item.billingPartyId : `${item.billingPartyId}/${item.enrolmentId ?? item.id}`;
      const group = groups.get(key) ?? { billingPartyId: item.billingPartyId, items: [] };
      group.items.push(item);
      groups.set(key, group);
    }
    return [...groups.values()];
  }

  private async warningsFor(partyIds: string[]): Promise<{ warnings: BatchWarning[]; names: Map<string, string>; blocked: Map<string, string> }> {
    const warnings: BatchWarning[] = [];
    const names = new Map<string, string>();
    const blocked = new Map<string, string>();
    for (const id of partyIds) {
      const party = await this.directory.billingParty(id);
      if (!party) {
        warnings.push({ billingPartyId: id, name: '', warning: 'unknown_billing_party' });
        blocked.set(id, 'unknown billing party');
        continue;
      }
      names.set(id, party.name);
      if (!party.address) {
        warnings.push({ billingPartyId: id, name: party.name, warning: 'missing_address' });
        blocked.set(id, 'billing party has no postal address');
      }
      if (party.kind === 'employer' && party.peppolId && !party.vatNumber) warnings.push({ billingPartyId: id, name: party.name, warning: 'no_vat_number_for_e_invoice' });
      if (!party.contactEmail) warnings.push({ billingPartyId: id, name: party.name, warning: 'no_email' });
    }
    return { warnings, names, blocked };
  }

  /** What a run would bill, without changing anything. */
  async dryRun(selection: BatchSelection): Promise<DryRunReport> {
    const groups = await this.groups(this.db.manager, selection);
    const partyIds = [...new Set(groups.map((group) => group.billingPartyId))];
    const { warnings, names } = await this.warningsFor(partyIds);
    // A run never spends credit (see the README): finance is told, to apply or refund it.
    for (const [billingPartyId, creditCents] of await this.credits.balances(partyIds)) {
      warnings.push({ billingPartyId, name: names.get(billingPartyId) ?? '', warning: 'credit_available', creditCents });
    }
    const perRate = new Map<VatCategory, { category: VatCategory; percent: number; taxableCents: number; vatCents: number }>();
    const perParty = new Map<string, DryRunReport['perBillingParty'][number]>();
    let totalCents = 0;
    for (const group of groups) {
      const totals = computeTotals(group.items);
      totalCents += totals.grossCents;
      for (const entry of totals.vat) {
        const sum = perRate.get(entry.category) ?? { category: entry.category, percent: entry.percent, taxableCents: 0, vatCents: 0 };
        sum.taxableCents += entry.taxableCents;
        sum.vatCents += entry.vatCents;
        perRate.set(entry.category, sum);
      }
      const party = perParty.get(group.billingPartyId) ?? { billingPartyId: group.billingPartyId, name: names.get(group.billingPartyId) ?? '', invoices: 0, items: 0, totalCents: 0 };
      party.invoices++;
      party.items += group.items.length;
      party.totalCents += totals.grossCents;
      perParty.set(group.billingPartyId, party);
    }
    return {
      period: selection.period,
      invoices: groups.length,
      items: groups.reduce((sum, group) => sum + group.items.length, 0),
      totalCents,
      totalsPerVatRate: VAT_CATEGORIES.filter((category) => perRate.has(category)).map((category) => perRate.get(category)!),
      perBillingParty: [...perParty.values()],
      warnings,
    };
  }

  /** Records the run and queues its job; the job's progress is at GET /jobs/{id}. */
  async start(selection: BatchSelection, requestedBy: JobRequester | null): Promise<InvoiceBatch> {
    return this.db.transaction(async (manager) => {
      const batch = await manager.save(manager.create(InvoiceBatch, { period: selection.period, selection: { ...selection }, status: 'queued', jobId: null, report: null, requestedBy: requestedBy?.id ?? null, finishedAt: null }));
      batch.jobId = await this.jobs.start(BATCH_QUEUE, { batchId: batch.id }, { manager, ...(requestedBy ? { requestedBy } : {}) });
      return manager.save(batch);
    });
  }

  /** A new batch record for the CLI, which runs the work itself. */
  async create(selection: BatchSelection, requestedBy: string | null): Promise<InvoiceBatch> {
    return this.db.manager.save(this.db.manager.create(InvoiceBatch, { period: selection.period, selection: { ...selection }, status: 'queued', jobId: null, report: null, requestedBy, finishedAt: null }));
  }

  /**
   * The run: groups of open items become invoices, issued CHUNK at a time, each chunk in one
   * transaction (numbers, documents, mails and ledger marks commit together). An item taken
   * meanwhile by another run or a manual invoice is left to that one.
   */
  async run(batchId: string, progress: (done: number, total: number) => Promise<void> | void = () => undefined): Promise<BatchReport> {
    const batch = await this.get(batchId);
    if (batch.status === 'completed') throw new BusinessRuleError('batch_completed', 'This batch has run; start a new one to bill what is left');
    batch.status = 'running';
    await this.db.manager.save(batch);
    const selection = batch.selection as unknown as BatchSelection;
    const report: BatchReport = { billed: [], skipped: [], failed: [] };
    try {
      const groups = await this.groups(this.db.manager, selection);
      const { blocked } = await this.warningsFor([...new Set(groups.map((group) => group.billingPartyId))]);
      const billable = groups.filter((group) => {
        const reason = blocked.get(group.billingPartyId);
        if (reason) report.skipped.push({ billingPartyId: group.billingPartyId, items: group.items.length, reason });
        return !reason;
      });
      const seller = await this.invoices.seller();
      let done = 0;
      await progress(0, billable.length);
      for (let start = 0; start < billable.length; start += CHUNK) {
        const chunk = billable.slice(start, start + CHUNK);
        try {
          const issued = await this.db.transaction(async (manager) => {
            const drafts: { id: string; group: Group }[] = [];
            for (const group of chunk) {
              // Items billed since the groups were read (another run, a manual invoice) are skipped.
              const stillOpen = await manager
                .getRepository(BillableItem)
                .createQueryBuilder('item')
                .setLock('pessimistic_write')
                .setOnLocked('skip_locked')
                .where('item.id IN (:...ids)', { ids: group.items.map((item) => item.id) })
                .andWhere(`item.status = 'open'`)
                .getMany();
              if (stillOpen.length === 0) {
                report.skipped.push({ billingPartyId: group.billingPartyId, items: group.items.length, reason: 'already billed' });
                continue;
              }
              const draft = await this.invoices.createDraftIn(manager, { billingPartyId: group.billingPartyId, itemIds: stillOpen.map((item) => item.id) }, batch.id);
              drafts.push({ id: draft.id, group: { ...group, items: stillOpen } });
            }
            const invoices = await this.invoices.issueManyIn(manager, drafts.map((draft) => draft.id), { seller });
            return invoices.map((invoice, index) => ({ invoice, group: drafts[index].group }));
          });
          for (const { invoice, group } of issued) {
            report.billed.push({ invoiceId: invoice.id, number: invoice.number!, billingPartyId: group.billingPartyId, items: group.items.length, totalCents: invoice.grossCents });
          }
        } catch (error) {
          // One bad group must not stop the run: retry the chunk's groups one by one.
          if (chunk.length > 1) {
            for (const group of chunk) await this.runOne(batch.id, group, seller, report);
          } else {
            report.failed.push({ billingPartyId: chunk[0].billingPartyId, items: chunk[0].items.length, error: (error as Error).message });
          }
        }
        done += chunk.length;
        await progress(done, billable.length);
      }
      batch.status = 'completed';
    } catch (error) {
      batch.status = 'failed';
      report.failed.push({ billingPartyId: '', items: 0, error: (error as Error).message });
    }
    batch.report = report as unknown as Record<string, unknown>;
    batch.finishedAt = new Date();
    await this.db.manager.save(batch);
    return report;
  }

  private async runOne(batchId: string, group: Group, seller: Awaited<ReturnType<InvoicesService['seller']>>, report: BatchReport): Promise<void> {
    try {
      const invoice = await this.db.transaction(async (manager) => {
        const stillOpen = await manager
          .getRepository(BillableItem)
          .createQueryBuilder('item')
          .setLock('pessimistic_write')
          .setOnLocked('skip_locked')
          .where('item.id IN (:...ids)', { ids: group.items.map((item) => item.id) })
          .andWhere(`item.status = 'open'`)
          .getMany();
        if (stillOpen.length === 0) return null;
        const draft = await this.invoices.createDraftIn(manager, { billingPartyId: group.billingPartyId, itemIds: stillOpen.map((item) => item.id) }, batchId);
        return this.invoices.issueIn(manager, draft.id, { seller });
      });
      if (invoice) report.billed.push({ invoiceId: invoice.id, number: invoice.number!, billingPartyId: group.billingPartyId, items: group.items.length, totalCents: invoice.grossCents });
      else report.skipped.push({ billingPartyId: group.billingPartyId, items: group.items.length, reason: 'already billed' });
    } catch (error) {
      report.failed.push({ billingPartyId: group.billingPartyId, items: group.items.length, error: (error as Error).message });
    }
  }
}
