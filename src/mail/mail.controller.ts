import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiHeader, ApiNotFoundResponse, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { STAFF } from '../kernel/role';
import { ApiPage } from '../http/api-page.decorator';
import { Page, pageOfAll, PageQuery } from '../http/pagination';
import type { Actor } from '../kernel/request-context';
import { MailMessageDetailDto, MailMessageDto, MailMessageQuery } from './dto/mail-message.dto';
import { MailTemplateDto, PreviewMailDto, RenderedMailDto } from './dto/mail-template.dto';
import { MailMessagesService } from './mail-messages.service';
import { MailOutbox } from './mail-outbox.service';
import { MailTemplates } from './templates/mail-templates';

@ApiTags('mail')
@Controller('mail')
export class MailController {
  constructor(
    private readonly templates: MailTemplates,
    private readonly outbox: MailOutbox,
    private readonly messages: MailMessagesService,
  ) {}

  /** Every mail template with its locales, declared variables and sample data. */
  @Roles(...STAFF)
  @Get('templates')
  @ApiPage(MailTemplateDto)
  listTemplates(@Query() query: PageQuery): Page<MailTemplateDto> {
    // A few dozen templates, read from disk at boot: paged in memory.
    return pageOfAll(this.templates.list(), query);
  }

  /** Renders a template with the institute's particulars and its sample data, or the given data. */
  @Roles(...STAFF)
  @Post('templates/:name/preview')
  @HttpCode(200)
  @ApiNotFoundResponse({ description: 'No such template' })
  @ApiBadRequestResponse({ description: 'A variable is missing or has the wrong type (named in `errors`)' })
  preview(@Param('name') name: string, @Body() body: PreviewMailDto): Promise<RenderedMailDto> {
    return this.outbox.preview(name, body.locale, body.data);
  }

  /** The outbox, newest first. A student sees only the messages sent to them. */
  @Roles(...STAFF, 'student')
  @Get('messages')
  @ApiPage(MailMessageDto)
  list(@Query() query: MailMessageQuery, @CurrentActor() actor: Actor): Promise<Page<MailMessageDto>> {
    return this.messages.list(query, actor);
  }

  /** One message as it was (or will be) sent: both parts and the attachment list. */
  @Roles(...STAFF, 'student')
  @Get('messages/:id')
  @ApiNotFoundResponse()
  get(@Param('id', ParseUUIDPipe) id: string, @CurrentActor() actor: Actor): Promise<MailMessageDetailDto> {
    return this.messages.get(id, actor);
  }

  /**
   * Sends a sent or failed message again, deliberately: queues a copy of exactly what was
   * stored with a new Message-ID (the original keeps its history). Repeating the request with
   * the same Idempotency-Key answers the same copy; without one, every request is a new send.
   */
  @Roles(...STAFF)
  @Post('messages/:id/resend')
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Makes a retried request answer the same copy' })
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'The message is still queued or being sent' })
  resend(
    @Param('id', ParseUUIDPipe) id: string,
    @Headers('idempotency-key') requestKey: string | undefined,
  ): Promise<MailMessageDetailDto> {
    return this.messages.resend(id, requestKey?.trim() || undefined);
  }
}
