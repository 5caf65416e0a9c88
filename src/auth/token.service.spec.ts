import { jest } from '@jest/globals';
import { JwtService } from '@nestjs/jwt';
import { randomUUID } from 'node:crypto';
import { loadEnvironment } from '../config/environment';
import type { Actor } from '../kernel/request-context';
import type { LiveSessions } from './live-sessions';
import { TokenService } from './token.service';
import type { UserAccount } from './user-account.entity';

describe('TokenService', () => {
  const user = { id: randomUUID(), email: 'anna@example.org', roles: ['planner'] } as UserAccount;
  const actor: Actor = { id: user.id, email: user.email, roles: user.roles };
  // The session check has its own e2e tests (token-revocation); here every session is live.
  const liveSessions = { actorFor: () => Promise.resolve(actor) } as unknown as LiveSessions;
  const tokensSignedWith = (secret: string) =>
    new TokenService(new JwtService({ secret, signOptions: { algorithm: 'HS256' } }), loadEnvironment({ JWT_ACCESS_TTL_SECONDS: '60' }), liveSessions);

  afterEach(() => jest.useRealTimers());

  it('accepts a token until it expires, also after it was accepted before', async () => {
    jest.useFakeTimers({ now: new Date('2026-11-30T10:00:00Z'), doNotFake: ['nextTick', 'queueMicrotask'] });
    const tokens = tokensSignedWith('a secret of the institute, long enough');
    const token = await tokens.signAccessToken(user, randomUUID());
    await expect(tokens.verifyAccessToken(token)).resolves.toEqual(actor);
    jest.setSystemTime(new Date('2026-11-30T10:00:59Z'));
    await expect(tokens.verifyAccessToken(token)).resolves.toEqual(actor);
    jest.setSystemTime(new Date('2026-11-30T10:01:00Z'));
    await expect(tokens.verifyAccessToken(token)).rejects.toMatchObject({ status: 401 });
  });

  it('refuses a token signed with another key, and a tampered one, however often it is shown', async () => {
    const tokens = tokensSignedWith('a secret of the institute, long enough');
    const foreign = await tokensSignedWith('somebody else\'s secret, just as long').signAccessToken(user, randomUUID());
    const [header, , signature] = (await tokens.signAccessToken(user, randomUUID())).split('.');
    const tampered = [header, Buffer.from(JSON.stringify({ sub: user.id, sid: randomUUID(), roles: ['admin'], exp: 4e9 })).toString('base64url'), signature].join('.');
    for (const token of [foreign, foreign, tampered, tampered]) {
      await expect(tokens.verifyAccessToken(token)).rejects.toMatchObject({ status: 401 });
    }
  });
});
