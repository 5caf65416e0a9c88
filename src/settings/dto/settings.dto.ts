import { Transform, Type } from 'class-transformer';
import {
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { IsBIC, IsIBAN } from 'class-validator';
import { Trim } from '../../http/transforms';

export class AddressDto {
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  street: string;

  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(20)
  postcode: string;

  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  city: string;

  /** ISO 3166-1 alpha-2 country code. */
  @Matches(/^[A-Z]{2}$/, { message: 'country must be a two-letter ISO country code' })
  country: string;
}

/** Every field optional: send only what changes. */
export class UpdateSettingsDto {
  @IsOptional()
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name?: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => AddressDto)
  visitingAddress?: AddressDto;

  @IsOptional()
  @ValidateNested()
  @Type(() => AddressDto)
  postalAddress?: AddressDto;

  @IsOptional()
  @Matches(/^\+?[0-9 ()-]{6,20}$/, { message: 'phone must be a phone number' })
  phone?: string;

  @IsOptional()
  @Trim()
  @IsEmail()
  email?: string;

  @IsOptional()
  @IsUrl({ require_protocol: true })
  website?: string;

  /** Eight digits. */
  @IsOptional()
  @Matches(/^\d{8}$/, { message: 'kvkNumber must be the eight digits of a Chamber of Commerce number' })
  kvkNumber?: string;

  /** Dutch VAT number, e.g. NL123456789B01. */
  @IsOptional()
  @Matches(/^[A-Z]{2}[0-9A-Z]{8,12}$/, { message: 'vatNumber must be a VAT identification number such as NL123456789B01' })
  vatNumber?: string;

  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.replace(/\s+/g, '').toUpperCase() : value))
  @IsIBAN()
  iban?: string;

  @IsOptional()
  @IsBIC()
  bic?: string;

  @IsOptional()
  @IsString()
  @MaxLength(50)
  crkboRegistration?: string;

  @IsOptional()
  @IsString()
  @Length(1, 200)
  directorName?: string;

  @IsOptional()
  @IsString()
  @Length(1, 200)
  coordinatorName?: string;

  @IsOptional()
  @IsIn(['nl', 'en'])
  defaultLanguage?: 'nl' | 'en';

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(365)
  paymentTermDays?: number;

  /** Optimistic lock: the version the change was based on. */
  @IsOptional()
  @IsInt()
  version?: number;
}

export class UploadImageDto {
  @IsIn(['image/png', 'image/jpeg'])
  mediaType: 'image/png' | 'image/jpeg';

  /** The image file, base64-encoded (at most about 700 KB of image). */
  @IsString()
  @MinLength(8)
  @Matches(/^[A-Za-z0-9+/]+={0,2}$/, { message: 'data must be base64-encoded' })
  data: string;
}
