// Writes case-system events as JSON lines (docs/case-system-export.md), for the CLI (./cli.ts).
// Reads in batches and waits for each batch's lines to be written before reading the next, so
// memory stays flat however many events there are.
import type { Sql } from '../db/connect.ts';
import { readEvents, sequenceEvents } from './events.ts';

export interface ExportResult {
  count: number;
  /** The last event written, to resume after; null when there was none. */
  last: { id: string; sequence: number } | null;
}

/**
 * Numbers what has committed, then writes every event after position `after` up to the last
 * one numbered now, one JSON object per line, through `write` (which resolves once the line is
 * taken, e.g. after a stream's 'drain').
 */
export async function exportEvents(
  sql: Sql,
  { after, write, batchSize = 500 }: { after: number; write: (chunk: string) => Promise<void>; batchSize?: number },
): Promise<ExportResult> {
  const upTo = await sequenceEvents(sql);
  let position = after;
  let count = 0;
  let last: ExportResult['last'] = null;
  for (;;) {
    const events = await readEvents(sql, position, upTo, batchSize);
    if (events.length === 0) break;
    await write(events.map((event) => `${JSON.stringify(event)}\n`).join(''));
    const end = events[events.length - 1]!;
    position = end.sequence;
    count += events.length;
    last = { id: end.id, sequence: end.sequence };
    if (events.length < batchSize) break;
  }
  return { count, last };
}
