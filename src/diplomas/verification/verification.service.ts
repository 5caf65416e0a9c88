import { Injectable } from '@nestjs/common';
import Handlebars from 'handlebars';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { BusinessRuleError, InvalidInputError, NotFoundError } from '../../kernel/domain-errors';
import { SettingsService } from '../../settings/settings.service';
import { formatIssueDate } from '../certificate/diploma-renderer';
import { Diploma, diplomaState, DiplomaState } from '../diploma.entity';
import { normaliseVerificationCode } from '../diploma-number';
import { DiplomasService } from '../diplomas.service';
import { DocumentCheck, Verification } from './verification.dto';

export type VerifyLocale = 'nl' | 'en';
type Texts = Record<string, string>;

const TEMPLATE_DIR = resolve(process.cwd(), 'templates', 'diploma');
const INSTANT: Record<VerifyLocale, Intl.DateTimeFormat> = {
  nl: new Intl.DateTimeFormat('nl-NL', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/Amsterdam' }),
  en: new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/Amsterdam' }),
};

/** The page's language switch, each language named in itself. */
const LANGUAGES: { code: VerifyLocale; label: string }[] = [
  { code: 'nl', label: 'Nederlands' },
  { code: 'en', label: 'English' },
];

/** What the page shows: `malformed` and `unknown` next to the diploma's states. */
export type PageState = DiplomaState | 'unknown' | 'malformed' | 'rateLimited';

/**
 * The public check of a diploma: by its verification code (what the QR code leads to) or by
 * its PDF's SHA-256. It tells the state, the name, the course, the date and the number,
 * nothing more about the holder.
 */
@Injectable()
export class VerificationService {
  private readonly page = Handlebars.create().compile(readFileSync(resolve(TEMPLATE_DIR, 'verify.hbs'), 'utf8'), { strict: true });
  private readonly texts = JSON.parse(readFileSync(resolve(TEMPLATE_DIR, 'verify.texts.json'), 'utf8')) as Record<VerifyLocale, Texts>;

  constructor(
    private readonly diplomas: DiplomasService,
    private readonly settings: SettingsService,
  ) {}

  /** The diploma of a code; 400 for a code of the wrong shape, 404 (saying nothing more) for an unknown one. */
  async verify(input: string): Promise<Verification> {
    const code = normaliseVerificationCode(input);
    if (!code) throw new InvalidInputError([{ field: 'code', rule: 'pattern', message: 'A verification code is 20 letters and digits (A–Z, 2–7)' }]);
    const diploma = await this.diplomas.byCode(code);
    if (!diploma) throw new NotFoundError('Diploma', 'with this verification code');
    return this.toVerification(diploma);
  }

  /** Whether a file is, byte for byte, a diploma the institute issued. */
  async checkDocument(pdf: Buffer | undefined): Promise<DocumentCheck> {
    if (!pdf || pdf.length === 0 || !pdf.subarray(0, 1024).includes('%PDF-')) {
      throw new InvalidInputError([{ field: 'body', rule: 'pdf', message: 'Send the diploma as a PDF file (Content-Type: application/pdf)' }]);
    }
    const sha256 = createHash('sha256').update(pdf).digest('hex');
    const diploma = await this.diplomas.byDigest(sha256);
    if (!diploma) {
      throw new BusinessRuleError(
        'document_not_recognised',
        'This file is not an unaltered diploma of the institute: it was changed after issue, or the institute did not issue it',
        { sha256 },
      );
    }
    return { authentic: true, sha256, diploma: this.toVerification(diploma) };
  }

  toVerification(diploma: Diploma): Verification {
    return {
      state: diplomaState(diploma),
      name: diploma.nameOnDiploma,
      course: diploma.courseTitle,
      issueDate: diploma.issueDate,
      number: diploma.number,
      revokedAt: diploma.revokedAt,
      supersededAt: diploma.supersededAt,
    };
  }

  /** The HTML page for a state, in Dutch or English. */
  async html(locale: VerifyLocale, state: PageState, verification?: Verification): Promise<string> {
    const t = this.texts[locale];
    const [settings, logoSrc] = await Promise.all([this.settings.get(), this.settings.logoDataUrl()]);
    const revokedAtText = verification?.revokedAt ? INSTANT[locale].format(verification.revokedAt) : null;
    const message = t[state].replace('{{date}}', revokedAtText ?? '');
    return this.page({
      lang: locale,
      languages: LANGUAGES.map((language) => ({ ...language, current: language.code === locale })),
      t,
      state: state === 'malformed' || state === 'rateLimited' ? 'unknown' : state,
      message,
      institute: settings.name,
      logoSrc,
      diploma: verification
        ? {
            name: verification.name,
            course: verification.course,
            number: verification.number,
            issueDateText: formatIssueDate(verification.issueDate, locale),
            revokedAtText,
          }
        : null,
    });
  }
}
