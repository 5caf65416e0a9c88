import { Column, Entity, PrimaryColumn, UpdateDateColumn, VersionColumn } from 'typeorm';

/** The exam module's settings: one row. */
@Entity('exam_settings')
export class ExamSettings {
  @PrimaryColumn('smallint')
  id: number;

  /** The reminder of a sitting goes this many days before it. */
  @Column('int')
  reminderDays: number;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;

  @VersionColumn()
  version: number;
}
