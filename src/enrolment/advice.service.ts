import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { Course } from '../catalogue/course.entity';
import { BusinessRuleException, ConflictProblemException, InvalidInputException, NotFoundProblemException } from '../http/domain.exception';
import type { FieldError } from '../http/problem';
import type { Actor } from '../http/request-context';
import { MailOutbox } from '../mail/mail-outbox.service';
import { Edition } from '../planning/edition.entity';
import { Advice } from './advice.entity';
import { AdviceResult, Candidate, courseName, Intake, rankEditions, searchTerms, SuggestedCourse } from './advice-scoring';
import { CreateAdviceDto, UpdateAdviceDto } from './dto/advice.dto';
import { EnrolmentMail } from './enrolment-mail.service';
import { EnrolmentSettings } from './enrolment-settings.entity';
import { checkEntry, REQUIREMENT_LABELS } from './entry-requirements';
import { assertMayRead } from './student-access';
import { fullName, type Locale, Student } from './student.entity';
import { StudentsService } from './students.service';
import { todayInAmsterdam } from './cancellation-policy';

type CandidateRow = Candidate & { waiting: number };

/**
 * Every edition that still takes enrolments, with what the ranking needs, and the full-text
 * rank of its course for the intake's words (`dutch` and `english` configurations, over the
 * catalogue's indexed `search_nl` / `search_en`). $1: the words, $2: them joined with `or`
 * for websearch_to_tsquery, $3: today.
 */
const CANDIDATES = `
  WITH q AS (SELECT websearch_to_tsquery('dutch', $2) AS nl, websearch_to_tsquery('english', $2) AS en),
  terms AS (
    SELECT word, ord, plainto_tsquery('dutch', word) AS nl, plainto_tsquery('english', word) AS en
      FROM unnest($1::text[]) WITH ORDINALITY AS t(word, ord)
  ),
  matching AS (
    SELECT c.id, greatest(ts_rank_cd(c.search_nl, q.nl), ts_rank_cd(c.search_en, q.en)) AS rank,
           array(SELECT w.word FROM terms w WHERE c.search_nl @@ w.nl OR c.search_en @@ w.en ORDER BY w.ord) AS matched
      FROM course c, q
     WHERE $2 <> '' AND (c.search_nl @@ q.nl OR c.search_en @@ q.en)
  )
  SELECT e.id AS "editionId", e.code AS "editionCode", c.id AS "courseId", c.code AS "courseCode",
         c.title_nl AS "courseTitleNl", c.title_en AS "courseTitleEn", to_char(e.start_date, 'YYYY-MM-DD') AS "startDate",
         e.weekdays, e.start_time AS "startTime", e.end_time AS "endTime", l.online, l.name AS "locationName", l.city,
         c.delivery_mode AS "deliveryMode", coalesce(e.price_override_cents, c.tuition_cents)::float8 AS "priceCents",
         e.capacity, coalesce(st.taken, 0) AS taken, coalesce(st.waiting, 0) AS waiting,
         c.minimum_prior_education AS "minimumPriorEducation", c.prerequisite_course_ids AS "prerequisiteCourseIds",
         c.pe_points AS "pePoints", coalesce(m.rank, 0)::float8 AS "textRank", coalesce(m.matched, '{}') AS "matchedTerms"
    FROM edition e
    JOIN course c ON c.id = e.course_id
    JOIN location l ON l.id = e.location_id
    LEFT JOIN matching m ON m.id = c.id
    LEFT JOIN LATERAL (
      SELECT count(*) FILTER (WHERE status IN ('offered', 'enrolled'))::int AS taken,
             count(*) FILTER (WHERE status = 'waitlisted')::int AS waiting
        FROM enrolment WHERE edition_id = e.id) st ON true
   WHERE e.status IN ('open', 'confirmed') AND coalesce(e.enrolment_deadline, e.start_date) >= $3::date AND c.retired_at IS NULL`;

/** Courses that match the words but have no edition taking enrolments. */
const COURSES_WITHOUT_EDITION = `
  WITH q AS (SELECT websearch_to_tsquery('dutch', $1) AS nl, websearch_to_tsquery('english', $1) AS en)
  SELECT c.id, c.code, c.title_nl AS "titleNl", c.title_en AS "titleEn", c.minimum_prior_education AS "minimumPriorEducation",
         c.prerequisite_course_ids AS "prerequisiteCourseIds",
         greatest(ts_rank_cd(c.search_nl, q.nl), ts_rank_cd(c.search_en, q.en)) AS rank
    FROM course c, q
   WHERE c.retired_at IS NULL AND (c.search_nl @@ q.nl OR c.search_en @@ q.en)
     AND NOT EXISTS (SELECT 1 FROM edition e WHERE e.course_id = c.id AND e.status IN ('open', 'confirmed')
                       AND coalesce(e.enrolment_deadline, e.start_date) >= $2::date)
   ORDER BY rank DESC, c.code
   LIMIT 10`;

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
    return this.db.getRepository(Advice).save(advice);
  }

  /** The ranking itself: the top `limit` editions, the excluded ones with why, and fitting courses without an edition. */
  async rank(intake: Intake, studentId: string | null, locale: Locale, limit: number, manager: EntityManager = this.db.manager): Promise<AdviceResult> {
    const terms = searchTerms(intake.interests, intake.goals).filter((t) => t !== 'or');
    const words = terms.join(' or ');
    const today = todayInAmsterdam();
    const [rows, completed, settings] = await Promise.all([
      manager.query<CandidateRow[]>(CANDIDATES, [terms, words, today]),
      studentId ? this.completedCourses(manager, studentId) : Promise.resolve(new Set<string>()),
      manager.findOneByOrFail(EnrolmentSettings, { id: 1 }),
    ]);
    const titles = await this.courseTitles(manager, [...new Set(rows.flatMap((r) => r.prerequisiteCourseIds))], locale);
    const candidates = rows.map((r) => ({ ...r, prerequisiteTitles: r.prerequisiteCourseIds.map((id) => titles.get(id) ?? id) }));
    const waiting = new Map(rows.map((r) => [r.editionId, r.waiting]));
    const ranked = rankEditions(intake, candidates, completed, (id) => ({ waitlistLimit: settings.waitlistLimit, waiting: waiting.get(id) ?? 0 }), locale, limit);
    return { ...ranked, coursesWithoutEdition: words ? await this.coursesWithoutEdition(manager, words, today, intake, completed, locale) : [] };
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
      if (input.version !== advice.version) throw new ConflictProblemException('stale_version', `The advice was changed by someone else (now version ${advice.version})`);
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

  private async completedCourses(manager: EntityManager, studentId: string): Promise<Set<string>> {
    const rows: { courseId: string }[] = await manager.query(
      `SELECT DISTINCT e.course_id AS "courseId" FROM enrolment en JOIN edition e ON e.id = en.edition_id WHERE en.student_id = $1 AND en.status = 'completed'`,
      [studentId],
    );
    return new Set(rows.map((r) => r.courseId));
  }

  private async courseTitles(manager: EntityManager, ids: string[], locale: Locale): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const courses = await manager.findBy(Course, { id: In(ids) });
    return new Map(courses.map((c) => [c.id, courseName({ courseTitleNl: c.titleNl, courseTitleEn: c.titleEn }, locale)]));
  }

  private async coursesWithoutEdition(
    manager: EntityManager,
    words: string,
    today: string,
    intake: Intake,
    completed: ReadonlySet<string>,
    locale: Locale,
  ): Promise<SuggestedCourse[]> {
    const rows: Array<{ id: string; code: string; titleNl: string; titleEn: string | null; minimumPriorEducation: Course['minimumPriorEducation']; prerequisiteCourseIds: string[] }> =
      await manager.query(COURSES_WITHOUT_EDITION, [words, today]);
    return rows
      .filter((c) => checkEntry(c, intake.priorEducationLevel, completed).levelMet !== false)
      .slice(0, 5)
      .map((c) => ({
        courseId: c.id,
        courseCode: c.code,
        courseName: courseName({ courseTitleNl: c.titleNl, courseTitleEn: c.titleEn }, locale),
        reasons: [
          locale === 'nl' ? 'Past bij uw interesses; er is nu geen uitvoering open' : 'Matches your interests; no edition is open at the moment',
          `${locale === 'nl' ? 'Vereist' : 'Requires'} ${REQUIREMENT_LABELS[c.minimumPriorEducation][locale]}`,
        ],
      }));
  }
}
