import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsDate, IsIn, IsInt, IsNotEmpty, IsString, IsUUID, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { Trim } from '../../../http/transforms';
import { INVITATION_ANSWERS, InvitationAnswer } from '../ceremony.entity';

export class CreateCeremonyDto {
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  title: string;

  @Type(() => Date)
  @IsDate()
  startsAt: Date;

  @Type(() => Date)
  @IsDate()
  endsAt: Date;

  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  place: string;

  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  address: string;

  @IsString()
  @MaxLength(5000)
  programme: string;

  @IsInt()
  @Min(1)
  @Max(100_000)
  capacity: number;

  @IsInt()
  @Min(0)
  @Max(20)
  maxGuestsPerGraduate: number;

  /** Answers are taken until then; before the ceremony starts. */
  @Type(() => Date)
  @IsDate()
  responseDeadline: Date;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  editionIds: string[];
}

export class InvitationAnswerDto {
  @ApiProperty({ enum: INVITATION_ANSWERS })
  @IsIn(INVITATION_ANSWERS)
  answer: InvitationAnswer;

  /** Guests coming along (only with yes). */
  @ApiProperty({ type: 'integer', minimum: 0, required: false, default: 0 })
  @ValidateIf((dto: InvitationAnswerDto) => dto.guests !== undefined)
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(20)
  guests?: number;
}

export class CeremonyCounts {
  invited: number;
  yes: number;
  no: number;
  open: number;
  guests: number;
  /** Graduates who come plus their guests. */
  seatsTaken: number;
}

export class CeremonyView {
  id: string;
  title: string;
  startsAt: Date;
  endsAt: Date;
  place: string;
  address: string;
  programme: string;
  capacity: number;
  maxGuestsPerGraduate: number;
  responseDeadline: Date;
  @ApiProperty({ type: [String], format: 'uuid' })
  editionIds: string[];
  @ApiProperty({ type: Date, nullable: true })
  invitationsSentAt: Date | null;
  counts: CeremonyCounts;
  version: number;
}

export class InvitationsSent {
  invited: number;
  alreadyInvited: number;
}

export class InvitationEntry {
  id: string;
  studentId: string;
  studentNumber: number;
  name: string;
  diplomaId: string;
  diplomaNumber: string;
  @ApiProperty({ enum: INVITATION_ANSWERS, nullable: true })
  answer: InvitationAnswer | null;
  guests: number;
  @ApiProperty({ type: Date, nullable: true })
  answeredAt: Date | null;
}

export class CeremonyInvitations {
  ceremonyId: string;
  @ApiProperty({ type: () => [InvitationEntry] })
  invitations: InvitationEntry[];
}

/** What the invited graduate sees behind the link. */
export class PublicInvitation {
  ceremonyTitle: string;
  startsAt: Date;
  endsAt: Date;
  place: string;
  address: string;
  programme: string;
  responseDeadline: Date;
  maxGuestsPerGraduate: number;
  name: string;
  @ApiProperty({ enum: INVITATION_ANSWERS, nullable: true })
  answer: InvitationAnswer | null;
  guests: number;
  /** False once the deadline has passed. */
  open: boolean;
}
