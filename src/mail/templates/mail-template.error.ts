import type { Locale } from '../../kernel/locale';

/**
 * What went wrong, so the HTTP layer can map it: `unknown_template` to 404, `missing_variable`
 * and `invalid_variable` to 400, `broken_template` is a fault in `templates/mail/` itself.
 */
export type MailTemplateErrorCode = 'unknown_template' | 'missing_variable' | 'invalid_variable' | 'broken_template';

export class MailTemplateError extends Error {
  override readonly name = 'MailTemplateError';

  constructor(
    readonly code: MailTemplateErrorCode,
    readonly template: string,
    readonly locale: Locale | undefined,
    detail: string,
    readonly variable?: string,
  ) {
    super(`Mail template "${template}"${locale ? ` (${locale})` : ''}: ${detail}`);
  }
}
