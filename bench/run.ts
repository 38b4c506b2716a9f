// `npm run bench`: how the partner pages hold up under load, against a realistic amount of data
// (DESIGN.md §8: benchmarks, not timed tests, reported as a ratio to a bare one-query route).
//
// Seeds 100,000 children and 1,000,000 access-log rows into a fresh database (a new database on
// DATABASE_URL's server, else a private embedded PostgreSQL), runs the real app in this process
// with the real development identity provider, signs in a school DSL and an emergency department
// clinician through the real sign-in flow, then loads over loopback, one target after another:
//   floor    GET /bench/floor: one primary-key SELECT, renders nothing (204). Registered on the
//            same app, behind the same session middleware, so the ratio is what the page adds.
//   summary  GET /children/:id as the DSL (policy filter, record query, access-log INSERT, render)
//   lookup   POST /lookup by NHS number as the ED clinician (CSRF check, lookup, access-log
//            INSERT and social-worker notification in one transaction, render)
//   concern  POST /concerns as the DSL about that pupil, a fresh idempotency key each time (CSRF
//            check, validation, concern + chronology + access log + outbox in one transaction,
//            303 to the confirmation); the number of concerns written is checked afterwards
// and prints req/s, p50 and p99 for each, and each as a ratio to the floor. Any error, timeout
// or non-2xx response fails the run: a benchmark of error pages is worthless.
//
// BENCH_CHILDREN and BENCH_ACCESS_LOG_ROWS shrink the data for a quick trial run; BENCH_ROUNDS
// and BENCH_WARMUP_ROUNDS change the number of measured and warm-up rounds (default 3 and 2).
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import os from 'node:os';
import { serve } from '@hono/node-server';
import { createApp } from '../src/app.ts';
import { startDevelopmentIdentity, type DevelopmentIdentity } from '../src/auth/dev-provider/setup.ts';
import type { AuthSettings } from '../src/auth/settings.ts';
import { sessionCookieName } from '../src/auth/settings.ts';
import { connect, type Sql } from '../src/db/connect.ts';
import { migrate } from '../src/db/migrate.ts';
import { createLogger } from '../src/log.ts';
import { paths } from '../src/paths.ts';
import { loadPolicies, type Policies } from '../src/policy/load.ts';
import { seedDemoData } from '../src/seed/insert.ts';
import { ensureStylesheet } from '../src/web/stylesheet.ts';
import { hiddenField } from '../tools/http/cookie-client.ts';
import { freePort } from '../tools/http/free-port.ts';
import { signIn } from '../tools/http/sign-in.ts';
import { createBenchDatabase, seedAccessLog, type BenchDatabase } from './database.ts';
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
const DSL = 'dsl-riverside';
const ED = 'ed-clinician';
const LOOKUP_REASON = 'Child attending the emergency department';
const CONCERN_TARGET = 'DSL concern (POST /concerns)';
/** Replaced by a new UUID in every concern POST (bench/load-worker.ts). */
const FRESH_KEY = '00000000-fresh-key-0000-000000000000';

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
  const result = await timed(`${number(CHILDREN)} children (seedDemoData)`, () => seedDemoData(sql, { children: CHILDREN }));
  console.log(`    rows: ${Object.entries(result.counts).map(([table, count]) => `${table} ${number(count)}`).join(', ')}`);
  await timed(`${number(ACCESS_LOG_ROWS)} access_log rows (one INSERT … SELECT)`, () => seedAccessLog(sql, ACCESS_LOG_ROWS));
  await timed('vacuum analyze', async () => {
    await sql`vacuum analyze`;
  });
}

async function startServer(sql: Sql, policies: Policies): Promise<{ baseUrl: string; auth: AuthSettings; floorChild: { id: string } }> {
  await ensureStylesheet();
  const log = createLogger('silent');
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const identity: DevelopmentIdentity = await startDevelopmentIdentity({ port: 0, host: '127.0.0.1', publicUrl: baseUrl, log });
  cleanups.push(() => identity.close());
  const auth: AuthSettings = {
    publicUrl: baseUrl,
    providers: identity.providers,
    timeouts: { idleMs: 60 * 60_000, absoluteMs: 10 * 3_600_000 },
    signInRateLimit: { limit: 10_000, windowSeconds: 600 },
    secureCookies: false,
  };
  // One clinician makes thousands of lookups here: the per-person limit's counter still runs on
  // each (its cost is measured), with a limit the load cannot reach.
  const app = createApp({ sql, log, config: { NODE_ENV: 'production' }, auth, policies, lookupRateLimit: { limit: 1_000_000, windowSeconds: 3600 } });

  // Registered after createApp, so behind its session middleware like every partner page.
  const floorChild = { id: '00000000-0000-0000-0000-000000000000' };
  app.get('/bench/floor', async (c) => {
    await sql`select id from children where id = ${floorChild.id}`;
    return c.body(null, 204);
  });

  const server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => resolve(s as Server));
  });
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { baseUrl, auth, floorChild };
}

async function sessionCookie(baseUrl: string, auth: AuthSettings, sub: string): Promise<string> {
  const { client, response } = await signIn({ baseUrl }, sub);
  check(response.status === 200, `signing in as ${sub} ended with ${response.status}`);
  const name = sessionCookieName(auth);
  const value = client.cookie('127.0.0.1', name)?.value;
  check(value, `no ${name} cookie after signing in as ${sub}`);
  return `${name}=${value}`;
}

interface Target {
  name: string;
  spec: LoadSpec;
}

async function prepareTargets(sql: Sql, baseUrl: string, auth: AuthSettings, floorChild: { id: string }): Promise<Target[]> {
  const dslCookie = await sessionCookie(baseUrl, auth, DSL);
  const edCookie = await sessionCookie(baseUrl, auth, ED);
  const get = (path: string, cookie: string) => fetch(`${baseUrl}${path}`, { headers: { Cookie: cookie }, redirect: 'manual' });

  // A child the DSL may see: the first on their list.
  const list = await get('/children', dslCookie);
  const listHtml = await list.text();
  check(list.status === 200, `GET /children as ${DSL} gave ${list.status}`);
  const childId = /href="\/children\/([0-9a-f-]{36})"/.exec(listHtml)?.[1];
  check(childId, `no child on ${DSL}'s list`);
  const summary = await get(`/children/${childId}`, dslCookie);
  check(summary.status === 200, `GET /children/${childId} as ${DSL} gave ${summary.status}`);
  await summary.arrayBuffer();
  floorChild.id = childId;

  // An open, unsealed child with an NHS number, preferably with an allocated social worker
  // (then a lookup also writes the worker's notification, as in real use).
  const [child] = await sql<{ nhsNumber: string; allocated: boolean }[]>`
    select c.nhs_number as "nhsNumber",
           exists (select 1 from allocations a where a.child_id = c.id and a.end_date is null) as allocated
    from children c
    where not c.sealed and c.nhs_number is not null
      and exists (select 1 from involvements i where i.child_id = c.id and i.end_date is null)
    order by allocated desc, c.id
    limit 1`;
  check(child, 'no open, unsealed child with an NHS number');
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
  const body = new URLSearchParams({ csrf_token: csrf, method: 'nhs', nhsNumber: child.nhsNumber, reason: LOOKUP_REASON }).toString();
  const lookup = await fetch(`${baseUrl}/lookup`, { method: 'POST', headers: lookupHeaders, body, redirect: 'manual' });
  const lookupHtml = await lookup.text();
  check(lookup.status === 200 && lookupHtml.includes('Record found'), `POST /lookup as ${ED} gave ${lookup.status} without "Record found"`);

  // A concern about the same pupil, as the DSL would send it from check-your-answers.
  const concernForm = await get(`/concerns/new?child=${childId}`, dslCookie);
  const concernHtml = await concernForm.text();
  check(concernForm.status === 200, `GET /concerns/new as ${DSL} gave ${concernForm.status}`);
  const formHeaders = { ...lookupHeaders, Cookie: dslCookie };
  const yesterday = new Date(Date.now() - 86_400_000);
  const concernBody = new URLSearchParams({
    csrf_token: hiddenField(concernHtml, 'csrf_token') ?? '', idempotencyKey: FRESH_KEY, childId,
    category: 'neglect', whatHappened: 'Arrived hungry and without a coat again; said there was no food at home.',
    'when-day': String(yesterday.getDate()), 'when-month': String(yesterday.getMonth() + 1), 'when-year': String(yesterday.getFullYear()),
    childWords: 'There’s nothing in the cupboards.', immediateRisk: 'no', actionsTaken: 'Breakfast club place offered.',
    parentsAware: 'yes', parentsNotAwareReason: '', referrerPhone: '01632 960 001', referrerEmail: 'dsl@riverside.example',
  }).toString();
  const sent = await fetch(`${baseUrl}/concerns`, { method: 'POST', headers: formHeaders, body: concernBody.replace(FRESH_KEY, randomUUID()), redirect: 'manual' });
  check(sent.status === 303 && sent.headers.get('location')?.startsWith('/concerns/SPP-'), `POST /concerns as ${DSL} gave ${sent.status}: ${(await sent.text()).slice(0, 300)}`);

  const floor = await get('/bench/floor', dslCookie);
  check(floor.status === 204, `GET /bench/floor with a session gave ${floor.status}`);
  const anonymous = await fetch(`${baseUrl}/bench/floor`, { redirect: 'manual' });
  check(anonymous.status === 302, `GET /bench/floor without a session gave ${anonymous.status}, not the sign-in redirect`);

  console.log(`  summary child: one of ${DSL}'s pupils; lookup child: open, unsealed${child.allocated ? ', with an allocated social worker' : ''}`);
  const common = { ...LOAD };
  return [
    { name: 'floor (GET /bench/floor)', spec: { ...common, url: `${baseUrl}/bench/floor`, method: 'GET', headers: { Cookie: dslCookie } } },
    { name: 'DSL summary (GET /children/:id)', spec: { ...common, url: `${baseUrl}/children/${childId}`, method: 'GET', headers: { Cookie: dslCookie } } },
    { name: 'ED lookup (POST /lookup)', spec: { ...common, url: `${baseUrl}/lookup`, method: 'POST', headers: lookupHeaders, body } },
    {
      name: CONCERN_TARGET,
      spec: { ...common, url: `${baseUrl}/concerns`, method: 'POST', headers: formHeaders, body: concernBody, okStatus: 303, freshKey: FRESH_KEY },
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
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const line = (row: string[]) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ');
  console.log(line(rows[0]!));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows.slice(1)) console.log(line(row));
}

async function main(): Promise<void> {
  const cpus = os.cpus();
  console.log('Environment');
  console.log(`  node ${process.version}, ${cpus.length} CPUs (${cpus[0]?.model.trim() ?? 'unknown'}), ${os.platform()} ${os.release()}`);

  // Before the long seeding, so a broken policy file fails the run at once.
  const policies = await loadPolicies(paths.policies);
  const database: BenchDatabase = await createBenchDatabase(process.env.DATABASE_URL || undefined);
  cleanups.push(() => database.drop());
  const sql = connect(database.url);
  cleanups.push(() => sql.end({ timeout: 5 }));
  const [version] = await sql<{ version: string }[]>`select current_setting('server_version') as version`;
  console.log(`  database: PostgreSQL ${version?.version ?? '?'}, ${database.description}`);

  await seed(sql);

  console.log('Server');
  const { baseUrl, auth, floorChild } = await timed('app and development identity provider started', () => startServer(sql, policies));
  const targets = await timed('DSL and ED clinician signed in, each target answered once', () =>
    prepareTargets(sql, baseUrl, auth, floorChild),
  );

  console.log(
    `Load (autocannon in a separate process, over loopback to ${baseUrl}): ${LOAD.connections} connections; ` +
      `${WARMUP.rounds} warm-up rounds of ${number(WARMUP.amount)} per target (not reported), then ${ROUNDS} rounds of ${number(LOAD.amount)} per target ` +
      `(each run stops at ${LOAD.capSeconds} s)`,
  );
  const load = new LoadGenerator();
  cleanups.push(() => load.close());
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
  const results: TargetResult[] = targets.map((target, index) => ({
    name: target.name,
    summary: summarise(target.name, combine(runs[index]!)),
    roundRates: runs[index]!.map(perSecond),
    roundRatios: runs[index]!.map((run, round) => perSecond(run) / perSecond(floorRuns[round]!)),
  }));

  // Every successful concern POST (and the one in set-up) must have made exactly one concern.
  const [{ concerns } = { concerns: 0 }] = await sql<{ concerns: number }[]>`select count(*)::int as concerns from concerns`;
  const concernIndex = targets.findIndex((t) => t.name === CONCERN_TARGET);
  const concernsSent = 1 + [...runs[concernIndex]!, ...warmups[concernIndex]!].reduce((sum, r) => sum + r.latenciesMs.length, 0);
  check(concerns === concernsSent, `${number(concernsSent)} concerns sent but ${number(concerns)} in the database`);

  console.log('\nResults (all rounds together; latency per successful request; req/s = responses ÷ time to the last response)');
  printTable(results);
  const concern = results[concernIndex]!.summary;
  console.log(`\nConcern submission: ${concern.requestsPerSecond.toFixed(0)} submissions/s, p99 ${concern.p99Ms.toFixed(2)} ms; ` +
    `${number(concerns)} concerns written, one for each submission.`);
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
