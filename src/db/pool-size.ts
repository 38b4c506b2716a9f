// How many connections each worker's pool may open, so that WEB_CONCURRENCY workers together stay
// within PostgreSQL's max_connections (src/supervisor.ts asks once at start and hands the answer
// to every worker it forks).
//
//   per worker = min(10, (max_connections − superuser_reserved_connections − 10) ÷ workers − 1)
//
// The 1 is the connection a worker opens beside its pool while it leads background work
// (src/background/leader.ts; a follower opens one for a moment every 5 s to try).
// The 10 held back are for everything that is not a worker's pool: the supervisor's own
// connection at start, `npm run` tools (migrations, imports, audit:verify), a person with psql,
// backups, monitoring. Never fewer than 2 a worker: where even that does not fit, the supervisor
// says so and the operator raises max_connections or lowers WEB_CONCURRENCY. DATABASE_POOL_MAX sets the
// size outright (several machines sharing one database: divide by their total workers).
import type { Sql } from './connect.ts';

/** postgres.js's default and the portal's usual pool: enough for one process's requests. */
export const DEFAULT_POOL_MAX = 10;
export const HELD_BACK_CONNECTIONS = 10;
export const MIN_POOL_MAX = 2;

export function poolSizeFor(workers: number, maxConnections: number, reserved: number): { perWorker: number; fits: boolean } {
  const available = maxConnections - reserved - HELD_BACK_CONNECTIONS;
  const perWorker = Math.max(MIN_POOL_MAX, Math.min(DEFAULT_POOL_MAX, Math.floor(available / workers) - 1));
  return { perWorker, fits: (perWorker + 1) * workers <= available };
}

export async function connectionLimits(sql: Sql): Promise<{ maxConnections: number; reserved: number }> {
  const [row] = await sql<{ max: number; reserved: number }[]>`
    select current_setting('max_connections')::int as max,
           current_setting('superuser_reserved_connections')::int as reserved`;
  return { maxConnections: row!.max, reserved: row!.reserved };
}
