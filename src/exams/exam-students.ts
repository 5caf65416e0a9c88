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

/** Exams' one door to the enrolment module's published read side. */
@Injectable()
export class ExamStudents {
  constructor(private readonly students: StudentsService) {}

  async student(id: string, manager?: EntityManager): Promise<ExamStudent | null> {
    const s = await this.students.get(id, manager).catch(() => null);
    if (!s) return null;
    return { id: s.id, studentNumber: s.id, name: fullName(s), email: s.email, locale: s.locale };
  }
}
