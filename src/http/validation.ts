import { ArgumentMetadata, BadRequestException, Injectable, PipeTransform, ValidationError, ValidationPipe } from '@nestjs/common';
import type { FieldError } from '../kernel/domain-errors';
import { cacheValidationMetadata } from './validation-metadata';

/** Flattens class-validator's tree into `{field, rule, message}` with dotted paths (`address.postcode`, `sessions.2.date`). */
export function fieldErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([rule, message]) => ({
      field,
      rule: rule === 'whitelistValidation' ? 'unknown_field' : rule,
      message: rule === 'whitelistValidation' ? `${field} is not a known field` : message,
    }));
    return [...own, ...fieldErrors(error.children ?? [], field)];
  });
}

export class RequestValidationException extends BadRequestException {
  constructor(readonly errors: FieldError[]) {
    super({ detail: 'The request has invalid fields', errors });
  }
}

/** Whitelist, refuse unknown fields, and transform to the DTO's types. */
export function createValidationPipe(): ValidationPipe {
  cacheValidationMetadata();
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new RequestValidationException(fieldErrors(errors)),
  });
}

/** Deeper than any request this API takes; a deeper one is refused before anything recurses into it. */
export const MAX_INPUT_DEPTH = 32;

/** Enough to tell a client what is wrong without letting a large body make an even larger answer. */
const MAX_INPUT_ERRORS = 20;

/**
 * Keys that name an object's machinery rather than data: assigning them would change an
 * instance's prototype or shadow its methods, and class-transformer skips some silently.
 */
function isReservedKey(key: string, prototype: object): boolean {
  return key === 'prototype' || key in prototype;
}

/** Where a value sits in the request: its path, the name to use when it is the whole of it, and its DTO's prototype. */
interface InputRoot {
  path: string;
  label: string;
  prototype: object;
}

/**
 * Walks a request value breadth-first without recursion, so that no nesting can overflow the
 * stack, and lists what may not reach class-transformer or PostgreSQL: nesting beyond the
 * limit, keys that are object machinery (at the top, also the DTO's own getters and methods,
 * such as `offset`), and NUL characters, which PostgreSQL cannot store in text.
 */
export function inputErrors(value: unknown, root: InputRoot): FieldError[] {
  const errors: FieldError[] = [];
  const queue: { value: unknown; path: string; depth: number }[] = [{ value, path: root.path, depth: 0 }];
  for (let next = 0; next < queue.length && errors.length < MAX_INPUT_ERRORS; next++) {
    const { value: current, path, depth } = queue[next];
    const field = path || root.label;
    if (typeof current === 'string') {
      if (current.includes('\u0000')) errors.push({ field, rule: 'noNulCharacter', message: `${field} contains a NUL character` });
      continue;
    }
    if (current === null || typeof current !== 'object') continue;
    if (depth >= MAX_INPUT_DEPTH) {
      return [{ field, rule: 'maxDepth', message: `${field} is nested deeper than ${MAX_INPUT_DEPTH} levels` }];
    }
    for (const [key, child] of Object.entries(current)) {
      const childPath = path ? `${path}.${key}` : key;
      if (isReservedKey(key, depth === 0 ? root.prototype : Object.prototype)) {
        errors.push({ field: childPath, rule: 'unknown_field', message: `${childPath} is not a known field` });
      } else {
        queue.push({ value: child, path: childPath, depth: depth + 1 });
      }
    }
  }
  return errors.slice(0, MAX_INPUT_ERRORS);
}

/**
 * Runs before the ValidationPipe on bodies, queries and path parameters: refuses what
 * {@link inputErrors} finds, naming the field, instead of failing deeper down with a 500.
 */
@Injectable()
export class RequestInputPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type !== 'body' && metadata.type !== 'query' && metadata.type !== 'param') return value;
    const errors = inputErrors(value, {
      path: metadata.type === 'param' ? (metadata.data ?? '') : '',
      label: metadata.type,
      prototype: (metadata.metatype?.prototype as object | undefined) ?? Object.prototype,
    });
    if (errors.length) throw new RequestValidationException(errors);
    return value;
  }
}
