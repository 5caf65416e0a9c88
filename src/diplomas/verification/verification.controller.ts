import { Body, Controller, Get, HttpCode, HttpException, HttpStatus, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiConsumes, ApiNotFoundResponse, ApiOkResponse, ApiProduces, ApiQuery, ApiTags, ApiTooManyRequestsResponse, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { Public } from '../../auth/auth.decorators';
import { Environment } from '../../config/environment';
import { InvalidInputError, NotFoundError } from '../../kernel/domain-errors';
import { RateLimiter } from './rate-limiter';
import { DocumentCheck, Verification } from './verification.dto';
import { PageState, VerificationService, VerifyLocale } from './verification.service';

/** The public check of diplomas, for employers and anyone else: no login, rate limited per address. */
@ApiTags('verification')
@Controller('verify')
export class VerificationController {
  private readonly limiter: RateLimiter;

  constructor(
    private readonly verification: VerificationService,
    env: Environment,
    db: DataSource,
  ) {
    this.limiter = new RateLimiter(db, env.VERIFY_RATE_PER_MINUTE);
  }

  /**
   * Whether a diploma is valid, revoked (with the date) or superseded by a newer version, with
   * the name, course, date and number. A page in Dutch or English (`?lang=`, else
   * Accept-Language) for people; JSON with `Accept: application/json`. A code of the wrong
   * shape answers 400, an unknown one 404, without hinting at valid codes.
   */
  @Public()
  @Get(':code')
  @ApiProduces('text/html', 'application/json')
  @ApiQuery({ name: 'lang', required: false, enum: ['nl', 'en'] })
  @ApiOkResponse({ type: Verification, description: 'JSON with Accept: application/json, else an HTML page' })
  @ApiBadRequestResponse({ description: 'Not the shape of a verification code' })
  @ApiNotFoundResponse({ description: 'No diploma has this code' })
  @ApiTooManyRequestsResponse({ description: 'Too many checks from this address' })
  async verify(
    @Param('code') code: string,
    @Query('lang') lang: string | undefined,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<Verification | string> {
    // A browser, or anyone not asking for JSON, gets the page.
    const wantsHtml = request.accepts(['text/html', 'application/json']) !== 'application/json';
    const locale = localeOf(lang, request);
    const wait = await this.limiter.take(request.ip ?? 'unknown');
    if (wait !== undefined) {
      if (!wantsHtml) throw rateLimited(wait);
      response.status(HttpStatus.TOO_MANY_REQUESTS).set('Retry-After', String(wait));
      return this.page(response, locale, 'rateLimited');
    }
    if (!wantsHtml) return this.verification.verify(code);
    try {
      const found = await this.verification.verify(code);
      return this.page(response, locale, found.state, found);
    } catch (error) {
      if (error instanceof InvalidInputError) {
        response.status(HttpStatus.BAD_REQUEST);
        return this.page(response, locale, 'malformed');
      }
      if (error instanceof NotFoundError) {
        response.status(HttpStatus.NOT_FOUND);
        return this.page(response, locale, 'unknown');
      }
      throw error;
    }
  }

  /** Checks an uploaded PDF (body `application/pdf`, at most 10 MB) against the SHA-256 of every diploma issued. */
  @Public()
  @Post('document')
  @HttpCode(200)
  @ApiConsumes('application/pdf')
  @ApiBody({ required: true, schema: { type: 'string', format: 'binary' } })
  @ApiOkResponse({ type: DocumentCheck })
  @ApiBadRequestResponse({ description: 'Not a PDF' })
  @ApiUnprocessableEntityResponse({ description: 'Not an unaltered diploma of the institute (document_not_recognised)' })
  @ApiTooManyRequestsResponse({ description: 'Too many checks from this address' })
  async document(@Body() body: unknown, @Req() request: Request): Promise<DocumentCheck> {
    const wait = await this.limiter.take(request.ip ?? 'unknown');
    if (wait !== undefined) throw rateLimited(wait);
    return this.verification.checkDocument(Buffer.isBuffer(body) ? body : undefined);
  }

  private async page(response: Response, locale: VerifyLocale, state: PageState, verification?: Verification): Promise<string> {
    response.type('html').set('Content-Language', locale).set('Cache-Control', 'no-store').set('Vary', 'Accept, Accept-Language');
    return this.verification.html(locale, state, verification);
  }
}

function localeOf(lang: string | undefined, request: Request): VerifyLocale {
  if (lang === 'nl' || lang === 'en') return lang;
  return request.acceptsLanguages('nl', 'en') === 'en' ? 'en' : 'nl';
}

function rateLimited(retryAfterSeconds: number): HttpException {
  return new HttpException(
    { code: 'rate_limited', detail: `Too many checks from this address; try again in ${retryAfterSeconds} seconds`, retryAfterSeconds },
    HttpStatus.TOO_MANY_REQUESTS,
  );
}
