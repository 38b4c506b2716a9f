// Which errors mean "the database is away (or too slow) right now": the request may simply be
// tried again later, so the user gets the 503 "try again" page rather than the 500 page.
const CONNECTION_CODES = new Set([
  // postgres.js
  'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', 'CONNECT_TIMEOUT',
  // the socket
  'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN',
  // ours: the request's own time limit (src/server.ts)
  'REQUEST_TIMEOUT',
]);

// SQLSTATEs: admin_shutdown, crash_shutdown, cannot_connect_now, query_canceled (the statement
// timeout), too_many_connections, serialization_failure, deadlock_detected,
// idle_in_transaction_session_timeout, and class 08 (connection exception).
const RETRYABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '57014', '53300', '40001', '40P01', '25P03']);

export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (CONNECTION_CODES.has(code) || RETRYABLE_SQLSTATES.has(code) || /^08[0-9A-Z]{3}$/.test(code))) return true;
  // net.connect to several addresses fails with an AggregateError of the attempts.
  if (error instanceof AggregateError) return error.errors.some(isDatabaseUnavailable);
  return false;
}
