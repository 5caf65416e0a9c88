import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { JobsService } from '../jobs/jobs.service';
import { type Candidate, type CandidateCourse, CandidateTable } from './candidate-table';
import { CatalogueText, CourseLexemes } from './advice-text';
import { CatalogueService } from '../catalogue/catalogue.service';
import { EnrolmentDirectory } from '../enrolment/enrolment-directory';
import { EnrolmentTerms } from '../enrolment/enrolment-terms.service';
import { EditionReadModel } from '../planning/edition-read-model';

/** What the ranking needs of the catalogue, the same for every intake until the catalogue changes. */
export interface CandidatePool {
  /** The catalogue's change count this pool is current for (see the catalogue-change-count migration). */
  changeCount: string;
  /** The day the pool was read for: editions past their enrolment deadline drop out at midnight. */
  today: string;
  /** Every edition that still takes enrolments, with its course, location and seats. */
  editions: CandidateTable;
  /** Every course not retired, by id, whether or not it has such an edition. */
  courses: ReadonlyMap<string, CandidateCourse>;
  /** The courses with at least one candidate. */
  openCourseIds: ReadonlySet<string>;
  /** The words of every course not retired, to match intakes against. */
  text: CatalogueText;
  /** Students that may wait per edition; null: no limit. */
  waitlistLimit: number | null;
}

const COMPACT_QUEUE = 'advice.compact-change-count';

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
    private readonly catalogue: CatalogueService,
    private readonly editions: EditionReadModel,
    private readonly enrolments: EnrolmentDirectory,
    private readonly terms: EnrolmentTerms,
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
    // One snapshot for the reads, so that every edition finds its course and its seats.
    const [editions, courseRows, seats, settings] = await this.db.transaction('REPEATABLE READ', async (manager: EntityManager) => {
      const open = await this.editions.openEditions(today, manager);
      return [
        open,
        await this.catalogue.searchableCourses(manager),
        await this.enrolments.seatsAndWaitlist(open.map((e) => e.editionId), manager),
        await this.terms.current(manager),
      ] as const;
    });
    const titles = new Map(courseRows.map((c) => [c.courseId, { courseTitleNl: c.courseTitleNl, courseTitleEn: c.courseTitleEn }]));
    const courses = new Map<string, CandidateCourse>();
    const lexemes: CourseLexemes[] = [];
    const tuition = new Map<string, number>();
    for (const { retired, lexemesNl, lexemesEn, tuitionCents, ...course } of courseRows) {
      if (retired) continue;
      tuition.set(course.courseId, tuitionCents);
      lexemes.push({ courseId: course.courseId, nl: lexemesNl ?? {}, en: lexemesEn ?? {} });
      courses.set(course.courseId, {
        ...course,
        prerequisiteTitles: course.prerequisiteCourseIds.map((id) => titles.get(id) ?? { courseTitleNl: id, courseTitleEn: null }),
      });
    }
    const candidates: Candidate[] = [];
    for (const e of editions) {
      // Editions of retired courses take no enrolments.
      const course = courses.get(e.courseId);
      if (!course) continue;
      const { taken, waiting } = seats.get(e.editionId) ?? { taken: 0, waiting: 0 };
      const priceCents = e.priceOverrideCents ?? tuition.get(e.courseId)!;
      candidates.push({
        editionId: e.editionId, editionCode: e.editionCode, course, startDate: e.startDate, weekdays: e.weekdays, startTime: e.startTime,
        online: e.online, locationName: e.locationName, city: e.city, priceCents, capacity: e.capacity, taken, waiting,
      });
    }
    const pool = {
      changeCount,
      today,
      editions: new CandidateTable(candidates),
      courses,
      openCourseIds: new Set(candidates.map((c) => c.course.courseId)),
      text: new CatalogueText(lexemes),
      waitlistLimit: settings.waitlistLimit,
    };
    // A newer pool (read for a later count) is not replaced by an older one.
    if (!this.pool || BigInt(this.pool.changeCount) <= BigInt(changeCount)) this.pool = pool;
    return pool;
  }
}
