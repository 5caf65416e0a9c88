import { Injectable, OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { CatalogueService } from '../catalogue/catalogue.service';
import { BusinessRuleError, ConflictError, InvalidInputError, NotFoundError } from '../kernel/domain-errors';
import type { FieldError } from '../kernel/domain-errors';
import type { Actor } from '../kernel/request-context';
import { staleVersion } from '../database/version-lock';
import { MailOutbox } from '../mail/mail-outbox.service';
import { EditionReadModel, type PlannedEdition } from '../planning/edition-read-model';
import { Environment } from '../config/environment';
import { UsersService } from '../auth/users.service';
import { MailMessagesService } from '../mail/mail-messages.service';
import { EnrolmentDirectory } from '../enrolment/enrolment-directory';
import { CourseInterests } from './course-interests.service';
import { EditionsService } from '../planning/editions.service';
import { DomainEvents } from '../events/domain-events';
import { AuditedInsert } from '../audit/audited-insert';
import { Advice, SentAdvice } from './advice.entity';
import { AdviceCandidates, CandidatePool } from './advice-candidates';
import { AdviceResult, Intake, rankEditions, searchTerms, SuggestedCourse, TextMatch } from './advice-scoring';
import { CreateAdviceDto, UpdateAdviceDto } from './dto/advice.dto';
import { checkEntry, levelRefuses, REQUIREMENT_LABELS } from '../enrolment/entry-requirements';
import { assertMayRead } from '../enrolment/student-access';
import { courseName, type Locale } from '../kernel/locale';
import { fullName } from '../enrolment/student-name';
import { StudentsService } from '../enrolment/students.service';
import { todayInAmsterdam } from '../kernel/time';

/** The intake's facts from the database, read fresh for every advice. */
interface IntakeFacts {
  /** The catalogue's change count, to know whether the candidate pool held in memory is current. */
  changeCount: string;
  /** Per intake word, in order: its lexemes under the `dutch` and `english` configurations; null without words. */
  lexemes: Array<[nl: string[], en: string[]]> | null;
}

/**
 * What an advice reads fresh, in one statement: the catalogue's change count and the intake's
 * words as PostgreSQL stems them for the catalogue's indexed text (the matching itself is done
 * in memory, see CatalogueText). $1: the words. The student's completed courses, if there is a
 * student, come from enrolment's directory at the same time.
 */
const INTAKE_FACTS = `
  SELECT
    (SELECT coalesce(sum(changes), 0)::text FROM catalogue_change) AS "changeCount",
    (SELECT json_agg(json_build_array(tsvector_to_array(to_tsvector('dutch', word)), tsvector_to_array(to_tsvector('english', word))) ORDER BY ord)
       FROM unnest($1::text[]) WITH ORDINALITY AS t(word, ord)) AS lexemes`;

@Injectable()
export class AdviceService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly students: StudentsService,
    private readonly outbox: MailOutbox,
    private readonly candidates: AdviceCandidates,
    private readonly events: DomainEvents,
    private readonly editions: EditionsService,
    private readonly editionReads: EditionReadModel,
    private readonly catalogue: CatalogueService,
    private readonly users: UsersService,
    private readonly mails: MailMessagesService,
    private readonly directory: EnrolmentDirectory,
    private readonly interests: CourseInterests,
    private readonly audited: AuditedInsert,
    private readonly env: Environment,
  ) {}

  onModuleInit(): void {
    // An edition that opens is news for everyone who asked to hear about its course.
    this.events.on('edition.opened', async ({ editionId }, manager) => {
      await this.notifyInterested(manager, await this.editions.edition(editionId, manager));
    });
  }

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
      throw new InvalidInputError([{ field: 'startUntil', rule: 'afterStartFrom', message: 'startUntil must not be before startFrom' }]);
    }
    const result = await this.rank(intake, student?.id ?? null, locale, input.limit ?? 5);
    const advice = this.db.getRepository(Advice).create({
      id: randomUUID(),
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
    // One statement with its audit entry, not a save: a save compares and merges the tens of kilobytes of the result, in four round trips.
    return this.audited.insert(Advice, advice);
  }

  /** The ranking itself: the top `limit` editions, the excluded ones with why, and fitting courses without an edition. */
  async rank(intake: Intake, studentId: string | null, locale: Locale, limit: number): Promise<AdviceResult> {
    const words = searchTerms(intake.interests, intake.goals);
    const [[facts], completed] = await Promise.all([
      this.db.query<IntakeFacts[]>(INTAKE_FACTS, [words]),
      studentId ? this.directory.completedCourses(studentId) : [],
    ]);
    const pool = await this.candidates.current(facts.changeCount, todayInAmsterdam());
    const textMatches = pool.text.match((facts.lexemes ?? []).map(([nl, en], i) => ({ word: words[i], nl, en })));
    const context = { completedCourseIds: new Set(completed.map((c) => c.courseId)), textMatches, waitlistLimit: pool.waitlistLimit };
    return {
      ...rankEditions(intake, pool.editions, context, locale, limit),
      coursesWithoutEdition: coursesWithoutEdition(pool, textMatches, intake, context.completedCourseIds, locale),
    };
  }

  async get(id: string, actor: Actor): Promise<Advice & { sentMail: { subject: string; text: string; toEmail: string } | null }> {
    const advice = await this.db.getRepository(Advice).findOneBy({ id });
    if (!advice) throw new NotFoundError('Advice', id);
    if (advice.studentId) assertMayRead(actor, advice.studentId, 'Advice', id);
    else assertMayRead(actor, '', 'Advice', id);
    const mail = advice.mailMessageId ? await this.mails.sentContent(advice.mailMessageId) : null;
    return Object.assign(advice, { sentMail: mail });
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
        if (errors.length > 0) throw new InvalidInputError(errors);
        advice.selection = input.selection.map((s) => ({ editionId: s.editionId, reasons: s.reasons ?? known.get(s.editionId)!.reasons }));
      }
      if (input.interestCourseIds) {
        const found = await this.catalogue.courses([...new Set(input.interestCourseIds)], manager);
        if (found.length !== new Set(input.interestCourseIds).size) {
          throw new InvalidInputError([{ field: 'interestCourseIds', rule: 'exists', message: 'every interestCourseIds entry must be an existing course' }]);
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
      if (!advice.studentId) throw new BusinessRuleError('advice_without_student', 'An advice needs a student to be sent to; create it with studentId');
      const student = await this.students.active(advice.studentId, manager);
      if (advice.selection.length === 0 && advice.interestCourseIds.length === 0) {
        throw new BusinessRuleError('advice_empty', 'Select at least one edition or one course to register interest in before sending');
      }
      const known = new Map([...advice.result.ranked, ...advice.result.excluded].map((e) => [e.editionId, e]));
      const advisor = await this.users.person(actor.id, manager);
      const courses = await this.catalogue.courses(advice.interestCourseIds, manager);
      const data: SentAdvice = {
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
      await this.interests.register(manager, student.id, advice.interestCourseIds, advice.id);
      Object.assign(advice, { status: 'sent', sentContent: data, mailMessageId: mail.id, sentAt: new Date() });
      return manager.save(advice);
    });
  }

  /** An edition opened: every student interested in its course hears of it, once per edition. */
  async notifyInterested(manager: EntityManager, edition: PlannedEdition): Promise<number> {
    const students = [...(await this.directory.students(await this.interests.interestedIn(manager, edition.courseId), manager)).values()].filter(
      (student) => student.email !== null,
    );
    if (students.length === 0) return 0;
    const facts = await this.editionReads.mailed(manager, edition);
    const sessionCount = (await this.editionReads.plannedSessionCount(manager, edition.id)) || edition.meetingCount;
    const priceCents = edition.priceOverrideCents ?? facts.course.tuitionCents;
    for (const student of students) {
      await this.outbox.enqueue(manager, {
        type: 'course-interest-edition-opened',
        locale: student.locale,
        to: { email: student.email!, name: student.name },
        studentId: student.id,
        data: {
          studentName: student.name,
          courseName: courseName({ courseTitleNl: facts.course.titleNl, courseTitleEn: facts.course.titleEn }, student.locale),
          editionCode: edition.code,
          startDate: edition.startDate,
          location: facts.location,
          sessionCount,
          priceCents,
          enrolUrl: `${this.env.PUBLIC_URL}/editions/${edition.id}`,
          enrolBefore: edition.enrolmentDeadline,
        },
        idempotencyKey: `course-interest-edition-opened:${edition.id}:${student.id}`,
      });
    }
    return students.length;
  }

  private async lockedDraft(manager: EntityManager, id: string): Promise<Advice> {
    const advice = await manager.findOne(Advice, { where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!advice) throw new NotFoundError('Advice', id);
    if (advice.status === 'sent') throw new ConflictError('advice_sent', `The advice was sent on ${advice.sentAt!.toISOString()} and can no longer change`);
    return advice;
  }
}

/** Fitting courses without an edition taking enrolments: the five best-matching whose level the student meets or may meet. */
function coursesWithoutEdition(
  pool: CandidatePool,
  matches: ReadonlyMap<string, TextMatch>,
  intake: Intake,
  completed: ReadonlySet<string>,
  locale: Locale,
): SuggestedCourse[] {
  return [...matches]
    .filter(([courseId]) => !pool.openCourseIds.has(courseId))
    // The matches are of the pool's own courses.
    .map(([courseId, m]) => ({ rank: m.rank, course: pool.courses.get(courseId)! }))
    .filter((m) => !levelRefuses(m.course, checkEntry(m.course, intake.priorEducationLevel, completed)))
    .sort((a, b) => b.rank - a.rank || (a.course.courseCode < b.course.courseCode ? -1 : 1))
    .slice(0, 5)
    .map(({ course: c }) => ({
      courseId: c.courseId,
      courseCode: c.courseCode,
      courseName: courseName(c, locale),
      reasons: [
        locale === 'nl' ? 'Past bij uw interesses; er is nu geen uitvoering open' : 'Matches your interests; no edition is open at the moment',
        `${locale === 'nl' ? 'Vereist' : 'Requires'} ${REQUIREMENT_LABELS[c.minimumPriorEducation][locale]}`,
      ],
    }));
}
