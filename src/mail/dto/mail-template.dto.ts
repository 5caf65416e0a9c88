import { IsIn, IsObject, IsOptional } from 'class-validator';
import { MAIL_LOCALES, type MailLocale } from '../templates/mail-templates';

export class MailTemplateVariableDto {
  name: string;
  type: string;
  required: boolean;
  description?: string;
}

export class MailTemplateDto {
  name: string;
  description: string;
  locales: MailLocale[];
  variables: MailTemplateVariableDto[];
  sampleData: Record<string, unknown>;
}

export class PreviewMailDto {
  @IsIn(MAIL_LOCALES)
  locale: MailLocale;

  /** The template's variables; its sample data when left out. */
  @IsOptional()
  @IsObject()
  data?: Record<string, unknown>;
}

export class RenderedMailDto {
  subject: string;
  html: string;
  text: string;
}
