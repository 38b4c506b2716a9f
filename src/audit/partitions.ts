// The access log's monthly partitions (issue 15, point 3). Contract: bulk loaders (the benchmark's
// seed, restores) call ensureAccessLogPartitions for the span of `at` they are about to write, so
// that every row has a partition to land in. Until the log is partitioned this does nothing.
import type { Sql } from '../db/connect.ts';

/** Makes sure a partition exists for every month from `from` to `to` (inclusive). */
export async function ensureAccessLogPartitions(_sql: Sql, _from: Date, _to: Date): Promise<void> {
  // Filled in by the partitioning migration's work.
}
