import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { JobsService } from '../jobs/jobs.service';
import type { Candidate, CandidateCourse } from './advice-scoring';
import { CatalogueText, CourseLexemes, Section } from './advice-text';
import { SEAT_HOLDING } from './enrolment.entity';

/** What the ranking needs of the catalogue, the same for every intake until the catalogue changes. */
export interface CandidatePool {
  /** The catalogue's change count this pool is current for (see the catalogue-change-count migration). */
  changeCount: string;
  /** The day the pool was read for: editions past their enrolment deadline drop out at midnight. */
  today: string;
  /** Every edition that still takes enrolments, with its course, location and seats. */
  candidates: Candidate[];
  /** Every course not retired, by id, whether or not it has such an edition. */
  courses: ReadonlyMap<string, CandidateCourse>;
  /** The courses with at least one candidate. */
  openCourseIds: ReadonlySet<string>;
  /** The words of every course not retired, to match intakes against. */
  text: CatalogueText;
  /** Students that may wait per edition; null: no limit. */
  waitlistLimit: number | null;
}

interface CourseRow extends Omit<CandidateCourse, 'prerequisiteTitles'> {
  retired: boolean;
  /** The lexemes of `search_nl` and `search_en` with their best section; null for a retired course or one without text. */
  lexemesNl: Record<string, Section> | null;
  lexemesEn: Record<string, Section> | null;
}

interface EditionRow extends Omit<Candidate, 'course'> {
  courseId: string;
}

/** Editions that still take enrolments (of courses not retired), with their location and seats. $1: today, $2: the seat-holding statuses. */
const OPEN_EDITIONS = `
  WITH open_edition AS MATERIALIZED (
    SELECT e.id, e.code, e.course_id, e.start_date, e.weekdays, e.start_time, e.location_id, e.price_override_cents, e.capacity
      FROM edition e JOIN course c ON c.id = e.course_id
     WHERE e.status IN ('open', 'confirmed') AND coalesce(e.enrolment_deadline, e.start_date) >= $1::date AND c.retired_at IS NULL
  ),
  seats AS (
    SELECT en.edition_id, count(*) FILTER (WHERE en.status = ANY($2))::int AS taken, count(*) FILTER (WHERE en.status = 'waitlisted')::int AS waiting
      FROM enrolment en JOIN open_edition e ON e.id = en.edition_id
     WHERE en.status = ANY($2) OR en.status = 'waitlisted'
     GROUP BY en.edition_id
  )
  SELECT e.id AS "editionId", e.code AS "editionCode", e.course_id AS "courseId", e.start_date::text AS "startDate", e.weekdays,
         e.start_time AS "startTime", l.online, l.name AS "locationName", l.city,
         coalesce(e.price_override_cents, c.tuition_cents)::float8 AS "priceCents", e.capacity,
         coalesce(s.taken, 0) AS taken, coalesce(s.waiting, 0) AS waiting
    FROM open_edition e
    JOIN course c ON c.id = e.course_id
    JOIN location l ON l.id = e.location_id
    LEFT JOIN seats s ON s.edition_id = e.id`;

const COMPACT_QUEUE = 'advice.compact-change-count';

/**
 * Every course, retired ones too: a prerequisite may be retired, and its title is still shown.
 * The courses not retired come with the lexemes of their indexed text (weights sort A first).
 */
const COURSES = `
  SELECT id AS "courseId", code AS "courseCode", title_nl AS "courseTitleNl", title_en AS "courseTitleEn", delivery_mode AS "deliveryMode",
         minimum_prior_education AS "minimumPriorEducation", prerequisite_course_ids AS "prerequisiteCourseIds", pe_points AS "pePoints",
         retired_at IS NOT NULL AS retired,
         CASE WHEN retired_at IS NULL THEN (SELECT json_object_agg(l.lexeme, coalesce((SELECT min(w) FROM unnest(l.weights) w), 'D')) FROM unnest(search_nl) l) END AS "lexemesNl",
         CASE WHEN retired_at IS NULL THEN (SELECT json_object_agg(l.lexeme, coalesce((SELECT min(w) FROM unnest(l.weights) w), 'D')) FROM unnest(search_en) l) END AS "lexemesEn"
    FROM course`;

/**
 * The open editions as candidates for advice, held in memory: thousands of editions read and
 * parsed for every intake cost more than the ranking itself. Every advice reads the catalogue's
 * change count with the stems of its words (one round trip it makes anyway) and passes it here; the
 * pool is read again only when that count or the day has moved on.
 */
@Injectable()
export class AdviceCandidates implements OnModuleInit {
  private pool: CandidatePool | null = null;
  private loading: Promise<CandidatePool> | null = null;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly jobs: JobsService,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.jobs.define(COMPACT_QUEUE, async () => ({ folded: await this.compactChangeCount() }), { cron: '40 3 * * *' });
  }

  /**
   * Folds the counts of database sessions that have ended into one row (pid 0), in one statement:
   * the sum, which is all a reader sees, stays the same, and the table stays as small as the
   * number of live sessions. Run nightly by the scheduler.
   */
  async compactChangeCount(): Promise<number> {
    const [{ folded }] = await this.db.query<Array<{ folded: number }>>(`
      WITH ended AS (
        DELETE FROM catalogue_change
         WHERE backend_pid <> 0 AND backend_pid NOT IN (SELECT pid FROM pg_stat_activity WHERE pid IS NOT NULL)
        RETURNING changes
      ),
      folded AS (
        INSERT INTO catalogue_change (backend_pid, changes) SELECT 0, sum(changes) FROM ended HAVING count(*) > 0
        ON CONFLICT (backend_pid) DO UPDATE SET changes = catalogue_change.changes + excluded.changes
      )
      SELECT count(*)::int AS folded FROM ended`);
    return folded;
  }

  /**
   * A pool with every change up to `changeCount` (which the caller read before this call): one
   * read for that count or a later one. The count only grows, so a pool read for a later count
   * holds all the caller's changes too.
   */
  async current(changeCount: string, today: string): Promise<CandidatePool> {
    const holds = (pool: CandidatePool | null): pool is CandidatePool => pool !== null && pool.today === today && BigInt(pool.changeCount) >= BigInt(changeCount);
    if (holds(this.pool)) return this.pool;
    // Concurrent requests that find the pool stale share one read.
    this.loading ??= this.load(changeCount, today).finally(() => (this.loading = null));
    const pool = await this.loading;
    // The shared read was for an earlier count (or day): read again for this one.
    return holds(pool) ? pool : this.current(changeCount, today);
  }

  private async load(changeCount: string, today: string): Promise<CandidatePool> {
    // One snapshot for the three reads, so that every edition finds its course.
    const [editions, courseRows, [settings]] = await this.db.transaction('REPEATABLE READ', async (manager: EntityManager) => [
      await manager.query<EditionRow[]>(OPEN_EDITIONS, [today, SEAT_HOLDING]),
      await manager.query<CourseRow[]>(COURSES),
      await manager.query<Array<{ waitlistLimit: number | null }>>(`SELECT waitlist_limit AS "waitlistLimit" FROM enrolment_settings WHERE id = 1`),
    ] as const);
    const titles = new Map(courseRows.map((c) => [c.courseId, { courseTitleNl: c.courseTitleNl, courseTitleEn: c.courseTitleEn }]));
    const courses = new Map<string, CandidateCourse>();
    const lexemes: CourseLexemes[] = [];
    for (const { retired, lexemesNl, lexemesEn, ...course } of courseRows) {
      if (retired) continue;
      lexemes.push({ courseId: course.courseId, nl: lexemesNl ?? {}, en: lexemesEn ?? {} });
      courses.set(course.courseId, {
        ...course,
        prerequisiteTitles: course.prerequisiteCourseIds.map((id) => titles.get(id) ?? { courseTitleNl: id, courseTitleEn: null }),
      });
    }
    const candidates: Candidate[] = [];
    for (const e of editions) {
      const course = courses.get(e.courseId)!;
      // One literal of one shape, so that scoring thousands of them stays monomorphic (spreading the rows made it three times slower).
      candidates.push({
        editionId: e.editionId, editionCode: e.editionCode, course, startDate: e.startDate, weekdays: e.weekdays, startTime: e.startTime,
        online: e.online, locationName: e.locationName, city: e.city, priceCents: e.priceCents, capacity: e.capacity, taken: e.taken, waiting: e.waiting,
      });
    }
    const pool = {
      changeCount,
      today,
      candidates,
      courses,
      openCourseIds: new Set(candidates.map((c) => c.course.courseId)),
      text: new CatalogueText(lexemes),
      waitlistLimit: settings?.waitlistLimit ?? null,
    };
    // A newer pool (read for a later count) is not replaced by an older one.
    if (!this.pool || BigInt(this.pool.changeCount) <= BigInt(changeCount)) this.pool = pool;
    return pool;
  }
}
