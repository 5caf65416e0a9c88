import { Injectable } from '@nestjs/common';
import { Environment } from '../../config/environment';
import type { InstituteSettings } from '../../settings/institute-settings.entity';
import { SettingsService } from '../../settings/settings.service';
import { lazyImport } from '../../kernel/lazy-import';
import { loadDiplomaLayout, type DiplomaLayout, type LayoutImageSource } from './diploma-layout';
import { DiplomaSigning } from './diploma-signing';

/** pdfkit, fontkit and qrcode: loaded with the first diploma drawn. */
const certificatePdf = lazyImport(() => import('./diploma-pdf'));

/** What a diploma says, as stored with it. */
export interface DiplomaFacts {
  number: string;
  verificationCode: string;
  nameOnDiploma: string;
  courseTitle: string;
  studyLoadHours: number;
  pePoints: { register: string; points: number }[];
  finalGrade: number | null;
  /** YYYY-MM-DD */
  issueDate: string;
  locale: 'nl' | 'en';
}

/** The institute's particulars and images, read once for a run of diplomas. */
export interface InstituteForDiploma {
  settings: Pick<InstituteSettings, 'name' | 'directorName' | 'coordinatorName' | 'email' | 'visitingAddress'>;
  images: Partial<Record<LayoutImageSource, Buffer>>;
}

export interface RenderedDiploma {
  pdf: Buffer;
  signer: string | null;
}

const MONTHS: Record<'nl' | 'en', Intl.DateTimeFormat> = {
  nl: new Intl.DateTimeFormat('nl-NL', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }),
  en: new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }),
};

export function formatIssueDate(date: string, locale: 'nl' | 'en'): string {
  return MONTHS[locale].format(new Date(`${date}T12:00:00Z`));
}

export function formatGrade(grade: number, locale: 'nl' | 'en'): string {
  const text = grade.toFixed(1);
  return locale === 'nl' ? text.replace('.', ',') : text;
}

export function formatPePoints(points: { register: string; points: number }[], locale: 'nl' | 'en'): string | null {
  if (points.length === 0) return null;
  const number = (n: number) => (locale === 'nl' ? String(n).replace('.', ',') : String(n));
  return points.map((p) => `${number(p.points)} (${p.register})`).join(', ');
}

/** Renders and signs diplomas after `templates/diploma/layout.json`, read once at boot. */
@Injectable()
export class DiplomaRenderer {
  private readonly layout: DiplomaLayout = loadDiplomaLayout();

  constructor(
    private readonly env: Environment,
    private readonly settings: SettingsService,
    private readonly signing: DiplomaSigning,
  ) {}

  verificationUrl(code: string): string {
    return `${this.env.PUBLIC_URL.replace(/\/+$/, '')}/verify/${code}`;
  }

  async institute(): Promise<InstituteForDiploma> {
    const [settings, logo, director, coordinator] = await Promise.all([
      this.settings.get(),
      this.settings.findImage('logo'),
      this.settings.findImage('director_signature'),
      this.settings.findImage('coordinator_signature'),
    ]);
    return {
      settings,
      images: { logo: logo?.data, director_signature: director?.data, coordinator_signature: coordinator?.data },
    };
  }

  /** Refuses (422) before any work when diplomas cannot be signed and unsigned ones are not allowed. */
  async assertCanSign(): Promise<void> {
    await this.signing.current();
  }

  async render(facts: DiplomaFacts, institute: InstituteForDiploma): Promise<RenderedDiploma> {
    const signer = await this.signing.current();
    const { settings } = institute;
    const { renderCertificate } = await certificatePdf();
    const pdf = await renderCertificate(this.layout, {
      locale: facts.locale,
      title: `Diploma ${facts.number} — ${facts.nameOnDiploma}`,
      issuedAt: new Date(`${facts.issueDate}T12:00:00Z`),
      images: institute.images,
      fields: {
        name: facts.nameOnDiploma,
        course: facts.courseTitle,
        issueDate: formatIssueDate(facts.issueDate, facts.locale),
        studyLoadHours: String(facts.studyLoadHours),
        pePoints: formatPePoints(facts.pePoints, facts.locale),
        finalGrade: facts.finalGrade === null ? null : formatGrade(facts.finalGrade, facts.locale),
        number: facts.number,
        verificationUrl: this.verificationUrl(facts.verificationCode),
        institute: settings.name,
        directorName: settings.directorName,
        coordinatorName: settings.coordinatorName,
      },
    });
    if (!signer) return { pdf, signer: null };
    const signed = await signer.sign(pdf, {
      reason: `Diploma ${facts.number}`,
      name: settings.name,
      location: [settings.visitingAddress?.city, settings.visitingAddress?.country].filter(Boolean).join(', ') || 'NL',
      contactInfo: settings.email,
    });
    return { pdf: signed, signer: signer.subject };
  }
}
