// The hash chain that makes the access log tamper-evident (DESIGN.md §5). Requests only INSERT
// into access_log; this background step links each new row to the one before it:
//
//   hash(n) = sha-256( hash(n - 1), or 32 zero bytes for position 1  ‖  canonical(row) )
//
// so editing or deleting a chained row, or a chain row, breaks every later link, and
// verifyChain() finds the first break. Removing rows from the very end of both tables leaves no
// break behind: witness.ts records the head (chainHead) outside the database to catch that.
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { repeatEvery, type Repeating } from '../background/repeat.ts';
import type { Sql } from '../db/connect.ts';
import { errorFields, type Logger } from '../log.ts';
import type { Db } from '../db/connect.ts';

// Any fixed 64-bit number will do; it only has to be the same for every app node.
const CHAIN_LOCK_KEY = 740_051_923_004;
const ZERO_HASH = Buffer.alloc(32);
const VERIFY_PAGE_SIZE = 10_000;

/** An access_log row exactly as it is hashed: every column, as text from PostgreSQL. */
export interface ChainableRow {
  id: string;
  at: string;
  issuer: string;
  subject: string;
  user_name: string;
  organisation_id: string | null;
  organisation_name: string | null;
  role: string;
  child_id: string | null;
  action: string;
  fields_released: Array<string | null>;
  reason: string | null;
  request_id: string;
  /** Since migrations/018; null on every row before it and on every row that is not a lookup with one. */
  incident_reference?: string | null;
}

// Every column of access_log, in a fixed order, as text made by PostgreSQL: a JS Date would
// round `at` to milliseconds, and the session's time zone or date style must not matter.
// `at` is UTC ISO 8601 with microseconds; " BC" and 'infinity' keep the odd cases distinct.
// fields_released comes as JSON so it is an array whatever array parsing the client does.
// Adding a column to access_log means a new, versioned encoding here: old hashes must still verify.
export function logColumns(sql: Db) {
  return sql`
    a.id::text as id,
    coalesce(to_char(a.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
               || case when a.at < '0001-01-01T00:00:00Z' then ' BC' else '' end,
             a.at::text) as at,
    a.issuer, a.subject, a.user_name, a.organisation_id::text as organisation_id,
    a.organisation_name, a.role, a.child_id::text as child_id, a.action,
    to_json(a.fields_released) as fields_released, a.reason, a.request_id, a.incident_reference`;
}

/**
 * JSON of an array in column order: strings are quoted and escaped, so it is unambiguous.
 * Version 2 (migrations/018) appends incident_reference, only where the row has one: a row
 * without one encodes exactly as version 1 did, so every hash made before still verifies, and
 * a reference added to or removed from a chained row changes its encoding and breaks the chain.
 */
export function canonicalRow(row: ChainableRow): string {
  const columns: unknown[] = [
    row.id, row.at, row.issuer, row.subject, row.user_name, row.organisation_id, row.organisation_name,
    row.role, row.child_id, row.action, row.fields_released, row.reason, row.request_id,
  ];
  if (row.incident_reference !== null && row.incident_reference !== undefined) columns.push(row.incident_reference);
  return JSON.stringify(columns);
}

export function chainHash(previous: Buffer | null, row: ChainableRow): Buffer {
  return createHash('sha256').update(previous ?? ZERO_HASH).update(canonicalRow(row), 'utf8').digest();
}

/** One new link of the chain, for the row it seals. */
interface NewLink {
  position: bigint;
  logId: string;
  logAt: string;
  previous: Buffer | null;
  hash: Buffer;
}

/** The links that seal `rows`, in order, after the link at `head` (none while the chain is empty). */
function linksAfter(head: { position: string; hash: Buffer } | undefined, rows: ReadonlyArray<ChainableRow & { log_at: string }>): NewLink[] {
  let position = head ? BigInt(head.position) : 0n;
  let previous: Buffer | null = head?.hash ?? null;
  return rows.map((row) => {
    const hash = chainHash(previous, row);
    position += 1n;
    const link = { position, logId: row.id, logAt: row.log_at, previous, hash };
    previous = hash;
    return link;
  });
}

export interface ChainOptions {
  /** Most rows chained by one call (one transaction). */
  batchSize?: number;
  /**
   * Look for unchained rows only among ids above (highest chained id − lookBehind), which costs
   * a few index probes instead of a scan of the whole log. Unset: look everywhere.
   */
  lookBehind?: number;
  /**
   * Look only among rows written within this many hours before the chain's head (by `at`, so
   * the log's partitions and time index bound the scan). Unset: the whole log.
   */
  recentHours?: number;
}

/** Most rows chained by one call of chainNewEntries unless told otherwise. */
export const CHAIN_BATCH_SIZE = 5000;

/**
 * Chains up to batchSize rows not yet in the chain, lowest id first, and returns how many.
 * Fewer than batchSize: the rows there were when it looked are all chained. Safe on several app
 * nodes at once: they take turns on the lock.
 */
export async function chainNewEntries(sql: Sql, { batchSize = CHAIN_BATCH_SIZE, lookBehind, recentHours }: ChainOptions = {}): Promise<number> {
  return sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(${CHAIN_LOCK_KEY})`;
    const [last] = await tx<{ position: string; hash: Buffer }[]>`
      select c.position::text as position, c.hash from access_log_chain c order by c.position desc limit 1`;
    // The floor goes in as a value, planned afresh each time, so PostgreSQL sees a short id range
    // and probes the chain's index row by row instead of hashing the whole chain.
    let floor = tx``;
    if (lookBehind !== undefined) {
      const [top] = await tx<{ id: string }[]>`select coalesce(max(log_id), 0)::text as id from access_log_chain`;
      await tx`set local plan_cache_mode = force_custom_plan`;
      floor = tx`and a.id > ${(BigInt(top!.id) - BigInt(lookBehind)).toString()}::bigint`;
    } else if (recentHours !== undefined && last) {
      const [head] = await tx<{ at: string }[]>`
        select (log_at - make_interval(hours => ${recentHours}))::text as at from access_log_chain where position = ${last.position}::bigint`;
      await tx`set local plan_cache_mode = force_custom_plan`;
      floor = tx`and a.at > ${head!.at}::timestamptz`;
    }
    // "Not yet chained", not "id above the last chained id": a transaction that took a lower id
    // may commit after a higher id was chained. It simply takes the next position.
    // log_at: the row's time as PostgreSQL's own text, cast back in this session (a JS Date would
    // lose the microseconds), so the chain link names the row's partition (migrations/030).
    const rows = await tx<Array<ChainableRow & { log_at: string }>>`
      select ${logColumns(tx)}, a.at::text as log_at
      from access_log a
      where not exists (select 1 from access_log_chain c where c.log_id = a.id) ${floor}
      order by a.id
      limit ${batchSize}`;
    if (rows.length === 0) return 0;

    const links = linksAfter(last, rows);
    const hex = (bytes: Buffer | null) => bytes?.toString('hex') ?? null;
    // One statement for the whole batch: arrays of text, decoded and cast in PostgreSQL.
    await tx`
      insert into access_log_chain (position, log_id, log_at, previous_hash, hash)
      select p::bigint, l::bigint, la::timestamptz, decode(ph, 'hex'), decode(h, 'hex')
      from unnest(${tx.array(links.map((l) => l.position.toString()))}::text[], ${tx.array(links.map((l) => l.logId))}::text[],
                  ${tx.array(links.map((l) => l.logAt))}::text[], ${tx.array(links.map((l) => hex(l.previous)) as string[])}::text[],
                  ${tx.array(links.map((l) => hex(l.hash)!))}::text[]) as t(p, l, la, ph, h)`;
    return rows.length;
  });
}

/**
 * Chains every row above the highest chained id in one transaction, reading the rows a page at a
 * time and writing the links into the chain by COPY: for a bulk load (the benchmark's seeded year, a
 * restore), where chainNewEntries' batches would take tens of minutes over millions of rows.
 * Only for a log nobody else is writing to: a row committed later with a lower id is left to the
 * chain worker, which picks it up as usual. Returns how many rows it chained.
 */
export async function chainBulkLoad(sql: Sql, { onProgress }: { onProgress?: (chained: number) => void } = {}): Promise<number> {
  return sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(${CHAIN_LOCK_KEY})`;
    let [last] = await tx<{ position: string; hash: Buffer }[]>`
      select c.position::text as position, c.hash from access_log_chain c order by c.position desc limit 1`;
    const [top] = await tx<{ id: string }[]>`select coalesce(max(log_id), 0)::text as id from access_log_chain`;
    let chained = 0;
    let after = top!.id;
    // Keyset pages, each read whole and then copied: a connection in COPY cannot also read.
    for (;;) {
      const rows = await tx<Array<ChainableRow & { log_at: string }>>`
        select ${logColumns(tx)}, a.at::text as log_at
        from access_log a
        where a.id > ${after}::bigint
        order by a.id
        limit 50000`;
      if (rows.length === 0) break;
      const links = linksAfter(last, rows);
      // COPY text format: bytea as \\x<hex> (the backslash itself escaped), \N for null.
      const lines = links.map((l) => `${l.position}\t${l.logId}\t${l.logAt}\t${l.previous ? `\\\\x${l.previous.toString('hex')}` : '\\N'}\t\\\\x${l.hash.toString('hex')}\n`);
      const end = links[links.length - 1]!;
      last = { position: end.position.toString(), hash: end.hash };
      const writable = await tx`copy access_log_chain (position, log_id, log_at, previous_hash, hash) from stdin`.writable();
      await pipeline(Readable.from(lines), writable);
      chained += rows.length;
      after = rows[rows.length - 1]!.id;
      onProgress?.(chained);
    }
    return chained;
  });
}

export type ChainWorker = Repeating;

export interface ChainWorkerOptions {
  intervalMs?: number;
  /** How far below the highest chained id an ordinary tick looks for late commits. */
  lookBehind?: number;
  /** How often a tick also looks through the whole log (the first tick always does). */
  fullScanEveryMs?: number;
}

/**
 * Chains new rows every intervalMs (../background/repeat.ts), draining the backlog in batches
 * each time; failures are logged, never thrown, and the next tick tries again.
 *
 * An ordinary tick only looks near the end of the log, so it stays cheap however long the log
 * grows; a row from a transaction that stayed open while more than lookBehind later rows were
 * written is picked up by the next full scan (and counted as unchained by verifyChain until then).
 * The "full" scan looks at the last FULL_SCAN_HOURS before the head: over a whole log of millions
 * of rows it would outlast the statement time limit, fail and be tried again on every tick.
 */
/** No transaction that writes to the log stays open anywhere near this long (statements stop at 10 s). */
const FULL_SCAN_HOURS = 24;

export function startChainWorker(
  sql: Sql,
  log: Logger,
  { intervalMs = 2000, lookBehind = 1000, fullScanEveryMs = 10 * 60_000 }: ChainWorkerOptions = {},
): ChainWorker {
  let lastFullScan = -Infinity;

  // Until a call finds less than a full batch: the backlog as it stood is then chained. Not
  // until a call finds nothing: under steady load rows arrive during every call, so that loop
  // never ended and chained a few rows at a time, back to back, all the time (at 850 looks a
  // second it took a sixth of the summary's throughput). What arrives meanwhile waits for the next tick.
  async function chainUntilDone(options: ChainOptions, signal: AbortSignal): Promise<number> {
    let chained = 0;
    while (!signal.aborted) {
      const count = await chainNewEntries(sql, options);
      chained += count;
      if (count < (options.batchSize ?? CHAIN_BATCH_SIZE)) break;
    }
    return chained;
  }

  async function drain(signal: AbortSignal): Promise<void> {
    try {
      // The backlog first, cheaply; then, now and then, the whole log for very late commits.
      let chained = await chainUntilDone({ lookBehind }, signal);
      if (Date.now() - lastFullScan >= fullScanEveryMs) {
        chained += await chainUntilDone({ recentHours: FULL_SCAN_HOURS }, signal);
        if (!signal.aborted) lastFullScan = Date.now();
      }
      if (chained > 0) log.debug('access log rows chained', { chained });
    } catch (error) {
      log.warn('access log chaining failed; will retry', errorFields(error));
    }
  }

  return repeatEvery(intervalMs, drain);
}

/** The chain's latest position and its hash: position 0 and no hash while it is empty. */
export interface ChainHead {
  position: string;
  /** SHA-256 at that position, hex. */
  hash: string | null;
}

export async function chainHead(sql: Db): Promise<ChainHead> {
  const [last] = await sql<{ position: string; hash: string }[]>`
    select c.position::text as position, encode(c.hash, 'hex') as hash
    from access_log_chain c order by c.position desc limit 1`;
  return last ?? { position: '0', hash: null };
}

/** What the latest retirement says about the links to rows it dropped (access_log_retirements). */
export interface RetiredLinks {
  /** Every row before this time was retired. */
  before: Date;
  /** The highest position of a retired row's link. */
  upTo: string;
  /** How many retired rows' links lie after the anchor: checked when verifying from the anchor. */
  afterAnchor?: number;
}

export type VerifyResult =
  | { ok: true; checked: number; unchained: number }
  | { ok: false; checked: number; firstBroken: { position: string; logId: string; problem: string } };

interface ChainLink extends ChainableRow {
  position: string;
  log_id: string;
  previous_hash: Buffer | null;
  hash: Buffer;
  present: boolean;
  /** The link names a time before the retired months' end (retire.ts). */
  retired_time: boolean;
}

/** Why this link is broken, or undefined when it holds. `previous` is the verified hash before it. */
function problemWith(link: ChainLink, expectedPosition: bigint, previous: Buffer | null, retired: RetiredLinks | undefined): string | undefined {
  if (BigInt(link.position) !== expectedPosition) return `chain rows missing before it (position ${expectedPosition} expected)`;
  if (previous === null ? link.previous_hash !== null : !link.previous_hash?.equals(previous)) {
    return 'its previous hash is not the hash at the position before';
  }
  // A retired row's link keeps its place in the chain; the row itself was checked against its
  // hash when it was exported, and the export's file holds it.
  if (!link.present && link.retired_time && retired && BigInt(link.position) <= BigInt(retired.upTo)) return undefined;
  if (!link.present) return 'row deleted since it was chained';
  if (!chainHash(previous, link).equals(link.hash)) return 'row changed since it was chained';
  return undefined;
}

export interface VerifyOptions {
  pageSize?: number;
  /**
   * Start after this link, taking its hash as given (a witnessed head, witness.ts): only the
   * links after it are recomputed, and `checked` counts only those. Rows at or before it are
   * not looked at, so an edit there is found only by a full check (the default).
   */
  after?: { position: string; hash: string };
  /**
   * The retired months (the latest retirement): a link whose row is gone, that names a time
   * before `before` and lies at or before `upTo`, is checked for its place in the chain only.
   */
  retired?: RetiredLinks;
  /**
   * Count rows not yet chained only among those written since this time (partitions before it
   * are not read): for an incremental check, which should cost what the new rows cost.
   */
  unchainedSince?: Date;
  /** Called after each page with the links checked so far. */
  onProgress?: (checked: number) => void;
}

/**
 * Walks the whole chain in position order (or the part after `after`), a page at a time,
 * recomputing every hash from the access_log row as it is now. Reads only, in one snapshot, so
 * rows chained meanwhile don't confuse the count. Memory stays at about two pages however long
 * the chain is.
 */
export async function verifyChain(
  sql: Sql,
  { pageSize = VERIFY_PAGE_SIZE, after, retired, unchainedSince, onProgress }: VerifyOptions = {},
): Promise<VerifyResult> {
  const result = await sql.begin('isolation level repeatable read read only', async (tx): Promise<VerifyResult> => {
    // Each link's row is found by (id, at) in its one partition: a nested loop, pruned row by row.
    // Left to choose, PostgreSQL merge-joins a page against every partition's primary key from
    // the first id on, which reads more of the log for each later page (measured at 10 M rows:
    // docs/operations.md).
    await tx`set local enable_mergejoin = off`;
    await tx`set local enable_hashjoin = off`;
    await tx`set local max_parallel_workers_per_gather = 0`;
    const fetchPage = (after: string): Promise<ChainLink[]> =>
      tx<ChainLink[]>`
        select c.position::text as position, c.log_id::text as log_id, c.previous_hash, c.hash,
               a.id is not null as present,
               ${retired ? tx`c.log_at < ${retired.before}` : tx`false`} as retired_time,
               ${logColumns(tx)}
        from access_log_chain c left join access_log a on a.id = c.log_id and a.at = c.log_at
        where c.position > ${after}::bigint
        order by c.position
        limit ${pageSize}`.execute();

    // The link's row where its time no longer finds it (changed, or moved by an edit of `at`).
    const byIdAlone = async (link: ChainLink): Promise<ChainLink> => {
      const [row] = await tx<ChainableRow[]>`select ${logColumns(tx)} from access_log a where a.id = ${link.log_id}::bigint`;
      return row ? { ...link, ...row, present: true } : link;
    };
    let checked = 0;
    let retiredSeen = 0;
    let expected = after ? BigInt(after.position) + 1n : 1n;
    let previous: Buffer | null = after ? Buffer.from(after.hash, 'hex') : null;
    let next: Promise<ChainLink[]> | undefined = fetchPage(after?.position ?? '0');
    while (next) {
      const page: ChainLink[] = await next;
      // Ask for the next page now, so the database reads it while this one is hashed.
      next = page.length === pageSize ? fetchPage(page[page.length - 1]!.position) : undefined;
      for (const found of page) {
        const link = found.present ? found : await byIdAlone(found);
        if (!link.present && link.retired_time) retiredSeen += 1;
        const problem = problemWith(link, expected, previous, retired);
        if (problem) {
          await next?.catch(() => {}); // let the read-ahead finish before the transaction ends
          return { ok: false, checked, firstBroken: { position: link.position, logId: link.log_id, problem } };
        }
        checked += 1;
        expected += 1n;
        previous = link.hash;
      }
      onProgress?.(checked);
    }
    if (retired?.afterAnchor !== undefined && retiredSeen !== retired.afterAnchor) {
      return {
        ok: false, checked,
        firstBroken: { position: after?.position ?? '0', logId: '', problem: `links to retired rows after it do not add up (${retired.afterAnchor} recorded at retirement, ${retiredSeen} found)` },
      };
    }
    // Counting the unchained is one anti-join over the log: here a hash join is right.
    await tx`set local enable_mergejoin = on`;
    await tx`set local enable_hashjoin = on`;
    const [counted] = await tx<{ unchained: string }[]>`
      select count(*)::text as unchained from access_log a
      where not exists (select 1 from access_log_chain c where c.log_id = a.id)
        ${unchainedSince ? tx`and a.at >= ${unchainedSince}` : tx``}`;
    return { ok: true, checked, unchained: Number(counted!.unchained) };
  });
  return result as VerifyResult;
}
