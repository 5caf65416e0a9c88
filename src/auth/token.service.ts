import { Injectable, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { createHash, randomBytes } from 'node:crypto';
import { Environment } from '../config/environment';
import type { Actor } from '../http/request-context';
import type { UserAccount } from './user-account.entity';

interface AccessClaims {
  sub: string;
  email: string;
  roles: Actor['roles'];
  sid?: string;
  tid?: string;
}

/** Short-lived signed access tokens (HS256), and opaque refresh tokens kept only as hashes. */
@Injectable()
export class TokenService {
  constructor(
    private readonly jwt: JwtService,
    private readonly env: Environment,
  ) {}

  signAccessToken(user: UserAccount): Promise<string> {
    const claims: AccessClaims = {
      sub: user.id,
      email: user.email,
      roles: user.roles,
      ...(user.studentId ? { sid: user.studentId } : {}),
      ...(user.teacherId ? { tid: user.teacherId } : {}),
    };
    return this.jwt.signAsync(claims, { expiresIn: this.env.JWT_ACCESS_TTL_SECONDS });
  }

  async verifyAccessToken(token: string): Promise<Actor> {
    try {
      const claims = await this.jwt.verifyAsync<AccessClaims>(token, { algorithms: ['HS256'] });
      return { id: claims.sub, email: claims.email, roles: claims.roles, studentId: claims.sid, teacherId: claims.tid };
    } catch {
      throw new UnauthorizedException({ code: 'invalid_token', detail: 'The access token is invalid or has expired' });
    }
  }

  newRefreshToken(): { token: string; hash: string } {
    const token = randomBytes(32).toString('base64url');
    return { token, hash: TokenService.hash(token) };
  }

  static hash(token: string): string {
    return createHash('sha256').update(token).digest('hex');
  }
}
