import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { Course } from '../catalogue/course.entity';
import { BusinessRuleException, ConflictProblemException, InvalidInputException, NotFoundProblemException } from '../http/domain.exception';
import type { FieldError } from '../http/problem';
import type { Actor } from '../http/request-context';
import { staleVersion } from '../database/version-lock';
import { MailOutbox } from '../mail/mail-outbox.service';
import { Edition } from '../planning/edition.entity';
import { Advice } from './advice.entity';
import { AdviceResult, Candidate, CandidateCourse, courseName, Intake, rankEditions, searchTerms, SuggestedCourse } from './advice-scoring';
import { CreateAdviceDto, UpdateAdviceDto } from './dto/advice.dto';
import { EnrolmentMail } from './enrolment-mail.service';
import { checkEntry, REQUIREMENT_LABELS } from './entry-requirements';
import { assertMayRead } from './student-access';
import { fullName, type Locale, Student } from './student.entity';
import { StudentsService } from './students.service';
import { todayInAmsterdam } from './cancellation-policy';

/** A course as the ranking query answers it; `prerequisites` with their titles, in the catalogue's order. */
interface CourseRow extends Omit<CandidateCourse, 'prerequisiteCourseIds' | 'prerequisiteTitles'> {
  prerequisites: Array<{ id: string; titleNl: string | null; titleEn: string | null }>;
}

type LocationFacts = Pick<Candidate, 'online' | 'locationName' | 'city'>;

/** An edition as the rows answer it: its location by id, since thousands of editions share a handful of locations. */
type EditionRow = Omit<Candidate, 'course' | keyof LocationFacts> & { courseId: string; locationId: string };

type CourseWithoutEditionRow = Pick<CandidateCourse, 'courseId' | 'courseCode' | 'courseTitleNl' | 'courseTitleEn' | 'minimumPriorEducation' | 'prerequisiteCourseIds'>;

interface RankingFacts {
  waitlistLimit: number | null;
  completedCourseIds: string[];
  /** Each course with an edition taking enrolments, once, with its full-text rank for the intake. */
  courses: CourseRow[] | null;
  /** The best-matching courses that have no edition taking enrolments (at most 10). */
  withoutEdition: CourseWithoutEditionRow[] | null;
  /** The locations of those editions, each once, by id. */
  locations: Record<string, LocationFacts> | null;
}

/** Editions that still take enrolments (of courses not retired). $1: today. */
const OPEN_EDITIONS = `
  SELECT e.id, e.code, e.course_id, e.start_date, e.weekdays, e.start_time, e.location_id, e.price_override_cents, e.capacity
    FROM edition e JOIN course c ON c.id = e.course_id
   WHERE e.status IN ('open', 'confirmed') AND coalesce(e.enrolment_deadline, e.start_date) >= $1::date AND c.retired_at IS NULL`;

/**
 * Every edition that still takes enrolments, with its price and seats: what the ranking needs
 * per edition, as plain rows (thousands of them; rows parse faster than JSON is built). Only
 * what differs per edition: the location's facts come once per location with the course facts,
 * as every cell read here is a string made and collected per request.
 */
const OPEN_EDITION_ROWS = `
  WITH open_edition AS MATERIALIZED (${OPEN_EDITIONS}),
  seats AS (
    SELECT en.edition_id, count(*) FILTER (WHERE en.status IN ('offered', 'received', 'enrolled'))::int AS taken,
           count(*) FILTER (WHERE en.status = 'waitlisted')::int AS waiting
      FROM enrolment en JOIN open_edition e ON e.id = en.edition_id
     WHERE en.status IN ('offered', 'received', 'enrolled', 'waitlisted')
     GROUP BY en.edition_id
  )
  SELECT e.id AS "editionId", e.code AS "editionCode", e.course_id AS "courseId", e.start_date::text AS "startDate", e.weekdays,
         e.start_time AS "startTime", e.location_id AS "locationId",
         coalesce(e.price_override_cents, c.tuition_cents)::float8 AS "priceCents", e.capacity,
         coalesce(s.taken, 0) AS taken, coalesce(s.waiting, 0) AS waiting
    FROM open_edition e
    JOIN course c ON c.id = e.course_id
    LEFT JOIN seats s ON s.edition_id = e.id`;

/**
 * The rest of what the ranking needs, in one row: the courses of those editions, each once, with
 * its full-text rank for the intake's words (`dutch` and `english` configurations over the
 * catalogue's indexed `search_nl` / `search_en`), the courses that match but have no such
 * edition, the locations of those editions, the student's completed courses and the waitlist limit. $1: the words, $2: them
 * joined with `or` for websearch_to_tsquery, $3: today, $4: the student, if any.
 */
const RANKING_FACTS = `
  WITH q AS MATERIALIZED (SELECT websearch_to_tsquery('dutch', $2) AS nl, websearch_to_tsquery('english', $2) AS en),
  terms AS MATERIALIZED (
    SELECT word, ord, plainto_tsquery('dutch', word) AS nl, plainto_tsquery('english', word) AS en
      FROM unnest($1::text[]) WITH ORDINALITY AS t(word, ord)
  ),
  matching AS MATERIALIZED (
    SELECT c.id, greatest(ts_rank_cd(c.search_nl, q.nl), ts_rank_cd(c.search_en, q.en))::float8 AS rank,
           array(SELECT w.word FROM terms w WHERE c.search_nl @@ w.nl OR c.search_en @@ w.en ORDER BY w.ord) AS matched
      FROM course c, q
     WHERE $2 <> '' AND c.retired_at IS NULL AND (c.search_nl @@ q.nl OR c.search_en @@ q.en)
  ),
  open_edition AS MATERIALIZED (${OPEN_EDITIONS.replace('$1', '$3')})
  SELECT
    (SELECT waitlist_limit FROM enrolment_settings WHERE id = 1) AS "waitlistLimit",
    array(SELECT DISTINCT e.course_id FROM enrolment en JOIN edition e ON e.id = en.edition_id
           WHERE en.student_id = $4::uuid AND en.status = 'completed') AS "completedCourseIds",
    (SELECT json_agg(course) FROM (
       SELECT c.id AS "courseId", c.code AS "courseCode", c.title_nl AS "courseTitleNl", c.title_en AS "courseTitleEn",
              c.delivery_mode AS "deliveryMode", c.minimum_prior_education AS "minimumPriorEducation", c.pe_points AS "pePoints",
              coalesce(m.rank, 0) AS "textRank", coalesce(m.matched, '{}') AS "matchedTerms",
              (SELECT coalesce(json_agg(json_build_object('id', p.id, 'titleNl', pc.title_nl, 'titleEn', pc.title_en) ORDER BY p.ord), '[]')
                 FROM unnest(c.prerequisite_course_ids) WITH ORDINALITY AS p(id, ord) LEFT JOIN course pc ON pc.id = p.id) AS prerequisites
         FROM course c LEFT JOIN matching m ON m.id = c.id
        WHERE c.id IN (SELECT course_id FROM open_edition)) course) AS courses,
    (SELECT json_agg(course) FROM (
       SELECT c.id AS "courseId", c.code AS "courseCode", c.title_nl AS "courseTitleNl", c.title_en AS "courseTitleEn",
              c.minimum_prior_education AS "minimumPriorEducation", c.prerequisite_course_ids AS "prerequisiteCourseIds"
         FROM matching m JOIN course c ON c.id = m.id
        WHERE NOT EXISTS (SELECT 1 FROM open_edition e WHERE e.course_id = c.id)
        ORDER BY m.rank DESC, c.code
        LIMIT 10) course) AS "withoutEdition",
    (SELECT json_object_agg(l.id, json_build_object('online', l.online, 'locationName', l.name, 'city', l.city))
       FROM location l WHERE l.id IN (SELECT location_id FROM open_edition)) AS locations`;

@Injectable()
export class AdviceService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly students: StudentsService,
    private readonly outbox: MailOutbox,
    private readonly mail: EnrolmentMail,
  ) {}

  /** Records the intake and ranks the open editions for it; the advice starts as a draft with the top editions selected. */
  async create(input: CreateAdviceDto, actor: Actor): Promise<Advice> {
    const student = input.studentId ? await this.students.active(input.studentId) : null;
    const locale = input.locale ?? student?.locale ?? 'nl';
    const intake: Intake = {
      interests: input.interests ?? '',
      goals: input.goals ?? '',
      priorEducationLevel: input.priorEducationLevel ?? student?.priorEducation?.level ?? null,
      priorEducationField: input.priorEducationField ?? student?.priorEducation?.field ?? '',
      preferredWeekdays: input.preferredWeekdays ?? [],
      preferredDayparts: input.preferredDayparts ?? [],
      delivery: input.delivery ?? 'any',
      region: input.region ?? '',
      budgetCents: input.budgetCents ?? null,
      startFrom: input.startFrom ?? null,
      startUntil: input.startUntil ?? null,
      pePoints: input.pePoints ?? [],
    };
    if (intake.startFrom && intake.startUntil && intake.startFrom > intake.startUntil) {
      throw new InvalidInputException([{ field: 'startUntil', rule: 'afterStartFrom', message: 'startUntil must not be before startFrom' }]);
    }
    const result = await this.rank(intake, student?.id ?? null, locale, input.limit ?? 5);
    const advice = this.db.getRepository(Advice).create({
      studentId: student?.id ?? null,
      advisorId: actor.id,
      locale,
      intake,
      result,
      selection: result.ranked.map((r) => ({ editionId: r.editionId, reasons: r.reasons })),
      interestCourseIds: [],
      personalNote: '',
      status: 'draft',
      sentContent: null,
      mailMessageId: null,
      sentAt: null,
    });
    // save(), so that the audit subscriber records the draft in the same transaction as every other change.
    return this.db.getRepository(Advice).save(advice);
  }

  /** The ranking itself: the top `limit` editions, the excluded ones with why, and fitting courses without an edition. */
  async rank(intake: Intake, studentId: string | null, locale: Locale, limit: number, manager: EntityManager = this.db.manager): Promise<AdviceResult> {
    const terms = searchTerms(intake.interests, intake.goals).filter((t) => t !== 'or');
    const today = todayInAmsterdam();
    // Two statements side by side: the editions as rows, the course facts as one row.
    const [editions, [facts]] = await Promise.all([
      manager.query<EditionRow[]>(OPEN_EDITION_ROWS, [today]),
      manager.query<RankingFacts[]>(RANKING_FACTS, [terms, terms.join(' or '), today, studentId]),
    ]);
    const completedCourseIds = new Set(facts.completedCourseIds);
    const courses = new Map(
      (facts.courses ?? []).map(({ prerequisites, ...course }): [string, CandidateCourse] => [
        course.courseId,
        {
          ...course,
          prerequisiteCourseIds: prerequisites.map((p) => p.id),
          prerequisiteTitles: prerequisites.map((p) => (p.titleNl === null ? p.id : courseName({ courseTitleNl: p.titleNl, courseTitleEn: p.titleEn }, locale))),
        },
      ]),
    );
    const locations = facts.locations ?? {};
    // An edition that opened between the two statements has no course or location facts yet: it waits for the next advice.
    const candidates: Candidate[] = [];
    for (const e of editions) {
      const course = courses.get(e.courseId);
      const location = locations[e.locationId];
      if (!course || !location) continue;
      // One literal of one shape, so that scoring thousands of them stays monomorphic (spreading the rows made it three times slower).
      candidates.push({
        editionId: e.editionId, editionCode: e.editionCode, course, startDate: e.startDate, weekdays: e.weekdays, startTime: e.startTime,
        online: location.online, locationName: location.locationName, city: location.city,
        priceCents: e.priceCents, capacity: e.capacity, taken: e.taken, waiting: e.waiting,
      });
    }
    return {
      ...rankEditions(intake, candidates, { completedCourseIds, waitlistLimit: facts.waitlistLimit }, locale, limit),
      coursesWithoutEdition: coursesWithoutEdition(facts.withoutEdition ?? [], intake, completedCourseIds, locale),
    };
  }

  async get(id: string, actor: Actor): Promise<Advice & { sentMail: { subject: string; text: string; toEmail: string } | null }> {
    const advice = await this.db.getRepository(Advice).findOneBy({ id });
    if (!advice) throw new NotFoundProblemException('Advice', id);
    if (advice.studentId) assertMayRead(actor, advice.studentId, 'Advice', id);
    else assertMayRead(actor, '', 'Advice', id);
    const [mail] = advice.mailMessageId
      ? await this.db.query(`SELECT subject, text, to_email AS "toEmail" FROM mail_message WHERE id = $1`, [advice.mailMessageId])
      : [];
    return Object.assign(advice, { sentMail: mail ?? null });
  }

  async history(studentId: string): Promise<Advice[]> {
    await this.students.get(studentId);
    return this.db.getRepository(Advice).find({ where: { studentId }, order: { createdAt: 'DESC' } });
  }

  /** The advisor's edit of a draft: the editions to send and their order and reasons, the note, courses to register interest in. */
  async update(id: string, input: UpdateAdviceDto): Promise<Advice> {
    return this.db.transaction(async (manager) => {
      const advice = await this.lockedDraft(manager, id);
      if (input.version !== advice.version) throw staleVersion('The advice', advice.version);
      if (input.selection) {
        const known = new Map([...advice.result.ranked, ...advice.result.excluded].map((e) => [e.editionId, e]));
        const errors: FieldError[] = input.selection
          .map((s, i) => (known.has(s.editionId) ? null : { field: `selection.${i}.editionId`, rule: 'inAdvice', message: `edition ${s.editionId} is not among the editions ranked for this intake` }))
          .filter((e): e is FieldError => e !== null);
        if (errors.length > 0) throw new InvalidInputException(errors);
        advice.selection = input.selection.map((s) => ({ editionId: s.editionId, reasons: s.reasons ?? known.get(s.editionId)!.reasons }));
      }
      if (input.interestCourseIds) {
        const found = await manager.countBy(Course, { id: In(input.interestCourseIds) });
        if (found !== new Set(input.interestCourseIds).size) {
          throw new InvalidInputException([{ field: 'interestCourseIds', rule: 'exists', message: 'every interestCourseIds entry must be an existing course' }]);
        }
        advice.interestCourseIds = [...new Set(input.interestCourseIds)];
      }
      if (input.personalNote !== undefined) advice.personalNote = input.personalNote;
      return manager.save(advice);
    });
  }

  /**
   * Sends the advice as the advisor left it (template `advice`) and registers the student's
   * interest in the chosen courses without an edition; the advice keeps exactly the data the
   * mail was rendered from, and a link to the stored mail.
   */
  async send(id: string, actor: Actor): Promise<Advice> {
    return this.db.transaction(async (manager) => {
      const advice = await this.lockedDraft(manager, id);
      if (!advice.studentId) throw new BusinessRuleException('advice_without_student', 'An advice needs a student to be sent to; create it with studentId');
      const student = await this.students.active(advice.studentId, manager);
      if (advice.selection.length === 0 && advice.interestCourseIds.length === 0) {
        throw new BusinessRuleException('advice_empty', 'Select at least one edition or one course to register interest in before sending');
      }
      const known = new Map([...advice.result.ranked, ...advice.result.excluded].map((e) => [e.editionId, e]));
      const [advisor] = await manager.query(`SELECT display_name AS "displayName" FROM user_account WHERE id = $1`, [actor.id]);
      const courses = advice.interestCourseIds.length > 0 ? await manager.findBy(Course, { id: In(advice.interestCourseIds) }) : [];
      const data = {
        applicantName: fullName(student),
        advisorName: advisor?.displayName ?? actor.email,
        personalNote: advice.personalNote.trim() || null,
        editions: advice.selection.map((s) => {
          const e = known.get(s.editionId)!;
          return { courseName: e.courseName, editionCode: e.editionCode, startDate: e.startDate, location: e.location, priceCents: e.priceCents, reasons: s.reasons };
        }),
        interestCourses: courses.map((c) => ({ courseName: courseName({ courseTitleNl: c.titleNl, courseTitleEn: c.titleEn }, advice.locale) })),
      };
      const mail = await this.outbox.enqueue(manager, {
        type: 'advice',
        locale: advice.locale,
        to: { email: student.email!, name: fullName(student) },
        studentId: student.id,
        data,
        idempotencyKey: `advice:${advice.id}`,
      });
      await this.students.registerInterest(manager, student.id, advice.interestCourseIds, advice.id);
      Object.assign(advice, { status: 'sent', sentContent: data, mailMessageId: mail.id, sentAt: new Date() });
      return manager.save(advice);
    });
  }

  /** An edition opened: every student interested in its course hears of it, once per edition. */
  async notifyInterested(manager: EntityManager, edition: Edition): Promise<number> {
    const students = await manager
      .getRepository(Student)
      .createQueryBuilder('s')
      .where('s.id IN (SELECT student_id FROM course_interest WHERE course_id = :courseId)', { courseId: edition.courseId })
      .andWhere('s.email IS NOT NULL')
      .getMany();
    if (students.length === 0) return 0;
    const facts = await this.mail.facts(manager, edition);
    const [{ count }] = await manager.query(`SELECT count(*)::int AS count FROM session WHERE edition_id = $1 AND status = 'planned'`, [edition.id]);
    for (const student of students) {
      await this.mail.editionOpened(manager, student, facts, count || edition.meetingCount, edition.priceOverrideCents ?? facts.course.tuitionCents);
    }
    return students.length;
  }

  private async lockedDraft(manager: EntityManager, id: string): Promise<Advice> {
    const advice = await manager.findOne(Advice, { where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!advice) throw new NotFoundProblemException('Advice', id);
    if (advice.status === 'sent') throw new ConflictProblemException('advice_sent', `The advice was sent on ${advice.sentAt!.toISOString()} and can no longer change`);
    return advice;
  }
}

/** Fitting courses without an edition taking enrolments: the five best-matching whose level the student meets or may meet. */
function coursesWithoutEdition(rows: CourseWithoutEditionRow[], intake: Intake, completed: ReadonlySet<string>, locale: Locale): SuggestedCourse[] {
  return rows
    .filter((c) => checkEntry(c, intake.priorEducationLevel, completed).levelMet !== false)
    .slice(0, 5)
    .map((c) => ({
      courseId: c.courseId,
      courseCode: c.courseCode,
      courseName: courseName(c, locale),
      reasons: [
        locale === 'nl' ? 'Past bij uw interesses; er is nu geen uitvoering open' : 'Matches your interests; no edition is open at the moment',
        `${locale === 'nl' ? 'Vereist' : 'Requires'} ${REQUIREMENT_LABELS[c.minimumPriorEducation][locale]}`,
      ],
    }));
}
