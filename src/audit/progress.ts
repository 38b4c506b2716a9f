// Progress of a long check on stderr (audit:verify --full): a bar redrawn in place when stderr is
// a terminal, otherwise a plain line now and then (a log file or a scheduler's capture), each
// with the rows done, the rate and an estimate of the time left.
export interface Progress {
  update(done: number): void;
  done(): void;
}

const PLAIN_EVERY_MS = 10_000;
const BAR_WIDTH = 30;

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return 'unknown';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/** One line of progress: how far, how fast, and about how long is left. */
export function progressLine(done: number, total: number, elapsedMs: number, bar: boolean): string {
  const fraction = total > 0 ? Math.min(1, done / total) : 1;
  const rate = elapsedMs > 0 ? done / (elapsedMs / 1000) : 0;
  const left = rate > 0 ? (total - done) / rate : Infinity;
  const figures = `${done.toLocaleString('en-GB')} of ${total.toLocaleString('en-GB')} rows (${Math.floor(fraction * 100)}%), ` +
    `${Math.round(rate).toLocaleString('en-GB')} rows/s, about ${duration(left)} left`;
  if (!bar) return `Checked ${figures}`;
  const filled = Math.round(fraction * BAR_WIDTH);
  return `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${figures}`;
}

export function progressReporter(
  total: number,
  stream: NodeJS.WriteStream,
  { now = () => performance.now(), everyMs = PLAIN_EVERY_MS }: { now?: () => number; everyMs?: number } = {},
): Progress {
  const started = now();
  const tty = Boolean(stream.isTTY);
  let lastPlain = started;
  let last = 0;
  return {
    update(done) {
      last = done;
      const at = now();
      if (tty) stream.write(`\r${progressLine(done, total, at - started, true)}\u001b[K`);
      else if (at - lastPlain >= everyMs) {
        lastPlain = at;
        stream.write(`${progressLine(done, total, at - started, false)}\n`);
      }
    },
    done() {
      const elapsed = now() - started;
      if (tty) stream.write(`\r${progressLine(last, total, elapsed, true)}\u001b[K\n`);
      else if (elapsed >= everyMs) stream.write(`${progressLine(last, total, elapsed, false)}\n`);
    },
  };
}
