import { Transform } from 'class-transformer';

/** Trims surrounding white space off a string field before it is validated. */
export const Trim = () => Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));

/** A query-string flag: `true` and `false` become booleans; anything else is left for @IsBoolean to refuse. */
export const QueryBoolean = () => Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value));
