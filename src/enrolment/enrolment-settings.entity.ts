import { Column, Entity, EntityManager, PrimaryColumn, UpdateDateColumn, VersionColumn } from 'typeorm';

/** The institute's enrolment terms; one row. */
@Entity('enrolment_settings')
export class EnrolmentSettings {
  @PrimaryColumn('smallint')
  id: number;

  /** Days a student promoted from the waitlist has to accept the seat. */
  @Column('int')
  offerDays: number;

  /** Cancelling is free until this many days before the start. */
  @Column('int')
  freeCancellationDays: number;

  /** After that, this share of the tuition is due. */
  @Column('int')
  cancellationFeePercent: number;

  /** Students that may wait per edition; null: no limit, 0: no waitlist. */
  @Column('int', { nullable: true })
  waitlistLimit: number | null;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;

  @VersionColumn()
  version: number;
}

/** The institute's enrolment terms as they are now (in the caller's transaction). */
export function enrolmentTerms(manager: EntityManager): Promise<EnrolmentSettings> {
  return manager.findOneByOrFail(EnrolmentSettings, { id: 1 });
}
