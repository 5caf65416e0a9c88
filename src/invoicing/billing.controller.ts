import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiProduces, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { ApiPage } from '../http/api-page.decorator';
import { Page, pageFrom } from '../http/pagination';
import type { Actor } from '../kernel/request-context';
import { BatchesService } from './batches.service';
import {
  AgeingRowDto,
  BatchSelectionDto,
  BillableItemDto,
  BillableItemInputDto,
  BillableItemQuery,
  CamtImportDto,
  CamtImportReportDto,
  CreditApplicationDto,
  CreditBalanceDto,
  CreditMovementDto,
  CreditRefundDto,
  DateRangeQuery,
  DryRunReportDto,
  ExportQuery,
  InvoiceBatchDto,
  PaymentDto,
  PaymentInputDto,
  PaymentQuery,
  ReminderRunDto,
  ReminderRunInputDto,
  RevenueRowDto,
  SplitItemDto,
} from './dto/invoicing.dto';
import { CreditsService } from './credits.service';
import { BillableItem, InvoiceBatch } from './invoicing.entities';
import { LedgerService } from './ledger.service';
import { PaymentsService } from './payments.service';
import { RemindersService } from './reminders.service';
import { InvoiceReportsService } from './reports.service';

@ApiTags('invoicing')
@Controller('billable-items')
export class BillableItemsController {
  constructor(
    private readonly ledger: LedgerService,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  /** Materials, exam fees and manual lines to bill; a `key` of your own makes a retry add nothing. */
  @Post()
  @Roles('finance')
  @ApiCreatedResponse({ type: BillableItemDto })
  create(@Body() input: BillableItemInputDto): Promise<BillableItemDto> {
    return this.ledger.addManual(input);
  }

  @Get()
  @Roles('finance')
  @ApiPage(BillableItemDto)
  list(@Query() query: BillableItemQuery): Promise<Page<BillableItemDto>> {
    const qb = this.db.getRepository(BillableItem).createQueryBuilder('item').orderBy('item.billable_on', 'DESC').addOrderBy('item.key');
    if (query.billingPartyId) qb.andWhere('item.billing_party_id = :party', { party: query.billingPartyId });
    if (query.enrolmentId) qb.andWhere('item.enrolment_id = :enrolment', { enrolment: query.enrolmentId });
    if (query.status) qb.andWhere('item.status = :status', { status: query.status });
    if (query.creditDue === true) qb.andWhere('item.credit_due IS NOT NULL AND item.credit_note_id IS NULL');
    if (query.creditDue === false) qb.andWhere('(item.credit_due IS NULL OR item.credit_note_id IS NOT NULL)');
    return pageFrom(qb, query);
  }

  /** A payment plan: open tuition split into installments with their own due dates. */
  @Post(':id/installments')
  @Roles('finance')
  @ApiCreatedResponse({ type: [BillableItemDto] })
  @ApiNotFoundResponse()
  split(@Param('id', ParseUUIDPipe) id: string, @Body() input: SplitItemDto): Promise<BillableItemDto[]> {
    return this.ledger.splitIntoInstallments(id, input.terms, input.firstDueOn, input.intervalMonths);
  }
}

@ApiTags('invoicing')
@Controller('payments')
export class PaymentsController {
  constructor(private readonly payments: PaymentsService) {}

  /** A payment against an issued invoice (more than due is kept as credit), or a refund against a credit note. */
  @Post()
  @Roles('finance')
  @ApiCreatedResponse({ type: PaymentDto })
  register(@Body() input: PaymentInputDto): Promise<PaymentDto> {
    return this.payments.register(input);
  }

  @Get()
  @Roles('finance')
  @ApiPage(PaymentDto)
  list(@Query() query: PaymentQuery): Promise<Page<PaymentDto>> {
    return this.payments.list(query);
  }

  /** A bank statement (CAMT.053): credit entries matched to invoices by payment reference; the rest reported. */
  @Post('camt053')
  @HttpCode(200)
  @Roles('finance')
  @ApiOkResponse({ type: CamtImportReportDto })
  importStatement(@Body() input: CamtImportDto): Promise<CamtImportReportDto> {
    return this.payments.importCamt053(input.statement);
  }
}

@ApiTags('invoicing')
@Controller('credit-balances')
export class CreditBalancesController {
  constructor(private readonly credits: CreditsService) {}

  /** The billing party's credit from overpayments, and the overpayments it is made of. */
  @Get(':billingPartyId')
  @Roles('finance')
  @ApiOkResponse({ type: CreditBalanceDto })
  @ApiNotFoundResponse()
  balance(@Param('billingPartyId', ParseUUIDPipe) billingPartyId: string): Promise<CreditBalanceDto> {
    return this.credits.balance(billingPartyId);
  }

  /** Spends credit on an issued, not fully paid invoice of the same party: a payment with method `credit`. */
  @Post(':billingPartyId/applications')
  @Roles('finance')
  @ApiCreatedResponse({ type: CreditMovementDto })
  @ApiNotFoundResponse()
  @ApiUnprocessableEntityResponse({
    description: 'no_credit, credit_exceeds_balance, credit_exceeds_amount_due, invoice_not_issued, invoice_credited, invoice_settled, not_an_invoice, invoice_other_party',
  })
  apply(@Param('billingPartyId', ParseUUIDPipe) billingPartyId: string, @Body() input: CreditApplicationDto): Promise<CreditMovementDto> {
    return this.credits.apply(billingPartyId, input);
  }

  /** Pays credit back to the party: a refund against the invoice each overpayment was made on. */
  @Post(':billingPartyId/refunds')
  @Roles('finance')
  @ApiCreatedResponse({ type: CreditMovementDto })
  @ApiNotFoundResponse()
  @ApiUnprocessableEntityResponse({ description: 'no_credit, credit_exceeds_balance' })
  refund(@Param('billingPartyId', ParseUUIDPipe) billingPartyId: string, @Body() input: CreditRefundDto): Promise<CreditMovementDto> {
    return this.credits.refund(billingPartyId, input);
  }
}

@ApiTags('invoicing')
@Controller('invoice-batches')
export class InvoiceBatchesController {
  constructor(private readonly batches: BatchesService) {}

  /** What a run would bill: counts, totals per VAT rate and billing party, warnings. Changes nothing. */
  @Post('dry-run')
  @HttpCode(200)
  @Roles('finance')
  @ApiOkResponse({ type: DryRunReportDto })
  dryRun(@Body() selection: BatchSelectionDto): Promise<DryRunReportDto> {
    return this.batches.dryRun(selection);
  }

  /** Starts a run as a job; its progress at GET /jobs/{jobId}, its report here when done. */
  @Post()
  @HttpCode(202)
  @Roles('finance')
  @ApiAcceptedResponse({ type: InvoiceBatchDto })
  async start(@Body() selection: BatchSelectionDto, @CurrentActor() actor: Actor): Promise<InvoiceBatchDto> {
    return batchView(await this.batches.start(selection, { id: actor.id, email: actor.email }));
  }

  @Get()
  @Roles('finance')
  @ApiPage(InvoiceBatchDto)
  async list(@Query() query: PaymentQuery): Promise<Page<InvoiceBatchDto>> {
    const page = await this.batches.list(query);
    return { ...page, items: page.items.map(batchView) };
  }

  @Get(':id')
  @Roles('finance')
  @ApiOkResponse({ type: InvoiceBatchDto })
  @ApiNotFoundResponse()
  async get(@Param('id', ParseUUIDPipe) id: string): Promise<InvoiceBatchDto> {
    return batchView(await this.batches.get(id));
  }
}

function batchView(batch: InvoiceBatch): InvoiceBatchDto {
  const { version: _version, updatedAt: _updatedAt, ...rest } = batch;
  return rest as unknown as InvoiceBatchDto;
}

@ApiTags('invoicing')
@Controller('invoice-reports')
export class InvoiceReportsController {
  constructor(
    private readonly reports: InvoiceReportsService,
    private readonly reminders: RemindersService,
  ) {}

  /** Outstanding per billing party in ageing buckets (days past due). */
  @Get('ageing')
  @Roles('finance')
  @ApiOkResponse({ type: [AgeingRowDto] })
  ageing(): Promise<AgeingRowDto[]> {
    return this.reports.ageing();
  }

  /** Net revenue and VAT per month and VAT rate, credit notes subtracted. */
  @Get('revenue')
  @Roles('finance')
  @ApiOkResponse({ type: [RevenueRowDto] })
  revenue(@Query() query: DateRangeQuery): Promise<RevenueRowDto[]> {
    return this.reports.revenue(query.from, query.to);
  }

  /** Invoices and payments for the accountant, CSV (default) or XLSX. */
  @Get('export')
  @Roles('finance')
  @ApiProduces('text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  @ApiOkResponse({
    content: {
      'text/csv': { schema: { type: 'string' } },
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: { type: 'string', format: 'binary' } },
    },
  })
  async export(@Query() query: ExportQuery, @Res() response: Response): Promise<void> {
    const name = `invoices-${query.from}-${query.to}`;
    if (query.format === 'xlsx') {
      const book = await this.reports.xlsx(query.from, query.to);
      response.setHeader('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      response.setHeader('Content-Disposition', `attachment; filename="${name}.xlsx"`);
      response.send(book);
      return;
    }
    response.setHeader('Content-Type', 'text/csv; charset=utf-8');
    response.setHeader('Content-Disposition', `attachment; filename="${name}.csv"`);
    response.send(await this.reports.csv(query.from, query.to));
  }

  /** Runs the reminder step now (it also runs every morning at 07:00). */
  @Post('reminders/run')
  @HttpCode(200)
  @Roles('finance')
  @ApiOkResponse({ type: ReminderRunDto })
  runReminders(@Body() input: ReminderRunInputDto): Promise<ReminderRunDto> {
    return this.reminders.run(input.today);
  }
}
