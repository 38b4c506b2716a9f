// The access log counted by day, role and action (migration 035), for the figures' partners'
// looks (src/access/figures.ts): a year of the log is too many rows to count on every page, so
// each whole day already past is counted once here, and the figure adds the live log after
// `counted_through`. This module is the tables' one writer. The count runs on a timer in every
// node; an advisory lock makes one node do it at a time and the others skip the tick.
//
// A day is counted only once it ended more than SETTLE_MINUTES ago: the log's rows carry the
// database's time at insert, and a transaction that began before midnight may commit just after
// it; by then it has.
import type { Sql } from '../db/connect.ts';
import { repeatEvery, type Repeating } from '../background/repeat.ts';
import { instantAtLondonTime, londonWallClock } from '../concerns/working-days.ts';
import type { Logger } from '../log.ts';
import { errorFields } from '../log.ts';

const SETTLE_MINUTES = 15;
/** pg_try_advisory_xact_lock key: "figures" as a number. */
const LOCK = 0x66696775;

/** The start of the day in England that holds `at`. */
const dayStart = (at: Date) => instantAtLondonTime(londonWallClock(at).date, { hour: 0, minute: 0 });

/**
 * Counts every whole day not yet counted, up to the start of the current day (settled). Returns
 * the days counted, or null when another node holds the lock.
 */
export async function countAccessLogDays(sql: Sql, now: Date = new Date()): Promise<number | null> {
  const upTo = dayStart(new Date(now.getTime() - SETTLE_MINUTES * 60_000));
  return sql.begin(async (tx) => {
    const [{ locked }] = await tx<[{ locked: boolean }]>`select pg_try_advisory_xact_lock(${LOCK}) as locked`;
    if (!locked) return null;
    const [state] = await tx<Array<{ through: Date }>>`select counted_through as through from access_log_daily_through`;
    // The first count starts at the log's first row.
    const [{ first }] = await tx<[{ first: Date | null }]>`select min(at) as first from access_log`;
    const from = state?.through ?? (first ? dayStart(first) : upTo);
    if (from >= upTo) {
      if (!state) await tx`insert into access_log_daily_through ${tx({ counted_through: upTo })}`;
      return 0;
    }
    await tx`
      insert into access_log_daily (day, role, action, count)
      select (at at time zone 'Europe/London')::date, role, action, count(*)::int
      from access_log where at >= ${from} and at < ${upTo}
      group by 1, 2, 3`;
    await tx`
      insert into access_log_daily_through ${tx({ counted_through: upTo })}
      on conflict (one_row) do update set counted_through = excluded.counted_through`;
    return Math.round((upTo.getTime() - from.getTime()) / 86_400_000);
  });
}

/** Counts the days on a timer (hourly by default), in every node; one at a time does the work. */
export function startAccessLogDailyCount(sql: Sql, log: Logger, intervalMs = 60 * 60_000): Repeating {
  return repeatEvery(intervalMs, async () => {
    try {
      const days = await countAccessLogDays(sql);
      if (days) log.info('access log days counted for the figures', { days });
    } catch (error) {
      log.warn('counting the access log by day failed; will retry', errorFields(error));
    }
  });
}
