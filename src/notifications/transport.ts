// What the outbox's worker (worker.ts) asks of a mail transport, and how a transport says why
// a message did not go. Each transport (smtp-transport.ts, notify-transport.ts, and the
// development one in worker.ts) turns its provider's errors into a DeliveryError:
//
//   retryable  the provider was unreachable, busy, rate-limited or broken (5xx, 429, a dropped
//              connection, a timeout): tried again after a back-off, at least as long as any
//              Retry-After the provider gave
//   permanent  trying again cannot help (an address refused, a key rejected, a template that does
//              not fit): the message is marked failed with the reason, and information governance
//              may retry it by hand once the cause is fixed
//
// The reason is the portal's own words plus a code ("recipient address rejected (550)"), never
// the provider's text: a mail server's reply often quotes the address it refused.

/** One message as the worker hands it to a transport. */
export interface OutboundMessage {
  outboxId: string;
  recipient: string;
  subject: string;
  body: string;
  /** What the message is about (outbox.kind): Notify picks its template by it. */
  kind?: string;
  /** This claim's attempt number, from 1: above 1, an earlier attempt may have got through. */
  attempt?: number;
  /**
   * Stable for every attempt at this message (until it is retried by hand): the provider's
   * de-duplication key where it has one (Notify's reference), the SMTP Message-ID otherwise.
   * Carries no personal data.
   */
  reference?: string;
}

/** What a provider said when it took a message. */
export interface Accepted {
  provider: string;
  /** The provider's id for the message (Notify's notification id, the SMTP Message-ID). */
  providerMessageId?: string | null;
}

/**
 * Sends one message, resolving when the provider has accepted it and throwing (preferably a
 * DeliveryError) when not. Must give up well within the worker's lease (60 s by default).
 */
export type Transport = (message: OutboundMessage) => Promise<Accepted | void>;

/** What a provider says now about a message it accepted earlier. */
export type DeliveryStatus = { state: 'pending' } | { state: 'delivered' } | { state: 'failed'; reason: string };

/** Asks the provider what became of a message it accepted (Notify only: an SMTP relay cannot say). */
export type StatusCheck = (providerMessageId: string) => Promise<DeliveryStatus>;

export type FailureKind = 'retryable' | 'permanent';

export class DeliveryError extends Error {
  override name = 'DeliveryError';
  constructor(
    readonly kind: FailureKind,
    /** The portal's own words for the outbox and the Messages page: no personal data. */
    readonly reason: string,
    /** The provider asked us to wait this long (Retry-After), or we know it is worth waiting. */
    readonly retryAfterSeconds?: number,
    /** A code for the logs: an SMTP reply code, an HTTP status or a Node error code. */
    readonly code?: string | number,
  ) {
    super(reason);
  }
}

export const retryable = (reason: string, retryAfterSeconds?: number, code?: string | number) => new DeliveryError('retryable', reason, retryAfterSeconds, code);
export const permanent = (reason: string, code?: string | number) => new DeliveryError('permanent', reason, undefined, code);

/**
 * An error from anywhere as a DeliveryError. Anything unclassified is retryable and its reason
 * names only its type (an Error's message might hold an address).
 */
export function classified(error: unknown): DeliveryError {
  if (error instanceof DeliveryError) return error;
  const name = error instanceof Error ? error.name : typeof error;
  const code = (error as { code?: unknown } | null)?.code;
  const safeCode = typeof code === 'string' && /^[A-Z0-9_]{2,40}$/.test(code) ? code : undefined;
  return retryable(`unexpected error (${safeCode ?? name.replace(/[^\w]/g, '').slice(0, 40)})`, undefined, safeCode);
}

/** The longest wait a Retry-After may ask for: beyond it, the worker's own back-off takes over. */
const MAX_RETRY_AFTER_SECONDS = 3600;

/**
 * A Retry-After header's value in seconds: delta-seconds or an HTTP date (RFC 9110 §10.2.3),
 * at most an hour; undefined when absent or unreadable.
 */
export function retryAfterSeconds(header: unknown, now = Date.now()): number | undefined {
  if (typeof header !== 'string' || header.trim() === '') return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Math.min(Number(value), MAX_RETRY_AFTER_SECONDS);
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  return Math.min(Math.max(0, Math.ceil((at - now) / 1000)), MAX_RETRY_AFTER_SECONDS);
}

/** The part of an address the Messages page shows: the domain, never the mailbox. */
export function recipientDomain(recipient: string): string {
  const at = recipient.lastIndexOf('@');
  return at < 0 ? '' : recipient.slice(at + 1).toLowerCase();
}
