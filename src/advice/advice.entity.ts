import { AuditedByDigest } from '../audit/audited-by-digest.decorator';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import type { AdviceResultDto, ChosenEditionDto, IntakeDto, SentAdviceDto } from './dto/advice-record.dto';
import { type Locale } from '../kernel/locale';

export type AdviceStatus = 'draft' | 'sent';

/** The data the advice mail is rendered from (template `advice`); a type, not an interface, so that it passes as mail data. */
export type SentAdvice = {
  applicantName: string;
  advisorName: string;
  personalNote: string | null;
  editions: Array<{ courseName: string; editionCode: string; startDate: string; location: string; priceCents: number; reasons: string[] }>;
  interestCourses: Array<{ courseName: string }>;
};

/** A study advice ("studieadvies"): the intake, what Registrar ranked, what the advisor chose and sent. */
@Entity('advice')
export class Advice {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { nullable: true })
  studentId: string | null;

  @Column('uuid', { nullable: true })
  advisorId: string | null;

  @Column('text')
  locale: Locale;

  @Column('jsonb')
  intake: IntakeDto;

  /** Ranked editions with scores and reasons, the excluded ones with why, and courses without an open edition. */
  @Column('json')
  @AuditedByDigest()
  result: AdviceResultDto;

  /** The advisor's choice, best first, with the reasons as edited. */
  @Column('jsonb')
  selection: ChosenEditionDto[];

  /** Courses without an open edition in which the student's interest is registered on sending. */
  @Column('uuid', { array: true })
  interestCourseIds: string[];

  @Column('text')
  personalNote: string;

  @Column('text')
  status: AdviceStatus;

  /** Exactly the data the advice mail was rendered from. */
  @Column('jsonb', { nullable: true })
  sentContent: SentAdviceDto | null;

  @Column('uuid', { nullable: true })
  mailMessageId: string | null;

  @Column('timestamptz', { nullable: true })
  sentAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;

  @VersionColumn()
  version: number;
}

/** A student who wants to hear when a course gets an open edition. */
@Entity('course_interest')
export class CourseInterest {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  studentId: string;

  @Column('uuid')
  courseId: string;

  @Column('uuid', { nullable: true })
  adviceId: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
