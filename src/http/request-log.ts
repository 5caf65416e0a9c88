import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Options } from 'pino-http';
import type { Actor } from '../kernel/request-context';

type LoggedRequest = IncomingMessage & { id?: unknown; originalUrl?: string; actor?: Actor };
type LoggedResponse = ServerResponse & { err?: unknown };

/** A caller's own request id is kept when it looks sane; otherwise we make one. */
function requestIdOf(request: IncomingMessage & { id?: unknown }): string {
  if (typeof request.id === 'string') return request.id;
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && /^[\w.:-]{1,100}$/.test(given) ? given : randomUUID();
}

/** A teacher's calendar link is a secret: whoever reads it in a log could follow their schedule. */
const SECRET_PATH_PART = /^(\/calendar\/teachers\/)[^/]+(\.ics)$/;

/** The path without the query string, which may hold names and addresses searched for, and without secrets. */
function pathOf(request: LoggedRequest): string {
  return (request.originalUrl ?? request.url ?? '').split('?')[0].replace(SECRET_PATH_PART, '$1[secret]$2');
}

function isUnexpectedFailure(response: LoggedResponse): boolean {
  return response.statusCode >= 500 && response.statusCode !== 503;
}

/** What one request is in the log: no headers, no query, no body. */
function requestLine(request: LoggedRequest, response: LoggedResponse, responseTime: number) {
  return { method: request.method, path: pathOf(request), status: response.statusCode, responseTime };
}

/**
 * One JSON line per request: method, path, status, milliseconds, request id and user id. Lines
 * logged while a request runs carry its request id. An unexpected error (the problem filter
 * hands it over as `response.err`) is logged in that same line with its stack, so a 500 is one
 * line; other 5xx answers are a warning, and a 503 while the database is away an ordinary line.
 */
export function requestLogOptions(level: string): Options<LoggedRequest, LoggedResponse> {
  return {
    level,
    genReqId: (request, response) => {
      const id = requestIdOf(request);
      response.setHeader('x-request-id', id);
      return id;
    },
    quietReqLogger: true,
    quietResLogger: true,
    customAttributeKeys: { reqId: 'requestId' },
    customProps: (request) => ({ userId: request.actor?.id }),
    customLogLevel: (_request, response, error) => (error || response.err ? 'error' : isUnexpectedFailure(response) ? 'warn' : 'info'),
    // A 503 while the database is away is logged once per outage (DatabaseAvailability); its requests are ordinary lines.
    customErrorMessage: (_request, response) => (isUnexpectedFailure(response) ? 'request errored' : 'request completed'),
    customSuccessObject: (request, response, value: { responseTime: number }) => requestLine(request, response, value.responseTime),
    customErrorObject: (request, response, error, value: { responseTime: number }) => ({
      ...requestLine(request, response, value.responseTime),
      ...(response.err ? { err: error } : {}),
    }),
    autoLogging: { ignore: (request) => request.url?.startsWith('/health') ?? false },
  };
}
