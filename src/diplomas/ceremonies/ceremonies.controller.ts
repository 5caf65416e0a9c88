import { Body, Controller, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post, Query, Req, Res, StreamableFile } from '@nestjs/common';
import { ApiBadRequestResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiProduces, ApiResponse, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import Handlebars from 'handlebars';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Public, Roles } from '../../auth/auth.decorators';
import { ApiPage } from '../../http/api-page.decorator';
import { Page, PageQuery } from '../../http/pagination';
import { BusinessRuleError, InvalidInputError } from '../../kernel/domain-errors';
import { STAFF } from '../../kernel/role';
import { SettingsService } from '../../settings/settings.service';
import { CeremoniesService } from './ceremonies.service';
import { CeremonyInvitations, CeremonyView, CreateCeremonyDto, InvitationAnswerDto, InvitationsSent, PublicInvitation } from './dto/ceremony.dto';

const TEMPLATE_DIR = resolve(process.cwd(), 'templates', 'diploma');
const WHEN: Record<'nl' | 'en', Intl.DateTimeFormat> = {
  nl: new Intl.DateTimeFormat('nl-NL', { dateStyle: 'full', timeStyle: 'short', timeZone: 'Europe/Amsterdam' }),
  en: new Intl.DateTimeFormat('en-GB', { dateStyle: 'full', timeStyle: 'short', timeZone: 'Europe/Amsterdam' }),
};

@ApiTags('ceremonies')
@Controller()
export class CeremoniesController {
  private readonly page = Handlebars.create().compile(readFileSync(resolve(TEMPLATE_DIR, 'invitation.hbs'), 'utf8'), { strict: true });
  private readonly texts = JSON.parse(readFileSync(resolve(TEMPLATE_DIR, 'invitation.texts.json'), 'utf8')) as Record<'nl' | 'en', Record<string, string>>;

  constructor(
    private readonly ceremonies: CeremoniesService,
    private readonly settings: SettingsService,
  ) {}

  @Post('ceremonies')
  @Roles('coordinator')
  @ApiCreatedResponse({ type: CeremonyView })
  create(@Body() input: CreateCeremonyDto): Promise<CeremonyView> {
    return this.ceremonies.create(input);
  }

  @Get('ceremonies')
  @Roles(...STAFF)
  @ApiPage(CeremonyView)
  list(@Query() query: PageQuery): Promise<Page<CeremonyView>> {
    return this.ceremonies.list(query);
  }

  @Get('ceremonies/:id')
  @Roles(...STAFF)
  @ApiNotFoundResponse()
  get(@Param('id', ParseUUIDPipe) id: string): Promise<CeremonyView> {
    return this.ceremonies.get(id);
  }

  /** Invites by mail (with an .ics and the answer link) every holder of a valid diploma of the editions not invited yet. */
  @Post('ceremonies/:id/invitations')
  @Roles('coordinator')
  @HttpCode(200)
  @ApiOkResponse({ type: InvitationsSent })
  @ApiNotFoundResponse()
  invite(@Param('id', ParseUUIDPipe) id: string): Promise<InvitationsSent> {
    return this.ceremonies.invite(id);
  }

  @Get('ceremonies/:id/invitations')
  @Roles('coordinator', 'admin')
  @ApiNotFoundResponse()
  invitations(@Param('id', ParseUUIDPipe) id: string): Promise<CeremonyInvitations> {
    return this.ceremonies.invitations(id);
  }

  /** The printable attendance list and the diplomas to bring. */
  @Get('ceremonies/:id/attendance-list.pdf')
  @Roles('coordinator', 'admin')
  @ApiProduces('application/pdf')
  @ApiOkResponse({ content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } } })
  @ApiNotFoundResponse()
  async attendanceList(@Param('id', ParseUUIDPipe) id: string): Promise<StreamableFile> {
    return new StreamableFile(await this.ceremonies.attendanceList(id), { type: 'application/pdf', disposition: `inline; filename="ceremony-${id}.pdf"` });
  }

  /** The invitation behind the mailed link: a page with the answer buttons, or JSON with `Accept: application/json`. */
  @Public()
  @Get('ceremony-invitations/:token')
  @ApiProduces('text/html', 'application/json')
  @ApiOkResponse({ type: PublicInvitation })
  @ApiNotFoundResponse()
  async invitation(@Param('token') token: string, @Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<PublicInvitation | string> {
    const { locale, ...invitation } = await this.ceremonies.publicInvitation(token);
    if (!wantsHtml(request)) return invitation;
    return this.render(response, locale, invitation, { answered: this.answerStated(locale, invitation) });
  }

  /**
   * Answers yes (with guests) or no, until the deadline and within the capacity. The page's form
   * post is sent on to the page (303), which states the answer, so reloading it posts nothing again.
   */
  @Public()
  @Post('ceremony-invitations/:token')
  @HttpCode(200)
  @ApiProduces('application/json', 'text/html')
  @ApiOkResponse({ type: PublicInvitation })
  @ApiResponse({ status: HttpStatus.SEE_OTHER, description: "The page's form post: on to the invitation page, which states the answer" })
  @ApiBadRequestResponse({ description: 'Guests above the maximum, or with a no' })
  @ApiNotFoundResponse()
  @ApiUnprocessableEntityResponse({ description: 'response_deadline_passed, ceremony_full' })
  async answer(@Param('token') token: string, @Body() input: InvitationAnswerDto, @Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<PublicInvitation | string | undefined> {
    // The page's own form posts urlencoded; an API client posts JSON and gets JSON.
    const html = request.is('application/x-www-form-urlencoded') === 'application/x-www-form-urlencoded';
    try {
      const { locale: _locale, ...invitation } = await this.ceremonies.answer(token, input.answer, input.guests);
      if (!html) return invitation;
      response.status(HttpStatus.SEE_OTHER).location(`/ceremony-invitations/${encodeURIComponent(token)}`);
      return undefined;
    } catch (error) {
      if (!html || !(error instanceof BusinessRuleError || error instanceof InvalidInputError)) throw error;
      const { locale, ...invitation } = await this.ceremonies.publicInvitation(token);
      response.status(error instanceof InvalidInputError ? HttpStatus.BAD_REQUEST : HttpStatus.UNPROCESSABLE_ENTITY);
      return this.render(response, locale, invitation, { error: error.message });
    }
  }

  /** The answer given so far, in words, for the page. */
  private answerStated(locale: 'nl' | 'en', invitation: PublicInvitation): string | undefined {
    if (!invitation.answer) return undefined;
    const t = this.texts[locale];
    return (invitation.answer === 'yes' ? t.answeredYes : t.answeredNo).replace('{{guests}}', String(invitation.guests));
  }

  private async render(response: Response, locale: 'nl' | 'en', invitation: PublicInvitation, notes: { answered?: string; error?: string }): Promise<string> {
    const [settings, logoSrc] = await Promise.all([this.settings.get(), this.settings.logoDataUrl()]);
    response.type('html').set('Cache-Control', 'no-store').set('Content-Language', locale);
    return this.page({
      lang: locale,
      t: this.texts[locale],
      institute: settings.name,
      logoSrc,
      invitation,
      when: WHEN[locale].format(invitation.startsAt),
      deadline: WHEN[locale].format(invitation.responseDeadline),
      answered: notes.answered ?? null,
      error: notes.error ?? null,
    });
  }
}

/** A browser, or anyone not asking for JSON, gets the page. */
function wantsHtml(request: Request): boolean {
  return request.accepts(['text/html', 'application/json']) !== 'application/json';
}
