import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import { centsTransformer } from '../kernel/money';

export const SITTING_STATUSES = ['planned', 'open', 'closed', 'held', 'cancelled'] as const;
export type SittingStatus = (typeof SITTING_STATUSES)[number];

/**
 * A sitting's life: planned (not yet open for registration), open, closed for registration,
 * held (results may be entered), or cancelled before it was held.
 */
export const SITTING_TRANSITIONS: Readonly<Record<SittingStatus, readonly SittingStatus[]>> = {
  planned: ['open', 'cancelled'],
  open: ['closed', 'cancelled'],
  closed: ['open', 'held', 'cancelled'],
  held: [],
  cancelled: [],
};

export const SITTING_MODES = ['on_site', 'online'] as const;
export type SittingMode = (typeof SITTING_MODES)[number];

/** One moment at which an exam component is taken ("examenmoment"). */
@Entity('exam_sitting')
export class ExamSitting {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  componentId: string;

  @Column('uuid')
  courseId: string;

  /** Set when the sitting is for the students of one edition; it then shows in that edition's calendar. */
  @Column('uuid', { nullable: true })
  editionId: string | null;

  @Column('date')
  date: string;

  /** Europe/Amsterdam wall-clock time, HH:mm. */
  @Column('text')
  startTime: string;

  @Column('int')
  durationMinutes: number;

  /** Start plus duration; a sitting ends on the day it starts. */
  @Column('text')
  endTime: string;

  @Column('text')
  mode: SittingMode;

  /** The room of an on-site sitting; null online. */
  @Column('uuid', { nullable: true })
  roomId: string | null;

  /** Teachers who invigilate. */
  @Column('uuid', { array: true })
  invigilatorIds: string[];

  /** Seats for registrations. */
  @Column('int')
  capacity: number;

  /** Fee for a resit at this sitting; null: the course's exam fee. */
  @Column('bigint', { nullable: true, transformer: centsTransformer })
  resitFeeCents: number | null;

  @Column('text')
  status: SittingStatus;

  @Column('text', { nullable: true })
  note: string | null;

  /** When its results were published to the students. */
  @Column('timestamptz', { nullable: true })
  resultsPublishedAt: Date | null;

  /** iCalendar SEQUENCE, raised on every change that invitations and calendars must pick up. */
  @Column('int')
  sequence: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;

  /** Send it back with a change: a stale version is refused with 409. */
  @VersionColumn()
  version: number;
}

/** One change of a sitting's status, with who made it and why. */
@Entity('exam_sitting_status_change')
export class ExamSittingStatusChange {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  sittingId: string;

  @Column('text')
  fromStatus: SittingStatus;

  @Column('text')
  toStatus: SittingStatus;

  @Column('text', { nullable: true })
  reason: string | null;

  @Column('uuid', { nullable: true })
  actorId: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  at: Date;
}
