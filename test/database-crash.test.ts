// The portal outlives its database: kill -9 of PostgreSQL while concerns are being sent and pages
// viewed, then PostgreSQL back. Against the real portal process (the supervisor and its worker,
// as `npm start` runs them) and real HTTP, for both kinds of PostgreSQL: the embedded one (the
// supervisor starts it again by itself) and a standalone server this test starts with pg_ctl on a
// free port, kills, and starts again. Checked: the portal keeps answering (any worker restart is
// counted), /readyz is 503 while the database is away and 200 after, every request gets 200, 303
// or the 503 "try again" page (never a 500, never a hang), and every acknowledged concern is in
// the database afterwards.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { connect } from '../src/db/connect.ts';
import { seedDemoData } from '../src/seed/insert.ts';
import { signIn } from '../tools/http/sign-in.ts';
import { goodAnswers } from './support/concerns.ts';
import { hiddenField } from './support/http-client.ts';
import { freePort, spawnServer, type ServerProcess } from './support/process.ts';

const PG_BIN = '/usr/lib/postgresql/15/bin';
const DSL = 'dsl-riverside';
const REQUEST_LIMIT_MS = 25_000; // a request not answered by then counts as a hang
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await Promise.resolve(cleanup()).catch(() => {});
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs a PostgreSQL tool as the postgres OS user when we are root (PostgreSQL refuses root). */
function pgTool(tool: string, args: string[]): void {
  const asRoot = process.getuid?.() === 0;
  const command = asRoot ? 'runuser' : path.join(PG_BIN, tool);
  const fullArgs = asRoot ? ['-u', 'postgres', '--', path.join(PG_BIN, tool), ...args] : args;
  execFileSync(command, fullArgs, { stdio: 'pipe', timeout: 30_000 });
}

function postmasterPid(dataDir: string): number {
  return Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
}

async function standalonePostgres() {
  const dir = mkdtempSync(path.join(tmpdir(), 'portal-pg-'));
  chmodSync(dir, 0o755);
  const dataDir = path.join(dir, 'data');
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
    chownSync(dir, uid, gid);
  }
  const port = await freePort();
  pgTool('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8']);
  const start = () =>
    pgTool('pg_ctl', ['-D', dataDir, '-l', path.join(dir, 'log'), '-w', '-t', '30', '-o', `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories= -c fsync=off`, 'start']);
  start();
  const stop = () => {
    spawnSync('runuser', ['-u', 'postgres', '--', path.join(PG_BIN, 'pg_ctl'), '-D', dataDir, '-m', 'immediate', 'stop'], { stdio: 'ignore' });
    if (process.getuid?.() !== 0) spawnSync(path.join(PG_BIN, 'pg_ctl'), ['-D', dataDir, '-m', 'immediate', 'stop'], { stdio: 'ignore' });
    rmSync(dir, { recursive: true, force: true });
  };
  return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, dataDir, start, stop };
}

interface Tally {
  statuses: Map<string, number>;
  acknowledged: string[];
  hangs: number;
  other: string[];
}

/** Starts the portal on our own ports (PUBLIC_URL must be the address we use, for sign-in). */
async function startPortal(env: Record<string, string>): Promise<{ server: ServerProcess; baseUrl: string }> {
  const port = await freePort();
  const idpPort = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const server = await spawnServer({ PORT: String(port), DEV_IDP_PORT: String(idpPort), PUBLIC_URL: baseUrl, LOG_LEVEL: 'info', ...env });
  cleanups.push(async () => {
    if (server.child.exitCode === null && server.child.signalCode === null) {
      server.child.kill('SIGTERM');
      const exited = await Promise.race([server.exited, sleep(30_000).then(() => 'timeout')]);
      if (exited === 'timeout') server.child.kill('SIGKILL');
    }
  });
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (server.child.exitCode !== null) throw new Error(`portal exited:\n${server.output.join('\n')}`);
    const ready = await fetch(`${baseUrl}/readyz`).then((r) => r.status === 200, () => false);
    if (ready) break;
    if (Date.now() > deadline) throw new Error(`portal not ready:\n${server.output.join('\n')}`);
    await sleep(200);
  }
  return { server, baseUrl };
}

/**
 * Kills the database under load and brings it back. `kill` kills it and returns when it is
 * down; `restart` brings it back (or does nothing when the portal does that itself).
 */
async function crashUnderLoad(baseUrl: string, server: ServerProcess, kill: () => void, restart: () => void) {
  const { client } = await signIn({ baseUrl }, DSL);
  const formPage = await client.request(`${baseUrl}/concerns/new`);
  const formHtml = await formPage.text();
  expect(formPage.status).toBe(200);
  const csrf = hiddenField(formHtml, 'csrf_token')!;
  const tally: Tally = { statuses: new Map(), acknowledged: [], hangs: 0, other: [] };
  const count = (key: string) => tally.statuses.set(key, (tally.statuses.get(key) ?? 0) + 1);

  let running = true;
  async function send(kind: 'concern' | 'page'): Promise<void> {
    const init: RequestInit = { signal: AbortSignal.timeout(REQUEST_LIMIT_MS) };
    try {
      let response: Response;
      if (kind === 'concern') {
        response = await client.request(`${baseUrl}/concerns`, {
          ...init,
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: baseUrl, 'Sec-Fetch-Site': 'same-origin' },
          body: new URLSearchParams({ csrf_token: csrf, idempotencyKey: crypto.randomUUID(), childId: '', ...goodAnswers, childForename: 'Crashtestforename', childSurname: 'Crashtestsurname' }).toString(),
        });
      } else {
        response = await client.request(`${baseUrl}/submissions`, init);
      }
      const body = await response.text();
      count(`${kind} ${response.status}`);
      const location = response.headers.get('location');
      if (response.status === 303 && location?.startsWith('/concerns/SPP-')) tally.acknowledged.push(location.slice('/concerns/'.length).replace(/\?sent=1$/, ''));
      else if (response.status === 503 && !/unavailable|has not been sent/i.test(body)) tally.other.push(`${kind} 503 without "try again"`);
      else if (![200, 303, 503].includes(response.status)) tally.other.push(`${kind} ${response.status}`);
    } catch (error) {
      if ((error as Error).name === 'TimeoutError') tally.hangs += 1;
      else tally.other.push(`${kind} ${(error as Error).name}: ${(error as Error).message}`);
      await sleep(100);
    }
  }
  const loops = (['concern', 'concern', 'page'] as const).map(async (kind) => {
    while (running) await send(kind);
  });

  await sleep(1500);
  const before = tally.acknowledged.length;
  const killedAt = Date.now();
  kill();
  // /readyz while the database is away, then after it is back.
  let firstUnready: number | undefined;
  let readyAgain: number | undefined;
  let restarted = false;
  while (Date.now() - killedAt < 45_000) {
    const status = await fetch(`${baseUrl}/readyz`, { signal: AbortSignal.timeout(5000) }).then((r) => r.status, () => 0);
    if (status !== 200 && firstUnready === undefined) firstUnready = Date.now();
    if (firstUnready !== undefined && !restarted && Date.now() - killedAt > 2500) {
      restart();
      restarted = true;
    }
    if (status === 200 && firstUnready !== undefined) {
      readyAgain = Date.now();
      break;
    }
    // Often: the supervisor can have the embedded database back within a few hundred
    // milliseconds, a window a slower poll misses (the requests in flight still see it).
    await sleep(10);
  }
  await sleep(1500); // some more load with the database back
  running = false;
  await Promise.all(loops);
  return { tally, firstUnready, readyAgain, killedAt, acknowledgedBeforeKill: before, workerRestarts: server.output.filter((l) => l.includes('worker exited; starting a new one')).length };
}

async function checkOutcome(url: string, server: ServerProcess, result: Awaited<ReturnType<typeof crashUnderLoad>>, kind: string) {
  const { tally, firstUnready, readyAgain, killedAt } = result;
  const sql = connect(url, { max: 1 });
  let stored: string[];
  try {
    stored = (await sql<{ reference: string }[]>`select reference from concerns where reference in ${sql(tally.acknowledged)}`).map((r) => r.reference);
  } finally {
    await sql.end();
  }
  const summary = {
    kind,
    readyz503Ms: firstUnready && readyAgain ? readyAgain - firstUnready : undefined,
    downToReadyMs: readyAgain ? readyAgain - killedAt : undefined,
    statuses: Object.fromEntries([...tally.statuses.entries()].sort()),
    hangs: tally.hangs,
    other: tally.other,
    acknowledged: tally.acknowledged.length,
    acknowledgedBeforeKill: result.acknowledgedBeforeKill,
    stored: stored.length,
    workerRestarts: result.workerRestarts,
    containedDefects: server.output.filter((l) => l.includes('postgres.js write after close contained')).length,
  };
  console.log(JSON.stringify(summary));
  expect(firstUnready, '/readyz never said 503').toBeDefined();
  expect(readyAgain, `/readyz never said 200 again:\n${server.output.slice(-30).join('\n')}`).toBeDefined();
  expect(tally.hangs).toBe(0);
  expect(tally.other).toEqual([]);
  expect(tally.statuses.get('concern 500') ?? 0).toBe(0);
  expect(tally.acknowledged.length).toBeGreaterThan(result.acknowledgedBeforeKill); // it served after the crash too
  expect(new Set(stored)).toEqual(new Set(tally.acknowledged));
  // The portal (the supervisor) is still there; the log says nothing it should not.
  expect(server.child.exitCode).toBeNull();
  // Whole values only: a bare run of digits such as 01632 turns up in random request ids and hashes.
  expect(server.output.filter((line) => /Crashtest|dsl@riverside|01632 960 001|third day running/.test(line)), 'log lines with what was sent').toEqual([]);
}

it('outlives kill -9 of a standalone PostgreSQL (pg_ctl) under load', async () => {
  const pg = await standalonePostgres();
  cleanups.push(pg.stop);
  // A DATA_DIR of its own: the portal writes its access-log witness there, never into the checkout.
  const dataDir = mkdtempSync(path.join(tmpdir(), 'portal-crash-data-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const { server, baseUrl } = await startPortal({ DATABASE_URL: pg.url, DATA_DIR: dataDir });
  // Only the embedded default loads demo data by itself.
  const seeder = connect(pg.url, { max: 1 });
  await seedDemoData(seeder).finally(() => seeder.end());
  const result = await crashUnderLoad(
    baseUrl,
    server,
    () => process.kill(postmasterPid(pg.dataDir), 'SIGKILL'),
    () => pg.start(),
  );
  await checkOutcome(pg.url, server, result, 'standalone');
}, 150_000);

it('outlives kill -9 of the embedded PostgreSQL under load (the supervisor starts it again)', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'portal-crash-'));
  chmodSync(dir, 0o755);
  const dataDir = path.join(dir, 'data');
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const clusterDir = path.join(dataDir, 'postgres');
  cleanups.push(() => {
    // Should the test fail half-way, the database must not be left running.
    try {
      process.kill(postmasterPid(clusterDir), 'SIGKILL');
    } catch {
      // already stopped
    }
  });
  // spawnServer passes our environment on: without DATABASE_URL, the embedded default.
  const saved = process.env.DATABASE_URL;
  delete process.env.DATABASE_URL;
  let started;
  try {
    started = await startPortal({ DATA_DIR: dataDir });
  } finally {
    if (saved !== undefined) process.env.DATABASE_URL = saved;
  }
  const { server, baseUrl } = started;
  const password = readFileSync(path.join(dataDir, 'postgres-password'), 'utf8').trim();
  const result = await crashUnderLoad(baseUrl, server, () => process.kill(postmasterPid(clusterDir), 'SIGKILL'), () => {});
  const port = Number(readFileSync(path.join(clusterDir, 'postmaster.pid'), 'utf8').split('\n')[3]);
  await checkOutcome(`postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/portal`, server, result, 'embedded');
  // A clean stop stops the embedded database too.
  const pid = postmasterPid(clusterDir);
  server.child.kill('SIGTERM');
  expect(await server.exited).toBe(0);
  expect(server.output.join('\n')).toContain('"msg":"stopped"');
  expect(() => process.kill(pid, 0)).toThrow();
}, 180_000);
