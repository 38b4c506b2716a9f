// GET /metrics (issue 18, point 5): the Prometheus text format, with the figures an operations
// team watches — the outbox's oldest undelivered e-mail and its failures, the access log's
// chaining and witnessing lag — made from real rows, and nothing that could identify anyone.
// Who may read it in production, over real HTTP: test/proxy.test.ts.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Hono } from 'hono';
import { beforeAll, describe, expect, it } from 'vitest';
import { recordAccess } from '../src/audit/access-log.ts';
import { chainNewEntries } from '../src/audit/chain.ts';
import { writeWitness } from '../src/audit/witness.ts';
import { connect } from '../src/db/connect.ts';
import { healthRoutes, type HealthOptions } from '../src/health/routes.ts';
import { enqueue } from '../src/notifications/outbox.ts';
import { deliverDue } from '../src/notifications/worker.ts';
import { accessEntry } from './support/access-entries.ts';
import { useTestDatabase } from './support/database.ts';
import { buildTestApp } from './support/in-process-app.ts';

const db = useTestDatabase();
let witnessFile: string;
beforeAll(() => {
  witnessFile = path.join(mkdtempSync(path.join(tmpdir(), 'portal-metrics-')), 'audit-witness.jsonl');
});

function health(options: HealthOptions = {}, sql = db().sql) {
  const app = new Hono();
  app.route('/', healthRoutes(sql, { witnessFile, ...options }));
  app.notFound((c) => c.text('Page not found', 404));
  return app;
}

/** Every line is a comment or `name value` (or `name{label="value"} value`): nothing else can be in it. */
const LINE = /^(# HELP portal_[a-z_]+ [A-Za-z0-9_ ,.;:()'-]+|# TYPE portal_[a-z_]+ (gauge|counter)|portal_[a-z_]+(\{[a-z_]+="[a-z0-9-]+"\})? (-?\d+(\.\d+)?|NaN|[+-]Inf))$/;

async function scrape(options: HealthOptions = {}, sql = db().sql): Promise<Map<string, number>> {
  const response = await health(options, sql).request('/metrics');
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
  expect(response.headers.get('cache-control')).toBe('no-store');
  const body = await response.text();
  expect(body.endsWith('\n')).toBe(true);
  const lines = body.slice(0, -1).split('\n');
  for (const line of lines) expect(line).toMatch(LINE);
  return new Map(lines.filter((l) => !l.startsWith('#')).map((l) => {
    const [name, value] = l.split(' ');
    return [name!, Number(value)];
  }));
}

const message = (n: number) => ({
  kind: 'test_message', recipient: `front.door.${n}@council.example`, subject: 'Something to read', body: 'Sign in to read it.', dedupeKey: `metrics-test:${n}`,
});

describe('the figures', () => {
  it('start at zero on an empty portal', async () => {
    const metrics = await scrape();
    expect(metrics.get('portal_up')).toBe(1);
    expect(metrics.get('portal_database_up')).toBe(1);
    expect(metrics.get('portal_process_start_time_seconds')).toBeGreaterThan(Date.now() / 1000 - 3600);
    expect(metrics.get('portal_process_resident_memory_bytes')).toBeGreaterThan(0);
    for (const name of ['portal_outbox_undelivered_messages', 'portal_outbox_oldest_undelivered_age_seconds', 'portal_outbox_failed_messages',
      'portal_outbox_retrying_messages', 'portal_access_log_chain_position', 'portal_access_log_unchained_entries', 'portal_access_log_oldest_unchained_age_seconds']) {
      expect(metrics.get(name), name).toBe(0);
    }
    expect(metrics.get('portal_access_log_witness_present')).toBe(0);
    expect(metrics.has('portal_access_log_witness_age_seconds')).toBe(false);
  });

  it('count the outbox\'s waiting, retrying and failed e-mails and the age of the oldest waiting', async () => {
    const sql = db().sql;
    for (const n of [1, 2, 3, 4]) await enqueue(sql, message(n));
    const failing = async () => {
      throw new Error('mail server said no to front.door@council.example');
    };
    // Three attempts each, with no wait between them: with maxAttempts 3 the worker marks them failed.
    for (let attempt = 0; attempt < 3; attempt += 1) await deliverDue(sql, failing, { retryDelaySeconds: () => 0, maxAttempts: 3, batchSize: 3 });
    // The fourth fails once and waits to be tried again.
    await deliverDue(sql, failing, { retryDelaySeconds: () => 0, maxAttempts: 3 });
    await enqueue(sql, message(5));
    // The fourth was queued an hour ago (the outbox's writer always says now()).
    await sql`update outbox set created_at = now() - interval '1 hour' where dedupe_key = 'metrics-test:4'`;
    const metrics = await scrape();
    expect(metrics.get('portal_outbox_failed_messages')).toBe(3);
    expect(metrics.get('portal_outbox_undelivered_messages')).toBe(2);
    expect(metrics.get('portal_outbox_retrying_messages')).toBe(1);
    expect(metrics.get('portal_outbox_oldest_undelivered_age_seconds')).toBeGreaterThanOrEqual(3600);
    expect(metrics.get('portal_outbox_oldest_undelivered_age_seconds')).toBeLessThan(3700);

    await deliverDue(sql, async () => {}, { maxAttempts: 20 });
    const after = await scrape();
    expect(after.get('portal_outbox_undelivered_messages')).toBe(0);
    expect(after.get('portal_outbox_retrying_messages')).toBe(0);
    expect(after.get('portal_outbox_failed_messages')).toBe(3); // failed stays failed until retried by hand
    expect(after.get('portal_outbox_oldest_undelivered_age_seconds')).toBe(0);
  });

  it('show the access log\'s chaining lag and how far the witness file is behind', async () => {
    const sql = db().sql;
    for (let i = 0; i < 5; i += 1) await recordAccess(sql, accessEntry());
    const waiting = await scrape();
    expect(waiting.get('portal_access_log_unchained_entries')).toBe(5);
    expect(waiting.get('portal_access_log_oldest_unchained_age_seconds')).toBeGreaterThanOrEqual(0);
    expect(waiting.get('portal_access_log_chain_position')).toBe(0);

    expect(await chainNewEntries(sql)).toBe(5);
    await writeWitness(sql, witnessFile);
    const witnessed = await scrape();
    expect(witnessed.get('portal_access_log_unchained_entries')).toBe(0);
    expect(witnessed.get('portal_access_log_chain_position')).toBe(5);
    expect(witnessed.get('portal_access_log_witness_present')).toBe(1);
    expect(witnessed.get('portal_access_log_unwitnessed_entries')).toBe(0);
    expect(witnessed.get('portal_access_log_witness_age_seconds')).toBeLessThan(60);

    for (let i = 0; i < 2; i += 1) await recordAccess(sql, accessEntry());
    await chainNewEntries(sql);
    const behind = await scrape();
    expect(behind.get('portal_access_log_chain_position')).toBe(7);
    expect(behind.get('portal_access_log_unwitnessed_entries')).toBe(2);
  });

  it('carry nothing about anyone: no address, name or message text', async () => {
    const body = await (await health().request('/metrics')).text();
    expect(body).not.toMatch(/@|council\.example|Priya|Emergency|mail server|Something to read/);
  });

  it('still answer while the database is away, saying so', async () => {
    const away = connect('postgres://postgres@127.0.0.1:1/portal', { connect_timeout: 1, max: 1 });
    try {
      const metrics = await scrape({}, away);
      expect(metrics.get('portal_up')).toBe(1);
      expect(metrics.get('portal_database_up')).toBe(0);
      expect(metrics.has('portal_outbox_undelivered_messages')).toBe(false);
    } finally {
      await away.end({ timeout: 1 });
    }
  });
});

describe('who may read them', () => {
  const token = 'a-metrics-token-of-some-length-0123';

  it('outside production without a token: anyone (a developer\'s machine)', async () => {
    expect((await health({ production: false }).request('/metrics')).status).toBe(200);
    // …and through the whole app, without signing in.
    const app = await buildTestApp(db().sql);
    try {
      expect((await app.app.request('/metrics')).status).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('in production without a token: nobody', async () => {
    const app = health({ production: true });
    expect((await app.request('/metrics')).status).toBe(404);
    expect((await app.request('/metrics', { headers: { Authorization: 'Bearer ' } })).status).toBe(404);
  });

  it('with a token, in production or not: only its bearer', async () => {
    for (const production of [true, false]) {
      const app = health({ production, token });
      expect((await app.request('/metrics', { headers: { Authorization: `Bearer ${token}` } })).status).toBe(200);
      for (const authorization of ['', `Bearer ${token.slice(0, -1)}`, `bearer ${token}`, token]) {
        const response = await app.request('/metrics', { headers: authorization ? { Authorization: authorization } : {} });
        expect(response.status, authorization).toBe(404);
        expect(await response.text()).toBe('Page not found');
      }
    }
  });
});
