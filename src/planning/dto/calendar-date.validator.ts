import { buildMessage, ValidateBy, ValidationOptions } from 'class-validator';
import { isIsoDate, isWallTime } from '../../kernel/time';

/** A calendar day `YYYY-MM-DD` that exists. */
export const IsCalendarDate = (options?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'isCalendarDate',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && isIsoDate(value),
        defaultMessage: buildMessage((each) => `${each}$property must be a date YYYY-MM-DD`, options),
      },
    },
    options,
  );

/** A wall-clock time `HH:mm`. */
export const IsWallTime = (options?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'isWallTime',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && isWallTime(value),
        defaultMessage: buildMessage((each) => `${each}$property must be a time HH:mm`, options),
      },
    },
    options,
  );
