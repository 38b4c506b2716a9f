// Fixed-window rate limiting with the counters in PostgreSQL, shared by every app node.
// One upsert per hit: the row for (key, current window) counts the attempts in it.
import type { Sql } from '../db/connect.ts';

export interface RateLimit {
  limit: number;
  windowSeconds: number;
}

export async function hit(sql: Sql, key: string, { limit, windowSeconds }: RateLimit): Promise<{ allowed: boolean; retryAfterSeconds: number }> {
  const [row] = await sql<{ count: number; retry_after: number }[]>`
    with window_start as (
      select to_timestamp(floor(extract(epoch from now()) / ${windowSeconds}) * ${windowSeconds}) as at
    )
    insert into rate_limit_counters (key, window_start, count)
    select ${key}, at, 1 from window_start
    on conflict (key, window_start) do update set count = rate_limit_counters.count + 1
    returning count,
      ceil(extract(epoch from window_start + make_interval(secs => ${windowSeconds}) - now()))::int as retry_after`;
  return { allowed: row!.count <= limit, retryAfterSeconds: Math.max(1, row!.retry_after) };
}

/** Removes the counters of windows that began more than a day ago. */
export async function purgeOldRateLimitWindows(sql: Sql): Promise<void> {
  await sql`delete from rate_limit_counters where window_start < now() - interval '1 day'`;
}
