import type { TextMatch } from './advice-scoring';

/** The part of a course a lexeme occurs in, as PostgreSQL weighs it in `search_nl` / `search_en`: A title, B keywords, C description. */
export type Section = 'A' | 'B' | 'C' | 'D';

/** A course's lexemes under the `dutch` and `english` configurations, each with the most telling section it occurs in. */
export interface CourseLexemes {
  courseId: string;
  nl: Record<string, Section>;
  en: Record<string, Section>;
}

/** A word of the intake with its lexemes under the `dutch` and `english` configurations (none: a stop word). */
export interface IntakeWord {
  word: string;
  nl: string[];
  en: string[];
}

/** A title word says more of what a course is about than its keywords, and they more than its description. */
const SECTION_WEIGHT: Record<Section, number> = { A: 1, B: 0.7, C: 0.4, D: 0.4 };
/** A word found only as part of a compound ("schuldeisers" for "schulden") is likely, not certainly, the same subject. */
const COMPOUND_MATCH = 0.6;
/** The shortest lexeme taken as a part of a compound: shorter ones ("lev", "arm") are too often a word's mere beginning. */
const COMPOUND_PART = 4;
/**
 * What must remain of a compound beside its matched part, so that an inflection is not taken for
 * a compound: after a first part, a derivation ("bemiddel|aar") counts; before a last part, a
 * prefix that changes the meaning ("be|werk") does not.
 */
const REST_AFTER = 2;
const REST_BEFORE = 3;
/** Two compounds that share a part ("persoons|gegevens", "gegevens|bescherming") are about the same thing less surely still. */
const SHARED_PART_MATCH = 0.5;
/** The shortest part two compounds are taken to share: shorter overlaps are mostly suffixes ("-ingen", "-heid"). */
const SHARED_PART = 6;

interface Posting {
  course: number;
  section: Section;
}

/**
 * The catalogue's words, to match an intake against in memory. Dutch writes compounds as one
 * word ("schuldhulptrajecten", "schuldeisers"), which a stemmer leaves whole: a lexeme also
 * matches the catalogue's lexemes it begins or ends with ("schuld…", "…zorg"), those that begin
 * or end with it, and, less surely, those it shares a part with. Each match counts by how few
 * courses share it (a squared, BM25-like inverse document frequency), so that words many courses
 * share ("post" of every "Post-hbo", "zorg", "opleiding") do not decide the ranking and are not
 * given as a reason.
 */
export class CatalogueText {
  private readonly courseIds: string[];
  private readonly nl = new Map<string, Posting[]>();
  private readonly en = new Map<string, Posting[]>();
  /** Lexemes that may be part of a compound, by language and by the first and by the last `COMPOUND_PART` letters of their compound form. */
  private readonly parts = { nl: new CompoundParts(), en: new CompoundParts() };

  constructor(courses: readonly CourseLexemes[]) {
    this.courseIds = courses.map((c) => c.courseId);
    courses.forEach((course, index) => {
      for (const [lexeme, section] of Object.entries(course.nl)) add(this.nl, lexeme, { course: index, section });
      for (const [lexeme, section] of Object.entries(course.en)) add(this.en, lexeme, { course: index, section });
    });
    for (const language of ['nl', 'en'] as const) {
      for (const lexeme of this[language].keys()) this.parts[language].add(lexeme);
    }
  }

  /** Per course id, how well its text matches the intake's words: only the courses that match at all. */
  match(words: readonly IntakeWord[]): Map<string, TextMatch> {
    const ranks = new Map<number, { rank: number; terms: Array<{ word: string; titleOrKeywords: boolean; order: number }> }>();
    const intakeStops = intakeStopWords(words);
    words.forEach((word, order) => {
      if (intakeStops.has(word)) return;
      for (const [course, found] of this.find(word)) {
        let entry = ranks.get(course);
        if (!entry) ranks.set(course, (entry = { rank: 0, terms: [] }));
        entry.rank += found.contribution;
        if (!found.shared) entry.terms.push({ word: word.word, titleOrKeywords: found.section <= 'B', order });
      }
    });
    const matches = new Map<string, TextMatch>();
    for (const [course, { rank, terms }] of ranks) {
      // What the course is about (its title and keywords) first, then as the intake said it.
      terms.sort((a, b) => Number(b.titleOrKeywords) - Number(a.titleOrKeywords) || a.order - b.order);
      matches.set(this.courseIds[course], { rank, terms: terms.map((t) => t.word) });
    }
    return matches;
  }

  /**
   * The courses one intake word matches, each with its best contribution: the section's weight,
   * discounted for a compound match, times the squared inverse document frequency of the
   * catalogue's lexeme it matched, or of the word itself if that is more common: "rouw|begeleiding"
   * says no more through the "begeleiding" that many courses offer than that word does, nor "zorg"
   * more through the one course on "zorgleerlingen" than "zorg" does.
   */
  private find(word: IntakeWord): Map<number, { contribution: number; section: Section; shared: boolean }> {
    const related: Array<{ postings: Posting[]; quality: number }> = [];
    const exact = new Set<number>();
    for (const language of ['nl', 'en'] as const) {
      const postings = (lexeme: string) => this[language].get(lexeme) ?? [];
      for (const lexeme of word[language]) {
        related.push({ postings: postings(lexeme), quality: 1 });
        for (const { course } of postings(lexeme)) exact.add(course);
        const { containing, sharing } = this.parts[language].related(lexeme);
        for (const other of containing) related.push({ postings: postings(other), quality: COMPOUND_MATCH });
        for (const other of sharing) related.push({ postings: postings(other), quality: SHARED_PART_MATCH });
      }
    }
    const total = this.courseIds.length;
    const found = new Map<number, { contribution: number; section: Section; shared: boolean }>();
    for (const { postings, quality } of related) {
      const frequency = Math.max(postings.length, exact.size);
      const idf = Math.log(1 + (total - frequency + 0.5) / (frequency + 0.5));
      // Not a reason to name: it says little of what one course is about. (Two courses that share a word still stand apart from the rest.)
      const shared = frequency > Math.max(2, total / 3);
      for (const { course, section } of postings) {
        const contribution = idf * idf * SECTION_WEIGHT[section] * quality;
        const best = found.get(course);
        if (!best || contribution > best.contribution) found.set(course, { contribution, section, shared });
      }
    }
    return found;
  }
}

/** The catalogue's lexemes of one language as parts of compounds. */
class CompoundParts {
  /** By the first and by the last `COMPOUND_PART` letters of their compound form. */
  private readonly byStart = new Map<string, string[]>();
  private readonly byEnd = new Map<string, string[]>();
  /** By each beginning and each end of their compound form at least `SHARED_PART` long that leaves a rest. */
  private readonly byHead = new Map<string, string[]>();
  private readonly byTail = new Map<string, string[]>();
  /** Each lexeme's compound form, made once when the catalogue is read rather than at every advice. */
  private readonly forms = new Map<string, string>();

  add(lexeme: string): void {
    const form = compoundForm(lexeme);
    if (form === null) return;
    this.forms.set(lexeme, form);
    add(this.byStart, form.slice(0, COMPOUND_PART), lexeme);
    add(this.byEnd, form.slice(-COMPOUND_PART), lexeme);
    for (let length = SHARED_PART; length <= form.length - REST_BEFORE; length++) {
      add(this.byHead, form.slice(0, length), lexeme);
      add(this.byTail, form.slice(-length), lexeme);
    }
  }

  /**
   * The lexemes related to `lexeme` as compounds: those it begins or ends with, or that begin or
   * end with it, leaving a word's rest (`containing`); and those with which it shares a part, one
   * ending with what the other begins with (`sharing`).
   */
  related(lexeme: string): { containing: string[]; sharing: string[] } {
    const form = compoundForm(lexeme);
    if (form === null) return { containing: [], sharing: [] };
    const contains = (other: string, starts: boolean) => {
      const otherForm = this.forms.get(other)!;
      const [whole, part] = otherForm.length > form.length ? [otherForm, form] : [form, otherForm];
      return starts ? whole.length - part.length >= REST_AFTER && whole.startsWith(part) : whole.length - part.length >= REST_BEFORE && whole.endsWith(part);
    };
    const containing = new Set([
      ...(this.byStart.get(form.slice(0, COMPOUND_PART)) ?? []).filter((other) => contains(other, true)),
      ...(this.byEnd.get(form.slice(-COMPOUND_PART)) ?? []).filter((other) => contains(other, false)),
    ]);
    const sharing = new Set<string>();
    for (let length = SHARED_PART; length <= form.length - REST_BEFORE; length++) {
      for (const other of this.byHead.get(form.slice(-length)) ?? []) sharing.add(other);
      for (const other of this.byTail.get(form.slice(0, length)) ?? []) sharing.add(other);
    }
    return { containing: [...containing], sharing: [...sharing] };
  }
}

/**
 * A lexeme as compared within compounds, or null if it cannot be part of one (too short, or
 * hyphenated: "post-hbo" is indexed by its parts as well). Doubled letters are single, as the
 * Dutch stemmer makes them only at a word's end: "hypotheek" stems to "hypothek", yet
 * "hypotheekaanvraag" keeps its "ee".
 */
function compoundForm(lexeme: string): string | null {
  if (!/^\p{L}+$/u.test(lexeme)) return null;
  const form = lexeme.replace(/(\p{L})\1/gu, '$1');
  return form.length < COMPOUND_PART ? null : form;
}

/**
 * The intake's words that are stop words in its own language: "de" and "die" are stop words in
 * Dutch only, "most" in English only. The intake's language is the one more of its words are stop
 * words in; with as many in both, none is left out.
 */
function intakeStopWords(words: readonly IntakeWord[]): Set<IntakeWord> {
  const dutch = words.filter((w) => w.nl.length === 0);
  const english = words.filter((w) => w.en.length === 0);
  return new Set(dutch.length > english.length ? dutch : english.length > dutch.length ? english : []);
}

function add<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const values = map.get(key);
  if (values) values.push(value);
  else map.set(key, [value]);
}
