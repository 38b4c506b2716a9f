// An open-loop (fixed-rate) load, run in the load process (bench/load-worker.ts): request i is
// due at start + i / rate whatever the server does, and its latency is measured from that due
// time, not from when it was actually sent. A server that stalls therefore shows the stall in
// every request that fell due meanwhile, instead of slowing the sender down and hiding it
// (coordinated omission). Bounded: at most `maxInFlight` requests at once (a request due while
// that many are outstanding is not sent and counts as an error), each gives up after
// `timeoutSeconds` (an error), and the whole run after `durationSeconds` plus that timeout.
import http from 'node:http';
import { scheduledAt } from './percentiles.ts';
import { bodies, type BodyParts } from './bodies.ts';

export interface OpenLoopSpec extends BodyParts {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  rate: number;
  durationSeconds: number;
  maxInFlight: number;
  timeoutSeconds: number;
  okStatus?: number;
}

export interface OpenLoopResult {
  scheduled: number;
  /** Successful responses' latencies from their due time, ms. */
  latenciesMs: number[];
  /** Failed statuses, network errors, time-outs and requests not sent because of the cap. */
  errors: number;
  overCap: number;
  timeouts: number;
  /** The answers that were not the target's success, by HTTP status. */
  failedStatuses: Record<string, number>;
  /** Requests that failed without an answer (a reset or refused connection), time-outs apart. */
  connectionErrors: number;
  /** Largest lag between a request's due time and its actual send, ms (the sender's own health). */
  maxSendLagMs: number;
  elapsedMs: number;
}

export function runOpenLoop(spec: OpenLoopSpec): Promise<OpenLoopResult> {
  const url = new URL(spec.url);
  if (url.hostname !== '127.0.0.1' && url.hostname !== 'localhost') throw new Error('open-loop load is for loopback only');
  // An idle kept-alive socket is closed by the server after its keep-alive time-out (Node's: 5 s),
  // and a request sent on it just then fails with ECONNRESET: a fault of the client, not of the
  // server. With a time-out of its own the agent honours the server's "Keep-Alive: timeout=5"
  // hint less a second, and drops idle sockets before the server does (without one, it ignores the hint).
  const agent = new http.Agent({ keepAlive: true, maxSockets: spec.maxInFlight, timeout: 60_000 });
  const nextBody = bodies(spec);
  const total = Math.round(spec.rate * spec.durationSeconds);
  const result: OpenLoopResult = { scheduled: total, latenciesMs: [], errors: 0, overCap: 0, timeouts: 0, failedStatuses: {}, connectionErrors: 0, maxSendLagMs: 0, elapsedMs: 0 };
  let inFlight = 0;
  let next = 0;
  let settled = 0;
  const start = performance.now();

  return new Promise((resolve) => {
    const finishOne = () => {
      settled++;
      if (settled === total) {
        result.elapsedMs = performance.now() - start;
        agent.destroy();
        resolve(result);
      }
    };
    const send = (dueAt: number) => {
      const body = nextBody();
      inFlight++;
      let done = false;
      const end = (ok: boolean, status?: number) => {
        if (done) return;
        done = true;
        inFlight--;
        if (!ok && status !== undefined) result.failedStatuses[status] = (result.failedStatuses[status] ?? 0) + 1;
        if (ok) result.latenciesMs.push(performance.now() - dueAt);
        else result.errors++;
        finishOne();
      };
      const request = http.request(url, {
        method: spec.method, agent,
        headers: body === undefined ? spec.headers : { ...spec.headers, 'Content-Length': Buffer.byteLength(body) },
      }, (response) => {
        response.resume();
        response.on('end', () => {
          const status = response.statusCode ?? 0;
          end((status >= 200 && status < 300) || status === spec.okStatus, status);
        });
        response.on('error', () => {
          if (!done) result.connectionErrors++;
          end(false);
        });
      });
      request.setTimeout(spec.timeoutSeconds * 1000, () => {
        result.timeouts++;
        request.destroy();
        end(false);
      });
      request.on('error', () => {
        if (!done) result.connectionErrors++;
        end(false);
      });
      request.end(body);
    };
    // Sends whatever is due, then sleeps until the next due time (timers are coarse: a request
    // sent a little late still counts its latency from its due time).
    const tick = () => {
      const now = performance.now();
      while (next < total && start + scheduledAt(next, spec.rate) <= now) {
        const dueAt = start + scheduledAt(next, spec.rate);
        next++;
        result.maxSendLagMs = Math.max(result.maxSendLagMs, now - dueAt);
        if (inFlight >= spec.maxInFlight) {
          result.overCap++;
          result.errors++;
          finishOne();
        } else {
          send(dueAt);
        }
      }
      if (next < total) setTimeout(tick, Math.max(0, start + scheduledAt(next, spec.rate) - performance.now()));
    };
    if (total === 0) resolve(result);
    else tick();
  });
}
