import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Actor } from '../kernel/request-context';
import { ROLES, Role } from '../kernel/role';

export const PUBLIC_KEY = 'registrar:public';
export const ROLES_KEY = 'registrar:roles';

/** Opens a route to anyone, without a token. Every other route is closed by default. */
export const Public = () => applyDecorators(SetMetadata(PUBLIC_KEY, true), ApiExtension('x-public', true));

/**
 * The roles that may call a route (any one of them suffices). A route with neither
 * `@Public()` nor `@Roles()` is refused to everyone.
 */
export const Roles = (...roles: Role[]) =>
  applyDecorators(
    SetMetadata(ROLES_KEY, roles),
    ApiBearerAuth(),
    ApiExtension('x-roles', roles),
    ApiUnauthorizedResponse({ description: 'No valid access token' }),
    ApiForbiddenResponse({ description: `Only for: ${roles.join(', ')}` }),
  );

/** Any signed-in user, whatever their role: for routes about the caller themself. */
export const AnyRole = () => Roles(...ROLES);

/** The verified caller of the current request. */
export const CurrentActor = createParamDecorator((_data: unknown, context: ExecutionContext): Actor => {
  return context.switchToHttp().getRequest<{ actor: Actor }>().actor;
});
