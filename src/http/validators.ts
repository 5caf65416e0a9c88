import { applyDecorators } from '@nestjs/common';
import { buildMessage, isISO8601, IsNotEmpty, IsString, MaxLength, ValidateBy, ValidateIf, ValidationOptions } from 'class-validator';
import { Trim } from './transforms';

/**
 * A reason the caller must give when `required` holds for the request (and may give
 * otherwise): trimmed, not empty, at most 1,000 characters. It goes into the audit log.
 */
export const ReasonRequiredWhen = <T>(required: (dto: T) => boolean, message: string) =>
  applyDecorators(
    ValidateIf((dto: T, value: unknown) => required(dto) || value !== undefined),
    Trim(),
    IsString({ message }),
    IsNotEmpty({ message }),
    MaxLength(1000),
  );

/** A calendar date, or a date and time with an optional fraction and offset; no week or ordinal dates. */
const ISO_DATE_OR_DATE_TIME = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:\d{2})?)?$/;

/**
 * An ISO 8601 date (`2027-03-01`) or date-time (`2027-03-01T09:30:00+01:00`) that exists,
 * for a query parameter that bounds an instant. Anything else is refused rather than read as
 * some date.
 */
export const IsIsoDateTime = (options?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'isIso8601',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && ISO_DATE_OR_DATE_TIME.test(value) && isISO8601(value, { strict: true, strictSeparator: true }),
        defaultMessage: buildMessage((each) => `${each}$property must be an ISO 8601 date or date-time, e.g. 2027-03-01 or 2027-03-01T09:30:00+01:00`, options),
      },
    },
    options,
  );
