import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import { centsTransformer } from '../kernel/money';

export type RegistrationStatus = 'registered' | 'cancelled';

/** A student's registration for a sitting: one attempt at the component. */
@Entity('exam_registration')
export class ExamRegistration {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  sittingId: string;

  @Column('uuid')
  componentId: string;

  @Column('uuid')
  courseId: string;

  @Column('uuid')
  studentId: string;

  /** The enrolment in an edition of the course that entitles the student to sit the exam. */
  @Column('uuid')
  enrolmentId: string;

  @Column('uuid')
  editionId: string;

  /** 1 for the first attempt; more is a resit. */
  @Column('int')
  attempt: number;

  @Column('text')
  status: RegistrationStatus;

  /** The resit fee charged, null for a first attempt or a free resit. */
  @Column('bigint', { nullable: true, transformer: centsTransformer })
  feeCents: number | null;

  /** The coordinator allowed another attempt after a pass, to improve the grade. */
  @Column('boolean')
  allowImprovement: boolean;

  @Column('int')
  extraTimeMinutes: number;

  @Column('boolean')
  separateRoom: boolean;

  @Column('text', { nullable: true })
  arrangementNote: string | null;

  @Column('uuid', { nullable: true })
  registeredBy: string | null;

  @Column('timestamptz', { nullable: true })
  cancelledAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;

  @VersionColumn()
  version: number;
}
