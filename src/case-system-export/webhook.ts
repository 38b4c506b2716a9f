// Delivers case-system events to the council's webhook (CASE_SYSTEM_WEBHOOK_URL), signed with
// CASE_SYSTEM_WEBHOOK_SECRET, in the log's order (docs/case-system-export.md).
//
// Why a cursor and not a row per message as in the e-mail outbox: the case system must get a
// concern's events in order (received before its decision), and a receiver that is down should
// hold everything back rather than take later events first. So there is one cursor,
// case_system_consumers 'webhook': the next event to send is the first after last_position.
//
//   2xx                        delivered: recorded, the cursor moves on
//   4xx but 408 and 429, 3xx   failed for good: recorded with its reason, counted on /metrics,
//                              logged (position and status only); the cursor moves on
//   5xx, 408, 429, no answer   retried after 2, 4, 8 … seconds (at most an hour, longer if the
//                              receiver's Retry-After asks), for as long as it takes; later
//                              events wait (the metrics' oldest age shows how long)
//
// One process at a time holds the cursor (a lease on its row, like the outbox's: a process that
// dies loses it when the lease ends), so several app nodes never send the same event at once,
// and every update after the claim is fenced by the lease it took. Between a 2xx and recording
// it a crash means the event is sent again after the restart: the receiver removes duplicates by
// X-Portal-Event-Id. In every other case each event is sent until it is delivered, once.
import { createHmac } from 'node:crypto';
import { repeatEvery, type Repeating } from '../background/repeat.ts';
import type { Sql } from '../db/connect.ts';
import { errorFields, type Logger } from '../log.ts';
import { defaultRetryDelaySeconds } from '../notifications/worker.ts';
import { classified, permanent, retryable, retryAfterSeconds } from '../notifications/transport.ts';
import { readEvents, sequenceEvents } from './events.ts';
import type { CaseSystemEvent } from './format.ts';

export interface WebhookSettings {
  url: string;
  secret: string;
  /** Longest wait for an answer (default 10 s): well within the lease. */
  timeoutMs?: number;
  /** How long a claim of the cursor lasts without progress (default 60 s). */
  leaseSeconds?: number;
  /** Events read at once (default 50). */
  batchSize?: number;
  /** Seconds before the next attempt after the nth failed one (a Retry-After may ask for longer). */
  retryDelaySeconds?: (attempts: number) => number;
  log?: Logger;
  signal?: AbortSignal;
}

/** `sha256=` and the hex HMAC-SHA256, keyed by the secret, of `<timestamp>.<body>`. */
export function signature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * Posts one event. Resolves with the status on a 2xx; throws a classified DeliveryError
 * otherwise. Redirects are not followed: the body would go to an address nobody configured.
 */
export async function postEvent(event: CaseSystemEvent, { url, secret, timeoutMs = 10_000 }: Pick<WebhookSettings, 'url' | 'secret' | 'timeoutMs'>): Promise<number> {
  const body = JSON.stringify(event);
  const timestamp = String(Math.floor(Date.now() / 1000));
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': 'safeguarding-partner-portal',
        'X-Portal-Event-Id': event.id,
        'X-Portal-Event-Type': event.type,
        'X-Portal-Timestamp': timestamp,
        'X-Portal-Signature': signature(secret, timestamp, body),
      },
      body,
    });
  } catch (error) {
    const name = (error as Error | undefined)?.name;
    if (name === 'TimeoutError' || name === 'AbortError') throw retryable(`no answer within ${timeoutMs / 1000} s`, undefined, 'TIMEOUT');
    // fetch's own error names only "fetch failed"; the cause says why (ECONNREFUSED, ENOTFOUND …).
    const code = (error as { cause?: { code?: unknown } } | undefined)?.cause?.code;
    const safe = typeof code === 'string' && /^[A-Z0-9_]{2,40}$/.test(code) ? code : 'network error';
    throw retryable(`receiver unreachable (${safe})`, undefined, safe);
  }
  // The receiver's answer is read to its end (up to 64 KiB), so the connection can be used again,
  // and thrown away: it could quote what it was sent.
  await discard(response.body);
  const { status } = response;
  if (status >= 200 && status < 300) return status;
  if (status === 408 || status === 429 || status >= 500) {
    throw retryable(`receiver answered ${status}`, retryAfterSeconds(response.headers.get('retry-after') ?? undefined), status);
  }
  if (status >= 300 && status < 400) throw permanent(`receiver redirected (${status}); redirects are not followed`, status);
  throw permanent(`receiver refused the event (${status})`, status);
}

async function discard(body: ReadableStream<Uint8Array> | null): Promise<void> {
  if (!body) return;
  const reader = body.getReader();
  let read = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      read += value.byteLength;
      if (read > 64 * 1024) break;
    }
    await reader.cancel();
  } catch {
    // A receiver that drops the connection after its status: the status is what counts.
  }
}

interface Claim {
  lease: string;
  lastPosition: number;
  attempts: number;
}

async function claim(sql: Sql, leaseSeconds: number): Promise<Claim | undefined> {
  const [row] = await sql<{ lease: string; last: string; attempts: number }[]>`
    update case_system_consumers
    set lease = gen_random_uuid(), locked_until = now() + ${leaseSeconds}::float8 * interval '1 second',
        active_since = coalesce(active_since, now()), updated_at = now()
    where name = 'webhook' and available_at <= now() and (locked_until is null or locked_until < now())
    returning lease, last_position::text as last, attempts`;
  return row && { lease: row.lease, lastPosition: Number(row.last), attempts: row.attempts };
}

/**
 * Records the end of one event (delivered or failed for good) and moves the cursor past it, if
 * this process still holds the lease; false when it does not (it must stop).
 */
async function finish(sql: Sql, held: Claim, position: number, leaseSeconds: number, outcome: { status: number | null; attempts: number; failure?: string }): Promise<boolean> {
  return sql.begin(async (tx) => {
    // Not waiting for the disk: a crash may forget the last few deliveries, which are then sent
    // again and removed as duplicates by the receiver (X-Portal-Event-Id); a backlog goes several
    // times faster. Nothing is lost: the event itself was committed long before.
    await tx`set local synchronous_commit = off`;
    const moved = await tx`
      update case_system_consumers
      set last_position = ${position}, attempts = 0, last_error = null, updated_at = now(),
          locked_until = now() + ${leaseSeconds}::float8 * interval '1 second'
      where name = 'webhook' and lease = ${held.lease}`;
    if (moved.count === 0) return false;
    const row = outcome.failure
      ? { position, attempts: outcome.attempts, status: outcome.status, failed_at: new Date(), failure_reason: outcome.failure }
      : { position, attempts: outcome.attempts, status: outcome.status, delivered_at: new Date() };
    await tx`insert into case_system_deliveries ${tx(row)} on conflict (position) do nothing`;
    return true;
  });
}

export interface DeliveryRun {
  delivered: number;
  failed: number;
  /** The event at the cursor failed and waits for its next attempt. */
  retrying: boolean;
}

/**
 * Numbers new events, claims the cursor (if it is free and not backing off) and delivers events
 * in order until none is left, one must wait for a retry, or the process is stopping.
 */
export async function deliverEvents(sql: Sql, settings: WebhookSettings): Promise<DeliveryRun> {
  const { leaseSeconds = 60, batchSize = 50, retryDelaySeconds = defaultRetryDelaySeconds, log, signal } = settings;
  const run: DeliveryRun = { delivered: 0, failed: 0, retrying: false };
  if (signal?.aborted) return run;
  const upTo = await sequenceEvents(sql);
  const held = await claim(sql, leaseSeconds);
  if (!held) return run;
  let position = held.lastPosition;
  let attempts = held.attempts;
  let holding = true;
  try {
    while (holding && !signal?.aborted) {
      const events = await readEvents(sql, position, upTo, batchSize);
      if (events.length === 0) break;
      for (const event of events) {
        if (signal?.aborted) break;
        attempts += 1;
        try {
          const status = await postEvent(event, settings);
          holding = await finish(sql, held, event.sequence, leaseSeconds, { status, attempts });
          if (holding) run.delivered += 1;
        } catch (error) {
          const failure = classified(error);
          const fields = { sequence: event.sequence, attempts, failure: failure.kind, code: failure.code };
          if (failure.kind === 'permanent') {
            holding = await finish(sql, held, event.sequence, leaseSeconds, { status: typeof failure.code === 'number' ? failure.code : null, attempts, failure: failure.reason });
            if (holding) {
              run.failed += 1;
              log?.error('case-system event refused by the receiver; not retried', fields);
            }
          } else {
            const delay = Math.max(0, retryDelaySeconds(attempts), failure.retryAfterSeconds ?? 0);
            await sql`
              update case_system_consumers
              set attempts = ${attempts}, last_error = ${failure.reason}, updated_at = now(),
                  available_at = now() + ${delay}::float8 * interval '1 second'
              where name = 'webhook' and lease = ${held.lease}`;
            log?.warn('case-system event not delivered; will retry', { ...fields, retryInSeconds: delay });
            run.retrying = true;
            holding = false;
          }
        }
        if (!holding) break;
        position = event.sequence;
        attempts = 0;
      }
      if (events.length < batchSize) break;
    }
  } finally {
    // Hands the cursor back at once (another process may take it on its next tick).
    await sql`update case_system_consumers set lease = null, locked_until = null where name = 'webhook' and lease = ${held.lease}`;
  }
  return run;
}

/**
 * Delivers every intervalMs (../background/repeat.ts); failures are logged (their kind, never
 * a value) and the next tick tries again.
 */
export function startCaseSystemWebhook(sql: Sql, log: Logger, settings: Omit<WebhookSettings, 'log' | 'signal'> & { intervalMs?: number }): Repeating {
  const { intervalMs = 1000, ...rest } = settings;
  return repeatEvery(intervalMs, async (signal) => {
    try {
      const run = await deliverEvents(sql, { ...rest, log, signal });
      if (run.delivered > 0 || run.failed > 0) log.debug('case-system events sent', { delivered: run.delivered, failed: run.failed });
    } catch (error) {
      log.warn('case-system delivery run failed; will retry', errorFields(error));
    }
  });
}
