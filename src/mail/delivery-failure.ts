/** How a failed attempt is handled: try again later, or stop with the reason. */
export interface DeliveryFailure {
  permanent: boolean;
  reason: string;
  /** The server's reply, when there was one. */
  response: string | null;
}

/** Attempts before a message that keeps failing temporarily is given up. */
export const MAX_ATTEMPTS = 10;
const FIRST_RETRY_SECONDS = 60;
const LONGEST_RETRY_SECONDS = 2 * 60 * 60;

interface NodemailerError {
  message?: string;
  code?: string;
  responseCode?: number;
  response?: string;
}

/**
 * RFC 5321: a 5yz reply is a permanent refusal, a 4yz one transient. Errors without a reply
 * (timeouts, lost or refused connections, TLS, DNS) are transient: the server may come back.
 * A message or envelope nodemailer refuses to build (an invalid address) fails for good.
 */
export function classifyFailure(error: unknown): DeliveryFailure {
  const e = (error ?? {}) as NodemailerError;
  const reason = `${e.code ? `${e.code}: ` : ''}${e.message ?? String(error)}`;
  const response = typeof e.response === 'string' ? e.response : null;
  if (typeof e.responseCode === 'number') {
    // 503 is a bad command sequence on that connection, not a refusal of the message.
    const permanent = e.responseCode >= 500 && e.responseCode < 600 && e.responseCode !== 503;
    return { permanent, reason, response };
  }
  const permanent = e.code === 'EENVELOPE' || e.code === 'EMESSAGE';
  return { permanent, reason, response };
}

/** Seconds to wait before attempt `attempts + 1`: 1, 2, 4, 8 … minutes, at most two hours. */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(LONGEST_RETRY_SECONDS, FIRST_RETRY_SECONDS * 2 ** Math.max(0, attempts - 1));
}
