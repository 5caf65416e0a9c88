import { DateTime, Info } from 'luxon';
import type { PePoints } from '../catalogue/course-attributes';
import { checkEntry, levelRefuses, REQUIREMENT_LABELS } from '../enrolment/entry-requirements';
import { courseName, type Locale } from '../kernel/locale';
import type { EducationLevel } from '../enrolment/education-level';
import { type Candidate, type CandidateCourse, CandidateTable, type Daypart, daypartOf, DAYPARTS } from './candidate-table';
import { dayNumber } from '../kernel/time';

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

/** How a course's text matches the intake's words (see CatalogueText). */
export interface TextMatch {
  /** Text relevance of the course for the intake, comparable between the courses of one intake. */
  rank: number;
  /** The intake's own words that tell the course apart, the one that counts most first. */
  terms: string[];
}

/** What is the same for every edition ranked for one intake. */
export interface RankingContext {
  completedCourseIds: ReadonlySet<string>;
  /** Per course id, for the courses whose text matches the intake; the others rank 0. */
  textMatches: ReadonlyMap<string, TextMatch>;
  /** Students that may wait per edition; null: no limit. */
  waitlistLimit: number | null;
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

/**
 * What one edition is for an intake, in facts and numbers only: the hard rules it breaks, the
 * score and its parts. Cheap enough for every open edition; the words come later, and only for
 * the editions shown (`describe`).
 */
export interface Assessment {
  candidate: Candidate;
  /** The intake's words the course matches. */
  matchedTerms: string[];
  /** True: meets the minimum level; false: does not; null: the intake does not say. */
  levelMet: boolean | null;
  /** Not met, and not for an intake to settle (as it is for hbo working level): a hard rule. */
  levelRefused: boolean;
  prerequisitesMissing: boolean;
  seatsLeft: number;
  seats: 'free' | 'waitlist' | 'full';
  /** Where the start falls against the wanted window; null without a window. */
  start: 'within' | 'before' | 'after' | null;
  /** Share of the schedule that fits the preferred days and dayparts; null without a preference. */
  schedule: number | null;
  online: boolean;
  /** Whether the edition is in or near the wanted region (online counts); null without a region. */
  near: boolean | null;
  /** Null without a budget. */
  withinBudget: boolean | null;
  /** The PE points the edition earns per register the intake asks for, the registers as the intake names them. */
  pePointsEarned: PePoints[];
  parts: ScoredEdition['parts'];
  /** 0–100, rounded as shown. */
  score: number;
  excluded: boolean;
}

/** What a course is for an intake: the same for each of its editions, so worked out once per course and intake. */
interface CourseFit {
  levelMet: boolean | null;
  levelRefused: boolean;
  prerequisitesMissing: boolean;
  matchedTerms: string[];
  /** The text and PE points parts, NaN where the intake does not ask. */
  text: number;
  pePoints: number;
  pePointsEarned: PePoints[];
}

/** An edition's facts for an intake as numbers and flags, written into one record reused for every edition: ranking thousands allocates nothing per edition. */
interface Measure {
  /** The edition's row in the table. */
  row: number;
  fit: CourseFit;
  seats: Assessment['seats'];
  start: Assessment['start'];
  schedule: number | null;
  near: boolean | null;
  withinBudget: boolean | null;
  /** Each part 0–1, rounded as shown, at its index in `PART_ORDER`; NaN where the intake has no preference. */
  parts: Float64Array;
  score: number;
  excluded: boolean;
}

/** The order parts are added up and shown in (stored advices show them so). */
const PART_ORDER: readonly ScorePart[] = ['start', 'text', 'schedule', 'delivery', 'region', 'budget', 'pePoints'];
/** Each part's index in `PART_ORDER`, and the weights in that order: numbered parts keep scoring thousands of editions to plain array reads. */
const PART = Object.fromEntries(PART_ORDER.map((part, index) => [part, index])) as Record<ScorePart, number>;
const PART_WEIGHTS = Float64Array.from(PART_ORDER, (part) => SCORE_WEIGHTS[part]);
const partScore = (score: number) => round(clamp(score), 3);
const NO_TERMS: string[] = [];

/** How many of the bits are set: the weekdays in a weekday mask. */
function bitCount(bits: number): number {
  let count = 0;
  for (let rest = bits; rest !== 0; rest &= rest - 1) count++;
  return count;
}

/**
 * Assesses one open edition for an intake. `bestTextRank` is the best text rank among the
 * editions ranked together: text relevance counts relative to it.
 */
export function assess(intake: Intake, candidate: Candidate, context: RankingContext, bestTextRank: number): Assessment {
  return new IntakeAssessor(intake, new CandidateTable([candidate]), context, bestTextRank).assess(0);
}

/**
 * Assesses the editions of one intake: what the intake asks is read once, what a course is for
 * it once per course and each place once, so that each of thousands of editions costs only a
 * few numbers of its own.
 */
class IntakeAssessor {
  private readonly hasText: boolean;
  /** The preferred weekdays as bits (1 << ISO weekday); 0 without a preference. */
  private readonly weekdays: number;
  /** Per daypart index, whether it is preferred; null without a preference. */
  private readonly dayparts: boolean[] | null;
  private readonly startFrom: number;
  private readonly startUntil: number;
  /** Per place, whether it is in the wanted region; null without a region. */
  private readonly nearPlaces: boolean[] | null;
  private readonly fits: Array<CourseFit | undefined>;
  private readonly scratch: Measure;

  constructor(
    private readonly intake: Intake,
    private readonly table: CandidateTable,
    private readonly context: RankingContext,
    private readonly bestTextRank: number,
  ) {
    this.hasText = intake.interests.trim() !== '' || intake.goals.trim() !== '';
    this.weekdays = intake.preferredWeekdays.reduce((bits, day) => bits | (1 << day), 0);
    this.dayparts = intake.preferredDayparts.length > 0 ? DAYPARTS.map((part) => intake.preferredDayparts.includes(part)) : null;
    this.startFrom = intake.startFrom ? dayNumber(intake.startFrom) : 0;
    this.startUntil = intake.startUntil ? dayNumber(intake.startUntil) : 0;
    const region = intake.region.trim().toLowerCase();
    this.nearPlaces = region ? table.places.map((names) => names.some((name) => name.toLowerCase().includes(region))) : null;
    this.fits = new Array<CourseFit | undefined>(table.courses.length);
    this.scratch = newMeasure();
  }

  /** The score of the edition in row `row`, and whether a hard rule excludes it, in a record the next call overwrites. */
  measure(row: number, into: Measure = this.scratch): Measure {
    const { intake, table } = this;
    const course = table.courses[table.course[row]];
    const fit = (this.fits[table.course[row]] ??= this.fitOf(course));
    const parts = into.parts;
    into.row = row;
    into.fit = fit;

    // Hard rules first: entry requirements, seats, the start window.
    const waitlistOpen = this.context.waitlistLimit === null || table.waiting[row] < this.context.waitlistLimit;
    into.seats = table.seatsLeft[row] > 0 ? 'free' : waitlistOpen ? 'waitlist' : 'full';

    const startDay = table.startDay[row];
    into.start = null;
    parts[PART.start] = Number.NaN;
    if (this.startUntil && startDay > this.startUntil) into.start = 'after';
    else if (this.startFrom && startDay < this.startFrom) {
      into.start = 'before';
      parts[PART.start] = partScore(0.3);
    } else if (this.startFrom || this.startUntil) {
      into.start = 'within';
      parts[PART.start] = partScore(1);
    }

    parts[PART.text] = fit.text;

    into.schedule = null;
    if (this.weekdays || this.dayparts) {
      let sum = 0;
      if (this.weekdays) sum += bitCount(table.weekdays[row] & this.weekdays) / bitCount(table.weekdays[row]);
      if (this.dayparts) sum += this.dayparts[table.daypart[row]] ? 1 : 0;
      into.schedule = this.weekdays && this.dayparts ? sum / 2 : sum;
    }
    parts[PART.schedule] = into.schedule === null ? Number.NaN : partScore(into.schedule);

    const online = table.online[row] === 1;
    parts[PART.delivery] = intake.delivery === 'any' ? Number.NaN : course.deliveryMode === 'blended' ? 0.5 : (intake.delivery === 'online') === online ? 1 : 0;

    into.near = this.nearPlaces ? online || this.nearPlaces[table.place[row]] : null;
    parts[PART.region] = into.near === null ? Number.NaN : into.near ? 1 : 0;

    into.withinBudget = null;
    parts[PART.budget] = Number.NaN;
    if (intake.budgetCents !== null) {
      const over = table.priceCents[row] / Math.max(1, intake.budgetCents);
      into.withinBudget = over <= 1;
      parts[PART.budget] = over <= 1 ? 1 : over <= 1.2 ? 0.5 : 0;
    }

    parts[PART.pePoints] = fit.pePoints;

    let weights = 0;
    let weighted = 0;
    for (let i = 0; i < PART_ORDER.length; i++) {
      if (Number.isNaN(parts[i])) continue;
      weights += PART_WEIGHTS[i];
      weighted += parts[i] * PART_WEIGHTS[i];
    }
    into.score = weights === 0 ? 0 : round((weighted / weights) * 100, 1);
    into.excluded = fit.levelRefused || fit.prerequisitesMissing || into.seats === 'full' || into.start === 'after';
    return into;
  }

  /** The edition in row `row` assessed in full, for the editions shown. */
  assess(row: number): Assessment {
    const m = this.measure(row, newMeasure());
    const parts: ScoredEdition['parts'] = {};
    PART_ORDER.forEach((part, i) => {
      if (!Number.isNaN(m.parts[i])) parts[part] = { score: m.parts[i], weight: PART_WEIGHTS[i] };
    });
    return {
      candidate: this.table.candidates[row],
      matchedTerms: m.fit.matchedTerms,
      levelMet: m.fit.levelMet,
      levelRefused: m.fit.levelRefused,
      prerequisitesMissing: m.fit.prerequisitesMissing,
      seatsLeft: this.table.seatsLeft[row],
      seats: m.seats,
      start: m.start,
      schedule: m.schedule,
      online: this.table.online[row] === 1,
      near: m.near,
      withinBudget: m.withinBudget,
      pePointsEarned: m.fit.pePointsEarned,
      parts,
      score: m.score,
      excluded: m.excluded,
    };
  }

  private fitOf(course: CandidateCourse): CourseFit {
    const { intake, context } = this;
    const entry = checkEntry(course, intake.priorEducationLevel, context.completedCourseIds);
    const match = context.textMatches.get(course.courseId);
    const pePointsEarned: PePoints[] = [];
    let pePoints = Number.NaN;
    if (intake.pePoints.length > 0) {
      const shares = intake.pePoints.map((wanted) => {
        const earned = course.pePoints.find((p) => p.register.toLowerCase() === wanted.register.toLowerCase())?.points ?? 0;
        if (earned > 0) pePointsEarned.push({ register: wanted.register, points: earned });
        return wanted.points > 0 ? clamp(earned / wanted.points) : 1;
      });
      pePoints = partScore(shares.reduce((a, b) => a + b, 0) / shares.length);
    }
    return {
      levelMet: entry.levelMet,
      levelRefused: levelRefuses(course, entry),
      prerequisitesMissing: entry.missingPrerequisiteIds.length > 0,
      matchedTerms: match?.terms ?? NO_TERMS,
      text: this.hasText ? partScore(this.bestTextRank > 0 && match ? match.rank / this.bestTextRank : 0) : Number.NaN,
      pePoints,
      pePointsEarned,
    };
  }
}

function newMeasure(): Measure {
  const parts = new Float64Array(PART_ORDER.length).fill(Number.NaN);
  return { row: 0, fit: undefined!, seats: 'free', start: null, schedule: null, near: null, withinBudget: null, parts, score: 0, excluded: false };
}

/** An assessed edition as the advisor sees it: the plain-language reasons in the student's language, and why a hard rule excludes it. */
export function describe(intake: Intake, assessment: Assessment, locale: Locale): ExcludedEdition {
  const say = phrases[locale];
  const { candidate, parts } = assessment;
  const course = candidate.course;
  const reasons: string[] = [];
  const excludedBecause: string[] = [];

  const requirement = REQUIREMENT_LABELS[course.minimumPriorEducation][locale];
  if (assessment.levelMet === true) reasons.push(say.requirementMet(requirement));
  else if (assessment.levelRefused) excludedBecause.push(say.requirementNotMet(requirement));
  else if (assessment.levelMet === false) reasons.push(say.requirementByIntake(requirement));
  else reasons.push(say.requirementUnknown(requirement));
  if (assessment.prerequisitesMissing) excludedBecause.push(say.prerequisitesMissing(course.prerequisiteTitles.map((title) => courseName(title, locale))));

  if (assessment.seats === 'free') reasons.push(say.seatsLeft(assessment.seatsLeft));
  else if (assessment.seats === 'waitlist') reasons.push(say.waitlist);
  else excludedBecause.push(say.fullNoWaitlist);

  if (assessment.start === 'after') excludedBecause.push(say.startsAfterWindow(longDate(candidate.startDate, locale)));
  else if (assessment.start === 'before') reasons.push(say.startsBeforeWindow(longDate(candidate.startDate, locale)));
  else if (assessment.start === 'within') reasons.push(say.startsInWindow(longDate(candidate.startDate, locale)));

  if (parts.text && assessment.matchedTerms.length > 0) reasons.unshift(say.matchesInterest(assessment.matchedTerms));

  if (assessment.schedule !== null) {
    const when = say.when(weekdayNames(candidate.weekdays, locale), daypartOf(candidate.startTime));
    reasons.push(assessment.schedule === 1 ? say.scheduleFits(when) : say.scheduleDiffers(when));
  }

  const place = candidate.city || candidate.locationName;
  if (parts.delivery) reasons.push(assessment.online ? say.online : course.deliveryMode === 'blended' ? say.blended(place) : say.onSite(place));
  if (assessment.near && !assessment.online) reasons.push(say.inRegion(intake.region.trim()));
  if (assessment.withinBudget !== null) reasons.push(assessment.withinBudget ? say.withinBudget(money(candidate.priceCents)) : say.overBudget(money(candidate.priceCents)));
  for (const earned of assessment.pePointsEarned) reasons.push(say.pePoints(earned.points, earned.register));

  return {
    editionId: candidate.editionId,
    editionCode: candidate.editionCode,
    courseId: course.courseId,
    courseCode: course.courseCode,
    courseName: courseName(course, locale),
    startDate: candidate.startDate,
    location: assessment.online ? 'Online' : [candidate.locationName, candidate.city].filter(Boolean).join(', '),
    priceCents: candidate.priceCents,
    seatsLeft: assessment.seatsLeft,
    score: assessment.score,
    parts,
    reasons,
    excludedBecause,
  };
}

/** At most this many excluded editions are shown (the best would-be scores); the rest are only counted. */
export const EXCLUDED_SHOWN = 50;

/**
 * The first `count` of the rows by score, then start, then edition code, in order, as a stable
 * sort would give them, without sorting them all. `scores` holds each row's score.
 */
export function firstByScore(table: CandidateTable, scores: Float64Array, rows: readonly number[], count: number): number[] {
  const before = (a: number, b: number) =>
    scores[a] !== scores[b] ? scores[a] > scores[b] : table.startDay[a] !== table.startDay[b] ? table.startDay[a] < table.startDay[b] : table.codeOrder[a] < table.codeOrder[b];
  const first: number[] = [];
  if (count <= 0) return first;
  for (const row of rows) {
    if (first.length === count && !before(row, first[count - 1])) continue;
    let low = 0;
    let high = first.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (before(row, first[middle])) high = middle;
      else low = middle + 1;
    }
    first.splice(low, 0, row);
    if (first.length > count) first.pop();
  }
  return first;
}

/**
 * Ranks the open editions: the top `limit` that no hard rule excludes, and the excluded ones.
 * Every edition is scored, but only the editions shown are assessed in full and get their
 * reasons in words.
 */
export function rankEditions(
  intake: Intake,
  editions: CandidateTable,
  context: RankingContext,
  locale: Locale,
  limit: number,
): Pick<AdviceResult, 'ranked' | 'excluded' | 'excludedTotal'> {
  const best = editions.courses.reduce((max, course) => Math.max(max, context.textMatches.get(course.courseId)?.rank ?? 0), 0);
  const assessor = new IntakeAssessor(intake, editions, context, best);
  const scores = new Float64Array(editions.size);
  const fitting: number[] = [];
  const excluded: number[] = [];
  for (let row = 0; row < editions.size; row++) {
    const measured = assessor.measure(row);
    scores[row] = measured.score;
    (measured.excluded ? excluded : fitting).push(row);
  }
  const shown = (rows: number[], count: number) => firstByScore(editions, scores, rows, count).map((row) => describe(intake, assessor.assess(row), locale));
  return {
    ranked: shown(fitting, limit).map(({ excludedBecause: _, ...edition }) => edition),
    excluded: shown(excluded, EXCLUDED_SHOWN),
    excludedTotal: excluded.length,
  };
}

/**
 * Words people use in an intake to say what they want, not what about: PostgreSQL's `dutch` and
 * `english` stop words leave them in, and as search words they would match any course that says
 * "for those who want to learn" and show up as the student's interests ("past bij uw interesse
 * in graag en leren").
 */
const INTAKE_FILLER = new Set([
  'graag', 'willen', 'leren', 'beter', 'mensen', 'net', 'onze', 'tussen', 'nodig', 'helpen', 'word', 'verder', 'goed', 'heel', 'echt', 'vooral', 'kunnen', 'gaan', 'krijgen',
  'weten', 'weet', 'geven',
  'want', 'wants', 'need', 'needs', 'learn', 'learning', 'better', 'people', 'help', 'helping', 'become', 'like', 'would', 'get', 'also', 'recently', 'new', 'improve', 'develop', 'really',
  'know', 'give', 'giving',
]);

/** The words of free text to search with: letters and digits only, so no search syntax gets through, and no filler. */
export function searchTerms(...texts: string[]): string[] {
  const words = texts.join(' ').toLowerCase().match(/[\p{L}\p{N}]{2,}/gu) ?? [];
  return [...new Set(words)].filter((word) => !INTAKE_FILLER.has(word)).slice(0, 40);
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

// Intl formatters are costly to create: made once, not per advice.
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
  requirementByIntake(requirement: string): string;
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
    requirementByIntake: (r) => `Vereist ${r}: een intake beslist over uw toelating`,
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
    requirementByIntake: (r) => `Requires ${r}: an intake decides on your admission`,
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
