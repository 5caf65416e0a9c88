import Holidays from 'date-holidays';
import { addDays, IsoDate, isIsoDate } from '../../kernel/time';

/** Whether 5 May is a day off: every year, only in lustrum years (divisible by 5), or never. */
export type LiberationDayPolicy = 'every-year' | 'lustrum' | 'never';

export interface ClosingDays {
  from: IsoDate;
  /** Inclusive; equal to `from` for a single day. */
  to: IsoDate;
  reason: string;
}

export interface NonTeachingDaysOptions {
  liberationDay: LiberationDayPolicy;
  closingDays?: readonly ClosingDays[];
}

/**
 * The Dutch public holidays on which no session is planned, keyed by the `date-holidays` rule
 * that computes them. Good Friday is left out on purpose: it is no general day off in the
 * Netherlands (only some schools and employers close). Liberation Day follows the policy.
 */
const PUBLIC_HOLIDAYS: Readonly<Record<string, string>> = {
  '01-01': 'Nieuwjaarsdag',
  easter: 'Eerste Paasdag',
  'easter 1': 'Tweede Paasdag',
  '04-27 if sunday then previous saturday since 2014': 'Koningsdag',
  'easter 39': 'Hemelvaartsdag',
  'easter 49': 'Eerste Pinksterdag',
  'easter 50': 'Tweede Pinksterdag',
  '12-25': 'Eerste Kerstdag',
  '12-26': 'Tweede Kerstdag',
};
const LIBERATION_DAY_RULE = '05-05';

const dutchCalendar = new Holidays('NL');

/** Public holidays of one year as `date → name`, after the institute's Liberation Day policy. */
export function dutchPublicHolidays(year: number, liberationDay: LiberationDayPolicy): Map<IsoDate, string> {
  const result = new Map<IsoDate, string>();
  for (const holiday of dutchCalendar.getHolidays(year)) {
    const date = holiday.date.slice(0, 10);
    if (holiday.rule in PUBLIC_HOLIDAYS) {
      result.set(date, PUBLIC_HOLIDAYS[holiday.rule]);
    } else if (holiday.rule === LIBERATION_DAY_RULE && observesLiberationDay(year, liberationDay)) {
      result.set(date, 'Bevrijdingsdag');
    }
  }
  return result;
}

function observesLiberationDay(year: number, policy: LiberationDayPolicy): boolean {
  return policy === 'every-year' || (policy === 'lustrum' && year % 5 === 0);
}

/** Public holidays plus the institute's own closing days; answers per date, computed once per year. */
export class NonTeachingDays {
  private readonly liberationDay: LiberationDayPolicy;
  private readonly closingDays: readonly ClosingDays[];
  private readonly byYear = new Map<number, Map<IsoDate, string>>();

  constructor(options: NonTeachingDaysOptions) {
    this.liberationDay = options.liberationDay;
    this.closingDays = options.closingDays ?? [];
    for (const range of this.closingDays) {
      if (!isIsoDate(range.from) || !isIsoDate(range.to) || range.to < range.from) {
        throw new RangeError(`closing days "${range.reason}": ${range.from}–${range.to} is not a valid date range`);
      }
    }
  }

  /** Why no session can take place on this date, or undefined on a teaching day. */
  reasonFor(date: IsoDate): string | undefined {
    return this.year(Number(date.slice(0, 4))).get(date);
  }

  isTeachingDay(date: IsoDate): boolean {
    return this.reasonFor(date) === undefined;
  }

  private year(year: number): Map<IsoDate, string> {
    let days = this.byYear.get(year);
    if (!days) {
      days = dutchPublicHolidays(year, this.liberationDay);
      const first = `${year}-01-01`;
      const last = `${year}-12-31`;
      for (const range of this.closingDays) {
        if (range.to < first || range.from > last) continue;
        const end = range.to < last ? range.to : last;
        // A public holiday inside a closing period keeps its own, more specific name.
        for (let d = range.from < first ? first : range.from; d <= end; d = addDays(d, 1)) {
          if (!days.has(d)) days.set(d, `closing day: ${range.reason}`);
        }
      }
      this.byYear.set(year, days);
    }
    return days;
  }
}
