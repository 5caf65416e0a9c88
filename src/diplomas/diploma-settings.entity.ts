import { Column, Entity, PrimaryColumn, UpdateDateColumn, VersionColumn } from 'typeorm';

/** What the institute asks for a diploma beyond the course's own requirements; one row. */
@Entity('diploma_settings')
export class DiplomaSettings {
  @PrimaryColumn('smallint', { select: false })
  id: number;

  /** A diploma only once the enrolment's tuition is paid (invoicing's `invoicing.tuition_paid`). */
  @Column('boolean')
  requirePaidTuition: boolean;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;

  @VersionColumn()
  version: number;
}

/** Whether an enrolment's tuition is paid, as invoicing last announced it; no row: not paid. */
@Entity('diploma_tuition')
export class DiplomaTuition {
  @PrimaryColumn('uuid')
  enrolmentId: string;

  @Column('boolean')
  paid: boolean;

  @Column('timestamptz')
  changedAt: Date;
}
