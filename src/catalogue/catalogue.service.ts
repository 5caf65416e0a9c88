import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ArrayContains, DataSource, EntityManager, In } from 'typeorm';
import { BusinessRuleError, ConflictError, InvalidInputError, NotFoundError } from '../kernel/domain-errors';
import { Page, pageFrom } from '../http/pagination';
import type { FieldError } from '../kernel/domain-errors';
import { validateMeetingPattern } from './meeting-pattern';
import { Course } from './course.entity';
import type { DeliveryMode, PePoints, PriorEducationLevel } from './course-attributes';
import { CourseQuery, CreateCourseDto, ExamComponentDto, UpdateCourseDto } from './dto/course.dto';
import { ExamComponent } from './exam-component.entity';
import { definedFields } from '../http/defined-fields';
import { lockVersion } from '../database/version-lock';

/** PostgreSQL's code for a row still referred to by a foreign key. */
const FOREIGN_KEY_VIOLATION = '23503';

/** A course as advice ranks it: its facts and the words of its indexed text. */
export interface SearchableCourse {
  courseId: string;
  courseCode: string;
  courseTitleNl: string;
  courseTitleEn: string | null;
  deliveryMode: DeliveryMode;
  minimumPriorEducation: PriorEducationLevel;
  prerequisiteCourseIds: string[];
  pePoints: PePoints[];
  tuitionCents: number;
  retired: boolean;
  /** The lexemes of `search_nl` and `search_en` with their best section (A–D); null for a retired course or one without text. */
  lexemesNl: Record<string, 'A' | 'B' | 'C' | 'D'> | null;
  lexemesEn: Record<string, 'A' | 'B' | 'C' | 'D'> | null;
}

@Injectable()
export class CatalogueService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async list(query: CourseQuery): Promise<Page<Course>> {
    const qb = this.db.getRepository(Course).createQueryBuilder('course');
    if (!query.includeRetired) qb.andWhere('course.retiredAt IS NULL');
    if (query.discipline) qb.andWhere('course.discipline = :discipline', { discipline: query.discipline });
    if (query.q) {
      const nl = `websearch_to_tsquery('dutch', :q)`;
      const en = `websearch_to_tsquery('english', :q)`;
      qb.andWhere(`(course.search_nl @@ ${nl} OR course.search_en @@ ${en})`, { q: query.q })
        .addSelect(`greatest(ts_rank(course.search_nl, ${nl}), ts_rank(course.search_en, ${en}))`, 'rank')
        .orderBy('rank', 'DESC')
        .addOrderBy('course.code');
    } else {
      qb.orderBy('course.code');
    }
    return pageFrom(qb, query);
  }

  async get(id: string, manager: EntityManager = this.db.manager): Promise<Course> {
    const course = await manager.findOne(Course, { where: { id }, relations: { examComponents: true }, order: { examComponents: { position: 'ASC' } } });
    if (!course) throw new NotFoundError('Course', id);
    return course;
  }

  /** The courses of these ids that exist (for other modules: a reference check, the titles for a mail). */
  async courses(ids: readonly string[], manager: EntityManager = this.db.manager): Promise<Course[]> {
    return ids.length === 0 ? [] : manager.findBy(Course, { id: In([...ids]) });
  }

  /** One course without its exam components (for other modules: the course of an edition). */
  async course(id: string, manager: EntityManager = this.db.manager): Promise<Course> {
    const course = await manager.findOneBy(Course, { id });
    if (!course) throw new NotFoundError('Course', id);
    return course;
  }

  /** The discipline of each of these courses that exists (for planning: discipline-wide expertise). */
  async disciplines(ids: readonly string[], manager: EntityManager = this.db.manager): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const courses = await manager.find(Course, { select: { id: true, discipline: true }, where: { id: In([...ids]) } });
    return new Map(courses.map((c) => [c.id, c.discipline]));
  }

  /**
   * Every course, retired ones too (a prerequisite may be retired, and its title is still
   * shown), as advice ranks them: the courses not retired come with the lexemes of their
   * indexed text (`search_nl`, `search_en`), each with its best section (weights sort A first).
   */
  async searchableCourses(manager: EntityManager = this.db.manager): Promise<SearchableCourse[]> {
    return manager.query(`
      SELECT id AS "courseId", code AS "courseCode", title_nl AS "courseTitleNl", title_en AS "courseTitleEn", delivery_mode AS "deliveryMode",
             minimum_prior_education AS "minimumPriorEducation", prerequisite_course_ids AS "prerequisiteCourseIds", pe_points AS "pePoints",
             tuition_cents::float8 AS "tuitionCents", retired_at IS NOT NULL AS retired,
             CASE WHEN retired_at IS NULL THEN (SELECT json_object_agg(l.lexeme, coalesce((SELECT min(w) FROM unnest(l.weights) w), 'D')) FROM unnest(search_nl) l) END AS "lexemesNl",
             CASE WHEN retired_at IS NULL THEN (SELECT json_object_agg(l.lexeme, coalesce((SELECT min(w) FROM unnest(l.weights) w), 'D')) FROM unnest(search_en) l) END AS "lexemesEn"
        FROM course`);
  }

  /** One exam component (with its courseId), for the exams module. */
  async examComponent(id: string, manager: EntityManager = this.db.manager): Promise<ExamComponent> {
    const component = await manager.findOneBy(ExamComponent, { id });
    if (!component) throw new NotFoundError('Exam component', id);
    return component;
  }

  async create(input: CreateCourseDto): Promise<Course> {
    return this.db.transaction(async (manager) => {
      const { examComponents = [], ...fields } = definedFields(input);
      await this.check(manager, input, undefined);
      const course = manager.create(Course, {
        keywords: [],
        pePoints: [],
        otherFees: [],
        prerequisiteCourseIds: [],
        descriptionNl: '',
        titleEn: null,
        descriptionEn: null,
        defaultPattern: null,
        retiredAt: null,
        ...fields,
        examComponents: examComponents.map((c, i) => this.component(c, i)),
      });
      const saved = await manager.save(course);
      return this.get(saved.id, manager);
    });
  }

  async update(id: string, input: UpdateCourseDto): Promise<Course> {
    return this.db.transaction(async (manager) => {
      await lockVersion(manager, Course, id, input.version, 'Course');
      const course = await this.get(id, manager);
      const { version: _version, examComponents, ...changes } = definedFields(input);
      if (course.retiredAt) throw new BusinessRuleError('course_retired', `Course ${course.code} is retired and can no longer be changed`);
      const merged = { ...course, ...changes };
      await this.check(manager, { ...merged, examComponents: examComponents ?? course.examComponents }, course.id);
      if (examComponents) {
        const existing = new Set(course.examComponents.map((c) => c.id));
        const unknown = examComponents.findIndex((c) => c.id !== undefined && !existing.has(c.id));
        if (unknown >= 0) {
          throw new InvalidInputError([{ field: `examComponents.${unknown}.id`, rule: 'exists', message: `exam component ${examComponents[unknown].id} is not part of course ${course.code}` }]);
        }
        Object.assign(course, { examComponents: examComponents.map((c, i) => this.component(c, i, course.id)) });
      }
      await manager.save(Object.assign(course, changes));
      return this.get(id, manager);
    });
  }

  /** A retired course stays readable and keeps its editions, but gets no new ones. */
  async retire(id: string): Promise<Course> {
    const course = await this.get(id);
    if (!course.retiredAt) await this.db.getRepository(Course).save(Object.assign(course, { retiredAt: new Date() }));
    return course;
  }

  /** Deletes a course no edition uses; one in use must be retired instead. */
  async remove(id: string): Promise<void> {
    await this.db.transaction(async (manager) => {
      const course = await this.get(id, manager);
      const dependants = await manager.count(Course, { where: { prerequisiteCourseIds: ArrayContains([id]) } });
      if (dependants > 0) {
        throw new ConflictError('course_in_use', `Course ${course.code} is a prerequisite of ${dependants} other course(s); retire it instead`);
      }
      try {
        await manager.remove(course);
      } catch (error) {
        if ((error as { driverError?: { code?: string } }).driverError?.code === FOREIGN_KEY_VIOLATION) {
          throw new ConflictError('course_in_use', `Course ${course.code} is used by an edition; retire it instead (POST /courses/${id}/retire)`);
        }
        throw error;
      }
    });
  }

  /** Rules across fields and rows that the DTO alone cannot check. */
  private async check(
    manager: EntityManager,
    course: Pick<Course, 'minParticipants' | 'maxParticipants'> & Partial<Pick<Course, 'prerequisiteCourseIds' | 'defaultPattern'>> & { examComponents?: Array<{ weight: number }> },
    ownId: string | undefined,
  ): Promise<void> {
    const errors: FieldError[] = [];
    if (course.maxParticipants < course.minParticipants) {
      errors.push({ field: 'maxParticipants', rule: 'at_least_min', message: `maxParticipants (${course.maxParticipants}) is below minParticipants (${course.minParticipants})` });
    }
    const weights = (course.examComponents ?? []).reduce((sum, c) => sum + c.weight, 0);
    if ((course.examComponents ?? []).length > 0 && weights !== 100) {
      errors.push({ field: 'examComponents', rule: 'weights_total_100', message: `the weights of the exam components add up to ${weights}, not 100` });
    }
    if (course.defaultPattern) {
      // A default pattern has no start date of its own; any valid date lets the engine check the rest.
      const violations = validateMeetingPattern({ ...course.defaultPattern, startDate: '2000-01-03' });
      errors.push(...violations.map((v) => ({ ...v, field: `defaultPattern.${v.field}` })));
    }
    const prerequisites = course.prerequisiteCourseIds ?? [];
    if (ownId && prerequisites.includes(ownId)) {
      errors.push({ field: 'prerequisiteCourseIds', rule: 'not_self', message: 'a course cannot be its own prerequisite' });
    }
    if (prerequisites.length > 0) {
      const found = new Set((await manager.find(Course, { select: { id: true }, where: { id: In(prerequisites) } })).map((c) => c.id));
      for (const id of prerequisites.filter((p) => !found.has(p))) {
        errors.push({ field: 'prerequisiteCourseIds', rule: 'exists', message: `prerequisite course ${id} does not exist` });
      }
    }
    if (errors.length > 0) throw new InvalidInputError(errors);
  }

  private component(input: ExamComponentDto, index: number, courseId?: string): ExamComponent {
    return Object.assign(new ExamComponent(), {
      ...(input.id ? { id: input.id } : {}),
      ...(courseId ? { courseId } : {}),
      position: index + 1,
      name: input.name,
      weight: input.weight,
      passMark: input.passMark ?? 5.5,
      maxAttempts: input.maxAttempts ?? 2,
      grading: input.grading ?? 'grade',
    });
  }
}
