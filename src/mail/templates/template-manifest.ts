import { MailHelperError, toAmsterdam } from './mail-helpers';
import { MailTemplateError } from './mail-template.error';
import type { Locale } from '../../kernel/locale';

/**
 * The simple types a template may declare. `cents` is money in integer euro cents, `instant`
 * a moment with a time (Date or ISO string), `date` a calendar day or an instant, `url` an
 * absolute http(s) address (so a link in a mail can never be `javascript:`).
 */
export const VARIABLE_TYPES = ['string', 'integer', 'boolean', 'cents', 'instant', 'date', 'url', 'list', 'object'] as const;
export type VariableType = (typeof VARIABLE_TYPES)[number];

export interface VariableDeclaration {
  name: string;
  type: VariableType;
  required: boolean;
  description?: string;
}

export interface TemplateManifest {
  description: string;
  variables: VariableDeclaration[];
  sampleData: Record<string, unknown>;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** Reads `template.json`: `{ description, variables: { name: { type, required?, description? } }, sampleData }`. */
export function parseManifest(template: string, json: string): TemplateManifest {
  const broken = (detail: string) => new MailTemplateError('broken_template', template, undefined, `template.json ${detail}`);
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    throw broken(`is not valid JSON: ${(error as Error).message}`);
  }
  if (!isPlainObject(raw)) throw broken('must hold an object');
  const { description, variables, sampleData } = raw;
  if (typeof description !== 'string' || description.trim() === '') throw broken('needs a description');
  if (!isPlainObject(variables)) throw broken('needs "variables": an object of name → { type, required }');
  if (!isPlainObject(sampleData)) throw broken('needs "sampleData": an object');

  const declarations = Object.entries(variables).map(([name, spec]): VariableDeclaration => {
    if (!isPlainObject(spec)) throw broken(`variable "${name}" must be an object`);
    const { type, required = true, description: variableDescription } = spec;
    if (!VARIABLE_TYPES.includes(type as VariableType)) {
      throw broken(`variable "${name}" has type ${JSON.stringify(type)}; use one of ${VARIABLE_TYPES.join(', ')}`);
    }
    if (typeof required !== 'boolean') throw broken(`variable "${name}" has a non-boolean "required"`);
    if (variableDescription !== undefined && typeof variableDescription !== 'string') {
      throw broken(`variable "${name}" has a non-string description`);
    }
    return { name, type: type as VariableType, required, ...(variableDescription ? { description: variableDescription } : {}) };
  });
  // Sample data with undeclared names would let a template use a variable its callers never hear of.
  const undeclared = Object.keys(sampleData).filter((name) => !(name in variables));
  if (undeclared.length > 0) throw broken(`sampleData has undeclared variables: ${undeclared.join(', ')}`);
  return { description, variables: declarations, sampleData };
}

function hasType(value: unknown, type: VariableType): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'integer':
    case 'cents':
      return typeof value === 'number' && Number.isSafeInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'instant':
    case 'date':
      try {
        toAmsterdam(value, type, type === 'date');
        return true;
      } catch (error) {
        if (error instanceof MailHelperError) return false;
        throw error;
      }
    case 'url':
      return typeof value === 'string' && URL.canParse(value) && /^https?:$/.test(new URL(value).protocol);
    case 'list':
      return Array.isArray(value);
    case 'object':
      return isPlainObject(value);
  }
}

function isAbsent(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/**
 * Checks data against the declarations and returns the render context, with absent optional
 * variables set to null so that templates test them with `{{#if}}` and strict mode still
 * catches every name that is neither declared nor given.
 */
export function checkTemplateData(
  template: string,
  locale: Locale,
  variables: readonly VariableDeclaration[],
  data: Record<string, unknown>,
): Record<string, unknown> {
  if (!isPlainObject(data)) throw new MailTemplateError('invalid_variable', template, locale, 'data must be an object');
  const context: Record<string, unknown> = { ...data };
  for (const { name, type, required } of variables) {
    const value = data[name];
    if (isAbsent(value)) {
      if (required) {
        throw new MailTemplateError('missing_variable', template, locale, `required variable "${name}" (${type}) is missing`, name);
      }
      context[name] = null;
    } else if (!hasType(value, type)) {
      throw new MailTemplateError(
        'invalid_variable',
        template,
        locale,
        `variable "${name}" must be of type ${type}, got ${JSON.stringify(value)}`,
        name,
      );
    }
  }
  return context;
}
