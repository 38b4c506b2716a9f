// Background work that must run in one process at a time, across the workers of one `npm start`
// (WEB_CONCURRENCY) and across several machines: whoever holds a PostgreSQL advisory lock named
// for the task runs it; the others wait, and one of them takes over when the holder goes.
//
//   const chain = runAsLeader(config.DATABASE_URL, log, 'access-log chain', () => startChainWorker(sql, log));
//   …
//   await chain.stop();
//
// HOW. Each process opens one connection of its own, beside its pool, while it leads anything,
// and takes session-level locks on it with pg_try_advisory_lock, one per task name. (Not a
// connection reserved from the pool: postgres.js does not survive a reserved connection that
// closes.) Every `checkMs` (5 s) it checks that connection is still the same PostgreSQL session
// (the backend's pid; postgres.js reconnects silently, and a new session holds no locks) and
// answers within the check interval: if not, PostgreSQL has released, or will release, the
// locks, so every task it led is stopped, and it competes again from the next check. A process
// that dies loses its connection, so its locks go with it and another process takes over on its
// next check. stop() stops the task, then unlocks; a follower holds no connection between its
// tries, so the connections in use are each worker's pool plus one for whichever leads.
//
// WHAT IT GIVES. One process runs the task almost always. Not a guarantee of exclusion: between
// a lost connection and the next check (at most checkMs), or while a stopped task finishes its
// current run, the old leader's run may overlap with the new one's. So a task run this way must
// still be correct if two runs meet (its own transaction-scoped lock, SKIP LOCKED claims, or
// idempotent writes); leadership only saves the other workers the polling, the contention and
// the duplicate side effects outside the database (a witness line, a log line).
//
// The task is started by `start` each time this process becomes leader, and stopped (its
// stop() awaited) each time it stops being leader or runAsLeader's stop() is called: the
// ../background/repeat.ts shape every background worker here already has.
import { createHash } from 'node:crypto';
import { connect, type Sql } from '../db/connect.ts';
import { errorFields, type Logger } from '../log.ts';
import type { Repeating } from './repeat.ts';

export interface LeaderOptions {
  /** How often a follower tries for the lock and a leader checks its connection (default 5 s). */
  checkMs?: number;
  /** Tasks of one group share one connection; a process has one group (tests stand in for several processes with several). */
  group?: string;
}

/** The lock key for a task name: 64 bits of its SHA-256, the same in every process. */
export function leaderLockKey(name: string): bigint {
  return createHash('sha256').update(`portal leader: ${name}`).digest().readBigInt64BE(0);
}

interface Task {
  name: string;
  key: string;
  start: () => Repeating;
  running?: Repeating;
}

/** One per process (and group): the leadership connection and the tasks competing through it. */
class Leadership {
  private readonly tasks = new Set<Task>();
  private connection?: Sql;
  private backendPid?: number;
  private timer?: NodeJS.Timeout;
  private checking?: Promise<void>;

  constructor(private readonly url: string, private readonly log: Logger, private readonly checkMs: number) {}

  add(task: Task): void {
    this.tasks.add(task);
    if (!this.timer) this.schedule(0);
  }

  async remove(task: Task): Promise<void> {
    this.tasks.delete(task);
    await this.checking;
    await this.resign(task);
    if (this.tasks.size === 0) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.letGo();
    }
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      this.checking = this.check().finally(() => {
        this.checking = undefined;
        if (this.tasks.size > 0) this.schedule(this.checkMs);
      });
    }, delayMs);
    this.timer.unref();
  }

  private async check(): Promise<void> {
    try {
      if (this.connection && !(await this.sameSession())) {
        // Compete again from the next check: meanwhile another process, whose connection
        // works, may take over.
        await this.lost();
        return;
      }
      const waiting = [...this.tasks].filter((task) => !task.running);
      if (waiting.length === 0) return;
      if (!this.connection) {
        this.connection = connect(this.url, {
          max: 1,
          connect_timeout: Math.max(1, Math.ceil(this.checkMs / 1000)),
          // Never closed on a timer: closing it would let the locks go.
          idle_timeout: 0,
          max_lifetime: 0,
          connection: { application_name: 'safeguarding-partner-portal leadership' },
        });
        this.backendPid = await this.pid();
      }
      for (const task of waiting) {
        if (!this.tasks.has(task)) continue;
        const [row] = await this.connection<{ locked: boolean }[]>`select pg_try_advisory_lock(${task.key}::bigint) as locked`;
        if (row?.locked) {
          this.log.info('leading background task', { task: task.name, pid: process.pid });
          task.running = task.start();
        }
      }
    } catch (error) {
      // The database is away, or the connection went: nothing is held any more.
      this.log.warn('background leadership check failed; will retry', errorFields(error));
      await this.lost();
    }
    if (![...this.tasks].some((task) => task.running)) this.letGo();
  }

  /** The session's backend pid, or an error if it does not answer within the check interval. */
  private async pid(): Promise<number> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('leadership connection did not answer')), Math.max(this.checkMs, 1000));
    });
    try {
      const [row] = await Promise.race([this.connection!<{ pid: number }[]>`select pg_backend_pid() as pid`, late]);
      return row!.pid;
    } finally {
      clearTimeout(timer);
    }
  }

  /** postgres.js reconnects a lost connection silently: a new backend pid means new session, no locks. */
  private async sameSession(): Promise<boolean> {
    try {
      return (await this.pid()) === this.backendPid;
    } catch {
      return false;
    }
  }

  /** The session (and so every lock) is gone: stop every task this process led. */
  private async lost(): Promise<void> {
    const led = [...this.tasks].filter((task) => task.running);
    for (const task of led) {
      this.log.warn('background task leadership lost', { task: task.name });
      const running = task.running!;
      task.running = undefined;
      await running.stop();
    }
    this.letGo();
  }

  private async resign(task: Task): Promise<void> {
    if (!task.running) return;
    const running = task.running;
    task.running = undefined;
    await running.stop();
    if (this.connection) await this.connection`select pg_advisory_unlock(${task.key}::bigint)`.catch(() => {});
  }

  /** Closes the connection when nothing is held on it (or it is lost). */
  private letGo(): void {
    void this.connection?.end({ timeout: 1 }).catch(() => {});
    this.connection = undefined;
    this.backendPid = undefined;
  }
}

const leaderships = new Map<string, Leadership>();

/**
 * Runs `start()`'s task in whichever process holds the lock named `name` in the database at
 * `databaseUrl` (the pool's own URL); see above. stop()
 * stops it here (waiting for its run in progress) and lets another process take it.
 */
export function runAsLeader(databaseUrl: string, log: Logger, name: string, start: () => Repeating, { checkMs = 5_000, group = '' }: LeaderOptions = {}): Repeating {
  // One connection per process (and database) for every task led.
  const key = `${group} ${checkMs} ${databaseUrl}`;
  let leadership = leaderships.get(key);
  if (!leadership) {
    leadership = new Leadership(databaseUrl, log, checkMs);
    leaderships.set(key, leadership);
  }
  const task: Task = { name, key: leaderLockKey(name).toString(), start };
  leadership.add(task);
  const held = leadership;
  return { stop: () => held.remove(task) };
}
