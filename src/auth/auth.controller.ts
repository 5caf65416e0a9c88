import { Body, Controller, Get, HttpCode, Ip, Post } from '@nestjs/common';
import { ApiNoContentResponse, ApiTags, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Actor } from '../kernel/request-context';
import { AnyRole, CurrentActor, Public } from './auth.decorators';
import { AuthService } from './auth.service';
import { LoginDto, RefreshTokenDto, TokenPairDto } from './dto/login.dto';
import { UserDto } from './dto/user.dto';
import { UsersService } from './users.service';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersService,
  ) {}

  /** Signs in with email and password; answers an access token and a refresh token. */
  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiUnauthorizedResponse({ description: 'Wrong email or password (the same answer for both)' })
  @ApiTooManyRequestsResponse({
    description: 'Too many failed logins for this account from this address, for this account, or from this address; `Retry-After` says how many seconds to wait',
  })
  login(@Body() body: LoginDto, @Ip() address: string): Promise<TokenPairDto> {
    return this.auth.login(body.email, body.password, address);
  }

  /** Trades a refresh token for a new pair; the old refresh token is spent. */
  @Public()
  @Post('refresh')
  @HttpCode(200)
  @ApiUnauthorizedResponse({ description: 'Invalid, expired, spent or revoked refresh token' })
  refresh(@Body() body: RefreshTokenDto): Promise<TokenPairDto> {
    return this.auth.refresh(body.refreshToken);
  }

  /** Ends the caller's session that the refresh token belongs to; its access tokens are refused from then on. */
  @AnyRole()
  @Post('logout')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Ended, or nothing to end (an unknown token, or one of another user, changes nothing)' })
  async logout(@Body() body: RefreshTokenDto, @CurrentActor() actor: Actor): Promise<void> {
    await this.auth.logout(body.refreshToken, actor.id);
  }

  /** The signed-in user. */
  @AnyRole()
  @Get('me')
  me(@CurrentActor() actor: Actor): Promise<UserDto> {
    return this.users.get(actor.id);
  }
}
