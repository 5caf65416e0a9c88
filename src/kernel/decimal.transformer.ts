import { ValueTransformer } from 'typeorm';

/** numeric columns arrive as strings from node-postgres; these hold one decimal at most. */
export const decimalTransformer: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};
