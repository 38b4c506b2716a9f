// `npm run bench`: how the partner pages hold up under load, against a realistic amount of data
// (DESIGN.md §8: benchmarks, not timed tests, reported as a ratio to a bare one-query route).
// docs/benchmarks.md says how to run it at full size and how to read it.
//
// Seeds 100,000 children and 1,000,000 access-log rows (by COPY: src/seed/) into a fresh database
// (a new database on DATABASE_URL's server, else a private embedded PostgreSQL), chains the log,
// starts the portal the way `npm start` does, in a child process (bench/server.ts: the supervisor
// and WEB_CONCURRENCY cluster workers, with the development identity provider), signs in a school
// DSL and an emergency department clinician through the real sign-in flow, then loads it over
// loopback from another process, one target after another:
//   floor    GET /bench/floor: one primary-key SELECT, renders nothing (204); only bench/server.ts
//            registers it, behind the same session middleware, so the ratio is what the page adds.
//   summary  GET /children/:id as the DSL (policy filter, record query, access-log INSERT, render)
//   lookup   POST /lookup by NHS number as the ED clinician (CSRF check, lookup, access-log
//            INSERT and social-worker notification in one transaction, render)
//   concern  POST /concerns as the DSL about another pupil, a fresh idempotency key each time (CSRF
//            check, validation, concern + chronology + access log + outbox in one transaction,
//            303 to the confirmation); the number of concerns written is checked afterwards
//
// Closed loop (default): 10 connections as fast as they go; req/s, p50 and p99 for each, and each
// as a ratio to the floor's in the same round; any error fails the run. Once for each worker
// count in BENCH_WORKERS (default "1"; "1,2" needs workers that share sign-in state: issue 15
// point 4). Open loop (`npm run bench -- --open-loop [--rate 200] [--duration 60]`): each target
// at the same fixed rate, latency from each request's due time (bench/open-loop.ts): p50, p90,
// p99, p99.9, max, errors and the server's RSS, beside the floor.
//
// BENCH_CHILDREN and BENCH_ACCESS_LOG_ROWS shrink (or grow) the data; BENCH_ROUNDS and
// BENCH_WARMUP_ROUNDS change the number of closed-loop rounds (default 3 and 2).
// BENCH_KEEP_DATABASE=bench_county (with DATABASE_URL) seeds that database once and keeps it;
// later runs with the same sizes measure it as it is, without the minutes of seeding.
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { chainBulkLoad } from '../src/audit/chain.ts';
import { sessionCookieName } from '../src/auth/settings.ts';
import { connect, type Sql } from '../src/db/connect.ts';
import { migrate } from '../src/db/migrate.ts';
import { paths } from '../src/paths.ts';
import { loadPolicies } from '../src/policy/load.ts';
import { seedAccessLog } from '../src/seed/access-log.ts';
import { seedDemoData } from '../src/seed/insert.ts';
import { hiddenField } from '../tools/http/cookie-client.ts';
import { signIn } from '../tools/http/sign-in.ts';
import { createBenchDatabase, keptBenchDatabase, seededMark, type BenchDatabase } from './database.ts';
import type { OpenLoopResult } from './open-loop.ts';
import { latencySummary } from './percentiles.ts';
import { startBenchServer, type BenchServer } from './server-process.ts';
import { combine, LoadGenerator, summarise, type LoadResult, type LoadSpec, type Summary } from './load.ts';

const CHILDREN = Number(process.env.BENCH_CHILDREN ?? 100_000);
const ACCESS_LOG_ROWS = Number(process.env.BENCH_ACCESS_LOG_ROWS ?? 1_000_000);
// Per run. The targets take turns, round after round, so a burst of other work on the machine
// falls on all of them alike; each target's rounds are then taken together.
const LOAD = { connections: 10, amount: 1000, capSeconds: 15, timeoutSeconds: 10 };
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
// Every target is warmed up, in turns like the measured rounds, before any is measured. The
// server keeps getting faster for a few thousand requests (V8 optimising, prepared statements).
const WARMUP = { rounds: Number(process.env.BENCH_WARMUP_ROUNDS ?? 2), amount: 1000, capSeconds: 15 };
const WORKERS = (process.env.BENCH_WORKERS ?? '1').split(',').map(Number);
const { values: ARGS } = parseArgs({
  args: process.argv.slice(2),
  options: { 'open-loop': { type: 'boolean' }, 'and-closed-loop': { type: 'boolean' }, rate: { type: 'string' }, duration: { type: 'string' } },
});
/** Bounded: at most 200 requests outstanding, 10 s each, at most 10 minutes a target. */
const OPEN_LOOP = ARGS['open-loop']
  ? { rate: Number(ARGS.rate ?? 200), durationSeconds: Number(ARGS.duration ?? 60), maxInFlight: 200, timeoutSeconds: 10 }
  : undefined;
if (OPEN_LOOP && !(OPEN_LOOP.rate > 0 && OPEN_LOOP.rate <= 5000 && OPEN_LOOP.durationSeconds > 0 && OPEN_LOOP.durationSeconds <= 600)) {
  throw new Error('--rate must be 1 to 5000 a second and --duration 1 to 600 seconds');
}
// --open-loop --and-closed-loop: both on one seeded database (a county's data takes minutes to
// seed): the open loop with the first worker count, then the closed loop with each.
const PHASES = OPEN_LOOP
  ? [{ workers: WORKERS[0]!, open: true }, ...(ARGS['and-closed-loop'] ? WORKERS.map((workers) => ({ workers, open: false })) : [])]
  : WORKERS.map((workers) => ({ workers, open: false }));
if (!WORKERS.every((n) => Number.isInteger(n) && n >= 1 && n <= 16)) throw new Error('BENCH_WORKERS is worker counts, e.g. "1,2"');
const DSL = 'dsl-riverside';
const ED = 'ed-clinician';
const LOOKUP_REASON = 'Child attending the emergency department';
const CONCERN_TARGET = 'DSL concern (POST /concerns)';
/** Replaced by a new UUID in every concern POST (bench/load-worker.ts). */
const FRESH_KEY = '00000000-fresh-key-0000-000000000000';
/** In the concern's body, replaced by each of the pupils the concerns are about in turn. */
const CONCERN_CHILD = '00000000-concern-child-000000000000';
/** At most this many pupils the run's concerns are about. */
const CONCERN_CHILDREN = 5000;

const started = performance.now();
const seconds = (since: number) => ((performance.now() - since) / 1000).toFixed(1);
const number = (n: number) => n.toLocaleString('en-GB');

/** Runs `step`, printing how long it took. */
async function timed<T>(label: string, step: () => Promise<T>): Promise<T> {
  const at = performance.now();
  const result = await step();
  console.log(`  ${label}: ${seconds(at)} s`);
  return result;
}

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`bench set-up: ${message}`);
}

// Undone in reverse order at the end, on failure, and on Ctrl-C.
const cleanups: Array<() => Promise<void>> = [];
/**
 * What autovacuum would have done by now, where the server runs without it (this project's CI
 * machines set autovacuum = off): ANALYZE every table whose rows changed by more than
 * autovacuum's own threshold (50 rows and 10 % of the table) since it was last analysed. Without
 * it the run's own thousands of concerns and filed documents leave the planner with the counts
 * of an empty table, and a later target pays for the stale plan (the summary's document count
 * read 23,000 index entries a request). Between targets and rounds, never inside a measurement.
 */
async function analyseLikeAutovacuum(sql: Sql): Promise<void> {
  const [{ on }] = await sql<[{ on: boolean }]>`select current_setting('autovacuum') = 'on' as on`;
  if (on) return;
  const stale = await sql<{ name: string }[]>`
    select quote_ident(s.schemaname) || '.' || quote_ident(s.relname) as name
    from pg_stat_user_tables s join pg_class c on c.oid = s.relid
    where s.n_mod_since_analyze > 50 + 0.1 * greatest(c.reltuples, 0)`;
  for (const { name } of stale) await sql.unsafe(`analyze ${name}`);
}

async function cleanUp(): Promise<void> {
  for (const undo of cleanups.splice(0).reverse()) {
    try {
      await undo();
    } catch (error) {
      console.error(`clean-up failed: ${(error as Error).message}`);
    }
  }
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: cleaning up`);
    void cleanUp().finally(() => process.exit(130));
  });
}

async function seed(sql: Sql): Promise<void> {
  console.log('Seeding');
  await timed('migrations', () => migrate(sql));
  const result = await timed(`${number(CHILDREN)} children (seedDemoData, COPY)`, () => seedDemoData(sql, { children: CHILDREN }));
  const perSecond = (rows: number, ms: number) => (ms > 0 ? `${number(Math.round(rows / (ms / 1000)))} rows/s` : '');
  for (const [table, count] of Object.entries(result.counts)) {
    if (count >= 1000) console.log(`    ${table}: ${number(count)} rows, ${((result.tableMs[table] ?? 0) / 1000).toFixed(1)} s, ${perSecond(count, result.tableMs[table] ?? 0)}`);
  }
  console.log(`    generating rows ${((result.tableMs.generating ?? 0) / 1000).toFixed(1)} s, building indexes ${((result.tableMs.indexes ?? 0) / 1000).toFixed(1)} s`);
  const log = await timed(`${number(ACCESS_LOG_ROWS)} access_log rows (COPY)`, () => seedAccessLog(sql, ACCESS_LOG_ROWS));
  console.log(`    ${perSecond(log.rows, log.ms)}, of which building indexes ${(log.indexMs / 1000).toFixed(1)} s`);
  // As in a running portal, where the chain worker seals each row seconds after it is written:
  // otherwise the server's chain worker would spend the benchmark sealing the seeded year.
  await timed('hash chain over the seeded log', async () => {
    await chainBulkLoad(sql);
  });
  await timed('vacuum analyze', async () => {
    await sql`vacuum analyze`;
  });
}

async function sessionCookie(baseUrl: string, sub: string): Promise<string> {
  const { client, response } = await signIn({ baseUrl }, sub);
  check(response.status === 200, `signing in as ${sub} ended with ${response.status}`);
  const name = sessionCookieName({ secureCookies: false });
  const value = client.cookie('127.0.0.1', name)?.value;
  check(value, `no ${name} cookie after signing in as ${sub}`);
  return `${name}=${value}`;
}

interface Target {
  name: string;
  spec: LoadSpec;
}

async function prepareTargets(sql: Sql, baseUrl: string): Promise<Target[]> {
  const dslCookie = await sessionCookie(baseUrl, DSL);
  const edCookie = await sessionCookie(baseUrl, ED);
  const get = (path: string, cookie: string) => fetch(`${baseUrl}${path}`, { headers: { Cookie: cookie }, redirect: 'manual' });

  // Children the DSL may see: the first on their list for the summary, the second for the
  // concerns. Not the same child: thousands of concerns in a run would give the summary's child
  // a chronology and a folder of documents thousands long, which no real child has.
  const list = await get('/children', dslCookie);
  const listHtml = await list.text();
  check(list.status === 200, `GET /children as ${DSL} gave ${list.status}`);
  const [childId, concernChildId] = [...listHtml.matchAll(/href="\/children\/([0-9a-f-]{36})"/g)].map((m) => m[1]!);
  check(childId && concernChildId, `fewer than two children on ${DSL}'s list`);
  const summary = await get(`/children/${childId}`, dslCookie);
  check(summary.status === 200, `GET /children/${childId} as ${DSL} gave ${summary.status}`);
  await summary.arrayBuffer();
  const floorPath = `/bench/floor?child=${childId}`;

  // An open, unsealed child with an NHS number, preferably with an allocated social worker
  // (then a lookup also writes the worker's notification, as in real use).
  const candidates = await sql<{ nhsNumber: string; allocated: boolean }[]>`
    select c.nhs_number as "nhsNumber",
           exists (select 1 from allocations a where a.child_id = c.id and a.end_date is null) as allocated
    from children c
    where not c.sealed and c.nhs_number is not null
      and exists (select 1 from involvements i where i.child_id = c.id and i.end_date is null)
    order by allocated desc, c.id
    limit 20`;
  check(candidates.length > 0, 'no open, unsealed child with an NHS number');
  const form = await get('/lookup', edCookie);
  const formHtml = await form.text();
  check(form.status === 200, `GET /lookup as ${ED} gave ${form.status}`);
  const csrf = hiddenField(formHtml, 'csrf_token');
  check(csrf, 'no csrf_token on the lookup form');
  const lookupHeaders = {
    Cookie: edCookie,
    Origin: baseUrl,
    'Sec-Fetch-Site': 'same-origin',
    'Content-Type': 'application/x-www-form-urlencoded',
  };
  // The first candidate the ED clinician's policy finds (a restricted child, say, is "no record").
  let child: (typeof candidates)[number] | undefined;
  let body = '';
  let lookupStatus = 0;
  for (const candidate of candidates) {
    body = new URLSearchParams({ csrf_token: csrf, method: 'nhs', nhsNumber: candidate.nhsNumber, reason: LOOKUP_REASON }).toString();
    const lookup = await fetch(`${baseUrl}/lookup`, { method: 'POST', headers: lookupHeaders, body, redirect: 'manual' });
    lookupStatus = lookup.status;
    if (lookup.status === 200 && (await lookup.text()).includes('Record found')) {
      child = candidate;
      break;
    }
  }
  check(child, `POST /lookup as ${ED} gave ${lookupStatus} without "Record found" for ${candidates.length} candidates`);

  // A concern about another pupil, as the DSL would send it from check-your-answers.
  // The concerns are about up to 5,000 of the DSL's pupils in turn, never the summary's: a school
  // raises concerns about many children, and thousands of filed documents about one child would
  // give the planner a distribution no county has (every generic plan touching documents would
  // be replaced by planning the summary's query afresh on every request). The same children the
  // DSL's policy shows: on the school's roll now, known to social care, not sealed.
  const concernChildren = (await sql<{ id: string }[]>`
    select c.id from children c
    where c.id <> ${childId}
      and exists (select 1 from child_organisation_relationships r
                  where r.child_id = c.id and r.end_date is null and r.kind = 'enrolled'
                    and r.organisation_id = (select e.organisation_id from child_organisation_relationships e
                                             where e.child_id = ${concernChildId} and e.kind = 'enrolled' and e.end_date is null limit 1))
      and exists (select 1 from involvements i where i.child_id = c.id and i.end_date is null)
      and not c.sealed
    order by c.id
    limit ${CONCERN_CHILDREN}`).map((row) => row.id);
  check(concernChildren.includes(concernChildId), `${DSL}'s second pupil is not among the pupils found for the concerns`);
  const concernForm = await get(`/concerns/new?child=${concernChildId}`, dslCookie);
  const concernHtml = await concernForm.text();
  check(concernForm.status === 200, `GET /concerns/new as ${DSL} gave ${concernForm.status}`);
  const formHeaders = { ...lookupHeaders, Cookie: dslCookie };
  const yesterday = new Date(Date.now() - 86_400_000);
  const concernBody = new URLSearchParams({
    csrf_token: hiddenField(concernHtml, 'csrf_token') ?? '', idempotencyKey: FRESH_KEY, childId: CONCERN_CHILD,
    category: 'neglect', whatHappened: 'Arrived hungry and without a coat again; said there was no food at home.',
    'when-day': String(yesterday.getDate()), 'when-month': String(yesterday.getMonth() + 1), 'when-year': String(yesterday.getFullYear()),
    childWords: 'There’s nothing in the cupboards.', immediateRisk: 'no', actionsTaken: 'Breakfast club place offered.',
    parentsAware: 'yes', parentsNotAwareReason: '', referrerPhone: '01632 960 001', referrerEmail: 'dsl@riverside.example',
  }).toString();
  const sent = await fetch(`${baseUrl}/concerns`, { method: 'POST', headers: formHeaders, body: concernBody.replace(FRESH_KEY, randomUUID()).replace(CONCERN_CHILD, concernChildId), redirect: 'manual' });
  check(sent.status === 303 && sent.headers.get('location')?.startsWith('/concerns/SPP-'), `POST /concerns as ${DSL} gave ${sent.status}: ${(await sent.text()).slice(0, 300)}`);

  const floor = await get(floorPath, dslCookie);
  check(floor.status === 204, `GET /bench/floor with a session gave ${floor.status}`);
  const anonymous = await fetch(`${baseUrl}${floorPath}`, { redirect: 'manual' });
  check(anonymous.status === 302, `GET /bench/floor without a session gave ${anonymous.status}, not the sign-in redirect`);

  console.log(`  summary child: one of ${DSL}'s pupils (the concerns: about ${number(concernChildren.length)} others in turn); lookup child: open, unsealed${child.allocated ? ', with an allocated social worker' : ''}`);
  const common = { ...LOAD };
  return [
    { name: 'floor (GET /bench/floor)', spec: { ...common, url: `${baseUrl}${floorPath}`, method: 'GET', headers: { Cookie: dslCookie } } },
    { name: 'DSL summary (GET /children/:id)', spec: { ...common, url: `${baseUrl}/children/${childId}`, method: 'GET', headers: { Cookie: dslCookie } } },
    { name: 'ED lookup (POST /lookup)', spec: { ...common, url: `${baseUrl}/lookup`, method: 'POST', headers: lookupHeaders, body } },
    {
      name: CONCERN_TARGET,
      spec: { ...common, url: `${baseUrl}/concerns`, method: 'POST', headers: formHeaders, body: concernBody, okStatus: 303, freshKey: FRESH_KEY, rotate: { key: CONCERN_CHILD, values: concernChildren } },
    },
  ];
}

interface TargetResult {
  name: string;
  summary: Summary;
  /** req/s in each round. */
  roundRates: number[];
  /** req/s in each round, as a ratio to the floor's in the same round. */
  roundRatios: number[];
  /** Successful requests, warm-up included (for the concern count). */
  sent: number;
  /** Requests in flight when a run hit its time cap: answered after it, or never (written or not). */
  cutOff: number;
}

function printTable(results: TargetResult[]): void {
  const floor = results[0]!.summary;
  const rows = [
    ['target', 'requests', 'req/s', 'p50 ms', 'p99 ms', 'req/s ÷ floor', 'p50 ÷ floor', 'req/s by round', 'req/s ÷ floor by round'],
    ...results.map(({ name, summary, roundRates, roundRatios }) => [
      name,
      number(summary.requests) + (summary.capped ? ' (time cap)' : ''),
      summary.requestsPerSecond.toFixed(0),
      summary.p50Ms.toFixed(2),
      summary.p99Ms.toFixed(2),
      (summary.requestsPerSecond / floor.requestsPerSecond).toFixed(2),
      (summary.p50Ms / floor.p50Ms).toFixed(2),
      roundRates.map((rate) => rate.toFixed(0)).join(' '),
      roundRatios.map((ratio) => ratio.toFixed(2)).join(' '),
    ]),
  ];
  printRows(rows);
}

function printRows(rows: string[][]): void {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const line = (row: string[]) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ');
  console.log(line(rows[0]!));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows.slice(1)) console.log(line(row));
}

/** Closed loop: warm-up rounds, then measured rounds, the targets taking turns. */
async function closedLoop(load: LoadGenerator, sql: Sql, targets: Target[], label: string): Promise<TargetResult[]> {
  console.log(
    `Closed loop, ${label}: ${LOAD.connections} connections; ${WARMUP.rounds} warm-up rounds of ${number(WARMUP.amount)} per target (not reported), ` +
      `then ${ROUNDS} rounds of ${number(LOAD.amount)} per target (each run stops at ${LOAD.capSeconds} s)`,
  );
  const warmups: LoadResult[][] = targets.map(() => []);
  for (let round = 1; round <= WARMUP.rounds; round++) {
    await timed(`warm-up round ${round} of ${WARMUP.rounds}`, async () => {
      for (const [index, target] of targets.entries()) {
        const result = await load.run({ ...target.spec, amount: WARMUP.amount, capSeconds: WARMUP.capSeconds });
        summarise(`${target.name}, warm-up round ${round}`, result);
        warmups[index]!.push(result);
      }
    });
  }
  const runs: LoadResult[][] = targets.map(() => []);
  for (let round = 1; round <= ROUNDS; round++) {
    await analyseLikeAutovacuum(sql);
    await timed(`round ${round} of ${ROUNDS}`, async () => {
      for (const [index, target] of targets.entries()) {
        const result = await load.run(target.spec);
        summarise(`${target.name}, round ${round}`, result);
        runs[index]!.push(result);
      }
    });
  }
  const perSecond = (r: LoadResult) => r.responses / (r.elapsedMs / 1000);
  const floorRuns = runs[0]!;
  return targets.map((target, index) => ({
    name: target.name,
    summary: summarise(target.name, combine(runs[index]!)),
    roundRates: runs[index]!.map(perSecond),
    roundRatios: runs[index]!.map((run, round) => perSecond(run) / perSecond(floorRuns[round]!)),
    sent: [...runs[index]!, ...warmups[index]!].reduce((sum, r) => sum + r.latenciesMs.length, 0),
    cutOff: [...runs[index]!, ...warmups[index]!].filter((r) => r.capped).length * LOAD.connections,
  }));
}

interface OpenLoopRow {
  name: string;
  result: OpenLoopResult;
  rssMb: number;
  /** Successful warm-up requests (for the concern count). */
  warmedUp: number;
  /** Warm-up requests in flight when it hit its time cap (written or not). */
  cutOff: number;
}

/** Open loop: a short closed-loop warm-up, then each target in turn at the fixed rate. */
async function openLoop(load: LoadGenerator, sql: Sql, server: BenchServer, targets: Target[]): Promise<OpenLoopRow[]> {
  const { rate, durationSeconds, maxInFlight, timeoutSeconds } = OPEN_LOOP!;
  console.log(`Open loop: each target at ${rate} requests/s for ${durationSeconds} s (at most ${maxInFlight} in flight, ${timeoutSeconds} s time-out), after a warm-up`);
  const warmedUp: number[] = [];
  const cutOff: number[] = [];
  for (const target of targets) {
    const warmUp = await load.run({ ...target.spec, amount: WARMUP.amount, capSeconds: WARMUP.capSeconds });
    summarise(`${target.name}, warm-up`, warmUp);
    warmedUp.push(warmUp.latenciesMs.length);
    cutOff.push(warmUp.capped ? LOAD.connections : 0);
  }
  const rows: OpenLoopRow[] = [];
  for (const [index, target] of targets.entries()) {
    const { url, method, headers, body, okStatus, freshKey, rotate } = target.spec;
    await analyseLikeAutovacuum(sql);
    const sampler = server.sampleRss(500);
    const result = await timed(target.name, () => load.runOpenLoop({
      url, method, headers, rate, durationSeconds, maxInFlight, timeoutSeconds,
      ...(body === undefined ? {} : { body }), ...(okStatus === undefined ? {} : { okStatus }), ...(freshKey === undefined ? {} : { freshKey }), ...(rotate === undefined ? {} : { rotate }),
    }));
    rows.push({ name: target.name, result, rssMb: sampler.stop() / 1024 / 1024, warmedUp: warmedUp[index]!, cutOff: cutOff[index]! });
    if (result.maxSendLagMs > 50) console.log(`    note: the load generator sent up to ${result.maxSendLagMs.toFixed(0)} ms late (latency still counts from the due time)`);
  }
  return rows;
}

/** The answers that were not the target's success, e.g. " (HTTP 500 ×2)". */
const failedStatuses = (result: OpenLoopResult): string =>
  Object.entries(result.failedStatuses).map(([status, count]) => ` (HTTP ${status} ×${count})`).join('');

function printOpenLoopTable(rows: OpenLoopRow[]): void {
  const floor = latencySummary(rows[0]!.result.latenciesMs);
  const table = [
    ['target', 'due', 'ok', 'errors', 'p50 ms', 'p90 ms', 'p99 ms', 'p99.9 ms', 'max ms', 'p99 ÷ floor', 'server RSS MB'],
    ...rows.map(({ name, result, rssMb }) => {
      const l = latencySummary(result.latenciesMs);
      return [
        name, number(result.scheduled), number(l.count),
        `${number(result.errors)}${result.overCap ? ` (${result.overCap} over cap)` : ''}${result.timeouts ? ` (${result.timeouts} timed out)` : ''}` +
          failedStatuses(result) + (result.connectionErrors ? ` (${result.connectionErrors} connection errors)` : ''),
        l.p50.toFixed(2), l.p90.toFixed(2), l.p99.toFixed(2), l.p999.toFixed(2), l.max.toFixed(2), (l.p99 / floor.p99).toFixed(2), rssMb.toFixed(0),
      ];
    }),
  ];
  printRows(table);
}

async function main(): Promise<void> {
  const cpus = os.cpus();
  console.log('Environment');
  console.log(`  node ${process.version}, ${cpus.length} CPUs (${cpus[0]?.model.trim() ?? 'unknown'}), ${os.platform()} ${os.release()}, load average ${os.loadavg().map((n) => n.toFixed(1)).join(' ')}`);

  // Before the long seeding, so a broken policy file fails the run at once.
  await loadPolicies(paths.policies);
  const keep = process.env.BENCH_KEEP_DATABASE;
  if (keep && !process.env.DATABASE_URL) throw new Error('BENCH_KEEP_DATABASE needs DATABASE_URL: the server the database is kept on');
  const kept = keep ? await keptBenchDatabase(process.env.DATABASE_URL!, keep, seededMark(CHILDREN, ACCESS_LOG_ROWS)) : undefined;
  const database: BenchDatabase = kept ?? await createBenchDatabase(process.env.DATABASE_URL || undefined);
  cleanups.push(() => database.drop());
  const sql = connect(database.url);
  cleanups.push(() => sql.end({ timeout: 5 }));
  const [version] = await sql<{ version: string }[]>`select current_setting('server_version') as version`;
  console.log(`  database: PostgreSQL ${version?.version ?? '?'}, ${database.description}`);
  const [{ autovacuum }] = await sql<[{ autovacuum: string }]>`select current_setting('autovacuum') as autovacuum`;
  if (autovacuum !== 'on') console.log('  autovacuum is off on this server: between targets and rounds the run analyses the tables autovacuum would have');

  if (kept?.seeded) {
    console.log('Seeding: skipped (kept database)');
  } else {
    await seed(sql);
    await kept?.markSeeded();
  }
  // A kept database holds earlier runs' concerns: only this run's are counted against its sends.
  const [{ concerns: concernsBefore } = { concerns: 0 }] = await sql<{ concerns: number }[]>`select count(*)::int as concerns from concerns`;

  const load = new LoadGenerator();
  cleanups.push(() => load.close());
  const closed: { workers: number; results: TargetResult[] }[] = [];
  let open: OpenLoopRow[] | undefined;
  let concernsSent = 0;
  // Open loop: a submission the load generator gave up on may still have been written.
  let concernsUnknown = 0;
  for (const { workers, open: openPhase } of PHASES) {
    console.log(`Server (npm start's path, WEB_CONCURRENCY=${workers})`);
    const server = await timed('supervisor, workers and development identity provider started', () => startBenchServer(database.url, workers));
    // Counted, not assumed: the figures say how many workers served them.
    const serving = await server.workerCount();
    console.log(`  ${serving} worker process${serving === 1 ? '' : 'es'} serving`);
    try {
      const targets = await timed('DSL and ED clinician signed in, each target answered once', () => prepareTargets(sql, server.baseUrl));
      concernsSent += 1; // set-up sends one
      if (openPhase) {
        open = await openLoop(load, sql, server, targets);
        const concern = open.find((row) => row.name === CONCERN_TARGET)!;
        concernsSent += concern.warmedUp + concern.result.latenciesMs.length;
        concernsUnknown += concern.result.errors - concern.result.overCap + concern.cutOff;
      } else {
        const results = await closedLoop(load, sql, targets, `${workers} worker${workers === 1 ? '' : 's'}`);
        closed.push({ workers: serving, results });
        const concern = results.find((r) => r.name === CONCERN_TARGET)!;
        concernsSent += concern.sent;
        concernsUnknown += concern.cutOff;
      }
    } finally {
      await timed('server stopped', () => server.stop());
    }
  }

  for (const { workers, results } of closed) {
    console.log(`\nClosed loop, WEB_CONCURRENCY=${workers} (all rounds together; latency per successful request; req/s = responses ÷ time to the last response)`);
    printTable(results);
  }
  if (open) {
    console.log(`\nOpen loop at ${OPEN_LOOP!.rate}/s for ${OPEN_LOOP!.durationSeconds} s each (latency from each request's due time; errors include time-outs and requests over the in-flight cap; RSS: the most the server's processes held together)`);
    printOpenLoopTable(open);
  }
  // Every successful concern POST (and the one in each set-up) must have made exactly one concern.
  const [{ concerns: concernsAfter } = { concerns: 0 }] = await sql<{ concerns: number }[]>`select count(*)::int as concerns from concerns`;
  const concerns = concernsAfter - concernsBefore;
  check(concerns >= concernsSent && concerns <= concernsSent + concernsUnknown,
    `${number(concernsSent)} concerns sent (and ${number(concernsUnknown)} that failed or timed out) but ${number(concerns)} in the database`);
  console.log(`\n${number(concerns)} concerns written for ${number(concernsSent)} successful submissions` +
    (concernsUnknown ? ` and ${number(concernsUnknown)} that failed or timed out (written or not)` : ', one for each') + '.');
  console.log(`\nTotal run time: ${seconds(started)} s`);
}

let exitCode = 0;
try {
  await main();
} catch (error) {
  console.error(`\nbench failed: ${(error as Error).stack ?? String(error)}`);
  exitCode = 1;
} finally {
  await cleanUp();
}
if (exitCode === 0) console.log('bench done');
// Nothing should be left running; exit regardless so a stray keep-alive cannot hold the process.
process.exit(exitCode);
