import { Column, Entity, PrimaryColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import type { LiberationDayPolicy } from './engine/holidays';

/** How the institute plans; a single row. */
@Entity('planning_settings')
export class PlanningSettings {
  @PrimaryColumn('smallint', { select: false })
  id: number;

  /** Whether 5 May (Bevrijdingsdag) is a day off: `every-year`, `lustrum` (years divisible by 5) or `never`. */
  @Column('text')
  liberationDayPolicy: LiberationDayPolicy;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;

  @VersionColumn()
  version: number;
}
