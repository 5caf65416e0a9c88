import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { parsePhoneNumberWithError } from 'libphonenumber-js';
import { Brackets, DataSource, EntityManager } from 'typeorm';
import { BusinessRuleError, ConflictError, InvalidInputError, NotFoundError } from '../kernel/domain-errors';
import { JsonPage, jsonPageFrom, Page, pageOf, PageQuery } from '../http/pagination';
import { PersonalDataRegistry } from '../privacy/personal-data-registry';
import { AddressDto, CreateStudentDto, PriorEducationDto, type StudentErasure, type StudentExport, StudentQuery, UpdateStudentDto } from './dto/student.dto';
import { normalisePostcode } from './dto/validators';
import { Enrolment } from './enrolment.entity';
import { type PostalAddress } from '../kernel/postal-address.dto';
import { PriorEducation, Student } from './student.entity';
import type { EducationLevel } from './education-level';
import { fullName } from './student-name';
import { becauseOf } from '../audit/audit-reason';
import { lockVersion } from '../database/version-lock';

@Injectable()
export class StudentsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly personalData: PersonalDataRegistry,
  ) {}

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

  async list(query: StudentQuery): Promise<JsonPage<Student>> {
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
    return jsonPageFrom(qb, query);
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

  /**
   * Everything Registrar stores about one student, for a request under the GDPR (art. 15 and 20):
   * every module's sections (see `PersonalDataRegistry`), read in one transaction, with an index
   * of which module gave which section and what each retains.
   */
  async export(id: string): Promise<StudentExport> {
    await this.get(id);
    return this.db.transaction('REPEATABLE READ', async (manager) => {
      const { sections, modules } = await this.personalData.export(id, manager);
      return { exportedAt: new Date().toISOString(), ...sections, modules } as StudentExport;
    });
  }

  /**
   * Erasure on request (GDPR art. 17): every module that holds the student's personal data
   * erases it, in one transaction, keeping only what it must retain (e.g. the name and address
   * invoices need, for seven years). Answers the erased student with what each module erased and
   * retained; erasing an erased student again changes nothing.
   */
  async erase(id: string, reason: string): Promise<StudentErasure> {
    return this.db.transaction(async (manager) => {
      const student = await this.get(id, manager);
      if (student.erasedAt) return Object.assign(student, { erasure: [] });
      const erasure = await this.personalData.erase(id, manager, reason);
      return Object.assign(await this.get(id, manager), { erasure });
    });
  }

  async enrolments(id: string, query: PageQuery): Promise<Page<Enrolment>> {
    await this.get(id);
    const [items, total] = await this.db
      .getRepository(Enrolment)
      .findAndCount({ where: { studentId: id }, order: { createdAt: 'ASC', id: 'ASC' }, skip: query.offset, take: query.pageSize });
    return pageOf(items, total, query);
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
