import { Controller, Get, Header, Param, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Public, Roles } from '../auth/auth.decorators';
import { STAFF } from '../kernel/role';
import { ApiPage } from '../http/api-page.decorator';
import { Page, PageQuery } from '../http/pagination';
import { InboxMessageDetailDto, InboxMessageDto } from './dto/inbox-message.dto';
import { INBOX_PAGE } from './inbox-page';
import { MailInbox } from './mail-inbox.service';

@ApiTags('mail')
@Controller('mail/inbox')
export class MailInboxController {
  constructor(private readonly inbox: MailInbox) {}

  /** The staff page that shows the development .eml mail; it holds no data and signs in by itself. */
  @Public()
  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  @ApiProduces('text/html')
  page(): string {
    return INBOX_PAGE;
  }

  /** The .eml files written without SMTP_URL, newest first (empty when mail goes to an SMTP server). */
  @Roles(...STAFF)
  @Get('messages')
  @ApiPage(InboxMessageDto)
  list(@Query() query: PageQuery): Promise<Page<InboxMessageDto>> {
    return this.inbox.list(query);
  }

  /** One .eml file read back: headers, both parts (inline images as data URLs) and attachments. */
  @Roles(...STAFF)
  @Get('messages/:file')
  @ApiNotFoundResponse()
  get(@Param('file') file: string): Promise<InboxMessageDetailDto> {
    return this.inbox.get(file);
  }
}
