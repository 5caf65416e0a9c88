import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { parsePhoneNumberWithError } from 'libphonenumber-js';
import { DateTime } from 'luxon';
import { Brackets, DataSource, EntityManager } from 'typeorm';
import { Course } from '../catalogue/course.entity';
import { BusinessRuleError, ConflictError, InvalidInputError, NotFoundError } from '../kernel/domain-errors';
import { Page, pageFrom, pageOf, PageQuery } from '../http/pagination';
import { RequestContext } from '../kernel/request-context';
import { CourseInterest } from './advice.entity';
import { BillingParty } from './billing-party.entity';
import { AddressDto, CreateStudentDto, PriorEducationDto, StudentQuery, UpdateStudentDto } from './dto/student.dto';
import { normalisePostcode } from './dto/validators';
import { Enrolment, EnrolmentStatusChange } from './enrolment.entity';
import { type PostalAddress } from '../kernel/postal-address.dto';
import { type EducationLevel, fullName, PriorEducation, Student } from './student.entity';
import { becauseOf } from '../audit/audit-reason';
import { lockVersion } from '../database/version-lock';

/** Years an invoice, and the customer's name and address on it, must be kept (Dutch tax law). */
const INVOICE_RETENTION_YEARS = 7;

@Injectable()
export class StudentsService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async create(input: CreateStudentDto): Promise<Student> {
    return this.db.transaction(async (manager) => {
      const email = input.email.toLowerCase();
      await this.assertEmailFree(manager, email);
      const student = manager.create(Student, {
        givenNames: input.givenNames,
        namePrefix: input.namePrefix ?? '',
        familyName: input.familyName,
        familyNameFirst: input.familyNameFirst ?? false,
        email,
        phone: input.phone ? e164(input.phone) : null,
        dateOfBirth: input.dateOfBirth ?? null,
        locale: input.locale ?? 'nl',
        address: input.address ? address(input.address) : null,
        priorEducation: input.priorEducation ? priorEducation(input.priorEducation) : null,
        profession: input.profession ?? '',
        sector: input.sector ?? '',
        yearsOfExperience: input.yearsOfExperience ?? null,
        employer: input.employer ?? '',
        contactPreference: input.contactPreference ?? 'mail',
        notes: input.notes ?? '',
        erasedAt: null,
      });
      // Read back for the student number the database drew.
      return manager.findOneByOrFail(Student, { id: (await manager.save(student)).id });
    });
  }

  async list(query: StudentQuery): Promise<Page<Student>> {
    const qb = this.db.getRepository(Student).createQueryBuilder('s').orderBy('lower(s.family_name)').addOrderBy('s.id');
    if (query.q) {
      const like = `%${query.q.toLowerCase().replace(/[%_\\]/g, '\\$&')}%`;
      qb.andWhere(
        new Brackets((w) =>
          w
            .where(`lower(s.given_names || ' ' || s.name_prefix || ' ' || s.family_name) LIKE :like`, { like })
            .orWhere('s.email LIKE :like', { like }),
        ),
      );
    }
    return pageFrom(qb, query);
  }

  async get(id: string, manager: EntityManager = this.db.manager): Promise<Student> {
    const student = await manager.findOneBy(Student, { id });
    if (!student) throw new NotFoundError('Student', id);
    return student;
  }

  /** A student who may still enrol or be advised: not erased. */
  async active(id: string, manager: EntityManager = this.db.manager, field = 'studentId'): Promise<Student> {
    const student = await manager.findOneBy(Student, { id });
    if (!student) throw new InvalidInputError([{ field, rule: 'exists', message: `student ${id} does not exist` }]);
    if (student.erasedAt) throw new BusinessRuleError('student_erased', `The personal data of student ${id} was erased`);
    return student;
  }

  async update(id: string, input: UpdateStudentDto): Promise<Student> {
    return this.db.transaction(async (manager) => {
      await lockVersion(manager, Student, id, input.version, 'Student');
      const student = await this.get(id, manager);
      if (student.erasedAt) throw new BusinessRuleError('student_erased', `The personal data of student ${id} was erased`);
      const { version: _version, ...changes } = input;
      if (changes.email !== undefined) {
        changes.email = changes.email.toLowerCase();
        if (changes.email !== student.email) await this.assertEmailFree(manager, changes.email);
      }
      Object.assign(student, {
        ...changes,
        ...(changes.phone !== undefined ? { phone: e164(changes.phone) } : {}),
        ...(changes.address !== undefined ? { address: address(changes.address) } : {}),
        ...(changes.priorEducation !== undefined ? { priorEducation: priorEducation(changes.priorEducation) } : {}),
      });
      return manager.save(student);
    });
  }

  /**
   * Records the prior education level an intake established, through the entity so that the
   * audit log keeps the change with the request's reason. An erased record stays empty.
   */
  async recordLevel(manager: EntityManager, student: Student, level: EducationLevel, reason: string): Promise<void> {
    if (student.erasedAt || student.priorEducation?.level === level) return;
    student.priorEducation = { ...(student.priorEducation ?? { field: '', year: null, institution: '' }), level };
    await manager.save(student, becauseOf(reason));
  }

  /** Everything Registrar stores about one student, for a request under the GDPR (art. 15 and 20). */
  async export(id: string): Promise<Record<string, unknown>> {
    const student = await this.get(id);
    const q = <T>(sql: string) => this.db.query<T[]>(sql, [id]);
    const [billingParties, enrolments, statusChanges, advice, interests, mails, accounts] = await Promise.all([
      this.db.getRepository(BillingParty).findBy({ studentId: id }),
      q(`SELECT en.*, e.code AS edition_code, c.code AS course_code, c.title_nl AS course_title
           FROM enrolment en JOIN edition e ON e.id = en.edition_id JOIN course c ON c.id = e.course_id
          WHERE en.student_id = $1 ORDER BY en.created_at`),
      this.db
        .getRepository(EnrolmentStatusChange)
        .createQueryBuilder('h')
        .where('h.enrolment_id IN (SELECT id FROM enrolment WHERE student_id = :id)', { id })
        .orderBy('h.at')
        .getMany(),
      q(`SELECT id, locale, intake, result, selection, personal_note, status, sent_content, sent_at, created_at FROM advice WHERE student_id = $1 ORDER BY created_at`),
      q(`SELECT ci.course_id, c.code AS course_code, ci.created_at FROM course_interest ci JOIN course c ON c.id = ci.course_id WHERE ci.student_id = $1`),
      q(`SELECT id, type, locale, to_email, to_name, subject, text, status, created_at, sent_at FROM mail_message WHERE student_id = $1 ORDER BY created_at`),
      q(`SELECT id, email, display_name, roles, locale, active, created_at FROM user_account WHERE student_id = $1`),
    ]);
    return {
      exportedAt: new Date().toISOString(),
      student,
      userAccounts: accounts,
      billingParties,
      enrolments,
      enrolmentHistory: statusChanges,
      advice,
      courseInterests: interests,
      mails,
    };
  }

  /**
   * Erasure on request (GDPR art. 17): the personal data is anonymised, enrolments stay as
   * anonymous records. The student's own billing party keeps its name and address, the part
   * invoices need, for seven years after this year (art. 52 AWR). Direct SQL rather than
   * `save()`, so the audit log does not copy the erased values; earlier audit entries of the
   * student lose their values too.
   */
  async erase(id: string, reason: string): Promise<Student> {
    return this.db.transaction(async (manager) => {
      const student = await this.get(id, manager);
      if (student.erasedAt) return student;
      const retainedUntil = DateTime.now().setZone('Europe/Amsterdam').endOf('year').plus({ years: INVOICE_RETENTION_YEARS }).toISODate();
      await manager.query(
        `UPDATE student SET given_names = '', name_prefix = '', family_name = '', email = NULL, phone = NULL, date_of_birth = NULL,
                address = NULL, prior_education = NULL, profession = '', sector = '', years_of_experience = NULL, employer = '',
                notes = '', erased_at = now(), updated_at = now(), version = version + 1
          WHERE id = $1`,
        [id],
      );
      await manager.query(
        `UPDATE billing_party SET contact_name = '', contact_email = NULL, retained_until = $2, updated_at = now(), version = version + 1
          WHERE student_id = $1`,
        [id, retainedUntil],
      );
      await manager.query(`UPDATE advice SET intake = '{}'::jsonb, personal_note = '', sent_content = NULL WHERE student_id = $1`, [id]);
      await manager.query(
        `UPDATE mail_message SET to_email = 'erased@invalid', to_name = '', data = '{}'::jsonb, html = '', text = '' WHERE student_id = $1`,
        [id],
      );
      await manager.query(`DELETE FROM course_interest WHERE student_id = $1`, [id]);
      await manager.query(`UPDATE user_account SET active = false, student_id = NULL, updated_at = now() WHERE student_id = $1`, [id]);
      await manager.query(
        `UPDATE audit_entry SET changes = '{}'::jsonb
          WHERE (entity = 'student' AND entity_id = $1)
             OR (entity = 'advice' AND entity_id IN (SELECT id::text FROM advice WHERE student_id = $2))`,
        [id, id],
      );
      const scope = RequestContext.current();
      await manager.query(
        `INSERT INTO audit_entry (actor_id, actor_email, request_id, action, entity, entity_id, changes, reason)
         VALUES ($1, $2, $3, 'update', 'student', $4, '{"erased": {"to": true}}'::jsonb, $5)`,
        [scope.actor?.id ?? null, scope.actor?.email ?? null, scope.requestId ?? null, id, reason],
      );
      return this.get(id, manager);
    });
  }

  async enrolments(id: string, query: PageQuery): Promise<Page<Enrolment>> {
    await this.get(id);
    const [items, total] = await this.db
      .getRepository(Enrolment)
      .findAndCount({ where: { studentId: id }, order: { createdAt: 'ASC', id: 'ASC' }, skip: query.offset, take: query.pageSize });
    return pageOf(items, total, query);
  }

  async registerInterest(manager: EntityManager, studentId: string, courseIds: readonly string[], adviceId: string | null): Promise<void> {
    if (courseIds.length === 0) return;
    await manager.query(
      `INSERT INTO course_interest (student_id, course_id, advice_id) SELECT $1, unnest($2::uuid[]), $3 ON CONFLICT (course_id, student_id) DO NOTHING`,
      [studentId, courseIds, adviceId],
    );
  }

  async addInterest(studentId: string, courseId: string): Promise<CourseInterest[]> {
    await this.db.transaction(async (manager) => {
      await this.active(studentId, manager);
      if (!(await manager.existsBy(Course, { id: courseId }))) {
        throw new InvalidInputError([{ field: 'courseId', rule: 'exists', message: `course ${courseId} does not exist` }]);
      }
      await this.registerInterest(manager, studentId, [courseId], null);
    });
    return this.interests(studentId);
  }

  async interests(studentId: string): Promise<CourseInterest[]> {
    await this.get(studentId);
    return this.db.getRepository(CourseInterest).find({ where: { studentId }, order: { createdAt: 'ASC' } });
  }

  private async assertEmailFree(manager: EntityManager, email: string): Promise<void> {
    const existing = await manager.findOneBy(Student, { email });
    if (existing) {
      throw new ConflictError('duplicate_email', `A student with email ${email} already exists: ${fullName(existing)}`, {
        existingStudentId: existing.id,
      });
    }
  }
}

function e164(phone: string): string {
  return parsePhoneNumberWithError(phone, 'NL').number;
}

function address(input: AddressDto): PostalAddress {
  return { ...input, postcode: normalisePostcode(input.postcode, input.country) };
}

function priorEducation(input: PriorEducationDto): PriorEducation {
  return { level: input.level, field: input.field ?? '', year: input.year ?? null, institution: input.institution ?? '' };
}
