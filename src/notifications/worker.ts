// Delivers the notification outbox (migrations/006_outbox.sql), at least once.
//
// A worker claims a batch of due messages in one short statement (FOR UPDATE SKIP LOCKED, so
// workers on several app nodes never claim the same row at once) by giving each a lease
// (locked_until) and counting the attempt, and COMMITS the claim before sending anything. Then,
// one message at a time, it calls the transport and marks the message sent (delivered_at). If the
// transport fails, transport.ts's classification decides: a retryable failure (a 5xx, a 429, a
// dropped connection) is tried again after a back-off, at least as long as the provider's
// Retry-After; a permanent one (an address refused, a key rejected) is marked failed with its
// reason at once, as is a message whose attempts have run out. If the worker crashes between
// sending and marking, the lease runs out and a worker sends the message again: transports are
// idempotent where their provider allows (the development transport: sent_messages.outbox_id is
// UNIQUE; Notify: the message's reference is looked up before a second attempt; SMTP: the same
// Message-ID), and must give up well within the lease, or a slow send may be repeated.
//
// Where the provider can say whether a message arrived (Notify), the worker also asks about
// messages sent in the last week and records "delivered" or the failure (checkStatuses).
import { repeatEvery, type Repeating } from '../background/repeat.ts';
import type { Sql } from '../db/connect.ts';
import { errorFields, type Logger } from '../log.ts';
import { classified, type StatusCheck, type Transport } from './transport.ts';

export type { Transport } from './transport.ts';

/**
 * Development "mail": records the message in sent_messages, shown on the development "sent
 * messages" page. Idempotent: the same outbox row delivered again inserts nothing.
 */
export function developmentTransport(sql: Sql): Transport {
  return async ({ outboxId, recipient, subject, body }) => {
    await sql`
      insert into sent_messages (outbox_id, recipient, subject, body)
      values (${outboxId}::bigint, ${recipient}, ${subject}, ${body})
      on conflict (outbox_id) do nothing`;
    return { provider: 'development', providerMessageId: null };
  };
}

/** The default back-off after the nth failed attempt: 2, 4, 8 … seconds, at most an hour. */
export function defaultRetryDelaySeconds(attempts: number): number {
  return Math.min(2 ** attempts, 3600);
}

export interface DeliveryOptions {
  /** Most messages claimed at once. */
  batchSize?: number;
  /** How long a claim lasts: after that, a worker that crashed mid-delivery has lost it. */
  leaseSeconds?: number;
  /** Attempts (claims, including those of workers that crashed) before a message is given up. */
  maxAttempts?: number;
  /** Seconds to wait before the next attempt after the nth failed one (a Retry-After may ask for longer). */
  retryDelaySeconds?: (attempts: number) => number;
  /** Failures are logged here: outbox id, kind and attempts only, never the text or recipient. */
  log?: Logger;
  /** When aborted, messages claimed but not yet sent are released for any worker at once. */
  signal?: AbortSignal;
}

interface ClaimedMessage {
  id: string;
  kind: string;
  recipient: string;
  subject: string;
  body: string;
  attempts: number;
  retriesByHand: number;
}

/** The reference a provider is given: the same at every attempt, new after a retry by hand; nothing personal. */
export const messageReference = (id: string, retriesByHand: number) => (retriesByHand > 0 ? `spp-outbox-${id}-r${retriesByHand}` : `spp-outbox-${id}`);

interface BatchResult {
  claimed: number;
  delivered: number;
}

async function deliverBatch(
  sql: Sql,
  transport: Transport,
  {
    batchSize = 20,
    leaseSeconds = 60,
    maxAttempts = 10,
    retryDelaySeconds = defaultRetryDelaySeconds,
    log,
    signal,
  }: DeliveryOptions,
): Promise<BatchResult> {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError('batchSize must be a whole number from 1');
  if (!(leaseSeconds > 0)) throw new RangeError('leaseSeconds must be more than 0');
  if (signal?.aborted) return { claimed: 0, delivered: 0 };

  // A message whose last attempt never finished (its worker crashed) has no attempts left and
  // no worker will claim it again: it has failed.
  await sql`
    update outbox
    set failed_at = now(), failure_reason = ${`no attempts left after ${maxAttempts}: the last attempt did not finish`}
    where delivered_at is null and failed_at is null and attempts >= ${maxAttempts}
      and (locked_until is null or locked_until < now())`;

  // One statement, so one short transaction, committed before anything is sent. A row another
  // worker is claiming right now is skipped, not waited for; one it claimed earlier has a lease
  // in the future and is not due.
  const claimedAt = performance.now();
  const claimed = await sql<ClaimedMessage[]>`
    with due as materialized (
      select id from outbox
      where delivered_at is null
        and failed_at is null
        and available_at <= now()
        and (locked_until is null or locked_until < now())
        and attempts < ${maxAttempts}
      order by id
      limit ${batchSize}
      for update skip locked
    )
    update outbox o
    set locked_until = now() + ${leaseSeconds}::float8 * interval '1 second',
        attempts = o.attempts + 1
    from due
    where o.id = due.id
    returning o.id::text as id, o.kind, o.recipient, o.subject, o.body, o.attempts, o.retries_by_hand as "retriesByHand"`;
  claimed.sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));

  let delivered = 0;
  for (const [index, message] of claimed.entries()) {
    // Stopping, or the lease half gone (a slow transport): hand the rest back rather than risk
    // sending a message whose lease another worker may take over meanwhile.
    if (signal?.aborted || performance.now() - claimedAt > (leaseSeconds * 1000) / 2) {
      await release(sql, claimed.slice(index));
      break;
    }
    let accepted;
    try {
      accepted = await transport({
        outboxId: message.id, kind: message.kind, recipient: message.recipient, subject: message.subject, body: message.body,
        attempt: message.attempts, reference: messageReference(message.id, message.retriesByHand),
      });
    } catch (error) {
      await recordFailure(sql, message, error, { maxAttempts, retryDelaySeconds, log });
      continue;
    }
    // If this fails (or the process dies first) the lease runs out and the message is sent
    // again: at least once. last_error is kept as the record of earlier failures.
    await sql`
      update outbox
      set delivered_at = now(), locked_until = null,
          provider = ${accepted?.provider ?? null}, provider_message_id = ${accepted?.providerMessageId ?? null}
      where id = ${message.id}::bigint and delivered_at is null and failed_at is null`;
    delivered += 1;
  }
  return { claimed: claimed.length, delivered };
}

/**
 * Every update after the claim is fenced by `attempts`, which each claim increments: a worker
 * whose lease ran out, and whose message another worker has claimed since, changes nothing.
 * What is stored is the classified reason (transport.ts), never the provider's text.
 */
async function recordFailure(
  sql: Sql,
  message: ClaimedMessage,
  error: unknown,
  { maxAttempts, retryDelaySeconds, log }: { maxAttempts: number; retryDelaySeconds: (attempts: number) => number; log: Logger | undefined },
): Promise<void> {
  const failure = classified(error);
  const fields = { outboxId: message.id, kind: message.kind, attempts: message.attempts, failure: failure.kind, code: failure.code };
  const lastAttempt = message.attempts >= maxAttempts;
  if (failure.kind === 'permanent' || lastAttempt) {
    const reason = failure.kind === 'permanent' ? failure.reason : `no attempts left after ${message.attempts}: ${failure.reason}`;
    await sql`
      update outbox
      set last_error = ${failure.reason}, failed_at = now(), failure_reason = ${reason}, locked_until = null
      where id = ${message.id}::bigint and attempts = ${message.attempts} and delivered_at is null`;
    log?.error(failure.kind === 'permanent' ? 'notification failed permanently; not retried' : 'notification not delivered; no attempts left', fields);
    return;
  }
  // The longer of our back-off and the provider's Retry-After (a 429's or a 503's).
  const delay = Math.max(0, retryDelaySeconds(message.attempts), failure.retryAfterSeconds ?? 0);
  await sql`
    update outbox
    set last_error = ${failure.reason}, locked_until = null,
        available_at = now() + ${delay}::float8 * interval '1 second'
    where id = ${message.id}::bigint and attempts = ${message.attempts} and delivered_at is null`;
  log?.warn('notification delivery failed; will retry', { ...fields, retryInSeconds: delay });
}

/** Gives claimed, unsent messages back: no lease, and the claim does not count as an attempt. */
async function release(sql: Sql, messages: ClaimedMessage[]): Promise<void> {
  for (const message of messages) {
    await sql`
      update outbox set locked_until = null, attempts = attempts - 1
      where id = ${message.id}::bigint and attempts = ${message.attempts} and delivered_at is null`;
  }
}

/**
 * Claims up to batchSize due messages, sends each through the transport and marks it delivered;
 * a failed send is retried after a back-off (2^attempts seconds, at most an hour), until
 * maxAttempts. Returns how many were delivered. Safe to run on several workers at once.
 */
export async function deliverDue(sql: Sql, transport: Transport, options: DeliveryOptions = {}): Promise<number> {
  return (await deliverBatch(sql, transport, options)).delivered;
}

/** stop() waits for a run in progress, which hands back what it has not sent. */
export type NotificationWorker = Repeating;

export interface NotificationWorkerOptions extends Omit<DeliveryOptions, 'log' | 'signal'> {
  intervalMs?: number;
  /** Where the provider can say whether a sent message arrived (Notify): asked about each sent message. */
  statusCheck?: { provider: string; check: StatusCheck };
}

/**
 * Delivers due messages every intervalMs (../background/repeat.ts), in batches until none is
 * left; failures are logged, never thrown, and the next tick tries again.
 */
export function startNotificationWorker(
  sql: Sql,
  log: Logger,
  transport: Transport,
  { intervalMs = 1000, statusCheck, ...deliveryOptions }: NotificationWorkerOptions = {},
): NotificationWorker {
  const batchSize = deliveryOptions.batchSize ?? 20;

  async function drain(signal: AbortSignal): Promise<void> {
    try {
      let delivered = 0;
      while (!signal.aborted) {
        const batch = await deliverBatch(sql, transport, { ...deliveryOptions, log, signal });
        delivered += batch.delivered;
        if (batch.claimed < batchSize) break;
      }
      if (delivered > 0) log.debug('notifications delivered', { delivered });
      if (statusCheck && !signal.aborted) await checkStatuses(sql, statusCheck.provider, statusCheck.check, { log });
    } catch (error) {
      log.warn('notification delivery run failed; will retry', errorFields(error));
    }
  }

  return repeatEvery(intervalMs, drain);
}

export interface StatusCheckOptions {
  /** Most messages asked about in one pass. */
  batchSize?: number;
  /** A message is asked about at most this often. */
  everySeconds?: number;
  /** Messages sent longer ago than this are no longer asked about (Notify keeps 7 days). */
  forDays?: number;
  log?: Logger;
}

/**
 * Asks the provider about messages it accepted and has not yet confirmed, and records what it
 * says: delivered, or failed with the classified reason. Returns how many changed.
 */
export async function checkStatuses(
  sql: Sql,
  provider: string,
  check: StatusCheck,
  { batchSize = 20, everySeconds = 60, forDays = 7, log }: StatusCheckOptions = {},
): Promise<number> {
  // Claimed like a delivery: status_checked_at moves first, so two workers do not ask at once.
  const due = await sql<{ id: string; providerMessageId: string }[]>`
    with due as materialized (
      select id from outbox
      where provider = ${provider} and delivered_at is not null and confirmed_at is null and failed_at is null
        and provider_message_id is not null
        and delivered_at > now() - ${forDays}::float8 * interval '1 day'
        and (status_checked_at is null or status_checked_at < now() - ${everySeconds}::float8 * interval '1 second')
      order by delivered_at
      limit ${batchSize}
      for update skip locked
    )
    update outbox o set status_checked_at = now() from due where o.id = due.id
    returning o.id::text as id, o.provider_message_id as "providerMessageId"`;
  let changed = 0;
  for (const message of due) {
    let status;
    try {
      status = await check(message.providerMessageId);
    } catch (error) {
      log?.warn('notification status check failed; will ask again', { outboxId: message.id, failure: classified(error).kind, code: classified(error).code });
      continue;
    }
    if (status.state === 'delivered') {
      await sql`update outbox set confirmed_at = now() where id = ${message.id}::bigint and failed_at is null and confirmed_at is null`;
      changed += 1;
    } else if (status.state === 'failed') {
      await sql`
        update outbox set failed_at = now(), failure_reason = ${status.reason}, last_error = ${status.reason}
        where id = ${message.id}::bigint and failed_at is null and confirmed_at is null`;
      log?.error('notification not delivered, the provider says', { outboxId: message.id });
      changed += 1;
    }
  }
  return changed;
}

export interface SentMessage {
  id: string;
  outboxId: string;
  recipient: string;
  subject: string;
  body: string;
  sentAt: Date;
}

/** What the development transport has "sent", newest first: for the development "sent messages" page. */
export async function sentMessages(sql: Sql, limit = 50): Promise<SentMessage[]> {
  return sql<SentMessage[]>`
    select id::text as id, outbox_id::text as "outboxId", recipient, subject, body, sent_at as "sentAt"
    from sent_messages
    order by id desc
    limit ${limit}`;
}
