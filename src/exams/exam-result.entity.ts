import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, ValueTransformer, VersionColumn } from 'typeorm';

export const RESULT_OUTCOMES = ['grade', 'pass', 'fail', 'absent', 'exempt'] as const;
export type ResultOutcome = (typeof RESULT_OUTCOMES)[number];

/** numeric(3,1) arrives from node-postgres as a string. */
const gradeTransformer: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};

/** The outcome of one registration: a grade, pass or fail, absent, or exempt. */
@Entity('exam_result')
export class ExamResult {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  registrationId: string;

  @Column('uuid')
  sittingId: string;

  @Column('uuid')
  componentId: string;

  @Column('uuid')
  studentId: string;

  @Column('uuid')
  enrolmentId: string;

  @Column('text')
  outcome: ResultOutcome;

  /** 1.0–10.0 with one decimal, for outcome `grade` only. */
  @Column('numeric', { precision: 3, scale: 1, nullable: true, transformer: gradeTransformer })
  grade: number | null;

  @Column('boolean')
  passed: boolean;

  /** Null until published; a published result changes only with a reason. */
  @Column('timestamptz', { nullable: true })
  publishedAt: Date | null;

  @Column('uuid', { nullable: true })
  enteredBy: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;

  @VersionColumn()
  version: number;
}
