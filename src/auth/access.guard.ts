import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { Actor, RequestContext } from '../kernel/request-context';
import { PUBLIC_KEY, ROLES_KEY } from './auth.decorators';
import { Role } from '../kernel/role';
import { TokenService } from './token.service';

/**
 * Deny by default: every route needs a valid access token and one of the roles named by
 * `@Roles()`, unless it is marked `@Public()`. A route that names no roles is closed.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;

    const request = context.switchToHttp().getRequest<Request & { actor?: Actor }>();
    const header = request.headers.authorization ?? '';
    const [scheme, token] = header.split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || !token) {
      throw new UnauthorizedException({ code: 'missing_token', detail: 'This route needs a bearer access token' });
    }
    const actor = await this.tokens.verifyAccessToken(token);
    request.actor = actor;
    RequestContext.setActor(actor);

    const allowed = this.reflector.getAllAndOverride<Role[]>(ROLES_KEY, targets) ?? [];
    if (!actor.roles.some((role) => allowed.includes(role))) {
      throw new ForbiddenException({ code: 'role_required', detail: 'Your roles do not allow this action' });
    }
    return true;
  }
}
