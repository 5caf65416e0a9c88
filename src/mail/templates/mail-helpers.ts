import type Handlebars from 'handlebars';
import { DateTime } from 'luxon';
import type { Locale } from '../../kernel/locale';

const ZONE = 'Europe/Amsterdam';
const CALENDAR_DAY = /^\d{4}-\d{2}-\d{2}$/;
const LANGUAGE_TAG: Record<Locale, string> = { nl: 'nl-NL', en: 'en-GB' };

/** A helper got a value it cannot show; the renderer turns it into a MailTemplateError. */
export class MailHelperError extends Error {
  constructor(
    readonly helper: string,
    expected: string,
    readonly value: unknown,
  ) {
    super(`helper "${helper}" expects ${expected}, got ${describe(value)}`);
  }
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value instanceof Date) return `Date(${value.toString()})`;
  return JSON.stringify(value) ?? String(value);
}

/**
 * An instant as a Date or an ISO string with an offset, or a wall-clock time without one
 * (read as Amsterdam time, as session times are). A bare calendar day ('2027-01-12') stays
 * that day: shifting it through UTC would show the day before.
 */
export function toAmsterdam(value: unknown, helper: string, acceptCalendarDay: boolean): DateTime {
  const expected = acceptCalendarDay ? 'a date, an instant or a calendar day' : 'a date or an instant with a time';
  let parsed: DateTime | undefined;
  if (value instanceof Date) {
    parsed = DateTime.fromJSDate(value, { zone: ZONE });
  } else if (typeof value === 'string' && (acceptCalendarDay || !CALENDAR_DAY.test(value))) {
    parsed = DateTime.fromISO(value, { zone: ZONE });
  }
  if (!parsed?.isValid) throw new MailHelperError(helper, expected, value);
  return parsed;
}

export function formatDateTime(value: unknown, locale: Locale): string {
  return toAmsterdam(value, 'dateTime', false).setLocale(LANGUAGE_TAG[locale]).toFormat('cccc d LLLL yyyy, HH:mm');
}

export function formatDate(value: unknown, locale: Locale): string {
  return toAmsterdam(value, 'date', true).setLocale(LANGUAGE_TAG[locale]).toFormat('cccc d LLLL yyyy');
}

export function formatTime(value: unknown): string {
  return toAmsterdam(value, 'time', false).toFormat('HH:mm');
}

function groupDigits(whole: number, locale: Locale): string {
  return new Intl.NumberFormat(LANGUAGE_TAG[locale], { maximumFractionDigits: 0 }).format(whole);
}

/** Euros from integer cents: "€ 1.250,00" and "€ -1.250,00" in Dutch, "€1,250.00" and "-€1,250.00" in English. */
export function formatMoney(cents: unknown, locale: Locale): string {
  if (typeof cents !== 'number' || !Number.isSafeInteger(cents)) {
    throw new MailHelperError('money', 'whole euro cents', cents);
  }
  const absolute = Math.abs(cents);
  const euros = groupDigits(Math.trunc(absolute / 100), locale);
  const restCents = String(absolute % 100).padStart(2, '0');
  const sign = cents < 0 ? '-' : '';
  return locale === 'en' ? `${sign}€${euros}.${restCents}` : `€ ${sign}${euros},${restCents}`;
}

/** "1 lesdag", "3 lesdagen", "0 lesdagen": Dutch and English both take the plural for zero. */
export function formatPlural(count: unknown, singular: unknown, plural: unknown, locale: Locale): string {
  if (typeof count !== 'number' || !Number.isSafeInteger(count)) throw new MailHelperError('plural', 'a whole number', count);
  if (typeof singular !== 'string' || typeof plural !== 'string') {
    throw new MailHelperError('plural', 'a singular and a plural word', [singular, plural]);
  }
  const word = new Intl.PluralRules(LANGUAGE_TAG[locale]).select(count) === 'one' ? singular : plural;
  return `${groupDigits(count, locale)} ${word}`;
}

function localeOf(options: Handlebars.HelperOptions): Locale {
  const locale: unknown = options.data?.locale;
  if (locale !== 'nl' && locale !== 'en') throw new MailHelperError('locale', '"nl" or "en" in @locale', locale);
  return locale;
}

/** Registers the helpers on a private instance; the last argument Handlebars passes is always the options. */
export function registerMailHelpers(handlebars: typeof Handlebars): void {
  handlebars.registerHelper({
    dateTime: (value: unknown, options: Handlebars.HelperOptions) => formatDateTime(value, localeOf(options)),
    date: (value: unknown, options: Handlebars.HelperOptions) => formatDate(value, localeOf(options)),
    time: (value: unknown) => formatTime(value),
    money: (cents: unknown, options: Handlebars.HelperOptions) => formatMoney(cents, localeOf(options)),
    plural: (count: unknown, singular: unknown, plural: unknown, options: Handlebars.HelperOptions) =>
      formatPlural(count, singular, plural, localeOf(options)),
    eq: (left: unknown, right: unknown) => left === right,
    // Keeps the line breaks of free text (an advisor's note); the text itself is escaped first.
    multiline: (text: unknown) => {
      if (typeof text !== 'string') throw new MailHelperError('multiline', 'a text', text);
      return new handlebars.SafeString(handlebars.escapeExpression(text).replace(/\r?\n/g, '<br>\n'));
    },
  });

  // Strict mode checks plain lookups only; a list that is absent altogether must not render as an empty hole.
  const builtInEach = handlebars.helpers.each;
  handlebars.registerHelper('each', function (this: unknown, list: unknown, options: Handlebars.HelperOptions) {
    if (list === undefined) throw new MailHelperError('each', 'a list', list);
    return builtInEach.call(this, list, options);
  });
}
