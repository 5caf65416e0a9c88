import { ApiProperty } from '@nestjs/swagger';
import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { AuditedByDigest } from '../audit/audited-by-digest.decorator';
import { decimalTransformer } from '../kernel/decimal.transformer';

export const DIPLOMA_STATES = ['valid', 'revoked', 'superseded'] as const;
export type DiplomaState = (typeof DIPLOMA_STATES)[number];

export class DiplomaPePoints {
  register: string;
  points: number;
}

/**
 * One version of a diploma as issued: what it says is kept as it was printed (name, course,
 * study load, PE points, grade), whatever changes later in the records it came from. A
 * reissue is a new row pointing to this one, which is then superseded.
 */
@Entity('diploma')
export class Diploma {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** `D2027-000042`: the year's series, without gaps. */
  @Column('text')
  number: string;

  @Column('int')
  year: number;

  @Column('int')
  sequence: number;

  /** 20 base32 letters; the key of the public verification page. */
  @Column('text')
  verificationCode: string;

  @Column('uuid')
  studentId: string;

  @Column('uuid')
  courseId: string;

  @Column('uuid')
  editionId: string;

  @Column('uuid')
  enrolmentId: string;

  /** 1 for the first diploma of a student and course, one higher for each reissue. */
  @Column('int')
  version: number;

  /** The version this one replaces. */
  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  @Column('uuid', { nullable: true })
  supersedesId: string | null;

  @ApiProperty({ type: String, nullable: true })
  @Column('text', { nullable: true })
  reissueReason: string | null;

  /** When a newer version replaced it. */
  @ApiProperty({ type: Date, nullable: true })
  @Column('timestamptz', { nullable: true })
  supersededAt: Date | null;

  /** The student's name as it must appear, checked by the coordinator. */
  @Column('text')
  nameOnDiploma: string;

  @Column('text')
  courseTitle: string;

  @Column('int')
  studyLoadHours: number;

  @ApiProperty({ type: () => [DiplomaPePoints] })
  @Column('jsonb')
  pePoints: DiplomaPePoints[];

  @ApiProperty({ type: Number, nullable: true })
  @Column('numeric', { precision: 3, scale: 1, nullable: true, transformer: decimalTransformer })
  finalGrade: number | null;

  /** Calendar day, Europe/Amsterdam. */
  @Column('date')
  issueDate: string;

  @ApiProperty({ enum: ['nl', 'en'] })
  @Column('text')
  locale: 'nl' | 'en';

  /** SHA-256 of the stored PDF, hex. */
  @Column('text')
  pdfSha256: string;

  @Column('int')
  pdfSize: number;

  /** The signing certificate's subject; null for a PDF issued unsigned (production, when allowed). */
  @ApiProperty({ type: String, nullable: true })
  @Column('text', { nullable: true })
  signer: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  @Column('uuid', { nullable: true })
  issuedBy: string | null;

  @Column('timestamptz')
  issuedAt: Date;

  @ApiProperty({ type: Date, nullable: true })
  @Column('timestamptz', { nullable: true })
  revokedAt: Date | null;

  @ApiProperty({ type: String, nullable: true })
  @Column('text', { nullable: true })
  revocationReason: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  @Column('uuid', { nullable: true })
  revokedBy: string | null;

  /** When it was last put in the outbox for the student. */
  @ApiProperty({ type: Date, nullable: true })
  @Column('timestamptz', { nullable: true })
  mailedAt: Date | null;

  @Column('int')
  mailCount: number;

  /** Why a coordinator must look at it again (its enrolment was reopened); null when nothing is asked. */
  @ApiProperty({ type: String, nullable: true })
  @Column('text', { nullable: true })
  reviewReason: string | null;

  @ApiProperty({ type: Date, nullable: true })
  @Column('timestamptz', { nullable: true })
  reviewRequestedAt: Date | null;
}

/** valid, revoked (revocation wins) or superseded by a newer version. */
export function diplomaState(diploma: Pick<Diploma, 'revokedAt' | 'supersededAt'>): DiplomaState {
  if (diploma.revokedAt) return 'revoked';
  if (diploma.supersededAt) return 'superseded';
  return 'valid';
}

/** The signed PDF as issued; apart from the diploma so that lists never read it. */
@Entity('diploma_document')
export class DiplomaDocument {
  @PrimaryColumn('uuid')
  diplomaId: string;

  @AuditedByDigest()
  @Column('bytea')
  pdf: Buffer;
}

/** The last number given out in a year. */
@Entity('diploma_number_counter')
export class DiplomaNumberCounter {
  @PrimaryColumn('int')
  year: number;

  @Column('int')
  lastValue: number;
}
