import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** Days the institute is closed, on top of the public holidays: no session is planned on them. */
@Entity('closing_day')
export class ClosingDay {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('date')
  fromDate: string;

  /** Inclusive; equal to fromDate for a single day. */
  @Column('date')
  toDate: string;

  @Column('text')
  reason: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
