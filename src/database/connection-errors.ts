import { Client } from 'pg';
/** Socket errors of a connection to PostgreSQL that was refused, cut off or never answered. */
const NETWORK_REASONS = new Map([
  ['ECONNREFUSED', 'connection refused'],
  ['ECONNRESET', 'connection reset'],
  ['EPIPE', 'connection closed'],
  ['ETIMEDOUT', 'no answer'],
  ['EHOSTUNREACH', 'host unreachable'],
  ['ENETUNREACH', 'network unreachable'],
  ['ENOTFOUND', 'host not found'],
  ['EAI_AGAIN', 'host not found'],
]);

/**
 * SQLSTATEs of a server that ended the connection (57P01 admin_shutdown, also sent when the
 * postmaster died), restarts after a crash (57P02), is starting or recovering (57P03) or is full.
 * Class 08 is any other lost or refused connection.
 */
const UNAVAILABLE_STATES = new Map([
  ['57P01', 'the server ended the connection'],
  ['57P02', 'the server is recovering from a crash'],
  ['57P03', 'the server is starting up or recovering'],
  ['53300', 'too many connections'],
]);

/**
 * What pg says without a code: a pool or client that could not connect in time, a connection
 * that ended under a query. TypeORM releases a transaction's connection when it breaks, and the
 * transaction's next statement then finds it released.
 */
const UNAVAILABLE_MESSAGES: [RegExp, string][] = [
  [/^timeout exceeded when trying to connect|^Connection terminated due to connection timeout/, 'no answer in time'],
  [/^Connection terminated|is not queryable|^Database connection provided by a query runner was already released/, 'connection lost'],
];

interface ErrorLike {
  code?: unknown;
  message?: unknown;
  driverError?: unknown;
  cause?: unknown;
  errors?: unknown;
}

/** The error itself, then what it wraps: TypeORM's driverError, a cause, an AggregateError's errors (IPv4 and IPv6 tried). */
function* chain(error: unknown, depth = 0): Generator<ErrorLike> {
  if (typeof error !== 'object' || error === null || depth > 4) return;
  const candidate = error as ErrorLike;
  yield candidate;
  yield* chain(candidate.driverError, depth + 1);
  yield* chain(candidate.cause, depth + 1);
  if (Array.isArray(candidate.errors)) for (const inner of candidate.errors) yield* chain(inner, depth + 1);
}

/** Why the database cannot be reached, in a few words, or undefined when the error is of another kind. */
export function unreachableReason(error: unknown): string | undefined {
  for (const candidate of chain(error)) {
    const code = typeof candidate.code === 'string' ? candidate.code : '';
    const message = typeof candidate.message === 'string' ? candidate.message : '';
    const known = NETWORK_REASONS.get(code) ?? UNAVAILABLE_STATES.get(code) ?? (code.startsWith('08') ? 'connection failure' : undefined);
    if (known) return known;
    const described = UNAVAILABLE_MESSAGES.find(([pattern]) => pattern.test(message));
    if (described) return described[1];
  }
  return undefined;
}

/** True when the error says that PostgreSQL cannot be reached now, rather than that a statement failed. */
export function isDatabaseUnreachable(error: unknown): boolean {
  return unreachableReason(error) !== undefined;
}

/** A probe, the boot check and the pool give up on a server that does not answer by then (a request then gets its 503). */
export const CONNECT_TIMEOUT_MILLISECONDS = 10_000;

/** Opens a connection of its own, runs `SELECT 1` and closes it: undefined when that worked, else why not. */
export async function connectionError(url: string, applicationName: string): Promise<unknown> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MILLISECONDS, application_name: applicationName });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (error) {
    return error;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The database named by the configuration cannot be used: a configuration error, told in one line. */
export class DatabaseUnreachableError extends Error {}
