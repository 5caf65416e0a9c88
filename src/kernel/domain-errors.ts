/** One field-level failure: which field, which rule, in words. */
export interface FieldError {
  field: string;
  rule: string;
  message: string;
}

/**
 * A refusal in the domain's words. Services throw these without knowing about HTTP; the
 * problem filter is the one place that turns each kind into a status and a problem body.
 */
export abstract class DomainError extends Error {
  abstract readonly kind: 'business_rule' | 'conflict' | 'invalid_input' | 'not_found';

  constructor(
    readonly detail: string,
    /** Machine-readable, for clients to branch on: `edition_full`, `stale_version`. */
    readonly code?: string,
    readonly extensions: Record<string, unknown> = {},
    readonly errors?: FieldError[],
  ) {
    super(detail);
    this.name = new.target.name;
  }
}

/** A business rule refused the change, for example `edition_full` or `entry_requirements_not_met`. */
export class BusinessRuleError extends DomainError {
  readonly kind = 'business_rule';

  constructor(code: string, detail: string, extensions: Record<string, unknown> = {}, errors?: FieldError[]) {
    super(detail, code, extensions, errors);
  }
}

/** The change conflicts with the current state: a stale version, a duplicate, a clash. */
export class ConflictError extends DomainError {
  readonly kind = 'conflict';

  constructor(code: string, detail: string, extensions: Record<string, unknown> = {}, errors?: FieldError[]) {
    super(detail, code, extensions, errors);
  }
}

/** Input that passed the DTO's shape checks but breaks a rule only a service can check. */
export class InvalidInputError extends DomainError {
  readonly kind = 'invalid_input';

  constructor(errors: FieldError[]) {
    super(errors.map((e) => e.message).join('; '), undefined, {}, errors);
  }
}

export class NotFoundError extends DomainError {
  readonly kind = 'not_found';

  constructor(entity: string, id: string) {
    super(`${entity} ${id} does not exist`, 'not_found');
  }
}
