// runAsLeader (src/background/leader.ts): a task runs in one of several processes at a time, and
// another takes it over when its holder stops or loses its connection. Each "process" here is a
// leadership group of its own, with its own connection to a real PostgreSQL, as each worker has.
import { expect, it } from 'vitest';
import { runAsLeader } from '../src/background/leader.ts';
import { repeatEvery } from '../src/background/repeat.ts';
import { createLogger } from '../src/log.ts';
import { useTestDatabase } from './support/database.ts';

const db = useTestDatabase();

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const CHECK_MS = 100;

/** A process competing for the task: counts its runs while it leads. */
let contenders = 0;
function contender(name: string) {
  const group = `contender ${++contenders}`;
  const state = { runs: 0, leading: false };
  const lines: string[] = [];
  const log = createLogger('info', (line) => lines.push(line));
  const task = runAsLeader(db().url, log, name, () => {
    state.leading = true;
    const repeating = repeatEvery(20, async () => void (state.runs += 1));
    return { stop: async () => { await repeating.stop(); state.leading = false; } };
  }, { checkMs: CHECK_MS, group });
  return { state, task, lines };
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !condition(); i++) await sleep(50);
}

it('runs the task in one contender only, and hands it over when the leader stops', async () => {
  const a = contender('test task');
  const b = contender('test task');
  await until(() => a.state.leading || b.state.leading);
  await sleep(5 * CHECK_MS);
  expect([a.state.leading, b.state.leading].filter(Boolean)).toHaveLength(1);
  const [leader, follower] = a.state.leading ? [a, b] : [b, a];
  expect(follower.state.runs).toBe(0);

  await leader.task.stop();
  expect(leader.state.leading).toBe(false);
  await until(() => follower.state.leading);
  expect(follower.state.leading).toBe(true);
  await follower.task.stop();
});

it('stops the task where the connection holding the lock is lost, and another takes it over', async () => {
  const a = contender('another task');
  await until(() => a.state.leading);
  const b = contender('another task');
  await sleep(3 * CHECK_MS);
  expect(b.state.leading).toBe(false);

  // PostgreSQL ends the leader's session (as when its connection drops): its locks go with it.
  await db().sql`
    select pg_terminate_backend(l.pid) from pg_locks l
    where l.locktype = 'advisory' and l.granted and l.database = (select oid from pg_database where datname = current_database())`;
  await until(() => !a.state.leading && b.state.leading);
  expect(a.state.leading).toBe(false);
  expect(b.state.leading).toBe(true);
  expect(a.lines.some((line) => line.includes('leadership'))).toBe(true);
  // Leadership is not taken back while b holds it.
  await sleep(5 * CHECK_MS);
  expect(a.state.leading).toBe(false);
  await b.task.stop();
  await until(() => a.state.leading);
  expect(a.state.leading).toBe(true);
  await a.task.stop();
});

it('holds one lock while one leads, and none once every contender has stopped', async () => {
  const a = contender('third task');
  await until(() => a.state.leading);
  const b = contender('third task');
  await sleep(4 * CHECK_MS);
  const [row] = await db().sql<{ n: number }[]>`
    select count(*)::int as n from pg_locks where locktype = 'advisory' and granted
      and database = (select oid from pg_database where datname = current_database())`;
  expect(row!.n).toBe(1);
  await a.task.stop();
  await until(() => b.state.leading);
  await b.task.stop();
  const [after] = await db().sql<{ n: number }[]>`
    select count(*)::int as n from pg_locks where locktype = 'advisory' and granted
      and database = (select oid from pg_database where datname = current_database())`;
  expect(after!.n).toBe(0);
});
