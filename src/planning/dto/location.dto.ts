import { PartialType } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { Trim } from '../../http/transforms';

export class CreateLocationDto {
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  /** An online location: its rooms have no seat limit. */
  @IsOptional()
  @IsBoolean()
  online?: boolean;

  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(200)
  street?: string;

  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(20)
  postcode?: string;

  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(100)
  city?: string;
}

export class UpdateLocationDto extends PartialType(CreateLocationDto) {
  @IsInt()
  @Min(1)
  version: number;
}

export class CreateRoomDto {
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name: string;

  /** Seats; required at a physical location, left out online. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  capacity?: number;

  /** E.g. beamer, whiteboard, video, wheelchair access. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(30)
  @IsString({ each: true })
  @MaxLength(60, { each: true })
  facilities?: string[];
}

export class UpdateRoomDto extends PartialType(CreateRoomDto) {
  /** Inactive rooms get no new sessions. */
  @IsOptional()
  @IsBoolean()
  active?: boolean;

  @IsInt()
  @Min(1)
  version: number;
}
