import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';

export type SessionStatus = 'planned' | 'cancelled';

/** One meeting of an edition ("lesdag"). A removed session stays, cancelled, so calendars drop it. */
@Entity('session')
export class Session {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  editionId: string;

  @Column('date')
  date: string;

  /** Europe/Amsterdam wall-clock time, HH:mm. */
  @Column('text')
  startTime: string;

  @Column('text')
  endTime: string;

  @Column('uuid', { nullable: true })
  teacherId: string | null;

  @Column('uuid', { nullable: true })
  roomId: string | null;

  @Column('text')
  status: SessionStatus;

  /** iCalendar SEQUENCE, raised on every change that calendars must pick up. */
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
