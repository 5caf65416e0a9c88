import type { PostalAddress } from '../kernel/postal-address.dto';
import type { Locale } from '../kernel/locale';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import type { EducationLevel } from './education-level';

export const CONTACT_PREFERENCES = ['mail', 'phone', 'app'] as const;
export type ContactPreference = (typeof CONTACT_PREFERENCES)[number];


export class PriorEducation {
  level: EducationLevel;
  field: string;
  year: number | null;
  institution: string;
}

/** A person who applies for or follows a course ("cursist"). */
@Entity('student')
export class Student {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** The number the student is known by on exam lists, results files and diplomas; drawn by the database. */
  @Column({ type: 'int', insert: false, update: false })
  studentNumber: number;

  @Column('text')
  givenNames: string;

  /** The Dutch surname prefix ("tussenvoegsel"), e.g. "van der"; empty when none. */
  @Column('text')
  namePrefix: string;

  @Column('text')
  familyName: string;

  /** Family name first when shown, as in Vietnamese, Chinese or Hungarian: "Nguyễn Thị Minh Khai". */
  @Column('boolean')
  familyNameFirst: boolean;

  /** Lower-case; null only after erasure. */
  @Column('text', { nullable: true })
  email: string | null;

  /** E.164. */
  @Column('text', { nullable: true })
  phone: string | null;

  @Column('date', { nullable: true })
  dateOfBirth: string | null;

  @Column('text')
  locale: Locale;

  @Column('jsonb', { nullable: true })
  address: PostalAddress | null;

  @Column('jsonb', { nullable: true })
  priorEducation: PriorEducation | null;

  @Column('text')
  profession: string;

  @Column('text')
  sector: string;

  @Column('int', { nullable: true })
  yearsOfExperience: number | null;

  @Column('text')
  employer: string;

  @Column('text')
  contactPreference: ContactPreference;

  @Column('text')
  notes: string;

  /** When the personal data was anonymised on request. */
  @Column('timestamptz', { nullable: true })
  erasedAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;

  @VersionColumn()
  version: number;
}
