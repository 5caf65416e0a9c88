import { Column, Entity, PrimaryColumn, UpdateDateColumn, VersionColumn } from 'typeorm';

export class Address {
  @Column()
  street: string;

  @Column()
  postcode: string;

  @Column()
  city: string;

  /** ISO 3166-1 alpha-2. */
  @Column()
  country: string;
}

/** The institute's own particulars, read by mail, invoices and diplomas. A single row. */
@Entity('institute_settings')
export class InstituteSettings {
  @PrimaryColumn('smallint', { select: false })
  id: number;

  @Column()
  name: string;

  @Column(() => Address)
  visitingAddress: Address;

  @Column(() => Address)
  postalAddress: Address;

  @Column()
  phone: string;

  @Column()
  email: string;

  @Column()
  website: string;

  /** Chamber of Commerce (KvK) number. */
  @Column()
  kvkNumber: string;

  @Column()
  vatNumber: string;

  @Column()
  iban: string;

  @Column()
  bic: string;

  /** CRKBO registration: makes vocational education exempt from VAT. */
  @Column()
  crkboRegistration: string;

  @Column()
  directorName: string;

  @Column()
  coordinatorName: string;

  @Column()
  defaultLanguage: 'nl' | 'en';

  @Column('int')
  paymentTermDays: number;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;

  @VersionColumn()
  version: number;
}

export const SETTINGS_IMAGE_KINDS = ['logo', 'director_signature', 'coordinator_signature'] as const;
export type SettingsImageKind = (typeof SETTINGS_IMAGE_KINDS)[number];

/** The logo and signature images, PNG or JPEG, as used on diplomas, invoices and mail. */
@Entity('settings_image')
export class SettingsImage {
  @PrimaryColumn('text')
  kind: SettingsImageKind;

  @Column('text')
  mediaType: 'image/png' | 'image/jpeg';

  @Column('bytea')
  data: Buffer;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
