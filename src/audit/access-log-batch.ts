// Group commit for the access log. Every look at a child writes a row before anything is shown
// (DESIGN.md §5), and one INSERT with its own commit costs more than the look's own query: the
// commit waits for the write-ahead log to reach the disk. So the looks that arrive while one
// INSERT is on its way go together in the next: under load, N looks cost one statement and one
// flush instead of N; when the portal is quiet, each goes at once, alone (nothing waits on a
// timer). A look still waits for its own row to be committed before its page is made: batching
// changes which rows share a commit, never whether a row is written first.
//
// All rows of a batch are written or none. Where a batch fails, its rows are written again one
// by one, so a row PostgreSQL refuses fails only its own look, and a database that has gone
// fails each look as a single INSERT would.
import type { Sql } from '../db/connect.ts';
import { recordAccess, recordAccesses, type AccessEntry } from './access-log.ts';

/** Writes access-log rows; `record` settles once the row is committed (or could not be). */
export interface AccessLogWriter {
  record(entry: AccessEntry): Promise<void>;
}

interface Waiting {
  entry: AccessEntry;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** The most rows in one INSERT: 12 parameters a row, far below PostgreSQL's 65,535. */
export const MAX_BATCH = 100;

export function batchedAccessLog(sql: Sql, { maxBatch = MAX_BATCH }: { maxBatch?: number } = {}): AccessLogWriter {
  let waiting: Waiting[] = [];
  let writing = false;

  async function writeOne(item: Waiting): Promise<void> {
    try {
      await recordAccess(sql, item.entry);
      item.resolve();
    } catch (error) {
      item.reject(error);
    }
  }

  async function write(batch: Waiting[]): Promise<void> {
    if (batch.length === 1) return writeOne(batch[0]!);
    try {
      await recordAccesses(sql, batch.map((item) => item.entry));
      for (const item of batch) item.resolve();
    } catch {
      // The batch wrote nothing: each row again on its own, to its own outcome.
      await Promise.all(batch.map(writeOne));
    }
  }

  // One batch on its way at a time: whatever arrives meanwhile is the next batch.
  async function drain(): Promise<void> {
    writing = true;
    try {
      while (waiting.length) {
        const batch = waiting.slice(0, maxBatch);
        waiting = waiting.slice(batch.length);
        await write(batch);
      }
    } finally {
      writing = false;
    }
  }

  return {
    record(entry) {
      return new Promise<void>((resolve, reject) => {
        waiting.push({ entry, resolve, reject });
        // After the current turn of the event loop, so that looks answered by the same read
        // from the database join the first batch too.
        if (!writing) {
          writing = true;
          setImmediate(() => void drain());
        }
      });
    },
  };
}
