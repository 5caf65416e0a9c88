import { ApiProperty } from '@nestjs/swagger';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';

/** A diploma ceremony ("diploma-uitreiking") for the graduates of some editions. */
@Entity('ceremony')
export class Ceremony {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('text')
  title: string;

  @Column('timestamptz')
  startsAt: Date;

  @Column('timestamptz')
  endsAt: Date;

  /** The venue's name, e.g. "Aula, Jaarbeurs Utrecht". */
  @Column('text')
  place: string;

  @Column('text')
  address: string;

  /** The programme as the invitation shows it, one item a line. */
  @Column('text')
  programme: string;

  /** Seats for graduates and their guests together. */
  @Column('int')
  capacity: number;

  @Column('int')
  maxGuestsPerGraduate: number;

  /** Answers are taken until then. */
  @Column('timestamptz')
  responseDeadline: Date;

  /** The editions whose graduates are invited. */
  @ApiProperty({ type: [String], format: 'uuid' })
  @Column('uuid', { array: true })
  editionIds: string[];

  @ApiProperty({ type: Date, nullable: true })
  @Column('timestamptz', { nullable: true })
  invitationsSentAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;

  @VersionColumn()
  version: number;
}

export const INVITATION_ANSWERS = ['yes', 'no'] as const;
export type InvitationAnswer = (typeof INVITATION_ANSWERS)[number];

/** An invitation of one graduate, answered through a public link with its token. */
@Entity('ceremony_invitation')
export class CeremonyInvitation {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  ceremonyId: string;

  @Column('uuid')
  studentId: string;

  /** The diploma to hand over. */
  @Column('uuid')
  diplomaId: string;

  @Column('text', { select: false })
  token: string;

  @ApiProperty({ enum: INVITATION_ANSWERS, nullable: true })
  @Column('text', { nullable: true })
  answer: InvitationAnswer | null;

  @Column('int')
  guests: number;

  @ApiProperty({ type: Date, nullable: true })
  @Column('timestamptz', { nullable: true })
  answeredAt: Date | null;

  @Column('timestamptz')
  invitedAt: Date;
}
