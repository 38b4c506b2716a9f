// The pool the running portal serves requests from (src/server.ts): postgres.js with the limits
// that keep a request from waiting long on a database that is away, behind a stable `sql` whose
// underlying pool can be replaced (recycle) when a connection is known to be broken beyond
// repair (./postgres-defect.ts). Command-line tools, migrations and seeding use plain connect().
import postgres from 'postgres';
import { connect, type Sql } from './connect.ts';

/** How long to wait for a connection to PostgreSQL (TCP and start-up), in seconds. */
export const CONNECT_TIMEOUT_S = 5;
/** Longest one statement may run in a request's pool. */
export const STATEMENT_TIMEOUT_MS = 10_000;

export interface ServingPool {
  /** Always the current pool: pass this one around. */
  sql: Sql;
  /** Replaces the pool: new queries go to a fresh one; the old one finishes what it has, then ends. */
  recycle(): void;
  /** Ends the current pool and any recycled one still finishing. */
  end(options?: { timeout?: number }): Promise<void>;
  /** How many times the pool was replaced. */
  readonly recycled: number;
}

export function servingPool(url: string, options: postgres.Options<{}> = {}): ServingPool {
  const make = () =>
    connect(url, {
      connect_timeout: CONNECT_TIMEOUT_S,
      // The default back-off grows to 20 s between reconnects after a run of failures, and a
      // query waits for it: after the database comes back that is 20 s of hung requests. Retry
      // quickly instead; connect_timeout bounds each attempt.
      backoff: (retries: number) => Math.min(0.05 * 2 ** retries, 1),
      // Idle connections are let go, so a pool does not sit on sockets to a dead server.
      idle_timeout: 30,
      connection: {
        application_name: 'safeguarding-partner-portal',
        statement_timeout: STATEMENT_TIMEOUT_MS,
        idle_in_transaction_session_timeout: 2 * STATEMENT_TIMEOUT_MS,
      },
      ...options,
    });
  let current = make();
  const ending = new Set<Promise<void>>();
  let recycled = 0;

  const sql = new Proxy(function () {} as unknown as Sql, {
    apply: (_target, _this, args: unknown[]) => (current as unknown as (...a: unknown[]) => unknown)(...args),
    get: (_target, property) => (property === 'end' ? end : Reflect.get(current, property)),
    has: (_target, property) => Reflect.has(current, property),
  });

  function recycle(): void {
    const old = current;
    current = make();
    recycled += 1;
    const done = old.end({ timeout: STATEMENT_TIMEOUT_MS / 1000 }).catch(() => {});
    ending.add(done);
    void done.finally(() => ending.delete(done));
  }

  async function end(endOptions?: { timeout?: number }): Promise<void> {
    await Promise.all([current.end(endOptions), ...ending]);
  }

  return { sql, recycle, end, get recycled() { return recycled; } };
}
