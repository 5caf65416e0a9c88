/** Socket errors of a connection to PostgreSQL that was refused, cut off or never answered. */
const NETWORK_REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed',
  ETIMEDOUT: 'no answer',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found',
};

/**
 * SQLSTATEs of a server that is stopping (57P01 admin_shutdown, 57P02 crash_shutdown),
 * starting or recovering (57P03 cannot_connect_now) or full (53300); class 08 is a lost
 * or refused connection.
 */
const UNAVAILABLE_STATES = new Set(['57P01', '57P02', '57P03', '53300']);

/**
 * What pg says without a code: a connection that ended under a query, or a pool that could not
 * connect in time. TypeORM releases a transaction's connection when it breaks, and the
 * transaction's next statement then finds it released.
 */
const UNAVAILABLE_MESSAGES = [
  /^Connection terminated/,
  /timeout exceeded when trying to connect/,
  /Client has encountered a connection error and is not queryable/,
  /Client was closed and is not queryable/,
  /^Database connection provided by a query runner was already released/,
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
    if (NETWORK_REASONS[code]) return NETWORK_REASONS[code];
    if (code === '57P03') return 'the server is starting up or recovering';
    if (code === '53300') return 'too many connections';
    if (UNAVAILABLE_STATES.has(code) || code.startsWith('08')) return 'the server closed the connection';
    if (/timeout/.test(message) && UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(message))) return 'no answer in time';
    if (UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(message))) return 'connection lost';
  }
  return undefined;
}

/** True when the error says that PostgreSQL cannot be reached now, rather than that a statement failed. */
export function isDatabaseUnreachable(error: unknown): boolean {
  return unreachableReason(error) !== undefined;
}
