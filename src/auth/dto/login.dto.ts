import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';
import { Trim } from '../../http/transforms';

export class LoginDto {
  @Trim()
  @IsEmail({ allow_utf8_local_part: true })
  @MaxLength(254)
  email: string;

  @IsString()
  @MinLength(1)
  @MaxLength(512)
  password: string;
}

export class RefreshTokenDto {
  @IsString()
  @MinLength(16)
  @MaxLength(128)
  refreshToken: string;
}

export class TokenPairDto {
  tokenType: 'Bearer';
  accessToken: string;
  /** Seconds until the access token expires. */
  expiresIn: number;
  refreshToken: string;
}
