/**
 * Checks of the OpenAPI document against itself and against real answers, as a client
 * generated from it would meet them. Schemas are OpenAPI 3.0 as @nestjs/swagger writes them.
 */
export interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  nullable?: boolean;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, { parameters?: Array<{ name: string; in: string; schema?: Schema }>; responses: Record<string, { content?: Record<string, { schema?: Schema }> }> }>>;
  components: { schemas: Record<string, Schema> };
}

export const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** Follows a `$ref` and merges an `allOf` (the plugin writes `allOf: [{$ref}]` for a nullable nested class). */
function resolve(document: OpenApiDocument, schema: Schema): Schema {
  if (schema.$ref) return resolve(document, document.components.schemas[schema.$ref.replace('#/components/schemas/', '')] ?? {});
  if (schema.allOf) {
    const parts = schema.allOf.map((part) => resolve(document, part));
    return {
      ...Object.assign({}, ...parts),
      ...schema,
      allOf: undefined,
      properties: Object.assign({}, ...parts.map((part) => part.properties ?? {})),
      required: parts.flatMap((part) => part.required ?? []),
    };
  }
  return schema;
}

/**
 * Where a schema leaves a client without a type: no schema, an object without properties
 * (unless it declares itself a map with `additionalProperties`), an array without items,
 * a `$ref` to nothing. Follows every reference once.
 */
export function untypedParts(document: OpenApiDocument, schema: Schema | undefined, at: string, seen = new Set<string>()): string[] {
  if (!schema) return [`${at}: no schema`];
  if (schema.$ref) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    if (!document.components.schemas[name]) return [`${at}: $ref to missing ${name}`];
    if (seen.has(name)) return [];
    seen.add(name);
    return untypedParts(document, document.components.schemas[name], `${at} (${name})`, seen);
  }
  const alternatives = schema.oneOf ?? schema.anyOf;
  if (alternatives) return alternatives.flatMap((alternative, i) => untypedParts(document, alternative, `${at}|${i}`, seen));
  if (schema.allOf) return schema.allOf.flatMap((part) => untypedParts(document, part, at, seen));
  if (schema.type === 'array') return untypedParts(document, schema.items, `${at}[]`, seen);
  if (schema.enum) return [];
  if (schema.type === 'object' || (!schema.type && schema.properties)) {
    const properties = Object.entries(schema.properties ?? {});
    const map = schema.additionalProperties;
    if (properties.length === 0 && !map) return [`${at}: object without properties`];
    return [
      ...properties.flatMap(([name, property]) => untypedParts(document, property, `${at}.${name}`, seen)),
      ...(typeof map === 'object' ? untypedParts(document, map, `${at}{}`, seen) : []),
    ];
  }
  return schema.type ? [] : [`${at}: no type`];
}

/** Where a real answer differs from its schema: undocumented or missing fields, wrong types, an undeclared null. */
export function mismatches(document: OpenApiDocument, value: unknown, given: Schema, at: string): string[] {
  const schema = resolve(document, given);
  if (value === null) return schema.nullable ? [] : [`${at}: null, but not nullable`];
  const alternatives = schema.oneOf ?? schema.anyOf;
  if (alternatives) {
    const fits = alternatives.map((alternative) => mismatches(document, value, alternative, at));
    return fits.some((problems) => problems.length === 0) ? [] : [`${at}: fits none of its alternatives (${fits.flat().join('; ')})`];
  }
  if (schema.enum && !schema.enum.includes(value)) return [`${at}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`];
  switch (schema.type) {
    case 'string':
      return typeof value === 'string' ? [] : [`${at}: ${typeof value}, documented as string`];
    case 'integer':
      return Number.isInteger(value) ? [] : [`${at}: ${JSON.stringify(value)}, documented as integer`];
    case 'number':
      return typeof value === 'number' ? [] : [`${at}: ${typeof value}, documented as number`];
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${at}: ${typeof value}, documented as boolean`];
    case 'array':
      if (!Array.isArray(value)) return [`${at}: ${typeof value}, documented as array`];
      return value.flatMap((item, i) => mismatches(document, item, schema.items ?? {}, `${at}[${i}]`));
    default: {
      if (typeof value !== 'object' || Array.isArray(value)) return [`${at}: ${Array.isArray(value) ? 'array' : typeof value}, documented as object`];
      const record = value as Record<string, unknown>;
      const properties = schema.properties ?? {};
      const map = schema.additionalProperties;
      return [
        ...(schema.required ?? []).filter((name) => !(name in record)).map((name) => `${at}.${name}: required, but missing`),
        ...Object.entries(record).flatMap(([name, field]) => {
          if (properties[name]) return mismatches(document, field, properties[name], `${at}.${name}`);
          if (typeof map === 'object') return mismatches(document, field, map, `${at}.${name}`);
          return map ? [] : [`${at}.${name}: not documented`];
        }),
      ];
    }
  }
}
