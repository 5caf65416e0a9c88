/**
 * The fields a request actually sent. DTO classes declare every optional field, so with
 * ES2022 class fields an instance carries `undefined` for each one left out; spreading it
 * would overwrite stored values and defaults with `undefined`.
 */
export function definedFields<T extends object>(input: T): Partial<T> {
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined)) as Partial<T>;
}
