import { IsIn, IsObject, IsOptional } from 'class-validator';
import { LOCALES, type Locale } from '../../kernel/locale';

export class MailTemplateVariableDto {
  name: string;
  type: string;
  required: boolean;
  description?: string;
}

export class MailTemplateDto {
  name: string;
  description: string;
  locales: Locale[];
  variables: MailTemplateVariableDto[];
  sampleData: Record<string, unknown>;
}

export class PreviewMailDto {
  @IsIn(LOCALES)
  locale: Locale;

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
