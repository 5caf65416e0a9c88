import { ValueTransformer } from 'typeorm';

/**
 * Money is stored as integer euro cents in `bigint` columns. node-postgres returns bigint
 * as a string; we read it as a number, refusing anything a JavaScript number cannot hold
 * exactly rather than silently rounding an amount.
 */
export const centsTransformer: ValueTransformer = {
  to(value: number | null | undefined): string | null | undefined {
    if (value === null || value === undefined) return value;
    if (!Number.isSafeInteger(value)) throw new RangeError(`An amount in cents must be a safe integer, got ${value}`);
    return String(value);
  },
  from(value: string | null): number | null {
    if (value === null) return null;
    const cents = Number(value);
    if (!Number.isSafeInteger(cents)) throw new RangeError(`Stored amount ${value} is outside the safe integer range`);
    return cents;
  },
};
