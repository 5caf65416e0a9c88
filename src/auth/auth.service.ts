import { Injectable, UnauthorizedException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, IsNull, Repository } from 'typeorm';
import { Environment } from '../config/environment';
import { LoginThrottleService } from './login-throttle.service';
import { UNKNOWN_USER_HASH, verifyPassword } from './password';
import { RefreshToken } from './refresh-token.entity';
import { TokenService } from './token.service';
import { UserAccount } from './user-account.entity';

export interface TokenPair {
  tokenType: 'Bearer';
  accessToken: string;
  expiresIn: number;
  refreshToken: string;
}

const INVALID_CREDENTIALS = { code: 'invalid_credentials', detail: 'The email address or password is incorrect' };
const INVALID_REFRESH = { code: 'invalid_refresh_token', detail: 'The refresh token is invalid, expired or revoked' };

@Injectable()
export class AuthService {
  constructor(
    private readonly db: DataSource,
    @InjectRepository(UserAccount) private readonly users: Repository<UserAccount>,
    private readonly tokens: TokenService,
    private readonly throttle: LoginThrottleService,
    private readonly env: Environment,
  ) {}

  /** A wrong email and a wrong password get the same answer, in about the same time. */
  async login(email: string, password: string, address: string): Promise<TokenPair> {
    const normalised = email.trim().toLowerCase();
    await this.throttle.admit(normalised, address);
    const user = await this.users
      .createQueryBuilder('user')
      .addSelect('user.passwordHash')
      .where('user.email = :email', { email: normalised })
      .getOne();
    const valid = await verifyPassword(user?.passwordHash ?? (await UNKNOWN_USER_HASH), password);
    // A failure stays counted: admit() counted it before the password was checked.
    if (!user || !valid || !user.active) throw new UnauthorizedException(INVALID_CREDENTIALS);
    await this.throttle.succeeded(normalised, address);
    return this.issue(user, randomUUID());
  }

  /**
   * Rotates a refresh token: the presented one is spent and a new one issued in the same
   * family. Presenting a spent token again means it leaked: the whole family is revoked.
   */
  async refresh(token: string): Promise<TokenPair> {
    const outcome = await this.db.transaction(async (manager) => {
      const stored = await manager.findOne(RefreshToken, {
        where: { tokenHash: TokenService.hash(token) },
        lock: { mode: 'pessimistic_write' },
      });
      if (!stored || stored.revokedAt || stored.expiresAt <= new Date()) return undefined;
      if (stored.usedAt) {
        await manager.update(RefreshToken, { familyId: stored.familyId, revokedAt: IsNull() }, { revokedAt: new Date() });
        return undefined;
      }
      await manager.update(RefreshToken, { id: stored.id }, { usedAt: new Date() });
      return stored;
    });
    if (!outcome) throw new UnauthorizedException(INVALID_REFRESH);
    const user = await this.users.findOneBy({ id: outcome.userId });
    if (!user?.active) throw new UnauthorizedException(INVALID_REFRESH);
    return this.issue(user, outcome.familyId);
  }

  /**
   * Revokes the token's whole family: this login session ends, its access tokens included.
   * Only the caller's own: someone else's token is answered as an unknown one, and left alone.
   */
  async logout(token: string, userId: string): Promise<void> {
    const stored = await this.db.getRepository(RefreshToken).findOneBy({ tokenHash: TokenService.hash(token), userId });
    if (!stored) return;
    await this.db
      .getRepository(RefreshToken)
      .update({ familyId: stored.familyId, revokedAt: IsNull() }, { revokedAt: new Date() });
  }

  /** Ends every session of the user, in the transaction of the change that calls for it. */
  async revokeAllFor(manager: EntityManager, userId: string): Promise<void> {
    await manager.update(RefreshToken, { userId, revokedAt: IsNull() }, { revokedAt: new Date() });
  }

  private async issue(user: UserAccount, familyId: string): Promise<TokenPair> {
    const refresh = this.tokens.newRefreshToken();
    await this.db.getRepository(RefreshToken).insert({
      userId: user.id,
      familyId,
      tokenHash: refresh.hash,
      expiresAt: new Date(Date.now() + this.env.REFRESH_TOKEN_TTL_DAYS * 86_400_000),
    });
    return {
      tokenType: 'Bearer',
      accessToken: await this.tokens.signAccessToken(user, familyId),
      expiresIn: this.env.JWT_ACCESS_TTL_SECONDS,
      refreshToken: refresh.token,
    };
  }
}
