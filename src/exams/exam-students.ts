import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { EnrolmentCompletion } from '../enrolment/enrolment-completion';
import { CourseEnrolment, EnrolmentDirectory, StudentFacts } from '../enrolment/enrolment-directory';
import type { Locale } from '../kernel/locale';

/** A student as exams needs them: whom to mail, how the lists show them. */
export interface ExamStudent {
  id: string;
  /** As printed on lists and read back from a CSV file. */
  studentNumber: string;
  name: string;
  email: string | null;
  locale: Locale;
}

const shown = (s: StudentFacts): ExamStudent => ({ id: s.id, studentNumber: String(s.studentNumber), name: s.name, email: s.email, locale: s.locale });

/** Exams' one door to the enrolment module: its published directory and completion command. */
@Injectable()
export class ExamStudents {
  constructor(
    private readonly directory: EnrolmentDirectory,
    private readonly completion: EnrolmentCompletion,
  ) {}

  async student(id: string, manager?: EntityManager): Promise<ExamStudent | null> {
    const facts = await this.directory.student(id, manager);
    return facts ? shown(facts) : null;
  }

  /** The student with this student number, if any. */
  async studentByNumber(studentNumber: string, manager?: EntityManager): Promise<ExamStudent | null> {
    if (!/^\d{1,9}$/.test(studentNumber)) return null;
    const found = (await this.directory.studentsByNumber([Number(studentNumber)], manager)).get(Number(studentNumber));
    return found ? shown(found) : null;
  }

  enrolmentInCourse(studentId: string, courseId: string, manager?: EntityManager): Promise<CourseEnrolment | null> {
    return this.directory.enrolmentInCourse(studentId, courseId, manager);
  }

  /** Students with a final seat (enrolled or completed) in the edition. */
  async enrolledIn(editionId: string, manager?: EntityManager): Promise<string[]> {
    return (await this.directory.seatHolders(editionId, manager)).filter((h) => h.status === 'enrolled' || h.status === 'completed').map((h) => h.studentId);
  }

  complete(manager: EntityManager, enrolmentId: string, finalGrade: number | null): Promise<unknown> {
    return this.completion.complete(manager, enrolmentId, finalGrade);
  }

  reopen(manager: EntityManager, enrolmentId: string, reason: string): Promise<unknown> {
    return this.completion.reopen(manager, enrolmentId, reason);
  }
}
