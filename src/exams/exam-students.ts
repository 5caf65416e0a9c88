import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { StudentsService } from '../enrolment/students.service';
import { fullName } from '../enrolment/student.entity';

/** A student as exams needs them: whom to mail, how the lists show them. */
export interface ExamStudent {
  id: string;
  studentNumber: string;
  name: string;
  email: string | null;
  locale: 'nl' | 'en';
}

/** The live enrolment of a student in a course. */
export interface CourseEnrolmentFacts {
  enrolmentId: string;
  editionId: string;
  status: string;
}

/** Exams' one door to the enrolment module's published read side. */
@Injectable()
export class ExamStudents {
  constructor(private readonly students: StudentsService) {}

  async student(id: string, manager?: EntityManager): Promise<ExamStudent | null> {
    const s = await this.students.get(id, manager).catch(() => null);
    if (!s) return null;
    return { id: s.id, studentNumber: s.id, name: fullName(s), email: s.email, locale: s.locale };
  }

  /** The student with this student number, if any. */
  async studentByNumber(studentNumber: string, manager?: EntityManager): Promise<ExamStudent | null> {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(studentNumber)) return null;
    return this.student(studentNumber, manager);
  }

  async enrolmentInCourse(studentId: string, courseId: string, manager: EntityManager): Promise<CourseEnrolmentFacts | null> {
    const [row] = await manager.query(
      `SELECT en.id AS "enrolmentId", en.edition_id AS "editionId", en.status FROM enrolment en JOIN edition e ON e.id = en.edition_id
        WHERE en.student_id = $1 AND e.course_id = $2 AND en.status IN ('enrolled', 'completed') ORDER BY en.created_at DESC LIMIT 1`,
      [studentId, courseId],
    );
    return row ?? null;
  }
}
