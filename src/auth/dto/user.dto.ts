import { OmitType, PartialType } from '@nestjs/swagger';
import { ArrayMinSize, ArrayUnique, IsArray, IsBoolean, IsEmail, IsIn, IsInt, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { Transform } from 'class-transformer';
import { PageQuery } from '../../http/pagination';
import { ROLES, Role } from '../../kernel/role';
import { Trim } from '../../http/transforms';

export class CreateUserDto {
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsEmail({ allow_utf8_local_part: true })
  @MaxLength(254)
  email: string;

  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  displayName: string;

  /** At least 12 characters. */
  @IsString()
  @MinLength(12)
  @MaxLength(512)
  password: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(ROLES, { each: true })
  roles: Role[];

  @IsOptional()
  @IsIn(['nl', 'en'])
  locale?: 'nl' | 'en';

  /** Required with role `student`: the student record this user may read. */
  @IsOptional()
  @IsUUID()
  studentId?: string;

  /** Required with role `teacher`: the teacher record this user acts as. */
  @IsOptional()
  @IsUUID()
  teacherId?: string;
}

/** Send only what changes; the email address is the login and does not change. */
export class UpdateUserDto extends PartialType(OmitType(CreateUserDto, ['email'] as const)) {
  /** False deactivates the user and ends their sessions. */
  @IsOptional()
  @IsBoolean()
  active?: boolean;

  /** Optimistic lock: the version the change was based on. */
  @IsOptional()
  @IsInt()
  version?: number;
}

export class UserQuery extends PageQuery {
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;

  /** Part of the email address or name. */
  @IsOptional()
  @IsString()
  @MaxLength(100)
  search?: string;
}

export class UserDto {
  id: string;
  email: string;
  displayName: string;
  roles: Role[];
  locale: 'nl' | 'en';
  studentId: string | null;
  teacherId: string | null;
  active: boolean;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}
