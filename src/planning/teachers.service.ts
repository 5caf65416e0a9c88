import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { CatalogueService } from '../catalogue/catalogue.service';
import { Environment } from '../config/environment';
import { InvalidInputError, NotFoundError } from '../kernel/domain-errors';
import { Page, pageOf, PageQuery } from '../http/pagination';
import type { FieldError } from '../kernel/domain-errors';
import { CalendarLinkDto, CreateTeacherDto, UpdateTeacherDto } from './dto/teacher.dto';
import { validateAvailabilityWindows } from './engine/conflicts';
import { Teacher } from './teacher.entity';
import { definedFields } from '../http/defined-fields';
import { lockVersion } from '../database/version-lock';

export const hashCalendarToken = (token: string) => createHash('sha256').update(token).digest('hex');

@Injectable()
export class TeachersService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly env: Environment,
    private readonly catalogue: CatalogueService,
  ) {}

  async list(query: PageQuery): Promise<Page<Teacher>> {
    const [items, total] = await this.db.getRepository(Teacher).findAndCount({ order: { name: 'ASC' }, skip: query.offset, take: query.pageSize });
    return pageOf(items, total, query);
  }

  async get(id: string, manager: EntityManager = this.db.manager): Promise<Teacher> {
    const teacher = await manager.findOneBy(Teacher, { id });
    if (!teacher) throw new NotFoundError('Teacher', id);
    return teacher;
  }

  async create(input: CreateTeacherDto): Promise<Teacher> {
    const teacher = this.db.getRepository(Teacher).create({
      phone: '',
      locale: 'nl',
      disciplines: [],
      courseIds: [],
      availability: [],
      blockedPeriods: [],
      maxMeetingsPerWeek: null,
      active: true,
      ...definedFields(input),
    });
    await this.check(teacher);
    return this.db.getRepository(Teacher).save(teacher);
  }

  async update(id: string, input: UpdateTeacherDto): Promise<Teacher> {
    return this.db.transaction(async (manager) => {
      await lockVersion(manager, Teacher, id, input.version, 'Teacher');
      const teacher = await this.get(id, manager);
      const { version: _version, ...changes } = definedFields(input);
      Object.assign(teacher, changes);
      await this.check(teacher, manager);
      return manager.save(teacher);
    });
  }

  /** A new secret calendar link; the previous one stops working. */
  async rotateCalendarToken(id: string): Promise<CalendarLinkDto> {
    const teacher = await this.get(id);
    const token = randomBytes(24).toString('base64url');
    await this.db.getRepository(Teacher).save(Object.assign(teacher, { calendarTokenHash: hashCalendarToken(token) }));
    return { token, url: `${this.env.PUBLIC_URL}/calendar/teachers/${token}.ics` };
  }

  findByCalendarToken(token: string): Promise<Teacher | null> {
    return this.db.getRepository(Teacher).findOneBy({ calendarTokenHash: hashCalendarToken(token), active: true });
  }

  private async check(teacher: Teacher, manager: EntityManager = this.db.manager): Promise<void> {
    const errors: FieldError[] = [];
    if (teacher.disciplines.length === 0 && teacher.courseIds.length === 0) {
      errors.push({ field: 'courseIds', rule: 'expertise_required', message: 'a teacher needs expertise: at least one discipline or course' });
    }
    for (const violation of validateAvailabilityWindows(teacher.availability)) {
      errors.push({ ...violation, field: violation.field.replace(/\[(\d+)\]/, '.$1') });
    }
    teacher.blockedPeriods.forEach((period, index) => {
      if (period.to < period.from) {
        errors.push({ field: `blockedPeriods.${index}.to`, rule: 'not_before_from', message: `blocked period ends (${period.to}) before it starts (${period.from})` });
      }
    });
    if (teacher.courseIds.length > 0) {
      const found = new Set((await this.catalogue.courses(teacher.courseIds, manager)).map((c) => c.id));
      for (const id of teacher.courseIds.filter((c) => !found.has(c))) {
        errors.push({ field: 'courseIds', rule: 'exists', message: `course ${id} does not exist` });
      }
    }
    if (errors.length > 0) throw new InvalidInputError(errors);
  }
}
