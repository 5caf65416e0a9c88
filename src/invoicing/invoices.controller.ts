import { Body, Controller, Get, Header, HttpCode, Param, ParseUUIDPipe, Post, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiProduces, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { ApiPage } from '../http/api-page.decorator';
import { Page } from '../http/pagination';
import type { Actor } from '../kernel/request-context';
import { amsterdamDate } from './dates';
import { CreateInvoiceDto, CreditInvoiceDto, InvoiceDto, InvoiceQuery, InvoiceSummaryDto, ReminderDto } from './dto/invoicing.dto';
import { invoiceSummary, invoiceView } from './invoice-views';
import { InvoicesService } from './invoices.service';
import { RemindersService } from './reminders.service';

@ApiTags('invoices')
@Controller('invoices')
export class InvoicesController {
  constructor(
    private readonly invoices: InvoicesService,
    private readonly reminders: RemindersService,
  ) {}

  /** A draft from open ledger items of one billing party and/or manual lines. It has no number until issued. */
  @Post()
  @Roles('finance')
  @ApiCreatedResponse({ type: InvoiceDto })
  async create(@Body() input: CreateInvoiceDto, @CurrentActor() actor: Actor): Promise<InvoiceDto> {
    const draft = await this.invoices.createDraft(input);
    return this.view(draft.id, actor);
  }

  /** Finance sees every invoice; a student their own issued invoices. `status=overdue` finds unpaid invoices past their due date. */
  @Get()
  @Roles('finance', 'student')
  @ApiPage(InvoiceSummaryDto)
  async list(@Query() query: InvoiceQuery, @CurrentActor() actor: Actor): Promise<Page<InvoiceSummaryDto>> {
    const today = amsterdamDate(new Date());
    const page = await this.invoices.list(query, actor);
    return { ...page, items: page.items.map((invoice) => invoiceSummary(invoice, today)) };
  }

  @Get(':id')
  @Roles('finance', 'student')
  @ApiOkResponse({ type: InvoiceDto })
  @ApiNotFoundResponse()
  get(@Param('id', ParseUUIDPipe) id: string, @CurrentActor() actor: Actor): Promise<InvoiceDto> {
    return this.view(id, actor);
  }

  /** Gives the draft the next number of the year's series, renders and stores its PDF and UBL, and mails it. From then on it never changes. */
  @Post(':id/issue')
  @HttpCode(200)
  @Roles('finance')
  @ApiOkResponse({ type: InvoiceDto })
  @ApiNotFoundResponse()
  @ApiUnprocessableEntityResponse({ description: 'Not a draft, or the billing party lacks what an invoice needs' })
  async issue(@Param('id', ParseUUIDPipe) id: string, @CurrentActor() actor: Actor): Promise<InvoiceDto> {
    await this.invoices.issue(id);
    return this.view(id, actor);
  }

  /** A credit note (own number series) for the whole invoice or some lines, never more than is left to credit. */
  @Post(':id/credit-notes')
  @Roles('finance')
  @ApiCreatedResponse({ type: InvoiceDto })
  @ApiNotFoundResponse()
  @ApiUnprocessableEntityResponse({ description: 'More than is left to credit, or not an issued invoice' })
  async credit(@Param('id', ParseUUIDPipe) id: string, @Body() input: CreditInvoiceDto, @CurrentActor() actor: Actor): Promise<InvoiceDto> {
    const note = await this.invoices.credit(id, input);
    return this.view(note.id, actor);
  }

  /** The PDF as issued, byte for byte; its SHA-256 in the X-Content-SHA256 header. */
  @Get(':id/pdf')
  @Roles('finance', 'student')
  @ApiProduces('application/pdf')
  @ApiOkResponse({ content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } } })
  @ApiNotFoundResponse()
  @Header('Cache-Control', 'private, no-store')
  async pdf(@Param('id', ParseUUIDPipe) id: string, @CurrentActor() actor: Actor, @Res({ passthrough: true }) response: Response): Promise<StreamableFile> {
    const { invoice, content, sha256 } = await this.invoices.document(id, actor, 'pdf');
    response.setHeader('X-Content-SHA256', sha256);
    return new StreamableFile(content, { type: 'application/pdf', disposition: `attachment; filename="${invoice.number}.pdf"` });
  }

  /** The UBL 2.1 e-invoice (Peppol BIS Billing 3.0) as issued; its SHA-256 in the X-Content-SHA256 header. */
  @Get(':id/ubl')
  @Roles('finance', 'student')
  @ApiProduces('application/xml')
  @ApiOkResponse({ content: { 'application/xml': { schema: { type: 'string' } } } })
  @ApiNotFoundResponse()
  @Header('Cache-Control', 'private, no-store')
  async ubl(@Param('id', ParseUUIDPipe) id: string, @CurrentActor() actor: Actor, @Res({ passthrough: true }) response: Response): Promise<StreamableFile> {
    const { invoice, content, sha256 } = await this.invoices.document(id, actor, 'ubl');
    response.setHeader('X-Content-SHA256', sha256);
    return new StreamableFile(content, { type: 'application/xml; charset=utf-8', disposition: `attachment; filename="${invoice.number}.xml"` });
  }

  /** The reminders sent for the invoice. */
  @Get(':id/reminders')
  @Roles('finance')
  @ApiOkResponse({ type: [ReminderDto] })
  @ApiNotFoundResponse()
  async reminderHistory(@Param('id', ParseUUIDPipe) id: string, @CurrentActor() actor: Actor): Promise<ReminderDto[]> {
    await this.invoices.get(id, actor);
    return this.reminders.history(id);
  }

  private async view(id: string, actor: Actor): Promise<InvoiceDto> {
    const invoice = await this.invoices.get(id, actor);
    return invoiceView(invoice, await this.invoices.lines(id), amsterdamDate(new Date()));
  }
}
