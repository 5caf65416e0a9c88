import { ApiProperty, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { PageQuery } from '../../http/pagination';
import { Trim } from '../../http/transforms';
import { IsCalendarDate } from '../../planning/dto/calendar-date.validator';
import { BillingParty } from '../billing-party.entity';
import { EnrolmentStatusChange } from '../enrolment.entity';
import { LOCALES, type Locale } from '../../kernel/locale';
import { CONTACT_PREFERENCES, Student, type ContactPreference } from '../student.entity';
import { EDUCATION_LEVELS, type EducationLevel } from '../education-level';
import { IsPhone, IsPostcode } from './validators';
import { PersonalDataErasureDto, PersonalDataModuleDto } from '../../privacy/personal-data.dto';

export class AddressDto {
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  street: string;

  /** House number with any addition, e.g. `12-3` or `4 bis`. */
  @Trim()
  @IsString()
  @MaxLength(20)
  houseNumber: string;

  /** Dutch `1234 AB` when the country is NL. */
  @IsPostcode()
  postcode: string;

  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  city: string;

  /** ISO 3166-1 alpha-2, e.g. NL, BE, DE. */
  @Matches(/^[A-Z]{2}$/, { message: 'country must be a two-letter ISO country code in capitals' })
  country: string;
}

export class PriorEducationDto {
  @IsIn(EDUCATION_LEVELS)
  level: EducationLevel;

  /** Field of study, e.g. "Verpleegkunde". */
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(200)
  field?: string;

  @IsOptional()
  @IsInt()
  @Min(1950)
  @Max(2100)
  year?: number;

  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(200)
  institution?: string;
}

export class CreateStudentDto {
  /** Given names as the student writes them, e.g. "Zoë" or "Thị Minh Khai". */
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  givenNames: string;

  /** Surname prefix ("tussenvoegsel"), e.g. "van der". */
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(40)
  namePrefix?: string;

  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  familyName: string;

  /** Show the family name first, as in Vietnamese, Chinese or Hungarian names ("Nguyễn Thị Minh Khai"). */
  @IsOptional()
  @IsBoolean()
  familyNameFirst?: boolean;

  @Trim()
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email: string;

  /** Any notation; stored as E.164. Numbers without a country code are read as Dutch. */
  @IsOptional()
  @IsPhone()
  phone?: string;

  @IsOptional()
  @IsCalendarDate()
  dateOfBirth?: string;

  /** The language of all mail to the student. */
  @IsOptional()
  @IsIn(LOCALES)
  locale?: Locale;

  @IsOptional()
  @ValidateNested()
  @Type(() => AddressDto)
  address?: AddressDto;

  @IsOptional()
  @ValidateNested()
  @Type(() => PriorEducationDto)
  priorEducation?: PriorEducationDto;

  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(200)
  profession?: string;

  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(200)
  sector?: string;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(70)
  yearsOfExperience?: number;

  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(200)
  employer?: string;

  @IsOptional()
  @IsIn(CONTACT_PREFERENCES)
  contactPreference?: ContactPreference;

  @IsOptional()
  @IsString()
  @MaxLength(5000)
  notes?: string;
}

/** Send only what changes, with the version you read. */
export class UpdateStudentDto extends PartialType(CreateStudentDto) {
  @IsInt()
  version: number;
}

export class StudentQuery extends PageQuery {
  /** Part of a name or email address. */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;
}

export class ErasureDto {
  /** Why the data is erased, e.g. "verzoek per mail van 3 maart". */
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason: string;
}

/** Rows as stored, with their snake_case column names: the export shows the records as they are kept. */
const STORED_ROWS = { type: 'array', items: { type: 'object', additionalProperties: true } } as const;

/** Everything stored about a student (GDPR access and portability). */
export class StudentExportDto {
  exportedAt: string;
  student: Student;
  @ApiProperty(STORED_ROWS)
  userAccounts: Record<string, unknown>[];
  billingParties: BillingParty[];
  @ApiProperty(STORED_ROWS)
  enrolments: Record<string, unknown>[];
  enrolmentHistory: EnrolmentStatusChange[];
  @ApiProperty(STORED_ROWS)
  advice: Record<string, unknown>[];
  @ApiProperty(STORED_ROWS)
  courseInterests: Record<string, unknown>[];
  @ApiProperty(STORED_ROWS)
  mails: Record<string, unknown>[];
  /** The audit entries about the student's records (without who made them). */
  @ApiProperty(STORED_ROWS)
  auditTrail: Record<string, unknown>[];
  /** Exam registrations: attempts, fees, special arrangements (exams). */
  @ApiProperty(STORED_ROWS)
  examRegistrations: Record<string, unknown>[];
  /** Exam results (exams). */
  @ApiProperty(STORED_ROWS)
  examResults: Record<string, unknown>[];
  /** Invoices and credit notes to the student (invoicing; kept 7 years). */
  @ApiProperty(STORED_ROWS)
  invoices: Record<string, unknown>[];
  /** What was or will be billed for the student (invoicing). */
  @ApiProperty(STORED_ROWS)
  billableItems: Record<string, unknown>[];
  /** Payments of the student's invoices (invoicing). */
  @ApiProperty(STORED_ROWS)
  payments: Record<string, unknown>[];
  /** Presence at each session (attendance). */
  @ApiProperty(STORED_ROWS)
  attendance: Record<string, unknown>[];
  /** Diplomas issued to the student (diplomas). */
  @ApiProperty(STORED_ROWS)
  diplomas: Record<string, unknown>[];
  /** Ceremony invitations and answers (diplomas). */
  @ApiProperty(STORED_ROWS)
  ceremonyInvitations: Record<string, unknown>[];
  /** Which module gave which of the sections above, and what each retains (and until when). */
  modules: PersonalDataModuleDto[];
}

export type StudentExport = StudentExportDto;

/** The erased student, with what each module erased and what it retains (and until when). */
export class StudentErasureDto extends Student {
  /** Empty when the student had been erased before. */
  erasure: PersonalDataErasureDto[];
}

export type StudentErasure = Student & { erasure: PersonalDataErasureDto[] };
