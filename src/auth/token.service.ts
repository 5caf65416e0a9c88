import { Injectable, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { isUUID } from 'class-validator';
import { createHash, randomBytes } from 'node:crypto';
import { Environment } from '../config/environment';
import { BoundedMap } from '../kernel/bounded-map';
import type { Actor } from '../kernel/request-context';
import { LiveSessions } from './live-sessions';
import { ROLES, type Role } from '../kernel/role';
import type { UserAccount } from './user-account.entity';

/** What an access token says. `roles` is for the client to read; the guard uses the user's roles as they are now. */
interface AccessClaims {
  sub: string;
  /** The login session (refresh-token family) the token was issued in. */
  sid: string;
  roles: Role[];
  exp: number;
}

const INVALID_TOKEN = { code: 'invalid_token', detail: 'The access token is invalid or has expired' };
const SESSION_ENDED = { code: 'session_ended', detail: 'The session of this access token has ended; sign in again' };
/** At most this many verified access tokens are remembered at once. */
const MAX_VERIFIED_TOKENS = 10_000;

/** Short-lived signed access tokens (HS256), and opaque refresh tokens kept only as hashes. */
@Injectable()
export class TokenService {
  /** The claims of access tokens already verified, by token: a token cannot change, so its signature is checked once, not on every request. */
  private readonly verified = new BoundedMap<string, AccessClaims>(MAX_VERIFIED_TOKENS);

  constructor(
    private readonly jwt: JwtService,
    private readonly env: Environment,
    private readonly sessions: LiveSessions,
  ) {}

  signAccessToken(user: UserAccount, sessionId: string): Promise<string> {
    const claims: Omit<AccessClaims, 'exp'> = { sub: user.id, sid: sessionId, roles: user.roles };
    return this.jwt.signAsync(claims, { expiresIn: this.env.JWT_ACCESS_TTL_SECONDS });
  }

  /** The caller as they are now: the token must be well-formed and signed, and its session and user still live. */
  async verifyAccessToken(token: string): Promise<Actor> {
    const claims = this.claimsOf(token);
    if (!claims) throw new UnauthorizedException(INVALID_TOKEN);
    const actor = await this.sessions.actorFor(claims.sub, claims.sid);
    if (!actor) throw new UnauthorizedException(SESSION_ENDED);
    return actor;
  }

  /** What the token says, when it is signed with our key, well-formed and not expired. */
  private claimsOf(token: string): AccessClaims | undefined {
    let claims = this.verified.get(token);
    if (claims === undefined) {
      let verified: Record<string, unknown>;
      try {
        verified = this.jwt.verify<Record<string, unknown>>(token, { algorithms: ['HS256'] });
      } catch {
        return undefined;
      }
      if (!isAccessClaims(verified)) return undefined;
      claims = verified;
      this.verified.set(token, claims);
    }
    // jsonwebtoken's test of `exp`, which a token verified earlier must still pass.
    if (Math.floor(Date.now() / 1000) >= claims.exp) {
      this.verified.delete(token);
      return undefined;
    }
    return claims;
  }

  newRefreshToken(): { token: string; hash: string } {
    const token = randomBytes(32).toString('base64url');
    return { token, hash: TokenService.hash(token) };
  }

  static hash(token: string): string {
    return createHash('sha256').update(token).digest('hex');
  }
}

/** Signed is not enough: a token made with the right key but the wrong shape must not reach the code that trusts it. */
function isAccessClaims(claims: Record<string, unknown>): claims is Record<string, unknown> & AccessClaims {
  return (
    typeof claims.sub === 'string' &&
    isUUID(claims.sub) &&
    typeof claims.sid === 'string' &&
    isUUID(claims.sid) &&
    typeof claims.exp === 'number' &&
    Array.isArray(claims.roles) &&
    claims.roles.length > 0 &&
    claims.roles.every((role) => (ROLES as readonly unknown[]).includes(role))
  );
}
