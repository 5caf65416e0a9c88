import { OmitType, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsEmail, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, ValidateIf, ValidateNested } from 'class-validator';
import { LOCALES, type Locale } from '../../kernel/locale';
import { PageQuery } from '../../http/pagination';
import { Trim } from '../../http/transforms';
import { BILLING_PARTY_KINDS, type BillingPartyKind } from '../billing-party.entity';
import { AddressDto } from './student.dto';

export class CreateBillingPartyDto {
  /** `student`: the student pays; `employer`: a company pays. */
  @IsIn(BILLING_PARTY_KINDS)
  kind: BillingPartyKind;

  /** The paying student, for kind `student`; name and address default to the student's. */
  @ValidateIf((dto: CreateBillingPartyDto) => dto.kind === 'student')
  @IsUUID()
  studentId?: string;

  /** Company name; for a student, defaults to the student's name. */
  @ValidateIf((dto: CreateBillingPartyDto) => dto.kind === 'employer' || dto.name !== undefined)
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name?: string;

  @ValidateIf((dto: CreateBillingPartyDto) => dto.kind === 'employer' || dto.address !== undefined)
  @ValidateNested()
  @Type(() => AddressDto)
  address?: AddressDto;

  /** EU VAT number, e.g. NL123456789B01. */
  @IsOptional()
  @Matches(/^[A-Z]{2}[0-9A-Z+*.]{2,13}$/, { message: 'vatNumber must be an EU VAT number such as NL123456789B01' })
  vatNumber?: string;

  /** Chamber of Commerce (KvK) number, 8 digits. */
  @IsOptional()
  @Matches(/^[0-9]{8}$/, { message: 'kvkNumber must be 8 digits' })
  kvkNumber?: string;

  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(200)
  contactName?: string;

  @IsOptional()
  @Trim()
  @IsEmail({}, { message: 'contactEmail must be an email address' })
  contactEmail?: string;

  /** Purchase order or reference to put on every invoice. */
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(100)
  reference?: string;

  /** Peppol participant id for e-invoices, scheme:identifier, e.g. 0106:12345678. */
  @IsOptional()
  @Matches(/^[0-9]{4}:[A-Za-z0-9.:_-]{1,50}$/, { message: 'peppolId must be scheme:identifier, e.g. 0106:12345678' })
  peppolId?: string;

  /** Days to pay an invoice; 30 when not given. */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(120)
  paymentTermDays?: number;

  /** Language of invoices and reminders; the student's language, or Dutch, when not given. */
  @IsOptional()
  @IsIn(LOCALES)
  locale?: Locale;
}

/** Send only what changes, with the version you read; who pays (kind, student) does not change. */
export class UpdateBillingPartyDto extends PartialType(OmitType(CreateBillingPartyDto, ['kind', 'studentId'] as const)) {
  @IsInt()
  version: number;
}

export class BillingPartyQuery extends PageQuery {
  /** Part of the name. */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;
}
