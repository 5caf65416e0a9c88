import { ArgumentMetadata, BadRequestException, Injectable, PipeTransform, ValidationError, ValidationPipe } from '@nestjs/common';
import { FieldError } from './problem';

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
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new RequestValidationException(fieldErrors(errors)),
  });
}

/** Paths of every string in a value that holds a NUL character, which PostgreSQL cannot store in text. */
function nulPaths(value: unknown, path: string): string[] {
  if (typeof value === 'string') return value.includes('\u0000') ? [path] : [];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, child]) => nulPaths(child, path ? `${path}.${key}` : key));
}

/** Refuses NUL characters in bodies and queries up front, naming the field, instead of failing in the database. */
@Injectable()
export class NoNulCharactersPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type !== 'body' && metadata.type !== 'query' && metadata.type !== 'param') return value;
    const paths = nulPaths(value, metadata.type === 'param' ? (metadata.data ?? '') : '');
    if (paths.length) {
      throw new RequestValidationException(
        paths.map((field) => ({ field: field || metadata.type, rule: 'noNulCharacter', message: `${field || metadata.type} contains a NUL character` })),
      );
    }
    return value;
  }
}
