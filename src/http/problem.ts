import { HttpStatus } from '@nestjs/common';

import type { FieldError } from '../kernel/domain-errors';

/** The single error body of the API: RFC 9457 problem details, served as application/problem+json. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  code?: string;
  errors?: FieldError[];
  requestId?: string;
  /** Sent as the Retry-After header too: a refusal that passes (a login lockout, the database away). */
  retryAfterSeconds?: number;
  [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Unprocessable content',
  429: 'Too many requests',
  500: 'Internal server error',
  503: 'Service unavailable',
};

export function titleFor(status: number): string {
  return TITLES[status] ?? HttpStatus[status]?.toString().replace(/_/g, ' ').toLowerCase() ?? 'Error';
}

/** `type` URIs are stable identifiers of the kind of problem; `code` narrows business-rule refusals. */
export function problemType(slug: string): string {
  return `https://registrar.example/problems/${slug}`;
}
