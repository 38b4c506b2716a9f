// Loads targets over loopback (autocannon, in a child process) and summarises the responses.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { OpenLoopResult, OpenLoopSpec } from './open-loop.ts';
import { percentile } from './percentiles.ts';
import type { BodyParts } from './bodies.ts';

/** A target under closed-loop load; its body, fresh key and rotating placeholder as ./bodies.ts fills them. */
export interface LoadSpec extends BodyParts {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  connections: number;
  /** Requests in all. */
  amount: number;
  /** The run stops after this many seconds even if `amount` is not reached. */
  capSeconds: number;
  /** Seconds before one request counts as timed out. */
  timeoutSeconds: number;
  /** A status that counts as success besides 2xx: 303 for a form POST that redirects. */
  okStatus?: number;
}

export interface LoadResult {
  responses: number;
  elapsedMs: number;
  /** Successful responses only (2xx, or the spec's okStatus). */
  latenciesMs: number[];
  capped: boolean;
  errors: number;
  timeouts: number;
  /** Responses that were not successful. */
  failed: number;
  statusCodes: Record<string, number>;
}

export interface Summary {
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  seconds: number;
  capped: boolean;
}

type Reply = { ok: true; result: unknown } | { ok: false; error: string };

/** A process running autocannon, one run at a time. */
export class LoadGenerator {
  // A process, not a worker thread: tsx's --import does not reach worker threads on Node 20.
  private readonly child = fork(fileURLToPath(new URL('./load-worker.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  private readonly exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));

  run(spec: LoadSpec): Promise<LoadResult> {
    return this.ask(spec);
  }

  /** A fixed-rate run (bench/open-loop.ts). */
  runOpenLoop(spec: OpenLoopSpec): Promise<OpenLoopResult> {
    return this.ask(spec);
  }

  private ask<T>(spec: LoadSpec | OpenLoopSpec): Promise<T> {
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null, signal: string | null) => reject(new Error(`load process exited with ${signal ?? code}`));
      this.child.once('exit', onExit);
      this.child.once('message', (reply) => {
        this.child.off('exit', onExit);
        const answer = reply as Reply;
        if (answer.ok) resolve(answer.result as T);
        else reject(new Error(`load process: ${answer.error}`));
      });
      this.child.send(spec);
    });
  }

  async close(): Promise<void> {
    if (this.child.connected) this.child.disconnect();
    const timer = setTimeout(() => this.child.kill(), 5000);
    await this.exited;
    clearTimeout(timer);
  }
}

/** The runs of one target, taken together. */
export function combine(results: LoadResult[]): LoadResult {
  const statusCodes: Record<string, number> = {};
  for (const result of results) for (const [code, count] of Object.entries(result.statusCodes)) statusCodes[code] = (statusCodes[code] ?? 0) + count;
  return {
    responses: results.reduce((sum, r) => sum + r.responses, 0),
    elapsedMs: results.reduce((sum, r) => sum + r.elapsedMs, 0),
    latenciesMs: results.flatMap((r) => r.latenciesMs),
    capped: results.some((r) => r.capped),
    errors: results.reduce((sum, r) => sum + r.errors, 0),
    timeouts: results.reduce((sum, r) => sum + r.timeouts, 0),
    failed: results.reduce((sum, r) => sum + r.failed, 0),
    statusCodes,
  };
}

export class LoadFailure extends Error {
  override name = 'LoadFailure';
}

/** A benchmark of error pages is worthless: any error, timeout or unsuccessful status fails the run. */
export function summarise(name: string, result: LoadResult): Summary {
  if (result.errors > 0 || result.timeouts > 0 || result.failed > 0 || result.latenciesMs.length === 0) {
    throw new LoadFailure(
      `${name}: ${result.errors} errors, ${result.timeouts} timeouts, ${result.failed} unsuccessful responses ` +
        `(status codes ${JSON.stringify(result.statusCodes)}) out of ${result.responses}`,
    );
  }
  const sorted = [...result.latenciesMs].sort((a, b) => a - b);
  return {
    requests: result.responses,
    requestsPerSecond: result.responses / (result.elapsedMs / 1000),
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    seconds: result.elapsedMs / 1000,
    capped: result.capped,
  };
}
