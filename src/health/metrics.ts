// GET /metrics: what an operations team watches, in the Prometheus text exposition format
// (version 0.0.4), which Prometheus, Grafana Agent, Datadog, Zabbix and Azure Monitor all read.
// Counts and ages only: never a name, an address, an identifier or a message's text.
//
// Who may read it: with METRICS_TOKEN set, a request bearing `Authorization: Bearer <token>`;
// without one, anybody outside production and nobody in production. Anyone else gets the
// ordinary "page not found", so the endpoint's existence is no oracle. Scrape it from the
// monitoring network; keep it off the public side of the proxy as well.
import cluster from 'node:cluster';
import { timingSafeEqual } from 'node:crypto';
import { open } from 'node:fs/promises';
import type { Context } from 'hono';
import type { Sql } from '../db/connect.ts';
import { caseSystemFigures, caseSystemSamples } from '../case-system-export/metrics.ts';
import { importSources } from '../imports/records.ts';
import { lastSuccessfulImport } from '../imports/runs.ts';
import { rowsInDefaultPartition } from '../audit/partitions.ts';

export interface MetricsOptions {
  /** METRICS_TOKEN: the bearer token a scraper must send. */
  token?: string;
  /** The access log's witness file (witnessSettings(config).file), for the witness's age. */
  witnessFile?: string;
}

/** How far below the highest chained id to look for rows not yet chained (as the chain worker's ordinary tick does). */
const CHAIN_LOOK_BEHIND = 1000;
const QUERY_LIMIT_MS = 2_000;

export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** May this request read the metrics? */
export function metricsAllowed(c: Context, { token, production }: { token?: string; production: boolean }): boolean {
  if (!token) return !production;
  const sent = Buffer.from(c.req.header('Authorization') ?? '');
  const expected = Buffer.from(`Bearer ${token}`);
  return sent.length === expected.length && timingSafeEqual(sent, expected);
}

type Sample = { name: string; help: string; value: number; type?: 'gauge' | 'counter'; labels?: Record<string, string> };

/** A label set, {source="ssd"}: values escaped as the format says (backslash, quote, newline). */
const labelText = (labels: Record<string, string> | undefined) => (labels && Object.keys(labels).length
  ? `{${Object.entries(labels).map(([key, value]) => `${key}="${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`).join(',')}}`
  : '');

/** The exposition format: HELP and TYPE once for each metric, then its samples (one per label set). */
export function exposition(samples: Sample[]): string {
  return samples
    .map(({ name, help, value, type = 'gauge', labels }, index) => {
      const first = index === 0 || samples[index - 1]!.name !== name;
      return `${first ? `# HELP ${name} ${help}\n# TYPE ${name} ${type}\n` : ''}${name}${labelText(labels)} ${formatValue(value)}\n`;
    })
    .join('');
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf';
  return Number.isInteger(value) ? String(value) : value.toFixed(3);
}

interface DatabaseFigures {
  undelivered: number;
  oldestUndeliveredSeconds: number;
  retrying: number;
  failed: number;
  chainPosition: number;
  unchained: number;
  oldestUnchainedSeconds: number;
}

/** The filing queue (document_filings): its partial indexes of due and failed rows. */
async function filingFigures(sql: Sql): Promise<{ waiting: number; retrying: number; failed: number; oldestSeconds: number }> {
  const [row] = await sql<{ waiting: number; retrying: number; failed: number; oldest: number }[]>`
    select count(*)::int as waiting,
           (count(*) filter (where last_error is not null))::int as retrying,
           (select count(*) from document_filings where failed_at is not null)::int as failed,
           coalesce(extract(epoch from now() - min(created_at)), 0)::float8 as oldest
    from document_filings where filed_at is null and failed_at is null`;
  return { waiting: row!.waiting, retrying: row!.retrying, failed: row!.failed, oldestSeconds: Math.max(0, row!.oldest) };
}

async function databaseFigures(sql: Sql): Promise<DatabaseFigures> {
  // Each of these reads an index (the outbox's partial index of undelivered rows, the chain's
  // primary key and log_id), so a scrape costs the same however long the access log grows.
  const [[outbox], chain] = await Promise.all([
    // Waiting: not sent and not failed (the worker's own partial index, outbox_due). Failed: marked
    // failed by the worker or by the provider's later report (outbox_failed), until retried by hand.
    sql<{ undelivered: number; oldest: number; retrying: number; failed: number }[]>`
      select count(*)::int as undelivered,
             coalesce(extract(epoch from now() - min(created_at)), 0)::float8 as oldest,
             (count(*) filter (where last_error is not null))::int as retrying,
             (select count(*) from outbox where failed_at is not null)::int as failed
      from outbox where delivered_at is null and failed_at is null`,
    sql.begin('read only', async (tx) => {
      const [head] = await tx<{ position: string; log_id: string }[]>`
        select coalesce(max(position), 0)::text as position, coalesce(max(log_id), 0)::text as log_id from access_log_chain`;
      // The floor goes in as a value, planned afresh (as in chain.ts), so PostgreSQL reads the
      // few newest ids from the primary key instead of anti-joining the whole log.
      await tx`set local plan_cache_mode = force_custom_plan`;
      const [recent] = await tx<{ unchained: number; oldest: number }[]>`
        select count(*)::int as unchained, coalesce(extract(epoch from now() - min(a.at)), 0)::float8 as oldest
        from access_log a
        where a.id > ${(BigInt(head!.log_id) - BigInt(CHAIN_LOOK_BEHIND)).toString()}::bigint
          and not exists (select 1 from access_log_chain c where c.log_id = a.id)`;
      return { position: head!.position, ...recent! };
    }) as Promise<{ position: string; unchained: number; oldest: number }>,
  ]);
  return {
    undelivered: outbox!.undelivered,
    oldestUndeliveredSeconds: Math.max(0, outbox!.oldest),
    retrying: outbox!.retrying,
    failed: outbox!.failed,
    chainPosition: Number(chain.position),
    unchained: chain.unchained,
    oldestUnchainedSeconds: Math.max(0, chain.oldest),
  };
}

/** The last complete line of the witness file, read from its tail; undefined if none. */
async function lastWitness(file: string): Promise<{ position: number; at: number } | undefined> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch {
    return undefined;
  }
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, 16 * 1024);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    const lines = buffer.toString('utf8').split('\n');
    lines.pop(); // after the last newline: empty, or a line cut short
    const witness = JSON.parse(lines.pop() ?? 'null') as { position?: unknown; at?: unknown } | null;
    const at = typeof witness?.at === 'string' ? Date.parse(witness.at) : NaN;
    if (typeof witness?.position !== 'string' || Number.isNaN(at)) return undefined;
    return { position: Number(witness.position), at };
  } catch {
    return undefined;
  } finally {
    await handle.close();
  }
}

function withinLimit<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), QUERY_LIMIT_MS);
  });
  return Promise.race([work, limit]).finally(() => clearTimeout(timer));
}

const startedAt = Date.now() / 1000 - process.uptime();

/** Everything /metrics says, now. Never throws: a database that does not answer is portal_database_up 0. */
export async function collectMetrics(sql: Sql, { witnessFile }: Pick<MetricsOptions, 'witnessFile'> = {}): Promise<string> {
  const samples: Sample[] = [
    { name: 'portal_up', help: '1 while this portal process answers.', value: 1 },
    // Each scrape is answered by one worker (WEB_CONCURRENCY): these process figures are its own.
    { name: 'portal_worker_id', help: 'Which worker of this portal answered (its node:cluster id, new for each restart; 0 outside a cluster). The process figures here are that worker\'s.', value: cluster.worker?.id ?? 0 },
    { name: 'portal_process_start_time_seconds', help: 'When this process started, in seconds since 1970 (UTC).', value: Math.round(startedAt) },
    { name: 'portal_process_resident_memory_bytes', help: 'Resident memory of this process.', value: process.memoryUsage.rss() },
  ];
  let figures: DatabaseFigures | undefined;
  try {
    figures = await withinLimit(databaseFigures(sql));
  } catch {
    // Said by portal_database_up 0; /readyz says the same to the load balancer.
  }
  samples.push({ name: 'portal_database_up', help: '1 if the database answered this scrape within 2 seconds.', value: figures ? 1 : 0 });
  if (figures) {
    samples.push(
      { name: 'portal_outbox_undelivered_messages', help: 'E-mails in the outbox not yet delivered.', value: figures.undelivered },
      { name: 'portal_outbox_oldest_undelivered_age_seconds', help: 'Age of the oldest undelivered e-mail; 0 when none is waiting.', value: figures.oldestUndeliveredSeconds },
      { name: 'portal_outbox_retrying_messages', help: 'E-mails waiting to be tried again after a failed attempt.', value: figures.retrying },
      { name: 'portal_outbox_failed_messages', help: 'E-mails marked failed (a permanent refusal, or no attempts left): they wait for someone to retry them by hand on the Messages page.', value: figures.failed },
      { name: 'portal_access_log_chain_position', help: 'Entries sealed into the access log hash chain so far.', value: figures.chainPosition },
      { name: 'portal_access_log_unchained_entries', help: 'Recent access log entries not yet sealed into the hash chain.', value: figures.unchained },
      { name: 'portal_access_log_oldest_unchained_age_seconds', help: 'Age of the oldest recent access log entry not yet chained; 0 when none.', value: figures.oldestUnchainedSeconds },
    );
  }
  // Filed documents (docs/documents.md): only when the database answered.
  const filings = figures ? await withinLimit(filingFigures(sql)).catch(() => undefined) : undefined;
  if (filings) {
    samples.push(
      { name: 'portal_document_filings_waiting', help: 'Documents asked for (a concern sent or decided, a police notification acknowledged) and not yet filed.', value: filings.waiting },
      { name: 'portal_document_filings_retrying', help: 'Documents waiting to be filed again after a failed attempt.', value: filings.retrying },
      { name: 'portal_document_filings_failed', help: 'Documents not filed after every attempt: the submission is kept, and operations should look at why.', value: filings.failed },
      { name: 'portal_document_filings_oldest_waiting_age_seconds', help: 'Age of the oldest document waiting to be filed; 0 when none is waiting.', value: filings.oldestSeconds },
    );
  }
  // Access-log rows whose month had no partition (migrations/030): 0 while the portal keeps
  // partitions made ahead; alert on anything else (docs/operations.md).
  const unpartitioned = figures ? await withinLimit(rowsInDefaultPartition(sql)).catch(() => undefined) : undefined;
  if (unpartitioned !== undefined) {
    samples.push({ name: 'portal_access_log_default_partition_entries', help: 'Access log entries in the default partition because their month had no partition of its own.', value: unpartitioned });
  }
  // Events for the council's case system (docs/case-system-export.md): only when the database answered.
  const caseSystem = figures ? await withinLimit(caseSystemFigures(sql)).catch(() => undefined) : undefined;
  if (caseSystem) samples.push(...caseSystemSamples(caseSystem));
  if (figures) {
    // Seconds since each source's last successful import; +Inf for one never imported, so one
    // alert rule (older than a day) covers both (docs/operations.md).
    const last = await withinLimit(lastSuccessfulImport(sql)).catch(() => undefined);
    const now = Date.now();
    for (const source of last ? importSources : []) {
      const at = last!.find((row) => row.source === source)?.finishedAt;
      samples.push({
        name: 'portal_import_age_seconds', help: 'Seconds since each source was last imported successfully (Inf if it never was).',
        labels: { source }, value: at ? Math.max(0, (now - at.getTime()) / 1000) : Infinity,
      });
    }
  }
  const witness = witnessFile ? await lastWitness(witnessFile) : undefined;
  samples.push({ name: 'portal_access_log_witness_present', help: '1 if this node can read a witness in its AUDIT_WITNESS_FILE.', value: witness ? 1 : 0 });
  if (witness) {
    samples.push({ name: 'portal_access_log_witness_age_seconds', help: 'Seconds since the chain head was last written to the witness file.', value: Math.max(0, (Date.now() - witness.at) / 1000) });
    if (figures) {
      samples.push({ name: 'portal_access_log_unwitnessed_entries', help: 'Chained entries after the position last written to the witness file.', value: Math.max(0, figures.chainPosition - witness.position) });
    }
  }
  return exposition(samples);
}
