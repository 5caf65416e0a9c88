import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import { type PostalAddress } from '../kernel/postal-address.dto';
import type { Locale } from '../kernel/locale';

export const BILLING_PARTY_KINDS = ['student', 'employer'] as const;
export type BillingPartyKind = (typeof BILLING_PARTY_KINDS)[number];

/** Who pays for an enrolment ("debiteur"): the student, or an employer paying for many students. */
@Entity('billing_party')
export class BillingParty {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('text')
  kind: BillingPartyKind;

  /** The paying student, for kind `student`. */
  @Column('uuid', { nullable: true })
  studentId: string | null;

  /** The company name, or the student's name. */
  @Column('text')
  name: string;

  @Column('jsonb', { nullable: true })
  address: PostalAddress | null;

  @Column('text', { nullable: true })
  vatNumber: string | null;

  /** Chamber of Commerce number (KvK), 8 digits. */
  @Column('text', { nullable: true })
  kvkNumber: string | null;

  @Column('text')
  contactName: string;

  @Column('text', { nullable: true })
  contactEmail: string | null;

  /** Purchase order or reference to put on every invoice. */
  @Column('text')
  reference: string;

  /** Peppol participant id for e-invoices, e.g. `0106:12345678`. */
  @Column('text', { nullable: true })
  peppolId: string | null;

  /** Days between an invoice's issue date and its due date. */
  @Column('int')
  paymentTermDays: number;

  /** The language of its invoices and reminders. */
  @Column('text')
  locale: Locale;

  /** After the student's erasure, name and address stay for the invoices until this day. */
  @Column('date', { nullable: true })
  retainedUntil: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;

  @VersionColumn()
  version: number;
}
