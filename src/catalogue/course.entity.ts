import { ApiProperty } from '@nestjs/swagger';
import {
  Column,
  CreateDateColumn,
  Entity,
  OneToMany,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
  VersionColumn,
} from 'typeorm';
import { centsTransformer } from '../kernel/money';
import { decimalTransformer } from '../kernel/decimal.transformer';
import { type DeliveryMode, type FeeKind, PePoints, type PriorEducationLevel, type VatTreatment } from './course-attributes';
import { ExamComponent } from './exam-component.entity';

export class OtherFee {
  kind: FeeKind;
  description: string;
  amountCents: number;
  vat: VatTreatment;
}

/** How an edition of the course usually meets; the start date comes with the edition. */
export class DefaultMeetingPattern {
  /** ISO weekdays, 1 = Monday … 7 = Sunday. */
  weekdays: number[];
  startTime: string;
  endTime: string;
  count: number;
  intervalWeeks: number;
}


/**
 * A catalogue item. Once an edition uses it, a course is retired rather than deleted, so that
 * editions, invoices and diplomas keep pointing at what was actually taught.
 * The generated columns `search_nl` and `search_en` (tsvector, `dutch` and `english`
 * configurations over title, keywords and description) serve full-text search and ranking.
 */
@Entity('course')
export class Course {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Unique, upper case, e.g. `PCZ` or `WFT-AF`. */
  @Column('text')
  code: string;

  @Column('text')
  titleNl: string;

  @Column('text', { nullable: true })
  titleEn: string | null;

  @Column('text')
  descriptionNl: string;

  @Column('text', { nullable: true })
  descriptionEn: string | null;

  @Column('text')
  discipline: string;

  @Column('text', { array: true })
  keywords: string[];

  @Column('int')
  studyLoadHours: number;

  @Column('numeric', { precision: 4, scale: 1, transformer: decimalTransformer })
  ects: number;

  @Column('jsonb')
  pePoints: PePoints[];

  @Column('bigint', { transformer: centsTransformer })
  tuitionCents: number;

  @Column('text')
  tuitionVat: VatTreatment;

  @Column('jsonb')
  otherFees: OtherFee[];

  @Column('text')
  minimumPriorEducation: PriorEducationLevel;

  /** Courses that must be completed before this one. */
  @Column('uuid', { array: true })
  prerequisiteCourseIds: string[];

  @Column('text')
  deliveryMode: DeliveryMode;

  @Column('jsonb', { nullable: true })
  defaultPattern: DefaultMeetingPattern | null;

  @Column('int')
  minParticipants: number;

  @Column('int')
  maxParticipants: number;

  /** Set when the course is retired: no new editions, read-only. */
  @Column('timestamptz', { nullable: true })
  retiredAt: Date | null;

  /** On a single course; lists leave them out. */
  @ApiProperty({ type: () => [ExamComponent], required: false })
  @OneToMany(() => ExamComponent, (component) => component.course, { cascade: true })
  examComponents: ExamComponent[];

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;

  @VersionColumn()
  version: number;
}
