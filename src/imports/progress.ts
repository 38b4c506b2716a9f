// The command line's progress while an import reads its files. On a terminal: one line redrawn
// in place (a bar of the bytes read, and the records so far), at most ten times a second. When
// stderr is a file or a pipe (a scheduled job's log): a plain line at each tenth of the bytes
// (or each 10,000 records when the size is not known), so the log shows it is moving without
// thousands of redraws in it.
import type { ImportProgress } from './run.ts';

const BAR_WIDTH = 24;
const REDRAW_MS = 100;

export interface ProgressOutput {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface ProgressDisplay {
  update(progress: ImportProgress): void;
  /** Ends the display: the bar's line is finished, so what follows starts on its own line. */
  done(): void;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GB`;
}

const records = (n: number) => `${n.toLocaleString('en-GB')} ${n === 1 ? 'record' : 'records'}`;

/** The bar's text, without the carriage return: exported for its test. */
export function progressLine(progress: ImportProgress): string {
  const { bytesRead, bytesTotal } = progress;
  if (bytesTotal && bytesTotal > 0) {
    const fraction = Math.min(bytesRead / bytesTotal, 1);
    const filled = Math.round(fraction * BAR_WIDTH);
    return `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${String(Math.floor(fraction * 100)).padStart(3)} %  ${formatBytes(bytesRead)} of ${formatBytes(bytesTotal)}, ${records(progress.records)}`;
  }
  return `${formatBytes(bytesRead)} read, ${records(progress.records)}`;
}

export function createProgressDisplay(out: ProgressOutput): ProgressDisplay {
  if (out.isTTY) {
    let lastDraw = 0;
    let drawn = false;
    let latest: ImportProgress | undefined;
    const draw = () => {
      if (!latest) return;
      const line = progressLine(latest).slice(0, Math.max((out.columns ?? 80) - 1, 20));
      // \r back to the start, \x1b[K clears what a longer line left behind.
      out.write(`\r${line}\x1b[K`);
      drawn = true;
    };
    return {
      update(progress) {
        latest = progress;
        const now = Date.now();
        if (now - lastDraw < REDRAW_MS) return;
        lastDraw = now;
        draw();
      },
      done() {
        draw();
        if (drawn) out.write('\n');
      },
    };
  }
  let lastStep = -1;
  let latest: ImportProgress | undefined;
  return {
    update(progress) {
      latest = progress;
      const step = progress.bytesTotal && progress.bytesTotal > 0
        ? Math.floor((Math.min(progress.bytesRead / progress.bytesTotal, 1) * 100) / 10)
        : Math.floor(progress.records / 10_000);
      if (step <= lastStep) return;
      lastStep = step;
      out.write(`${progressLine(progress)}\n`);
    },
    done() {
      // Where it ended: the records are counted after their bytes, so this may repeat 100 %.
      if (latest) out.write(`${progressLine(latest)}\n`);
    },
  };
}
