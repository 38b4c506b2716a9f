// Both cores (issue 15 point 4): `npm start` with WEB_CONCURRENCY=2, as real processes on
// loopback. Every request here goes over a new connection, so node:cluster hands consecutive
// requests to the workers in turn: a sign-in that works only if both workers share its state.
import http from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { seedDemoData } from '../src/seed/insert.ts';
import { enqueue } from '../src/notifications/outbox.ts';
import { recordAccess } from '../src/audit/access-log.ts';
import { CookieClient } from '../tools/http/cookie-client.ts';
import { signIn } from '../tools/http/sign-in.ts';
import { accessEntry } from './support/access-entries.ts';
import { useTestDatabase } from './support/database.ts';
import { freePort, spawnServer, type ServerProcess } from './support/process.ts';

const db = useTestDatabase();
let server: ServerProcess;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One request on a connection of its own (no keep-alive), as a Response. */
function freshConnection(url: URL, init: RequestInit): Promise<Response> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((value, name) => (headers[name] = value));
    const request = http.request(url, { method: init.method ?? 'GET', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const out = new Headers();
        for (const [name, value] of Object.entries(res.headers)) {
          for (const one of Array.isArray(value) ? value : [value ?? '']) out.append(name, one);
        }
        const status = res.statusCode ?? 500;
        resolve(new Response([101, 204, 205, 304].includes(status) ? null : Buffer.concat(chunks), { status, headers: out }));
      });
      res.on('error', reject);
    });
    request.on('error', reject);
    request.end(typeof init.body === 'string' ? init.body : undefined);
  });
}

async function workerIdOf(baseUrl: string): Promise<number> {
  const text = await (await freshConnection(new URL('/metrics', baseUrl), {})).text();
  const id = /^portal_worker_id (\d+)$/m.exec(text)?.[1];
  if (!id) throw new Error(`no portal_worker_id in /metrics:\n${text.slice(0, 500)}`);
  return Number(id);
}

/** The portal at its public address (PUBLIC_URL defaults to http://localhost:PORT), where sign-in returns. */
const portal = () => ({ baseUrl: server.baseUrl.replace('127.0.0.1', 'localhost') });

const lines = (pattern: RegExp) => server.output.filter((line) => pattern.test(line)).map((line) => JSON.parse(line) as Record<string, unknown>);

beforeAll(async () => {
  await seedDemoData(db().sql);
  server = await spawnServer({ DATABASE_URL: db().url, WEB_CONCURRENCY: '2', DEV_IDP_PORT: String(await freePort()) });
  await server.waitUntilReady(60_000);
  for (let i = 0; i < 100 && lines(/"msg":"portal listening"/).length < 2; i++) await sleep(200);
}, 90_000);

afterAll(async () => {
  if (server && server.child.exitCode === null) server.child.kill('SIGKILL');
});

it('starts two workers, and both answer', async () => {
  expect(lines(/"msg":"starting workers"/)[0]).toMatchObject({ workers: 2 });
  expect(new Set(lines(/"msg":"portal listening"/).map((line) => line.pid)).size).toBe(2);
  const answered = new Set<number>();
  for (let i = 0; i < 10; i++) answered.add(await workerIdOf(server.baseUrl));
  expect(answered.size).toBe(2);
});

it('signs in through the development provider whichever worker each step reaches', async () => {
  for (const sub of ['dsl-riverside', 'police-ppu', 'dsl-riverside', 'police-ppu', 'dsl-riverside']) {
    const client = new CookieClient(freshConnection);
    const { response, url, html } = await signIn(portal(), sub, client);
    expect(response.status).toBe(200);
    expect(url.origin).toBe(portal().baseUrl);
    expect(html).toContain('Sign out');
    // Still signed in on the next requests, whichever worker takes them.
    for (let i = 0; i < 2; i++) {
      const home = await client.request(new URL('/', portal().baseUrl));
      expect(home.status).toBe(200);
      expect(await home.text()).toContain('Sign out');
    }
  }
  // The provider's sign-ins were kept where every worker reads them.
  const [stored] = await db().sql<{ n: number }[]>`select count(*)::int as n from identity_provider_store where model = 'Session'`;
  expect(stored!.n).toBeGreaterThan(0);
}, 60_000);

it('runs each background task in one worker: every message sent once, every log row chained once', async () => {
  const leaders = (task: string) => lines(/"msg":"leading background task"/).filter((line) => line.task === task);
  expect(leaders('access-log chain')).toHaveLength(1);
  expect(leaders('purge')).toHaveLength(1);

  for (let i = 0; i < 30; i++) {
    await enqueue(db().sql, { kind: 'test', recipient: `worker-test-${i}@example.org`, subject: 'Test', body: 'A test message.', dedupeKey: `workers-test-${i}` });
    await recordAccess(db().sql, accessEntry());
  }
  let left = 30;
  for (let i = 0; i < 150 && left > 0; i++) {
    await sleep(200);
    const [row] = await db().sql<{ n: number }[]>`
      select ((select count(*) from outbox where dedupe_key like 'workers-test-%' and delivered_at is null)
            + (select count(*) from access_log a where not exists (select 1 from access_log_chain c where c.log_id = a.id)))::int as n`;
    left = row!.n;
  }
  expect(left).toBe(0);
  // Each message claimed once (a second claim would count a second attempt) and recorded once.
  const attempts = await db().sql<{ attempts: number }[]>`select attempts from outbox where dedupe_key like 'workers-test-%'`;
  expect(attempts.map((row) => row.attempts)).toEqual(Array(30).fill(1));
  const [sent] = await db().sql<{ n: number }[]>`
    select count(*)::int as n from sent_messages s join outbox o on o.id = s.outbox_id where o.dedupe_key like 'workers-test-%'`;
  expect(sent!.n).toBe(30);
  const [chain] = await db().sql<{ rows: number; positions: number; max: number }[]>`
    select count(*)::int as rows, count(distinct position)::int as positions, max(position)::int as max from access_log_chain`;
  expect(chain).toEqual({ rows: chain!.rows, positions: chain!.rows, max: chain!.rows });
  expect(server.output.filter((line) => /chaining failed|delivery run failed/.test(line))).toEqual([]);
}, 60_000);

it('restarts a killed worker while the other keeps serving, and another takes over its background work', async () => {
  const chainLeader = lines(/"msg":"leading background task"/).find((line) => line.task === 'access-log chain')!.pid as number;
  const before = lines(/"msg":"portal listening"/).length;
  process.kill(chainLeader, 'SIGKILL');
  await server.waitForOutput(/"msg":"worker exited; starting a new one"/);
  // The other worker answers while the new one starts.
  for (let i = 0; i < 4; i++) expect((await freshConnection(new URL('/healthz', server.baseUrl), {})).status).toBe(200);
  for (let i = 0; i < 150 && lines(/"msg":"portal listening"/).length === before; i++) await sleep(200);
  expect(lines(/"msg":"portal listening"/)).toHaveLength(before + 1);
  // The chain is led again, by a live worker (the other one, or the new one).
  for (let i = 0; i < 100 && lines(/"msg":"leading background task"/).filter((line) => line.task === 'access-log chain').length < 2; i++) await sleep(200);
  const chainLeaders = lines(/"msg":"leading background task"/).filter((line) => line.task === 'access-log chain');
  expect(chainLeaders).toHaveLength(2);
  expect(chainLeaders[1]!.pid).not.toBe(chainLeader);
  await recordAccess(db().sql, accessEntry());
  let unchained = 1;
  for (let i = 0; i < 100 && unchained > 0; i++) {
    await sleep(200);
    const [row] = await db().sql<{ n: number }[]>`
      select count(*)::int as n from access_log a where not exists (select 1 from access_log_chain c where c.log_id = a.id)`;
    unchained = row!.n;
  }
  expect(unchained).toBe(0);
  // Both workers answer again.
  const answered = new Set<number>();
  for (let i = 0; i < 10; i++) answered.add(await workerIdOf(server.baseUrl));
  expect(answered.size).toBe(2);
}, 60_000);

it('on SIGTERM drains both workers, says "shutting down" then "stopped", and exits 0', async () => {
  server.child.kill('SIGTERM');
  await server.waitForOutput(/"msg":"shutting down"/);
  expect(await server.exited).toBe(0);
  expect(lines(/"msg":"worker stopped"/)).toHaveLength(2);
  expect(server.output.join('\n')).toContain('"msg":"stopped"');
}, 60_000);
