// The access log's monthly partitions (issue 15, point 3; migrations/030_access_log_partitions.sql).
// Contract: bulk loaders (the benchmark's seed, restores) call ensureAccessLogPartitions for the
// span of `at` they are about to write, so that every row has a partition of its own month to
// land in; and the running portal keeps this month and the next few made ahead
// (startPartitionKeeper), so the default partition, which catches a row whose month has none,
// stays empty.
//
// The partitions are made by access_log_make_partitions(), a database function that runs as the
// tables' owner (the portal's role may not create tables), takes an advisory lock, and makes only
// the months missing (`create table if not exists … partition of …`): any number of processes
// and machines may call it at once, and calling it again changes nothing.
import { repeatEvery, type Repeating } from '../background/repeat.ts';
import type { Db, Sql } from '../db/connect.ts';
import { errorFields, type Logger } from '../log.ts';

/** How many months after the current one the portal keeps made ahead. */
export const MONTHS_AHEAD = 3;

/** The first day of `at`'s month in UTC, as YYYY-MM-DD (partitions are UTC months). */
export function monthOf(at: Date): string {
  return `${at.getUTCFullYear().toString().padStart(4, '0')}-${String(at.getUTCMonth() + 1).padStart(2, '0')}-01`;
}

/** The first day (UTC) of the month `months` after `at`'s. */
export function addMonths(at: Date, months: number): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + months, 1));
}

/**
 * Makes sure a partition exists for every month from `from` to `to` (inclusive), and returns
 * how many it made. A month whose rows went to the default partition gets them moved in.
 */
export async function ensureAccessLogPartitions(sql: Sql | Db, from: Date, to: Date): Promise<number> {
  const [first, last] = from <= to ? [from, to] : [to, from];
  const [row] = await sql<{ made: number }[]>`
    select access_log_make_partitions(${monthOf(first)}::date, ${monthOf(last)}::date) as made`;
  return row!.made;
}

/** The partitions there are, oldest first, with the default (month null) last. */
export interface AccessLogPartition {
  name: string;
  /** YYYY-MM-DD, the first day of its month (UTC); null for the default partition. */
  month: string | null;
}

export async function accessLogPartitions(sql: Db): Promise<AccessLogPartition[]> {
  const rows = await sql<{ name: string }[]>`
    select c.relname as name
    from pg_inherits i join pg_class c on c.oid = i.inhrelid
    where i.inhparent = 'access_log'::regclass
    order by c.relname`;
  return rows.map(({ name }) => {
    const match = /^access_log_(\d{4})_(\d{2})$/.exec(name);
    return { name, month: match ? `${match[1]}-${match[2]}-01` : null };
  }).sort((a, b) => (a.month === null ? 1 : b.month === null ? -1 : a.month.localeCompare(b.month)));
}

/** Rows in the default partition: zero unless months had no partition when written. */
export async function rowsInDefaultPartition(sql: Db): Promise<number> {
  const [row] = await sql<{ n: number }[]>`select count(*)::int as n from access_log_default`;
  return row!.n;
}

export interface PartitionKeeperOptions {
  /** How often to check; default hourly (a month's partition is made three months early). */
  intervalMs?: number;
  monthsAhead?: number;
  /** The clock, for tests. */
  now?: () => Date;
}

/**
 * Keeps the current month's partition and the next `monthsAhead` made, at start and every
 * intervalMs. Failures are logged, never thrown; the next tick tries again (and a row with no
 * partition meanwhile lands in the default partition, so nothing is lost).
 */
export function startPartitionKeeper(
  sql: Sql,
  log: Logger,
  { intervalMs = 60 * 60_000, monthsAhead = MONTHS_AHEAD, now = () => new Date() }: PartitionKeeperOptions = {},
): Repeating {
  return repeatEvery(intervalMs, async () => {
    try {
      const at = now();
      const made = await ensureAccessLogPartitions(sql, at, addMonths(at, monthsAhead));
      if (made > 0) log.info('access log partitions made', { made });
      const waiting = await rowsInDefaultPartition(sql);
      if (waiting > 0) log.warn('access log rows in the default partition: their month has no partition yet', { rows: waiting });
    } catch (error) {
      log.warn('access log partitions could not be made; will retry', errorFields(error));
    }
  });
}
