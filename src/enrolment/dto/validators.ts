import { isValidPhoneNumber } from 'libphonenumber-js';
import { buildMessage, ValidateBy, ValidationArguments, ValidationOptions } from 'class-validator';

/** A phone number libphonenumber-js accepts; without a country code it is read as Dutch. */
export const IsPhone = (options?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'isPhone',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && isValidPhoneNumber(value, 'NL'),
        defaultMessage: buildMessage((each) => `${each}$property must be a valid phone number, e.g. 06 12345678 or +32 470 12 34 56`, options),
      },
    },
    options,
  );

const DUTCH_POSTCODE = /^[1-9][0-9]{3} ?(?!SA|SD|SS)[A-Z]{2}$/i;
const FOREIGN_POSTCODE = /^[A-Z0-9][A-Z0-9 -]{1,9}$/i;

/** A Dutch postcode `1234 AB` when the address's country is NL; otherwise a plausible foreign one. */
export const IsPostcode = (options?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'isPostcode',
      validator: {
        validate: (value: unknown, args?: ValidationArguments) => {
          if (typeof value !== 'string') return false;
          const country = (args?.object as { country?: string }).country;
          return country === 'NL' ? DUTCH_POSTCODE.test(value.trim()) : FOREIGN_POSTCODE.test(value.trim());
        },
        defaultMessage: buildMessage(
          (each, args) =>
            (args?.object as { country?: string }).country === 'NL'
              ? `${each}$property must be a Dutch postcode like 1234 AB`
              : `${each}$property must be a postcode of 2 to 10 letters, digits, spaces or hyphens`,
          options,
        ),
      },
    },
    options,
  );

/** `1234ab` → `1234 AB`; foreign postcodes as given, upper case. */
export function normalisePostcode(postcode: string, country: string): string {
  const trimmed = postcode.trim().toUpperCase();
  return country === 'NL' ? `${trimmed.slice(0, 4)} ${trimmed.slice(-2)}` : trimmed;
}
