import { HttpException, HttpStatus } from '@nestjs/common';
import { FieldError } from './problem';

/**
 * A business rule refused the change (422), with a machine-readable code that clients can
 * branch on, for example `edition_full` or `entry_requirements_not_met`.
 */
export class BusinessRuleException extends HttpException {
  constructor(
    readonly code: string,
    detail: string,
    readonly extensions: Record<string, unknown> = {},
    readonly errors?: FieldError[],
  ) {
    super({ code, detail, errors, ...extensions }, HttpStatus.UNPROCESSABLE_ENTITY);
  }
}

/** The request conflicts with the current state (409): a stale version, a duplicate, a clash. */
export class ConflictProblemException extends HttpException {
  constructor(
    readonly code: string,
    detail: string,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super({ code, detail, ...extensions }, HttpStatus.CONFLICT);
  }
}

/** Input that passed the DTO's shape checks but breaks a rule only a service can check (400). */
export class InvalidInputException extends HttpException {
  constructor(readonly errors: FieldError[]) {
    super({ detail: errors.map((e) => e.message).join('; '), errors }, HttpStatus.BAD_REQUEST);
  }
}

export class NotFoundProblemException extends HttpException {
  constructor(entity: string, id: string) {
    super({ code: 'not_found', detail: `${entity} ${id} does not exist` }, HttpStatus.NOT_FOUND);
  }
}
