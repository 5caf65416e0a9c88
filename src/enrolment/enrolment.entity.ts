import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import { centsTransformer } from '../kernel/money';
import { decimalTransformer } from '../kernel/decimal.transformer';

export const ENROLMENT_STATUSES = ['waitlisted', 'offered', 'received', 'enrolled', 'not_admitted', 'declined', 'expired', 'cancelled', 'transferred', 'completed'] as const;
/**
 * `waitlisted` waits for a seat; `offered` holds a freed seat until the student accepts
 * (→ `enrolled`), declines or lets the offer expire; `received` ("aangemeld, toelating nog te
 * beoordelen") holds a seat until an advisor decides admission (→ `enrolled` or
 * `not_admitted`); `transferred` moved to another edition.
 */
export type EnrolmentStatus = (typeof ENROLMENT_STATUSES)[number];

/** The statuses that hold a seat of the edition's capacity. */
export const SEAT_HOLDING: readonly EnrolmentStatus[] = ['offered', 'received', 'enrolled'];
/** The statuses of a live enrolment: a student has at most one of these per edition. */
export const LIVE: readonly EnrolmentStatus[] = ['waitlisted', 'offered', 'received', 'enrolled', 'completed'];

/** A student in an edition ("inschrijving"). */
@Entity('enrolment')
export class Enrolment {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  studentId: string;

  @Column('uuid')
  editionId: string;

  /** Who pays; null: the student. */
  @Column('uuid', { nullable: true })
  billingPartyId: string | null;

  @Column('text')
  purchaseOrder: string;

  @Column('text')
  status: EnrolmentStatus;

  /** The order the request was taken in; the waitlist moves up in this order. */
  @Column({ type: 'bigint', transformer: { to: (value: number) => value, from: (value: string) => Number(value) }, insert: false, update: false })
  queuePosition: number;

  @Column('bigint', { transformer: centsTransformer })
  tuitionCents: number;

  /** Why the entry requirements were waived; null when they were met. */
  @Column('text', { nullable: true })
  overrideReason: string | null;

  /**
   * An advisor still has to decide admission (the records could not show the entry level): the
   * seat it gets is `received` rather than `enrolled` until then.
   */
  @Column('boolean')
  admissionPending: boolean;

  @Column('timestamptz', { nullable: true })
  offerExpiresAt: Date | null;

  @Column('timestamptz', { nullable: true })
  cancelledAt: Date | null;

  @Column('text', { nullable: true })
  cancellationReason: string | null;

  /** Due under the cancellation terms; invoicing picks it up. */
  @Column('bigint', { nullable: true, transformer: centsTransformer })
  cancellationFeeCents: number | null;

  /** The enrolment in another edition of the course this one replaced. */
  @Column('uuid', { nullable: true })
  transferredFromId: string | null;

  /** Set when the enrolment is completed: the weighted final grade of its exam components, where the course gives one. */
  @Column('numeric', { precision: 3, scale: 1, nullable: true, transformer: decimalTransformer })
  finalGrade: number | null;

  @Column('timestamptz', { nullable: true })
  completedAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;

  @VersionColumn()
  version: number;
}

/** One step in an enrolment's life: from which status to which, who, when and why. */
@Entity('enrolment_status_change')
export class EnrolmentStatusChange {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  enrolmentId: string;

  @Column('text', { nullable: true })
  fromStatus: EnrolmentStatus | null;

  @Column('text')
  toStatus: EnrolmentStatus;

  @Column('text', { nullable: true })
  reason: string | null;

  /** The user; null for the system (an expired offer). */
  @Column('uuid', { nullable: true })
  actorId: string | null;

  @Column('text', { nullable: true })
  actorEmail: string | null;

  @Column('timestamptz')
  at: Date;
}
