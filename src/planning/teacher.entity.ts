import { ApiHideProperty } from '@nestjs/swagger';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import type { AvailabilityWindowDto, BlockedPeriodDto } from './dto/teacher.dto';

/** A teacher ("docent"): expertise, weekly availability, blocked dates and a weekly maximum. */
@Entity('teacher')
export class Teacher {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('text')
  name: string;

  @Column('text')
  email: string;

  @Column('text')
  phone: string;

  /** Language of the teacher's mail. */
  @Column('text')
  locale: 'nl' | 'en';

  /** Disciplines in which the teacher may teach every course. */
  @Column('text', { array: true })
  disciplines: string[];

  /** Courses the teacher may teach. */
  @Column('uuid', { array: true })
  courseIds: string[];

  /** Weekly windows (ISO weekday, from, to), never overlapping on a weekday. */
  @Column('jsonb')
  availability: AvailabilityWindowDto[];

  /** Dates the teacher cannot teach (holiday, illness), inclusive ranges. */
  @Column('jsonb')
  blockedPeriods: BlockedPeriodDto[];

  /** Null: no maximum. */
  @Column('int', { nullable: true })
  maxMeetingsPerWeek: number | null;

  /** sha-256 of the secret in the calendar link; the secret itself is shown once, when rotated. */
  @ApiHideProperty()
  @Column('text', { nullable: true, select: false })
  calendarTokenHash: string | null;

  @Column('boolean')
  active: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;

  @VersionColumn()
  version: number;
}
