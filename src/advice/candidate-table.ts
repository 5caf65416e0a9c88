import type { SearchableCourse } from '../catalogue/catalogue.service';
import type { OpenEdition } from '../planning/edition-read-model';
import { dayNumber } from '../kernel/time';

export const DAYPARTS = ['morning', 'afternoon', 'evening'] as const;
export type Daypart = (typeof DAYPARTS)[number];

export function daypartOf(time: string): Daypart {
  const hour = Number(time.slice(0, 2));
  return hour < 12 ? 'morning' : hour < 17 ? 'afternoon' : 'evening';
}

/** What the ranking needs of a course, as the catalogue publishes it: the same for each of its editions and every intake, so held once. */
export interface CandidateCourse extends Omit<SearchableCourse, 'tuitionCents' | 'retired' | 'lexemesNl' | 'lexemesEn'> {
  /** The prerequisites' titles, in the order of `prerequisiteCourseIds`. */
  prerequisiteTitles: Array<{ courseTitleNl: string; courseTitleEn: string | null }>;
}

/** An open edition as planning publishes it, with its course, price and seats. */
export interface Candidate extends Pick<OpenEdition, 'editionId' | 'editionCode' | 'startDate' | 'weekdays' | 'startTime' | 'online' | 'locationName' | 'city' | 'capacity'> {
  course: CandidateCourse;
  priceCents: number;
  /** Seats held (enrolled or offered). */
  taken: number;
  /** Students on the waitlist. */
  waiting: number;
}

const collator = new Intl.Collator();

/**
 * The open editions as columns of numbers, which is how the ranking reads them. Every advice
 * scores every open edition, and thousands of objects spread over the heap cost more to reach
 * than to score: a ranking took twice as long right after the server had done other work as in
 * a loop of rankings. The same facts side by side in a few arrays stay cheap to read. The
 * editions themselves are kept for the few that are shown.
 */
export class CandidateTable {
  readonly size: number;
  /** Each edition's course, as an index into `courses`. */
  readonly course: Int32Array;
  /** The courses of the editions, each once. */
  readonly courses: readonly CandidateCourse[];
  /** The start date as `dayNumber`. */
  readonly startDay: Int32Array;
  /** The lesson weekdays as bits (1 << ISO weekday), and how many there are. */
  readonly weekdays: Uint8Array;
  readonly weekdayCount: Uint8Array;
  /** The start time's part of the day, as an index into `DAYPARTS`. */
  readonly daypart: Uint8Array;
  /** 1 where the edition is followed online: at an online location, or of an online course. */
  readonly online: Uint8Array;
  /** The edition's place, as an index into `places`. */
  readonly place: Int32Array;
  /** Each place once: the city and the location's name. */
  readonly places: ReadonlyArray<readonly [city: string, locationName: string]>;
  readonly priceCents: Float64Array;
  readonly seatsLeft: Int32Array;
  readonly waiting: Int32Array;
  /** The edition code's place in collation order, to break ties without comparing strings. */
  readonly codeOrder: Int32Array;

  constructor(readonly candidates: readonly Candidate[]) {
    const n = (this.size = candidates.length);
    this.course = new Int32Array(n);
    this.startDay = new Int32Array(n);
    this.weekdays = new Uint8Array(n);
    this.weekdayCount = new Uint8Array(n);
    this.daypart = new Uint8Array(n);
    this.online = new Uint8Array(n);
    this.place = new Int32Array(n);
    this.priceCents = new Float64Array(n);
    this.seatsLeft = new Int32Array(n);
    this.waiting = new Int32Array(n);
    this.codeOrder = new Int32Array(n);
    const courses = new Map<CandidateCourse, number>();
    const places = new Map<string, number>();
    const placeList: Array<readonly [string, string]> = [];
    candidates.forEach((c, i) => {
      let course = courses.get(c.course);
      if (course === undefined) courses.set(c.course, (course = courses.size));
      this.course[i] = course;
      this.startDay[i] = dayNumber(c.startDate);
      for (const day of c.weekdays) this.weekdays[i] |= 1 << day;
      this.weekdayCount[i] = c.weekdays.length;
      this.daypart[i] = DAYPARTS.indexOf(daypartOf(c.startTime));
      this.online[i] = c.online || c.course.deliveryMode === 'online' ? 1 : 0;
      const placeKey = `${c.city}\u0000${c.locationName}`;
      let place = places.get(placeKey);
      if (place === undefined) {
        places.set(placeKey, (place = placeList.length));
        placeList.push([c.city, c.locationName]);
      }
      this.place[i] = place;
      this.priceCents[i] = c.priceCents;
      this.seatsLeft[i] = Math.max(0, c.capacity - c.taken);
      this.waiting[i] = c.waiting;
    });
    this.courses = [...courses.keys()];
    this.places = placeList;
    const byCode = candidates.map((_, i) => i).sort((a, b) => collator.compare(candidates[a].editionCode, candidates[b].editionCode));
    byCode.forEach((index, position) => {
      const previous = byCode[position - 1];
      // Codes that collate as equal share their place.
      this.codeOrder[index] = position > 0 && collator.compare(candidates[previous].editionCode, candidates[index].editionCode) === 0 ? this.codeOrder[previous] : position;
    });
  }
}
