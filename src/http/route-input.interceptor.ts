import { CallHandler, ExecutionContext, Injectable, NestInterceptor, ParseEnumPipe, ParseUUIDPipe, PipeTransform, Type } from '@nestjs/common';
// Nest keeps the route-argument metadata in its internal module (as @nestjs/swagger reads it);
// the route sweeps in test/platform fail if its shape ever changes.
import { ROUTE_ARGS_METADATA, RouteParamtypes } from '@nestjs/common/internal';
import { isUUID } from 'class-validator';
import type { Request } from 'express';
import { Observable } from 'rxjs';
import type { FieldError } from '../kernel/domain-errors';
import { RequestValidationException } from './validation';

/** A path parameter and the rule its pipe enforces, checked here so that a 400 names both. */
interface PathRule {
  name: string;
  rule: string;
  accepts(value: unknown): boolean;
  message: string;
}

/** What a route declares about its input, read once per handler from Nest's route metadata. */
interface RouteInput {
  takesBody: boolean;
  takesQuery: boolean;
  pathRules: PathRule[];
}

interface RouteArgument {
  data?: unknown;
  pipes?: (Type<PipeTransform> | PipeTransform)[];
}

/** The rule behind each pipe this API puts on path parameters; Nest's own pipes name neither. */
function pathRuleOf(name: string, pipe: Type<PipeTransform> | PipeTransform): PathRule | undefined {
  if (pipe === ParseUUIDPipe || pipe instanceof ParseUUIDPipe) {
    return { name, rule: 'isUuid', accepts: (value) => isUUID(value), message: `${name} must be a UUID` };
  }
  if (pipe instanceof ParseEnumPipe) {
    // `isEnum` is the pipe's own check; it is protected only in the type declarations.
    const accepts = (value: unknown) => (pipe as unknown as { isEnum(value: unknown): boolean }).isEnum(value);
    return { name, rule: 'isEnum', accepts, message: `${name} is not one of the allowed values` };
  }
  return undefined;
}

function readRouteInput(context: ExecutionContext): RouteInput {
  const declared = (Reflect.getMetadata(ROUTE_ARGS_METADATA, context.getClass(), context.getHandler().name) ?? {}) as Record<string, RouteArgument>;
  const input: RouteInput = { takesBody: false, takesQuery: false, pathRules: [] };
  for (const [key, argument] of Object.entries(declared)) {
    const type = Number(key.split(':')[0]);
    if (type === RouteParamtypes.BODY || type === RouteParamtypes.RAW_BODY) input.takesBody = true;
    if (type === RouteParamtypes.QUERY) input.takesQuery = true;
    if (type === RouteParamtypes.PARAM && typeof argument.data === 'string') {
      const name = argument.data;
      input.pathRules.push(...(argument.pipes ?? []).flatMap((pipe) => pathRuleOf(name, pipe) ?? []));
    }
  }
  return input;
}

/**
 * A body with content was sent: a length above zero, or chunks of unknown length. An empty
 * JSON object carries nothing, and many HTTP clients send one with every POST, so it passes.
 */
function hasBody(request: Request): boolean {
  const sent = Number(request.headers['content-length'] ?? 0) > 0 || request.headers['transfer-encoding'] !== undefined;
  return sent && !(request.is('json') && isEmptyObject(request.body));
}

function isEmptyObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0;
}

/**
 * Checks what a route declares about its input before its pipes run: a route without a
 * `@Body()` refuses a body and one without a `@Query()` any query parameter (either would
 * otherwise be ignored: a garbage body must not start a job), and a malformed path parameter
 * is answered with the parameter and the rule it breaks. Routes that do take a body or a query
 * have their keys checked by RequestInputPipe and the ValidationPipe.
 */
@Injectable()
export class RouteInputInterceptor implements NestInterceptor {
  private readonly routes = new WeakMap<object, RouteInput>();

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const handler = context.getHandler();
    let route = this.routes.get(handler);
    if (!route) {
      route = readRouteInput(context);
      this.routes.set(handler, route);
    }
    const request = context.switchToHttp().getRequest<Request>();
    const errors: FieldError[] = [];
    if (!route.takesBody && hasBody(request)) {
      errors.push({ field: 'body', rule: 'noBody', message: `${request.method} ${request.route?.path ?? request.path} takes no request body` });
    }
    if (!route.takesQuery) {
      for (const key of Object.keys(request.query)) errors.push({ field: key, rule: 'unknown_field', message: `${key} is not a known field` });
    }
    for (const { name, rule, accepts, message } of route.pathRules) {
      if (!accepts(request.params[name])) errors.push({ field: name, rule, message });
    }
    if (errors.length) throw new RequestValidationException(errors);
    return next.handle();
  }
}
