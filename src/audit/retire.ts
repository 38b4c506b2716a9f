// Retiring old months of the access log (issue 15, point 3): once a month is older than the
// council's retention period (ACCESS_LOG_RETENTION_MONTHS), its partition is exported to a file
// (every row with its chain link, one JSON line each, oldest link first) with a manifest holding
// the file's SHA-256; the file is read back and every row re-hashed against its link; the
// retirement is recorded with the chain's anchor; and only then is the partition detached and
// dropped, in one transaction. Run only by hand (`npm run audit:retire`, retire-cli.ts), never by
// the portal. Chain links stay (positions and hashes, no personal data), so the chain remains
// one sequence, witnesses still match, and audit:verify starts after the anchor.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Sql } from '../db/connect.ts';
import { chainHash, logColumns, type ChainableRow } from './chain.ts';
import { accessLogPartitions, addMonths, monthOf } from './partitions.ts';

const RETIRE_LOCK_KEY = 740_051_923_031;

export interface RetirementCandidate {
  partition: string;
  /** YYYY-MM-DD, the month's first day (UTC). */
  month: string;
  rows: number;
}

/** The first month kept: every month before it is older than the retention period. */
export function retentionCutoff(now: Date, retentionMonths: number): string {
  return monthOf(addMonths(now, -retentionMonths));
}

/** The partitions older than the retention period, oldest first, with their rows. */
export async function retirementCandidates(sql: Sql, retentionMonths: number, now = new Date()): Promise<RetirementCandidate[]> {
  const cutoff = retentionCutoff(now, retentionMonths);
  const candidates: RetirementCandidate[] = [];
  for (const p of await accessLogPartitions(sql)) {
    if (p.month === null || p.month >= cutoff) continue;
    const [row] = await sql<{ n: number }[]>`select count(*)::int as n from ${sql(p.name)}`;
    candidates.push({ partition: p.name, month: p.month, rows: row!.n });
  }
  return candidates;
}

/** One line of an export file. */
export interface ExportLine {
  position: string;
  previous_hash: string | null;
  hash: string;
  row: ChainableRow;
}

export interface Manifest {
  month: string;
  partition: string;
  rows: number;
  firstPosition: string | null;
  lastPosition: string | null;
  file: string;
  bytes: number;
  sha256: string;
  exportedAt: string;
}

export class RetirementRefused extends Error {
  override name = 'RetirementRefused';
}

const fileBase = (month: string) => `access-log-${month.slice(0, 7)}`;

/** Writes the partition's rows and links to DIR/access-log-YYYY-MM.jsonl and its manifest. */
export async function exportMonth(sql: Sql, candidate: RetirementCandidate, dir: string): Promise<Manifest> {
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${fileBase(candidate.month)}.jsonl`);
  const hash = createHash('sha256');
  const handle = await open(file, 'wx', 0o600); // never over an earlier export
  let rows = 0;
  let bytes = 0;
  let firstPosition: string | null = null;
  let lastPosition: string | null = null;
  try {
    await sql.begin('isolation level repeatable read read only', async (tx) => {
      const unchained = await tx<{ n: number }[]>`
        select count(*)::int as n from ${tx(candidate.partition)} a
        where not exists (select 1 from access_log_chain c where c.log_id = a.id)`;
      if (unchained[0]!.n > 0) throw new RetirementRefused(`${unchained[0]!.n} rows of ${candidate.month.slice(0, 7)} are not chained yet: let the portal chain them first`);
      const cursor = tx<Array<ChainableRow & { position: string; previous_hash: string | null; hash: string }>>`
        select c.position::text as position, encode(c.previous_hash, 'hex') as previous_hash, encode(c.hash, 'hex') as hash,
               ${logColumns(tx)}
        from ${tx(candidate.partition)} a join access_log_chain c on c.log_id = a.id
        order by c.position`.cursor(5000);
      for await (const page of cursor) {
        let text = '';
        for (const { position, previous_hash, hash: linkHash, ...row } of page) {
          const line: ExportLine = { position, previous_hash, hash: linkHash, row: row as ChainableRow };
          text += `${JSON.stringify(line)}\n`;
          firstPosition ??= position;
          lastPosition = position;
          rows += 1;
        }
        const buffer = Buffer.from(text, 'utf8');
        hash.update(buffer);
        bytes += buffer.length;
        await handle.write(buffer);
      }
    });
    await handle.sync();
  } finally {
    await handle.close();
  }
  const manifest: Manifest = {
    month: candidate.month, partition: candidate.partition, rows, firstPosition, lastPosition,
    file: path.basename(file), bytes, sha256: hash.digest('hex'), exportedAt: new Date().toISOString(),
  };
  await writeFile(path.join(dir, `${fileBase(candidate.month)}.manifest.json`), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  return manifest;
}

/**
 * Reads an export back from disk: its SHA-256 and size must match the manifest, and every row
 * must hash, with its link's previous hash, to its link's hash. Throws at the first difference.
 */
export async function verifyExport(dir: string, manifest: Manifest): Promise<void> {
  const file = path.join(dir, manifest.file);
  const written = JSON.parse(await readFile(path.join(dir, `${fileBase(manifest.month)}.manifest.json`), 'utf8')) as Manifest;
  if (written.sha256 !== manifest.sha256 || written.rows !== manifest.rows) throw new RetirementRefused(`the manifest of ${manifest.file} is not the one written`);
  const hash = createHash('sha256');
  let bytes = 0;
  let rows = 0;
  const stream = createReadStream(file);
  stream.on('data', (chunk) => {
    hash.update(chunk);
    bytes += (chunk as Buffer).length;
  });
  for await (const text of createInterface({ input: stream, crlfDelay: Infinity })) {
    const line = JSON.parse(text) as ExportLine;
    const expected = chainHash(line.previous_hash === null ? null : Buffer.from(line.previous_hash, 'hex'), line.row);
    if (expected.toString('hex') !== line.hash) {
      throw new RetirementRefused(`access_log id ${line.row.id} (position ${line.position}) does not match its hash: the row was changed since it was chained, so ${manifest.month.slice(0, 7)} is not retired; run npm run audit:verify -- --full`);
    }
    rows += 1;
  }
  if (rows !== manifest.rows || bytes !== manifest.bytes || hash.digest('hex') !== manifest.sha256) {
    throw new RetirementRefused(`${manifest.file} read back differs from what was written`);
  }
}

export interface RetiredMonth extends Manifest {
  anchorPosition: string;
}

/**
 * Records the retirement and drops the partition, in one transaction, after checking that it is
 * the oldest month left, that nothing older waits in the default partition, and that it still
 * holds exactly the rows exported.
 */
export async function dropRetiredMonth(sql: Sql, manifest: Manifest, exportFile: string): Promise<RetiredMonth> {
  return sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(${RETIRE_LOCK_KEY})`;
    await tx`lock table ${tx(manifest.partition)} in share mode`;
    const before = addMonths(new Date(`${manifest.month}T00:00:00Z`), 1);
    const older = (await accessLogPartitions(tx)).filter((p) => p.month !== null && p.month < manifest.month);
    if (older.length > 0) throw new RetirementRefused(`${older[0]!.name} is older: months are retired oldest first`);
    const [waiting] = await tx<{ n: number }[]>`select count(*)::int as n from access_log_default where at < ${before}`;
    if (waiting!.n > 0) throw new RetirementRefused(`${waiting!.n} rows before ${manifest.month.slice(0, 7)} wait in the default partition: make their months' partitions first`);
    const [now] = await tx<{ n: number }[]>`select count(*)::int as n from ${tx(manifest.partition)}`;
    if (now!.n !== manifest.rows) throw new RetirementRefused(`${manifest.partition} now holds ${now!.n} rows, not the ${manifest.rows} exported`);

    // The anchor: the last link before the first link of a row that is kept.
    const [anchor] = await tx<{ position: string; hash: string | null; upTo: string; afterAnchor: string }[]>`
      with kept as (
        select coalesce(min(position) - 1, (select coalesce(max(position), 0) from access_log_chain)) as position
        from access_log_chain where log_at >= ${before}
      )
      select k.position::text as position,
             (select encode(c.hash, 'hex') from access_log_chain c where c.position = k.position) as hash,
             (select coalesce(max(c.position), k.position)::text from access_log_chain c where c.log_at < ${before}) as "upTo",
             (select count(*)::text from access_log_chain c where c.log_at < ${before} and c.position > k.position) as "afterAnchor"
      from kept k`;
    await tx`
      insert into access_log_retirements
        (month, partition_name, rows, first_position, last_position, anchor_position, anchor_hash,
         retired_up_to, retired_after_anchor, retired_before, export_file, export_sha256)
      values (${manifest.month}::date, ${manifest.partition}, ${manifest.rows}, ${manifest.firstPosition}::bigint,
              ${manifest.lastPosition}::bigint, ${anchor!.position}::bigint,
              ${anchor!.hash === null ? null : Buffer.from(anchor!.hash, 'hex')},
              greatest(${anchor!.upTo}::bigint, ${anchor!.position}::bigint), ${anchor!.afterAnchor}::bigint,
              ${before}, ${exportFile}, ${manifest.sha256})`;
    await tx`alter table access_log detach partition ${tx(manifest.partition)}`;
    await tx`drop table ${tx(manifest.partition)}`;
    return { ...manifest, anchorPosition: anchor!.position };
  }) as Promise<RetiredMonth>;
}

/** Export, verify, record and drop one month. */
export async function retireMonth(sql: Sql, candidate: RetirementCandidate, dir: string): Promise<RetiredMonth> {
  const manifest = await exportMonth(sql, candidate, dir);
  try {
    await verifyExport(dir, manifest);
  } catch (error) {
    // An export that does not verify is no record: removed, and the partition stays.
    await rm(path.join(dir, manifest.file), { force: true });
    await rm(path.join(dir, `${fileBase(manifest.month)}.manifest.json`), { force: true });
    throw error;
  }
  return dropRetiredMonth(sql, manifest, path.resolve(dir, manifest.file));
}
