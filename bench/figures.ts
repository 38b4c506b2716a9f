// `npm run bench:figures`: how long each figure's page takes at a county's size (issue 17,
// point 4), not part of `npm test`. On a fresh database (DATABASE_URL's server, or an embedded
// PostgreSQL): BENCH_FIGURES_CHILDREN demo children (default 1,000,000, or the seed's most if it
// takes fewer) through the seed, then —
// generated in the database, set-based (bench/figures-data.ts) — BENCH_FIGURES_CONCERNS concerns
// over the last year (default 300,000) with their decisions, BENCH_FIGURES_ACCESS_LOG_ROWS
// partner looks (default 1,000,000) and BENCH_FIGURES_AUDITS completed case-file audits (default
// 2,000). Then it runs the real app in this process with the real development identity provider,
// signs a team manager in through the real sign-in flow, and times, one request at a time over
// loopback, each figure's page for the last 12 months (exact, and marked for sharing) and its
// CSV, beside the floor: GET /bench/floor, one primary-key SELECT behind the same session
// middleware, rendering nothing. Prints each target's median and worst of BENCH_FIGURES_ROUNDS
// (default 5, after one warm-up) and the median as a ratio to the floor's. Any non-200 fails.
import type { Server } from 'node:http';
import os from 'node:os';
import { serve } from '@hono/node-server';
import { createApp } from '../src/app.ts';
import { startDevelopmentIdentity } from '../src/auth/dev-provider/setup.ts';
import { sessionCookieName, type AuthSettings } from '../src/auth/settings.ts';
import { countAccessLogDays } from '../src/audit/access-log-daily.ts';
import { connect } from '../src/db/connect.ts';
import { migrate } from '../src/db/migrate.ts';
import { figureIds } from '../src/figures/figures.ts';
import { createLogger } from '../src/log.ts';
import { paths } from '../src/paths.ts';
import { loadPolicies } from '../src/policy/load.ts';
import { MAX_CHILDREN } from '../src/seed/generate.ts';
import { seedDemoData } from '../src/seed/insert.ts';
import { ensureStylesheet } from '../src/web/stylesheet.ts';
import { freePort } from '../tools/http/free-port.ts';
import { signIn } from '../tools/http/sign-in.ts';
import { createBenchDatabase } from './database.ts';
import { generateFigureData } from './figures-data.ts';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
// 1,000,000 once the seed takes that many (src/seed/generate.ts MAX_CHILDREN); until then its most.
const CHILDREN = env('BENCH_FIGURES_CHILDREN', Math.min(1_000_000, MAX_CHILDREN));
const CONCERNS = env('BENCH_FIGURES_CONCERNS', 300_000);
const ACCESS_LOG_ROWS = env('BENCH_FIGURES_ACCESS_LOG_ROWS', 1_000_000);
const AUDITS = env('BENCH_FIGURES_AUDITS', 2_000);
const ROUNDS = env('BENCH_FIGURES_ROUNDS', 5);
const MANAGER = 'tm-helen-whitaker';

const number = (n: number) => n.toLocaleString('en-GB');
async function timed<T>(label: string, step: () => Promise<T>): Promise<T> {
  const at = performance.now();
  const result = await step();
  console.log(`  ${label}: ${((performance.now() - at) / 1000).toFixed(1)} s`);
  return result;
}

const cleanups: Array<() => Promise<void>> = [];
async function cleanUp() {
  for (const undo of cleanups.splice(0).reverse()) {
    try { await undo(); } catch (error) { console.error(`clean-up failed: ${(error as Error).message}`); }
  }
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void cleanUp().finally(() => process.exit(130)));

async function main() {
  console.log(`Figures benchmark: ${os.cpus().length} cores, Node ${process.version}`);
  const database = await createBenchDatabase(process.env.DATABASE_URL);
  cleanups.push(() => database.drop());
  console.log(`Database: ${database.description}`);
  const sql = connect(database.url, { max: 4 });
  cleanups.push(() => sql.end({ timeout: 5 }));

  console.log('Seeding');
  await timed('migrations', () => migrate(sql));
  await timed(`${number(CHILDREN)} children (seedDemoData)`, () => seedDemoData(sql, { children: CHILDREN }));
  await timed(`${number(CONCERNS)} concerns, ${number(ACCESS_LOG_ROWS)} access-log rows, ${number(AUDITS)} audits (INSERT … SELECT)`, () =>
    generateFigureData(sql, { concerns: CONCERNS, accessLogRows: ACCESS_LOG_ROWS, audits: AUDITS, end: new Date(), days: 365 }));
  // As the hourly background step would have (src/audit/access-log-daily.ts).
  await timed('access log counted by day (countAccessLogDays)', () => countAccessLogDays(sql));
  await timed('vacuum analyze', async () => { await sql`vacuum analyze`; });

  await ensureStylesheet();
  const log = createLogger('silent');
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const identity = await startDevelopmentIdentity({ port: 0, host: '127.0.0.1', publicUrl: baseUrl, log });
  cleanups.push(() => identity.close());
  const auth: AuthSettings = {
    publicUrl: baseUrl, providers: identity.providers, secureCookies: false,
    timeouts: { idleMs: 60 * 60_000, absoluteMs: 10 * 3_600_000 }, signInRateLimit: { limit: 10_000, windowSeconds: 600 },
  };
  const app = createApp({ sql, log, config: { NODE_ENV: 'production' }, auth, policies: await loadPolicies(paths.policies) });
  // Registered after createApp, so behind its session middleware like the figures.
  const [{ id: floorId }] = await sql<[{ id: string }]>`select id from children limit 1`;
  app.get('/bench/floor', async (c) => {
    await sql`select id from children where id = ${floorId}`;
    return c.body(null, 204);
  });
  const server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => resolve(s as Server));
  });
  cleanups.push(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }));

  const { client, response } = await signIn({ baseUrl }, MANAGER);
  if (response.status !== 200) throw new Error(`signing in as ${MANAGER} ended with ${response.status}`);
  const cookie = `${sessionCookieName(auth)}=${client.cookie('127.0.0.1', sessionCookieName(auth))!.value}`;

  const targets: Array<{ name: string; path: string }> = [{ name: 'floor (one primary-key SELECT)', path: '/bench/floor' }];
  for (const id of figureIds) {
    targets.push({ name: `${id}`, path: `/figures/${id}` });
    targets.push({ name: `${id} (for sharing)`, path: `/figures/${id}?view=shared` });
    targets.push({ name: `${id}.csv`, path: `/figures/${id}.csv` });
  }
  const times = new Map<string, number[]>(targets.map((t) => [t.name, []]));
  for (let round = -1; round < ROUNDS; round++) {
    for (const target of targets) {
      const at = performance.now();
      const res = await fetch(`${baseUrl}${target.path}`, { headers: { Cookie: cookie }, redirect: 'manual' });
      await res.arrayBuffer();
      const ms = performance.now() - at;
      if (res.status !== 200 && res.status !== 204) throw new Error(`${target.path} gave ${res.status}`);
      if (round >= 0) times.get(target.name)!.push(ms);
    }
  }
  const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]!; };
  const floor = median(times.get(targets[0]!.name)!);
  console.log(`\nEach target ${ROUNDS} times, one request at a time (ms; ratio = median / floor's median)`);
  console.log(`${'target'.padEnd(36)} ${'median'.padStart(8)} ${'worst'.padStart(8)} ${'ratio'.padStart(8)}`);
  let slowest = 0;
  for (const target of targets) {
    const xs = times.get(target.name)!;
    slowest = Math.max(slowest, ...(target.path === '/bench/floor' ? [] : xs));
    console.log(`${target.name.padEnd(36)} ${median(xs).toFixed(1).padStart(8)} ${Math.max(...xs).toFixed(1).padStart(8)} ${(median(xs) / floor).toFixed(1).padStart(8)}`);
  }
  console.log(`\nSlowest figure request: ${slowest.toFixed(0)} ms (${slowest < 1000 ? 'under' : 'OVER'} a second)`);
}

try {
  await main();
} finally {
  await cleanUp();
}
