import { DateTime, Info } from 'luxon';
import type { DeliveryMode, PePoints, PriorEducationLevel } from '../catalogue/course.entity';
import { checkEntry, REQUIREMENT_LABELS } from './entry-requirements';
import type { EducationLevel, Locale } from './student.entity';

export const DAYPARTS = ['morning', 'afternoon', 'evening'] as const;
export type Daypart = (typeof DAYPARTS)[number];
export const DELIVERY_PREFERENCES = ['on_site', 'online', 'any'] as const;
export type DeliveryPreference = (typeof DELIVERY_PREFERENCES)[number];

/** What the advisor hears in the intake. Absent preferences do not count in the score. */
export interface Intake {
  /** Free text, Dutch or English. */
  interests: string;
  goals: string;
  priorEducationLevel: EducationLevel | null;
  priorEducationField: string;
  /** ISO weekdays, 1 = Monday. */
  preferredWeekdays: number[];
  preferredDayparts: Daypart[];
  delivery: DeliveryPreference;
  /** A city or region, matched against the location. */
  region: string;
  budgetCents: number | null;
  startFrom: string | null;
  startUntil: string | null;
  /** Points the student needs for a professional register. */
  pePoints: PePoints[];
}

/** An open edition with what the ranking needs of its course, location and seats. */
export interface Candidate {
  editionId: string;
  editionCode: string;
  courseId: string;
  courseCode: string;
  courseTitleNl: string;
  courseTitleEn: string | null;
  startDate: string;
  weekdays: number[];
  startTime: string;
  endTime: string;
  online: boolean;
  locationName: string;
  city: string;
  deliveryMode: DeliveryMode;
  priceCents: number;
  capacity: number;
  /** Seats held (enrolled or offered). */
  taken: number;
  minimumPriorEducation: PriorEducationLevel;
  prerequisiteCourseIds: string[];
  prerequisiteTitles: string[];
  pePoints: PePoints[];
  /** Full-text rank of the course for the intake's text, 0 when nothing matched. */
  textRank: number;
  /** The intake's own words that the course matches. */
  matchedTerms: string[];
}

export interface WaitlistRule {
  /** Students that may wait per edition; null: no limit. */
  waitlistLimit: number | null;
  /** Students waiting per edition. */
  waiting: number;
}

export const SCORE_WEIGHTS = { text: 40, start: 10, schedule: 10, delivery: 10, region: 10, budget: 10, pePoints: 10 } as const;
export type ScorePart = keyof typeof SCORE_WEIGHTS;

export interface ScoredEdition {
  editionId: string;
  editionCode: string;
  courseId: string;
  courseCode: string;
  courseName: string;
  startDate: string;
  location: string;
  priceCents: number;
  seatsLeft: number;
  /** 0–100: the weighted mean of the parts that apply to this intake. */
  score: number;
  /** Each part 0–1 with its weight; parts without a preference are left out. */
  parts: Partial<Record<ScorePart, { score: number; weight: number }>>;
  reasons: string[];
}

export interface ExcludedEdition extends ScoredEdition {
  excludedBecause: string[];
}

/** An edition the advisor chose to send, with the reasons as the advisor left them. */
export interface SelectedEdition {
  editionId: string;
  reasons: string[];
}

export interface SuggestedCourse {
  courseId: string;
  courseCode: string;
  courseName: string;
  reasons: string[];
}

export interface AdviceResult {
  ranked: ScoredEdition[];
  /** Editions a hard rule excluded, best would-be score first (at most 50). */
  excluded: ExcludedEdition[];
  excludedTotal: number;
  /** Fitting courses without an open edition, named when no open edition fits. */
  coursesWithoutEdition: SuggestedCourse[];
}

const clamp = (value: number) => Math.max(0, Math.min(1, value));

export function daypartOf(time: string): Daypart {
  const hour = Number(time.slice(0, 2));
  return hour < 12 ? 'morning' : hour < 17 ? 'afternoon' : 'evening';
}

/** Scores one open edition for an intake, with the reasons in the student's language; hard rules go into `excludedBecause`. */
export function scoreEdition(
  intake: Intake,
  candidate: Candidate,
  completedCourseIds: ReadonlySet<string>,
  waitlist: WaitlistRule,
  locale: Locale,
): ExcludedEdition {
  const say = phrases[locale];
  const parts: ScoredEdition['parts'] = {};
  const reasons: string[] = [];
  const excludedBecause: string[] = [];
  const put = (part: ScorePart, score: number) => (parts[part] = { score: round(clamp(score), 3), weight: SCORE_WEIGHTS[part] });

  // Hard rules first: entry requirements, seats, the start window.
  const entry = checkEntry(candidate, intake.priorEducationLevel, completedCourseIds);
  const requirement = REQUIREMENT_LABELS[candidate.minimumPriorEducation][locale];
  if (entry.levelMet === true) reasons.push(say.requirementMet(requirement));
  else if (entry.levelMet === false) excludedBecause.push(say.requirementNotMet(requirement));
  else reasons.push(say.requirementUnknown(requirement));
  if (entry.missingPrerequisiteIds.length > 0) excludedBecause.push(say.prerequisitesMissing(candidate.prerequisiteTitles));

  const seatsLeft = Math.max(0, candidate.capacity - candidate.taken);
  const waitlistOpen = waitlist.waitlistLimit === null || waitlist.waiting < waitlist.waitlistLimit;
  if (seatsLeft > 0) reasons.push(say.seatsLeft(seatsLeft));
  else if (waitlistOpen) reasons.push(say.waitlist);
  else excludedBecause.push(say.fullNoWaitlist);

  const start = longDate(candidate.startDate, locale);
  if (intake.startUntil && candidate.startDate > intake.startUntil) excludedBecause.push(say.startsAfterWindow(start));
  else if (intake.startFrom && candidate.startDate < intake.startFrom) {
    put('start', 0.3);
    reasons.push(say.startsBeforeWindow(start));
  } else if (intake.startFrom || intake.startUntil) {
    put('start', 1);
    reasons.push(say.startsInWindow(start));
  }

  if (intake.interests.trim() || intake.goals.trim()) {
    put('text', candidate.textRank);
    if (candidate.matchedTerms.length > 0) reasons.unshift(say.matchesInterest(candidate.matchedTerms));
  }

  const days = intake.preferredWeekdays.length > 0 ? candidate.weekdays.filter((d) => intake.preferredWeekdays.includes(d)).length / candidate.weekdays.length : null;
  const daypart = intake.preferredDayparts.length > 0 ? (intake.preferredDayparts.includes(daypartOf(candidate.startTime)) ? 1 : 0) : null;
  const scheduleParts = [days, daypart].filter((v): v is number => v !== null);
  if (scheduleParts.length > 0) {
    const schedule = scheduleParts.reduce((a, b) => a + b, 0) / scheduleParts.length;
    put('schedule', schedule);
    const when = say.when(weekdayNames(candidate.weekdays, locale), daypartOf(candidate.startTime));
    reasons.push(schedule === 1 ? say.scheduleFits(when) : say.scheduleDiffers(when));
  }

  const online = candidate.online || candidate.deliveryMode === 'online';
  if (intake.delivery !== 'any') {
    const fits = candidate.deliveryMode === 'blended' ? 0.5 : (intake.delivery === 'online') === online ? 1 : 0;
    put('delivery', fits);
    reasons.push(online ? say.online : candidate.deliveryMode === 'blended' ? say.blended(candidate.city || candidate.locationName) : say.onSite(candidate.city || candidate.locationName));
  }

  const region = intake.region.trim().toLowerCase();
  if (region) {
    const near = online || [candidate.city, candidate.locationName].some((place) => place.toLowerCase().includes(region));
    put('region', near ? 1 : 0);
    if (near && !online) reasons.push(say.inRegion(intake.region.trim()));
  }

  if (intake.budgetCents !== null) {
    const over = candidate.priceCents / Math.max(1, intake.budgetCents);
    put('budget', over <= 1 ? 1 : over <= 1.2 ? 0.5 : 0);
    reasons.push(over <= 1 ? say.withinBudget(money(candidate.priceCents)) : say.overBudget(money(candidate.priceCents)));
  }

  if (intake.pePoints.length > 0) {
    const shares = intake.pePoints.map((wanted) => {
      const earned = candidate.pePoints.find((p) => p.register.toLowerCase() === wanted.register.toLowerCase())?.points ?? 0;
      if (earned > 0) reasons.push(say.pePoints(earned, wanted.register));
      return wanted.points > 0 ? clamp(earned / wanted.points) : 1;
    });
    put('pePoints', shares.reduce((a, b) => a + b, 0) / shares.length);
  }

  const weights = Object.values(parts).reduce((sum, p) => sum + p.weight, 0);
  const score = weights === 0 ? 0 : (Object.values(parts).reduce((sum, p) => sum + p.score * p.weight, 0) / weights) * 100;
  return {
    editionId: candidate.editionId,
    editionCode: candidate.editionCode,
    courseId: candidate.courseId,
    courseCode: candidate.courseCode,
    courseName: courseName(candidate, locale),
    startDate: candidate.startDate,
    location: online ? 'Online' : [candidate.locationName, candidate.city].filter(Boolean).join(', '),
    priceCents: candidate.priceCents,
    seatsLeft,
    score: round(score, 1),
    parts,
    reasons,
    excludedBecause,
  };
}

/** Ranks the candidates: the top `limit` that no hard rule excludes, and the excluded ones. */
export function rankEditions(
  intake: Intake,
  candidates: readonly Candidate[],
  completedCourseIds: ReadonlySet<string>,
  waitlist: (editionId: string) => WaitlistRule,
  locale: Locale,
  limit: number,
): Pick<AdviceResult, 'ranked' | 'excluded' | 'excludedTotal'> {
  // Text relevance counts relative to the best match of this intake.
  const best = Math.max(0, ...candidates.map((c) => c.textRank));
  const scored = candidates.map((c) =>
    scoreEdition(intake, { ...c, textRank: best > 0 ? c.textRank / best : 0 }, completedCourseIds, waitlist(c.editionId), locale),
  );
  const order = (a: ScoredEdition, b: ScoredEdition) => b.score - a.score || a.startDate.localeCompare(b.startDate) || a.editionCode.localeCompare(b.editionCode);
  const fitting = scored.filter((s) => s.excludedBecause.length === 0).sort(order);
  const excluded = scored.filter((s) => s.excludedBecause.length > 0).sort(order);
  return {
    ranked: fitting.slice(0, limit).map(({ excludedBecause: _, ...edition }) => edition),
    excluded: excluded.slice(0, 50),
    excludedTotal: excluded.length,
  };
}

export function courseName(course: { courseTitleNl: string; courseTitleEn: string | null }, locale: Locale): string {
  return locale === 'en' ? (course.courseTitleEn ?? course.courseTitleNl) : course.courseTitleNl;
}

/** The words of free text to search with: letters and digits only, so no search syntax gets through. */
export function searchTerms(...texts: string[]): string[] {
  const words = texts.join(' ').toLowerCase().match(/[\p{L}\p{N}]{2,}/gu) ?? [];
  return [...new Set(words)].slice(0, 40);
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

// Intl formatters are costly to create and the ranking formats for thousands of editions: made once.
const LIST_FORMATS: Record<Locale, Intl.ListFormat> = {
  nl: new Intl.ListFormat('nl', { style: 'long', type: 'conjunction' }),
  en: new Intl.ListFormat('en', { style: 'long', type: 'conjunction' }),
};
const WEEKDAY_NAMES: Record<Locale, string[]> = { nl: Info.weekdays('long', { locale: 'nl' }), en: Info.weekdays('long', { locale: 'en' }) };
const EURO = new Intl.NumberFormat('nl-NL', { style: 'currency', currency: 'EUR' });
const longDates = new Map<string, string>();

function longDate(date: string, locale: Locale): string {
  const key = `${locale}:${date}`;
  let shown = longDates.get(key);
  if (shown === undefined) {
    shown = DateTime.fromISO(date).setLocale(locale).toLocaleString(DateTime.DATE_FULL);
    if (longDates.size < 10_000) longDates.set(key, shown);
  }
  return shown;
}

function weekdayNames(weekdays: number[], locale: Locale): string {
  return list(weekdays.map((d) => WEEKDAY_NAMES[locale][d - 1]), locale);
}

function list(items: string[], locale: Locale): string {
  return LIST_FORMATS[locale].format(items);
}

function money(cents: number): string {
  return EURO.format(cents / 100);
}

const phrases: Record<Locale, {
  requirementMet(requirement: string): string;
  requirementNotMet(requirement: string): string;
  requirementUnknown(requirement: string): string;
  prerequisitesMissing(titles: string[]): string;
  seatsLeft(count: number): string;
  waitlist: string;
  fullNoWaitlist: string;
  startsAfterWindow(date: string): string;
  startsBeforeWindow(date: string): string;
  startsInWindow(date: string): string;
  matchesInterest(terms: string[]): string;
  when(days: string, daypart: Daypart): string;
  scheduleFits(when: string): string;
  scheduleDiffers(when: string): string;
  online: string;
  onSite(place: string): string;
  blended(place: string): string;
  inRegion(region: string): string;
  withinBudget(price: string): string;
  overBudget(price: string): string;
  pePoints(points: number, register: string): string;
}> = {
  nl: {
    requirementMet: (r) => `Vereist ${r}: u voldoet`,
    requirementNotMet: (r) => `Vereist ${r}: u voldoet daar niet aan`,
    requirementUnknown: (r) => `Vereist ${r}: nog na te gaan`,
    prerequisitesMissing: (titles) => `Vereist eerst ${list(titles, 'nl')}`,
    seatsLeft: (n) => (n === 1 ? 'Nog 1 plaats vrij' : `Nog ${n} plaatsen vrij`),
    waitlist: 'Vol: u komt op de wachtlijst',
    fullNoWaitlist: 'Vol, en er is geen wachtlijst',
    startsAfterWindow: (d) => `Start pas na uw gewenste periode (${d})`,
    startsBeforeWindow: (d) => `Start eerder dan uw gewenste periode (${d})`,
    startsInWindow: (d) => `Start binnen uw gewenste periode (${d})`,
    matchesInterest: (terms) => `Past bij uw interesse in ${list(terms.slice(0, 3), 'nl')}`,
    when: (days, part) => `${days} ${{ morning: "'s ochtends", afternoon: "'s middags", evening: "'s avonds" }[part]}`,
    scheduleFits: (when) => `Lesdagen op ${when}, zoals u wenste`,
    scheduleDiffers: (when) => `Lesdagen op ${when}, niet helemaal uw voorkeur`,
    online: 'Volledig online te volgen',
    onSite: (place) => `Op locatie in ${place}`,
    blended: (place) => `Deels online, deels op locatie in ${place}`,
    inRegion: (region) => `In uw regio (${region})`,
    withinBudget: (price) => `Past binnen uw budget (lesgeld ${price})`,
    overBudget: (price) => `Boven uw budget (lesgeld ${price})`,
    pePoints: (points, register) => `Levert ${points} PE-punten op voor ${register}`,
  },
  en: {
    requirementMet: (r) => `Requires ${r}: you meet this`,
    requirementNotMet: (r) => `Requires ${r}: you do not meet this`,
    requirementUnknown: (r) => `Requires ${r}: still to be checked`,
    prerequisitesMissing: (titles) => `Requires ${list(titles, 'en')} first`,
    seatsLeft: (n) => (n === 1 ? '1 place left' : `${n} places left`),
    waitlist: 'Full: you would join the waitlist',
    fullNoWaitlist: 'Full, and there is no waitlist',
    startsAfterWindow: (d) => `Starts after your preferred period (${d})`,
    startsBeforeWindow: (d) => `Starts before your preferred period (${d})`,
    startsInWindow: (d) => `Starts within your preferred period (${d})`,
    matchesInterest: (terms) => `Matches your interest in ${list(terms.slice(0, 3), 'en')}`,
    when: (days, part) => `${days} ${{ morning: 'mornings', afternoon: 'afternoons', evening: 'evenings' }[part]}`,
    scheduleFits: (when) => `Classes on ${when}, as you wished`,
    scheduleDiffers: (when) => `Classes on ${when}, not quite your preference`,
    online: 'Entirely online',
    onSite: (place) => `On site in ${place}`,
    blended: (place) => `Partly online, partly on site in ${place}`,
    inRegion: (region) => `In your region (${region})`,
    withinBudget: (price) => `Within your budget (tuition ${price})`,
    overBudget: (price) => `Above your budget (tuition ${price})`,
    pePoints: (points, register) => `Earns ${points} PE points for ${register}`,
  },
};
