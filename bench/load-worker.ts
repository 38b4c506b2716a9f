// Runs autocannon against a target, in its own process (started by load.ts) so the load
// generator does not share the server's event loop. Latency and throughput are taken from every
// response (autocannon's own latency histogram rounds to whole milliseconds).
import autocannon from 'autocannon';
import type { LoadResult, LoadSpec } from './load.ts';
import { bodies } from './bodies.ts';
import { runOpenLoop, type OpenLoopSpec } from './open-loop.ts';

interface Fired {
  result: autocannon.Result;
  responses: number;
  failed: number;
  latenciesMs: number[];
  elapsedMs: number;
  capped: boolean;
}

function fire(spec: LoadSpec, amount: number): Promise<Fired> {
  return new Promise((resolve, reject) => {
    const latenciesMs: number[] = [];
    let responses = 0;
    let failed = 0;
    // A new idempotency key in every request, so each POST makes a new record (./bodies.ts).
    const nextBody = bodies(spec);
    const fresh: Partial<autocannon.Options> = spec.freshKey || spec.rotate
      ? { requests: [{ setupRequest: (request) => ({ ...request, body: nextBody() }) }] }
      : {};
    let capped = false;
    const started = performance.now();
    let lastResponse = started;
    const instance = autocannon(
      {
        url: spec.url,
        method: spec.method,
        headers: spec.headers,
        ...(spec.body === undefined ? {} : { body: spec.body }),
        connections: Math.min(spec.connections, amount),
        amount,
        timeout: spec.timeoutSeconds,
        // autocannon notices it is done only at a sample tick: tick often, so no run idles
        // for most of a second at the end (req/s here is measured to the last response anyway).
        sampleInt: 100,
        ...fresh,
      },
      (error, result) => {
        clearTimeout(cap);
        if (error) reject(error);
        else resolve({ result, responses, failed, latenciesMs, elapsedMs: lastResponse - started, capped });
      },
    );
    instance.on('response', (_client, statusCode, _bytes, responseTimeMs) => {
      lastResponse = performance.now();
      responses++;
      const status = Number(statusCode);
      if ((status >= 200 && status < 300) || status === spec.okStatus) latenciesMs.push(responseTimeMs);
      else failed++;
    });
    // With `amount` set autocannon ignores `duration`, so the time bound is ours.
    const cap = setTimeout(() => {
      capped = true;
      instance.stop();
    }, spec.capSeconds * 1000);
  });
}

async function answer(spec: LoadSpec): Promise<LoadResult> {
  const measured = await fire(spec, spec.amount);
  return {
    responses: measured.responses,
    elapsedMs: measured.elapsedMs,
    latenciesMs: measured.latenciesMs,
    capped: measured.capped,
    errors: measured.result.errors,
    timeouts: measured.result.timeouts,
    failed: measured.failed,
    statusCodes: Object.fromEntries(Object.entries(measured.result.statusCodeStats).map(([code, { count }]) => [code, count])),
  };
}

// One run at a time, on request, until the parent disconnects: closed-loop (autocannon) or,
// for a spec with a rate, open-loop (./open-loop.ts).
process.on('message', (spec) => {
  const run: Promise<unknown> = 'rate' in (spec as object) ? runOpenLoop(spec as OpenLoopSpec) : answer(spec as LoadSpec);
  run.then(
    (result) => process.send!({ ok: true, result }),
    (error: unknown) => process.send!({ ok: false, error: (error as Error).stack ?? String(error) }),
  );
});
