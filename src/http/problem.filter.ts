import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus } from '@nestjs/common';
import type { Request, Response } from 'express';
import { QueryFailedError } from 'typeorm';
import { isDatabaseUnreachable } from '../database/connection-errors';
import { DatabaseAvailability, RETRY_AFTER_SECONDS } from '../database/database-availability';
import { DomainError, type FieldError } from '../kernel/domain-errors';
import { Problem, PROBLEM_CONTENT_TYPE, problemType, titleFor } from './problem';

interface PgError {
  code?: string;
  constraint?: string;
  detail?: string;
  column?: string;
}

/** PostgreSQL error codes that a user's input can cause, answered as a 4xx problem. */
const PG_PROBLEMS: Record<string, { status: number; slug: string; detail: string }> = {
  '23505': { status: 409, slug: 'conflict', detail: 'A record with the same unique value already exists' },
  '23503': { status: 409, slug: 'conflict', detail: 'The record refers to, or is referred to by, another record' },
  '23P01': { status: 409, slug: 'conflict', detail: 'The change overlaps an existing record' },
  '23514': { status: 422, slug: 'business-rule', detail: 'The change breaks a rule of the data' },
  '23502': { status: 400, slug: 'validation', detail: 'A required value is missing' },
  '22021': { status: 400, slug: 'validation', detail: 'A text contains a character that cannot be stored' },
  '22P05': { status: 400, slug: 'validation', detail: 'A text contains a character that cannot be stored' },
  '22P02': { status: 400, slug: 'validation', detail: 'A value has the wrong format' },
  '22001': { status: 400, slug: 'validation', detail: 'A value is too long' },
  '22003': { status: 400, slug: 'validation', detail: 'A number is out of range' },
  '22007': { status: 400, slug: 'validation', detail: 'A date or time has the wrong format' },
  '22008': { status: 400, slug: 'validation', detail: 'A date or time is out of range' },
  '40001': { status: 409, slug: 'conflict', detail: 'A concurrent change interfered; try again' },
  '40P01': { status: 409, slug: 'conflict', detail: 'A concurrent change interfered; try again' },
};

const SLUG_BY_STATUS: Record<number, string> = {
  400: 'validation',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  409: 'conflict',
  413: 'payload-too-large',
  422: 'business-rule',
  429: 'rate-limited',
  503: 'unavailable',
};

/** The one place where the domain's refusals become HTTP statuses. */
const DOMAIN_STATUS: Record<DomainError['kind'], number> = {
  business_rule: HttpStatus.UNPROCESSABLE_ENTITY,
  conflict: HttpStatus.CONFLICT,
  invalid_input: HttpStatus.BAD_REQUEST,
  not_found: HttpStatus.NOT_FOUND,
};

/** Errors raised by Express's body parser before a route runs (`type` is set by `raw-body`). */
function bodyParserProblem(error: unknown): { status: number; detail: string; rule: string } | undefined {
  const parser = error as { type?: string; status?: number; limit?: number };
  if (typeof parser?.type !== 'string' || typeof parser.status !== 'number') return undefined;
  switch (parser.type) {
    case 'entity.too.large':
      return { status: 413, rule: 'maxSize', detail: `The request body is larger than the limit of ${parser.limit} bytes` };
    case 'entity.parse.failed':
      return { status: 400, rule: 'isJson', detail: 'The request body is not valid JSON' };
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return { status: 415, rule: 'encoding', detail: 'The request body has an unsupported encoding' };
    default:
      return parser.status < 500 ? { status: parser.status, rule: 'readable', detail: 'The request body could not be read' } : undefined;
  }
}

/** The `code` of the 503 answered while the database cannot be reached. */
export const DATABASE_UNAVAILABLE = 'database_unavailable';

/**
 * Turns every failure into one format: RFC 9457 problem details. Database and programming
 * errors are answered 500 without internals and logged with the request's line. A database
 * that cannot be reached is a 503 with Retry-After, logged once per outage (DatabaseAvailability).
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  constructor(private readonly availability: DatabaseAvailability) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request & { id?: string }>();
    const response = http.getResponse<Response>();
    const problem = this.toProblem(exception);
    problem.instance = request.originalUrl;
    if (request.id !== undefined) problem.requestId = String(request.id);
    if (problem.status === HttpStatus.SERVICE_UNAVAILABLE) {
      // A passing state (the database away, or readiness saying so), not a fault: logged once per outage.
      this.availability.reportIfUnreachable(exception);
      problem.retryAfterSeconds ??= RETRY_AFTER_SECONDS;
    }
    // The request's log line carries an unexpected error (see request-log.ts), so a 500 is logged
    // once; other 5xx answers (a 503 while the database is away) are expected and carry none.
    if (problem.status === HttpStatus.INTERNAL_SERVER_ERROR) response.err = exception instanceof Error ? exception : new Error(String(exception));
    if (response.headersSent) return;
    if (problem.retryAfterSeconds !== undefined) response.setHeader('Retry-After', String(problem.retryAfterSeconds));
    response.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
  }

  toProblem(exception: unknown): Problem {
    return this.withFieldErrors(this.problemOf(exception));
  }

  private problemOf(exception: unknown): Problem {
    // Nest hands the body parser's errors on as HttpExceptions, with the parser's error as the cause.
    const parser = bodyParserProblem(exception) ?? bodyParserProblem((exception as { cause?: unknown } | undefined)?.cause);
    if (parser) return { ...this.build(parser.status, parser.detail), errors: [{ field: 'body', rule: parser.rule, message: parser.detail }] };
    if (exception instanceof DomainError) return this.fromDomainError(exception);
    if (exception instanceof HttpException) return this.fromHttpException(exception);
    if (isDatabaseUnreachable(exception)) {
      return { ...this.build(HttpStatus.SERVICE_UNAVAILABLE, 'The database cannot be reached at the moment; try again shortly'), code: DATABASE_UNAVAILABLE };
    }
    if (exception instanceof QueryFailedError) {
      const pg = exception.driverError as PgError;
      const known = pg.code ? PG_PROBLEMS[pg.code] : undefined;
      if (known) {
        const errors = this.constraintErrors(pg);
        return {
          ...this.build(known.status, known.detail),
          type: problemType(known.slug),
          code: pg.constraint ?? undefined,
          ...(errors.length ? { errors } : {}),
        };
      }
    }
    return this.build(HttpStatus.INTERNAL_SERVER_ERROR, 'An unexpected error occurred; it has been logged');
  }

  private fromDomainError(error: DomainError): Problem {
    const status = DOMAIN_STATUS[error.kind];
    return {
      ...error.extensions,
      ...this.build(status, error.detail),
      ...(error.code !== undefined ? { code: error.code } : {}),
      ...(error.errors !== undefined ? { errors: error.errors } : {}),
    };
  }

  private fromHttpException(exception: HttpException): Problem {
    const status = exception.getStatus();
    const body = exception.getResponse();
    const problem = this.build(status, exception.message);
    if (typeof body === 'string') return { ...problem, detail: body };
    const { message, error: _error, statusCode: _statusCode, status: _status, detail, ...extensions } = body as Record<string, unknown>;
    const text = typeof detail === 'string' ? detail : Array.isArray(message) ? message.join('; ') : message;
    return { ...problem, ...extensions, type: problem.type, title: problem.title, status, detail: typeof text === 'string' ? text : problem.detail };
  }

  /** Every 400 names fields and rules; one raised without them (by a library) is about the request as a whole. */
  private withFieldErrors(problem: Problem): Problem {
    if (problem.status !== HttpStatus.BAD_REQUEST || Array.isArray(problem.errors)) return problem;
    return { ...problem, errors: [{ field: '', rule: 'invalid', message: problem.detail }] };
  }

  /** Names the field behind a unique or check constraint when PostgreSQL tells us (`Key (email)=(…)`). */
  private constraintErrors(pg: PgError): FieldError[] {
    const column = pg.column ?? /^Key \(([^)]+)\)/.exec(pg.detail ?? '')?.[1];
    if (!column) return [];
    const field = column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
    const rule = pg.code === '23505' ? 'unique' : pg.code === '23503' ? 'reference' : 'constraint';
    const message = pg.code === '23505' ? `${field} is already in use` : `${field} breaks the rule ${pg.constraint ?? rule}`;
    return [{ field, rule, message }];
  }

  private build(status: number, detail: string): Problem {
    return { type: problemType(SLUG_BY_STATUS[status] ?? (status >= 500 ? 'server-error' : 'client-error')), title: titleFor(status), status, detail };
  }
}
