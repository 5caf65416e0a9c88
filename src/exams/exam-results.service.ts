import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, IsNull, Not } from 'typeorm';
import { becauseOf } from '../audit/audit-reason';
import { CatalogueService } from '../catalogue/catalogue.service';
import type { ExamComponent } from '../catalogue/exam-component.entity';
import { staleVersion } from '../database/version-lock';
import { BusinessRuleError, InvalidInputError, NotFoundError } from '../kernel/domain-errors';
import { Page, pageFrom } from '../http/pagination';
import type { FieldError } from '../kernel/domain-errors';
import { Actor } from '../kernel/request-context';
import { PlanningBoardService } from '../planning/planning-board.service';
import { parseCsv } from './csv';
import { EnterResultDto, PublishResultsDto, ResultQuery } from './dto/result.dto';
import { ExamMail } from './exam-mail.service';
import { ExamRegistration } from './exam-registration.entity';
import { ExamResult } from './exam-result.entity';
import { ExamSitting } from './exam-sitting.entity';
import { ExamStudents } from './exam-students';
import { ComponentRules, courseOutcome, judge, parseResultCell, ResultValue } from './result-rules';

/** Staff who enter, correct and publish any result. */
const RESULT_STAFF = ['admin', 'coordinator'];
/** Staff who read every result. */
const RESULT_READERS = ['admin', 'coordinator', 'planner', 'advisor'];

const has = (actor: Actor, roles: readonly string[]) => actor.roles.some((role) => roles.includes(role));

const rulesOf = (c: ExamComponent): ComponentRules => ({ id: c.id, name: c.name, weight: c.weight, passMark: c.passMark, grading: c.grading });

/** Header names the CSV import understands, in English and Dutch. */
const NUMBER_COLUMNS = ['studentnumber', 'studentnummer', 'student number'];
const RESULT_COLUMNS = ['grade', 'cijfer', 'result', 'uitslag'];

interface Entry {
  registration: ExamRegistration;
  value: ResultValue;
  passed: boolean;
}

/**
 * Results of held sittings: entered one at a time or as a CSV file that is checked whole
 * before anything is stored; published to the students by mail; changed after publication
 * only with a reason, which the audit log keeps.
 */
@Injectable()
export class ExamResultsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly catalogue: CatalogueService,
    private readonly board: PlanningBoardService,
    private readonly students: ExamStudents,
    private readonly mail: ExamMail,
  ) {}

  async enter(input: EnterResultDto, actor: Actor): Promise<ExamResult> {
    const outcome = input.outcome ?? (input.grade !== undefined ? 'grade' : undefined);
    if (!outcome) throw new InvalidInputError([{ field: 'grade', rule: 'required', message: 'give a grade, or an outcome (pass, fail, absent, exempt)' }]);
    if (outcome !== 'grade' && input.grade !== undefined) {
      throw new InvalidInputError([{ field: 'grade', rule: 'only_with_grade_outcome', message: `a ${outcome} result has no grade` }]);
    }
    return this.db.transaction(async (manager) => {
      const registration = await manager.findOne(ExamRegistration, { where: { id: input.registrationId }, lock: { mode: 'pessimistic_write' } });
      if (!registration || registration.status !== 'registered') throw new NotFoundError('Exam registration', input.registrationId);
      const sitting = await this.heldSitting(manager, registration.sittingId);
      await this.assertMayEnter(manager, actor, [registration]);
      const component = await this.catalogue.examComponent(registration.componentId, manager);
      const value = { outcome, grade: input.grade ?? null };
      const judged = judge(value, rulesOf(component));
      if ('error' in judged) throw new InvalidInputError([{ field: value.outcome === 'grade' ? 'grade' : 'outcome', ...judged.error }]);
      const existing = await manager.findOneBy(ExamResult, { registrationId: registration.id });
      if (existing && input.version !== undefined && existing.version !== input.version) throw staleVersion('Exam result', existing.version);
      if (existing?.publishedAt && !input.reason) {
        throw new InvalidInputError([{ field: 'reason', rule: 'required_after_publication', message: 'a published result changes only with a reason' }]);
      }
      return this.store(manager, sitting, { registration, value, passed: judged.passed }, existing, actor, input.reason);
    });
  }

  /**
   * A sitting's results from CSV (a header with the student number and the grade or result,
   * then a line per student). Every line is checked first; one wrong line stores nothing, and
   * the answer lists every wrong line by its number.
   */
  async importCsv(sittingId: string, text: string, reason: string | undefined, actor: Actor): Promise<{ stored: number }> {
    return this.db.transaction(async (manager) => {
      await manager.query(`SELECT id FROM exam_sitting WHERE id = $1 FOR UPDATE`, [sittingId]);
      const sitting = await this.heldSitting(manager, sittingId);
      const component = rulesOf(await this.catalogue.examComponent(sitting.componentId, manager));
      const registrations = await manager.findBy(ExamRegistration, { sittingId, status: 'registered' });
      const byNumber = new Map<string, ExamRegistration>();
      for (const r of registrations) {
        const student = await this.students.student(r.studentId, manager);
        if (student) byNumber.set(student.studentNumber.toLowerCase(), r);
      }
      const existing = new Map(
        (registrations.length > 0 ? await manager.findBy(ExamResult, { registrationId: In(registrations.map((r) => r.id)) }) : []).map((r) => [r.registrationId, r]),
      );

      const errors: FieldError[] = [];
      const fail = (line: number, rule: string, message: string) => errors.push({ field: `line ${line}`, rule, message: `line ${line}: ${message}` });
      const { lines } = parseCsv(text);
      const header = lines[0]?.fields.map((f) => f.trim().toLowerCase()) ?? [];
      const numberAt = header.findIndex((h) => NUMBER_COLUMNS.includes(h));
      const resultAt = header.findIndex((h) => RESULT_COLUMNS.includes(h));
      if (numberAt < 0 || resultAt < 0) {
        fail(lines[0]?.line ?? 1, 'missing_column', `the header needs a column ${numberAt < 0 ? 'studentNumber' : 'grade'} (found: ${header.join(', ') || 'nothing'})`);
        throw new InvalidInputError(errors);
      }
      const entries: Entry[] = [];
      const seen = new Map<string, number>();
      for (const { line, fields } of lines.slice(1)) {
        const number = fields[numberAt]?.trim() ?? '';
        const cell = fields[resultAt];
        if (!number || cell === undefined || cell.trim() === '') {
          fail(line, 'missing_column', `needs a student number and a ${component.grading === 'grade' ? 'grade' : 'result'}`);
          continue;
        }
        const first = seen.get(number.toLowerCase());
        if (first !== undefined) {
          fail(line, 'duplicate_row', `student number ${number} is on line ${first} already`);
          continue;
        }
        seen.set(number.toLowerCase(), line);
        const registration = byNumber.get(number.toLowerCase());
        if (!registration) {
          const known = await this.students.studentByNumber(number, manager);
          if (known) fail(line, 'not_registered', `student ${number} is not registered for this sitting`);
          else fail(line, 'unknown_student_number', `there is no student with number ${number}`);
          continue;
        }
        const value = parseResultCell(cell);
        if (!value) {
          fail(line, 'result', `"${cell.trim()}" is not a grade (1,0–10,0) nor pass, fail, absent or exempt`);
          continue;
        }
        const judged = judge(value, component);
        if ('error' in judged) {
          fail(line, judged.error.rule, judged.error.message);
          continue;
        }
        if (existing.get(registration.id)?.publishedAt && !reason) {
          fail(line, 'required_after_publication', `the result of student ${number} is published; changing it needs a reason (?reason=)`);
          continue;
        }
        entries.push({ registration, value, passed: judged.passed });
      }
      if (lines.length <= 1) fail(1, 'empty', 'the file has no results');
      if (errors.length > 0) throw new InvalidInputError(errors);
      await this.assertMayEnter(manager, actor, entries.map((e) => e.registration));
      let stored = 0;
      for (const entry of entries) {
        const before = existing.get(entry.registration.id) ?? null;
        if (before && before.outcome === entry.value.outcome && before.grade === entry.value.grade) continue;
        await this.store(manager, sitting, entry, before, actor, reason);
        stored++;
      }
      return { stored };
    });
  }

  /** Publishes the sitting's unpublished results: each student is mailed theirs. */
  async publish(sittingId: string): Promise<PublishResultsDto> {
    return this.db.transaction(async (manager) => {
      await manager.query(`SELECT id FROM exam_sitting WHERE id = $1 FOR UPDATE`, [sittingId]);
      const sitting = await this.heldSitting(manager, sittingId);
      const results = await manager.findBy(ExamResult, { sittingId, publishedAt: IsNull() });
      const now = new Date();
      for (const result of results) {
        result.publishedAt = now;
        const saved = await manager.save(result);
        await this.mail.resultPublished(manager, sitting, saved);
      }
      sitting.resultsPublishedAt = now;
      await manager.save(sitting);
      let completed = 0;
      for (const studentId of new Set(results.map((r) => r.studentId))) {
        if ((await this.settle(manager, studentId, sitting.courseId)) === 'completed') completed++;
      }
      return { published: results.length, completed };
    });
  }

  async list(query: ResultQuery, actor: Actor): Promise<Page<ExamResult>> {
    const qb = this.db.getRepository(ExamResult).createQueryBuilder('r');
    if (query.sittingId) qb.andWhere('r.sittingId = :sittingId', { sittingId: query.sittingId });
    if (query.studentId) qb.andWhere('r.studentId = :studentId', { studentId: query.studentId });
    if (query.componentId) qb.andWhere('r.componentId = :componentId', { componentId: query.componentId });
    if (!has(actor, RESULT_READERS)) {
      const own: string[] = [];
      if (actor.studentId) own.push('(r.studentId = :self AND r.publishedAt IS NOT NULL)');
      if (actor.teacherId) own.push('r.sittingId IN (SELECT id FROM exam_sitting WHERE :teacher = ANY(invigilator_ids))');
      qb.andWhere(own.length > 0 ? `(${own.join(' OR ')})` : 'false', { self: actor.studentId, teacher: actor.teacherId });
    }
    qb.orderBy('r.createdAt', 'DESC').addOrderBy('r.id');
    return pageFrom(qb, query);
  }

  async get(id: string, actor: Actor): Promise<ExamResult> {
    const result = await this.db.getRepository(ExamResult).findOneBy({ id });
    if (!result) throw new NotFoundError('Exam result', id);
    if (has(actor, RESULT_READERS)) return result;
    if (actor.studentId === result.studentId && result.publishedAt) return result;
    const sitting = actor.teacherId ? await this.db.getRepository(ExamSitting).findOneBy({ id: result.sittingId }) : null;
    if (sitting && sitting.invigilatorIds.includes(actor.teacherId!)) return result;
    throw new NotFoundError('Exam result', id);
  }

  private async heldSitting(manager: EntityManager, sittingId: string): Promise<ExamSitting> {
    const sitting = await manager.findOneBy(ExamSitting, { id: sittingId });
    if (!sitting) throw new NotFoundError('Exam sitting', sittingId);
    if (sitting.status !== 'held') throw new BusinessRuleError('sitting_not_held', `Sitting ${sittingId} is ${sitting.status}; results are entered once it is held`);
    return sitting;
  }

  /** Coordinators enter any result; a teacher only for students of editions they teach. */
  private async assertMayEnter(manager: EntityManager, actor: Actor, registrations: readonly ExamRegistration[]): Promise<void> {
    if (has(actor, RESULT_STAFF)) return;
    const editionIds = [...new Set(registrations.map((r) => r.editionId))];
    const sessions = actor.teacherId ? await this.board.editionSessions(manager, editionIds) : [];
    const taught = new Set(sessions.filter((s) => s.teacherId === actor.teacherId).map((s) => s.editionId));
    const not = editionIds.filter((id) => !taught.has(id));
    if (not.length > 0) {
      throw new BusinessRuleError('not_your_edition', `Results are entered by the coordinator or a teacher of the student's edition; you do not teach edition(s) ${not.join(', ')}`);
    }
  }

  /** Creates or changes a result; a change to a published one carries its reason into the audit log and mails the student. */
  private async store(manager: EntityManager, sitting: ExamSitting, entry: Entry, existing: ExamResult | null, actor: Actor, reason?: string): Promise<ExamResult> {
    const result =
      existing ??
      manager.create(ExamResult, {
        registrationId: entry.registration.id,
        sittingId: sitting.id,
        componentId: entry.registration.componentId,
        studentId: entry.registration.studentId,
        enrolmentId: entry.registration.enrolmentId,
        publishedAt: null,
      });
    Object.assign(result, { outcome: entry.value.outcome, grade: entry.value.grade, passed: entry.passed, enteredBy: actor.id });
    const corrected = existing?.publishedAt ? reason : undefined;
    const saved = await manager.save(result, becauseOf(corrected && `Published result changed: ${corrected}`));
    if (corrected) {
      await this.mail.resultPublished(manager, sitting, saved, corrected);
      await this.settle(manager, saved.studentId, sitting.courseId, `result of ${sitting.date} corrected: ${corrected}`);
    }
    return saved;
  }

  /**
   * The course's outcome from the student's published results: every component passed
   * completes the enrolment with the weighted final grade (or gives it the new grade); a
   * correction that leaves a component not passed reopens a completed one.
   */
  private async settle(manager: EntityManager, studentId: string, courseId: string, reason?: string): Promise<'completed' | 'reopened' | null> {
    const enrolment = await this.students.enrolmentInCourse(studentId, courseId, manager);
    if (!enrolment) return null;
    const course = await this.catalogue.get(courseId, manager);
    if (course.examComponents.length === 0) return null;
    const published = await manager.find(ExamResult, {
      where: { studentId, componentId: In(course.examComponents.map((c) => c.id)), publishedAt: Not(IsNull()) },
    });
    const outcome = courseOutcome(course.examComponents.map(rulesOf), published);
    if (outcome.passed) {
      if (enrolment.status === 'completed' && enrolment.finalGrade === outcome.finalGrade) return null;
      await this.students.complete(manager, enrolment.enrolmentId, outcome.finalGrade);
      return 'completed';
    }
    if (enrolment.status !== 'completed') return null;
    await this.students.reopen(manager, enrolment.enrolmentId, reason ?? 'a result was corrected');
    return 'reopened';
  }
}
