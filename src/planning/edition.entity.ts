import { ApiHideProperty } from '@nestjs/swagger';
import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Relation, UpdateDateColumn, VersionColumn } from 'typeorm';
import type { Course } from '../catalogue/course.entity';
import { centsTransformer } from '../kernel/money';

export const EDITION_STATUSES = ['draft', 'open', 'confirmed', 'running', 'completed', 'cancelled'] as const;
export type EditionStatus = (typeof EDITION_STATUSES)[number];

/** The status an edition may move to from each status. */
export const EDITION_TRANSITIONS: Readonly<Record<EditionStatus, readonly EditionStatus[]>> = {
  draft: ['open', 'cancelled'],
  open: ['confirmed', 'cancelled'],
  confirmed: ['running', 'cancelled'],
  running: ['completed', 'cancelled'],
  completed: [],
  cancelled: [],
};

/**
 * One run of a course ("uitvoering"): its meeting pattern, location, capacity and life cycle.
 * Enrolment may take at most `capacity` students while the status is `open` (or later,
 * `confirmed`/`running`, for late entrants) and before `enrolmentDeadline`.
 */
@Entity('edition')
export class Edition {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Unique, e.g. `PCZ-2027-01`; shown in mail and on invoices. */
  @Column('text')
  code: string;

  /** Not in answers: `courseId` names it. */
  @ApiHideProperty()
  @ManyToOne('Course')
  @JoinColumn({ name: 'course_id' })
  course: Relation<Course>;

  @Column('uuid')
  courseId: string;

  /** Added to the course title, e.g. "voorjaar 2027, Utrecht". */
  @Column('text')
  titleSuffix: string;

  @Column('date')
  startDate: string;

  /** ISO weekdays of the meeting pattern, 1 = Monday. */
  @Column('int', { array: true })
  weekdays: number[];

  /** Europe/Amsterdam wall-clock time, HH:mm. */
  @Column('text')
  startTime: string;

  @Column('text')
  endTime: string;

  /** Number of meetings the pattern generated. */
  @Column('int')
  meetingCount: number;

  @Column('int')
  intervalWeeks: number;

  @Column('uuid')
  locationId: string;

  /** Seats for students; never more than the smallest room a session uses. */
  @Column('int')
  capacity: number;

  /** Needed on the go/no-go date for the edition to go ahead. */
  @Column('int')
  minParticipants: number;

  @Column('date', { nullable: true })
  enrolmentDeadline: string | null;

  @Column('date', { nullable: true })
  goNoGoDate: string | null;

  /** Tuition for this edition in cents instead of the course's; null: the course's price. */
  @Column('bigint', { nullable: true, transformer: centsTransformer })
  priceOverrideCents: number | null;

  @Column('text')
  status: EditionStatus;

  @Column('timestamptz')
  statusChangedAt: Date;

  @Column('text', { nullable: true })
  cancellationReason: string | null;

  @Column('timestamptz', { nullable: true })
  goNoGoProposedAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;

  @VersionColumn()
  version: number;
}
