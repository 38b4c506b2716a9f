// A background step repeated on a timer, as the access-log chain and the notification outbox
// need: the first run straight away (work left while no node was running is picked up at
// start), runs never overlap (the next is scheduled when one ends), the timer does not keep the
// process alive, and stop() waits for a run in progress. `run` must not throw: each caller logs
// its own failure and leaves the retry to the next tick.
export interface Repeating {
  /** Stops the timer, signals the run in progress (if any) and waits for it to finish. */
  stop(): Promise<void>;
}

export function repeatEvery(intervalMs: number, run: (signal: AbortSignal) => Promise<void>): Repeating {
  const stopping = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  function schedule(delayMs: number): void {
    if (stopping.signal.aborted) return;
    timer = setTimeout(() => {
      running = run(stopping.signal).finally(() => {
        running = undefined;
        schedule(intervalMs);
      });
    }, delayMs);
    timer.unref();
  }

  schedule(0);
  return {
    async stop() {
      stopping.abort();
      clearTimeout(timer);
      await running;
    },
  };
}
