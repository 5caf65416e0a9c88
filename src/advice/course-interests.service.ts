import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { CatalogueService } from '../catalogue/catalogue.service';
import { InvalidInputError } from '../kernel/domain-errors';
import { StudentsService } from '../enrolment/students.service';
import { CourseInterest } from './advice.entity';

/** Courses a student wants to hear about when an edition opens: registered by an advice or by an advisor. */
@Injectable()
export class CourseInterests {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly students: StudentsService,
    private readonly catalogue: CatalogueService,
  ) {}

  async register(manager: EntityManager, studentId: string, courseIds: readonly string[], adviceId: string | null): Promise<void> {
    if (courseIds.length === 0) return;
    await manager.query(
      `INSERT INTO course_interest (student_id, course_id, advice_id) SELECT $1, unnest($2::uuid[]), $3 ON CONFLICT (course_id, student_id) DO NOTHING`,
      [studentId, courseIds, adviceId],
    );
  }

  async add(studentId: string, courseId: string): Promise<CourseInterest[]> {
    await this.db.transaction(async (manager) => {
      await this.students.active(studentId, manager);
      if ((await this.catalogue.courses([courseId], manager)).length === 0) {
        throw new InvalidInputError([{ field: 'courseId', rule: 'exists', message: `course ${courseId} does not exist` }]);
      }
      await this.register(manager, studentId, [courseId], null);
    });
    return this.of(studentId);
  }

  async of(studentId: string): Promise<CourseInterest[]> {
    await this.students.get(studentId);
    return this.db.getRepository(CourseInterest).find({ where: { studentId }, order: { createdAt: 'ASC' } });
  }

  /** The students interested in a course who can be mailed. */
  async interestedIn(manager: EntityManager, courseId: string): Promise<string[]> {
    const rows: Array<{ studentId: string }> = await manager.query(`SELECT student_id AS "studentId" FROM course_interest WHERE course_id = $1`, [courseId]);
    return rows.map((r) => r.studentId);
  }
}
