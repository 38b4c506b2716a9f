// The access log's head, witnessed outside the database (issue 10, point 4).
//
// The hash chain (chain.ts) finds any row edited or deleted in the middle of the log, but not
// rows removed from the very end of both tables: what is left is still a valid chain. So the
// chain's latest position and hash are written where the database's superuser cannot rewrite
// them unnoticed:
//
// - the witness file (AUDIT_WITNESS_FILE, default DATA_DIR/audit-witness.jsonl), on the portal's
//   own disk: one JSON line per witness, appended every AUDIT_WITNESS_MINUTES and when the
//   portal stops. Each line carries the SHA-256 of the line before it, so the file is a chain of
//   its own and a line rewritten or removed in the middle breaks the next one. Created 0600.
// - a daily digest e-mail to the council's information governance address (the outbox), with
//   the position, hash, time and the rows chained since the previous digest, and no child
//   details. Once sent it is out of reach of anyone on the portal's hosts.
//
// `npm run audit:verify` (verify-cli.ts) checks the chain against every witness with
// checkWitnesses(): each witnessed position must still be in the chain with the same hash.
//
// Several nodes: each node appends its own lines, tagged with its node id; appends take a
// PostgreSQL advisory lock, so nodes sharing one file still write one unbroken file chain. The
// digest is one per day whichever node gets there first (access_log_digests and the outbox's
// dedupe key).
import { createHash } from 'node:crypto';
import { mkdir, open, readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { repeatEvery } from '../background/repeat.ts';
import type { Config } from '../config/config.ts';
import type { Db, Sql } from '../db/connect.ts';
import { errorFields, type Logger } from '../log.ts';
import { governanceMessages } from '../notifications/messages.ts';
import { enqueue } from '../notifications/outbox.ts';
import { theCouncil } from '../organisations/council.ts';
import { chainHead, type ChainHead } from './chain.ts';

// Any fixed 64-bit numbers will do; they only have to be the same for every app node.
const WITNESS_LOCK_KEY = 740_051_923_010;
const DIGEST_LOCK_KEY = 740_051_923_011;

export const DEFAULT_WITNESS_MINUTES = 5;
export const WITNESS_FILE_NAME = 'audit-witness.jsonl';

/** Where and how often, from the configuration, with the defaults applied. */
export function witnessSettings(
  config: Pick<Config, 'DATA_DIR' | 'AUDIT_WITNESS_MINUTES' | 'AUDIT_WITNESS_FILE'>,
): { file: string; intervalMs: number } {
  return {
    file: path.resolve(config.AUDIT_WITNESS_FILE ?? path.join(config.DATA_DIR, WITNESS_FILE_NAME)),
    intervalMs: Math.round((config.AUDIT_WITNESS_MINUTES ?? DEFAULT_WITNESS_MINUTES) * 60_000),
  };
}

/** One line of the witness file, keys in this order. */
export interface Witness {
  v: 1;
  /** When the head was read, by the portal's clock (ISO 8601, UTC). */
  at: string;
  /** Which portal process wrote the line. */
  node: string;
  /** The chain's latest position then; "0" while the chain was empty. */
  position: string;
  /** SHA-256 at that position, hex; null while the chain was empty. */
  hash: string | null;
  /** SHA-256 (hex) of the previous line's text, without its newline; null on the first line. */
  previous: string | null;
}

const witnessSchema = z.strictObject({
  v: z.literal(1),
  at: z.iso.datetime(),
  node: z.string().min(1),
  position: z.string().regex(/^(0|[1-9]\d{0,18})$/),
  hash: z.string().regex(/^[0-9a-f]{64}$/).nullable(),
  previous: z.string().regex(/^[0-9a-f]{64}$/).nullable(),
}).refine((w) => (w.position === '0') === (w.hash === null), 'hash must be null exactly when position is 0');

export const lineHash = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

export function defaultNodeId(): string {
  return `${hostname()}/${process.pid}`;
}

// ---------------------------------------------------------------------------------------------
// Writing

/** The last line of the file (without its newline), and whether the file ends with a newline. */
async function lastLine(file: string): Promise<{ text: string; complete: boolean } | undefined> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const { size } = await handle.stat();
    if (size === 0) return undefined;
    // Lines are a few hundred bytes: the tail is enough, unless a line is absurdly long.
    let start = Math.max(0, size - 64 * 1024);
    for (;;) {
      const buffer = Buffer.alloc(size - start);
      await handle.read(buffer, 0, buffer.length, start);
      const text = buffer.toString('utf8');
      const complete = text.endsWith('\n');
      const body = complete ? text.slice(0, -1) : text;
      const cut = body.lastIndexOf('\n');
      if (cut >= 0 || start === 0) return { text: body.slice(cut + 1), complete };
      start = 0;
    }
  } finally {
    await handle.close();
  }
}

async function appendToFile(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const handle = await open(file, 'a', 0o600);
  try {
    // 0600 on creation; an existing file left readable or writable by others is closed again.
    if (((await handle.stat()).mode & 0o077) !== 0) await handle.chmod(0o600);
    await handle.write(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export interface WrittenWitness {
  witness: Witness;
  /** The line that was last in the file before this one, if it could be read as a witness. */
  before?: Witness;
}

/**
 * Reads the chain's head and appends it to the witness file as one line. Serialised across
 * nodes by an advisory lock held while the head is read and the line appended.
 */
export async function writeWitness(
  sql: Sql,
  file: string,
  { node = defaultNodeId(), now = new Date() }: { node?: string; now?: Date } = {},
): Promise<WrittenWitness> {
  return sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(${WITNESS_LOCK_KEY})`;
    const head = await chainHead(tx);
    const last = await lastLine(file);
    const witness: Witness = {
      v: 1,
      at: now.toISOString(),
      node,
      position: head.position,
      hash: head.hash,
      previous: last === undefined ? null : lineHash(last.text),
    };
    // A line cut short by a crash is left as it is (verify reports it); ours starts on a new line.
    await appendToFile(file, `${last && !last.complete ? '\n' : ''}${JSON.stringify(witness)}\n`);
    const parsed = last && parseWitness(last.text);
    return { witness, before: parsed && 'witness' in parsed ? parsed.witness : undefined };
  }) as Promise<WrittenWitness>;
}

// ---------------------------------------------------------------------------------------------
// The daily digest

/** YYYY-MM-DD: the day in England at this instant. */
export function dayInEngland(at: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

export type DigestOutcome = 'queued' | 'already queued today' | 'no information governance address';

/**
 * Queues today's digest for information governance, once per day (in England) whichever node
 * asks first: the head now, and how many rows were chained since the previous digest.
 */
export async function queueDailyDigest(sql: Sql, now: Date = new Date()): Promise<DigestOutcome> {
  const day = dayInEngland(now);
  return sql.begin(async (tx): Promise<DigestOutcome> => {
    await tx`select pg_advisory_xact_lock(${DIGEST_LOCK_KEY})`;
    const [done] = await tx`select 1 from access_log_digests where day = ${day}::date`;
    if (done) return 'already queued today';
    const recipient = (await theCouncil(tx))?.informationGovernanceEmail;
    if (!recipient) return 'no information governance address';
    const head: ChainHead = await chainHead(tx);
    const [previous] = await tx<{ position: string }[]>`
      select position::text as position from access_log_digests where day < ${day}::date order by day desc limit 1`;
    await tx`
      insert into access_log_digests (day, position, hash)
      values (${day}::date, ${head.position}::bigint, ${head.hash === null ? null : Buffer.from(head.hash, 'hex')})`;
    const text = governanceMessages.accessLogDigest({
      position: BigInt(head.position),
      hash: head.hash,
      at: now,
      previousPosition: previous ? BigInt(previous.position) : null,
    });
    await enqueue(tx, { kind: 'access_log_digest', recipient, ...text, dedupeKey: `access_log_digest:${day}` });
    return 'queued';
  }) as Promise<DigestOutcome>;
}

// ---------------------------------------------------------------------------------------------
// Running in the portal

export interface WitnessOptions {
  /** The witness file: witnessSettings(config).file. */
  file: string;
  /** How often: witnessSettings(config).intervalMs (default 5 minutes). */
  intervalMs?: number;
  /** Tags this process's lines; default hostname/pid. */
  node?: string;
  /** Queue the daily digest e-mail on each tick (once per day); default true. */
  digest?: boolean;
  /** The clock, for tests. */
  now?: () => Date;
}

export interface WitnessRunner {
  /** Stops the timer, waits for a tick in progress, then writes a last witness. */
  stop(): Promise<void>;
}

/**
 * Witnesses the chain's head at start, every intervalMs and on stop(), and queues the daily
 * digest. Failures are logged, never thrown; the next tick tries again. A head that no longer
 * holds the previous line's position and hash is logged as an error at once (the full answer
 * is `npm run audit:verify`).
 */
export function startWitness(
  sql: Sql,
  log: Logger,
  { file, intervalMs = DEFAULT_WITNESS_MINUTES * 60_000, node = defaultNodeId(), digest = true, now = () => new Date() }: WitnessOptions,
): WitnessRunner {
  let warnedNoAddressOn: string | undefined;

  async function witnessOnce(): Promise<void> {
    try {
      const { witness, before } = await writeWitness(sql, file, { node, now: now() });
      log.debug('access log witnessed', { position: witness.position });
      if (before && BigInt(before.position) > BigInt(witness.position)) {
        log.error('access log is shorter than its last witness: rows were removed from its end; run npm run audit:verify', {
          position: witness.position, witnessedPosition: before.position, witnessedAt: before.at,
        });
      } else if (before && before.position === witness.position && before.hash !== witness.hash) {
        log.error('access log head differs from its last witness at the same position; run npm run audit:verify', {
          position: witness.position, witnessedAt: before.at,
        });
      }
    } catch (error) {
      log.warn('access log witness failed; will retry', errorFields(error));
    }
  }

  async function tick(): Promise<void> {
    await witnessOnce();
    if (!digest) return;
    try {
      const at = now();
      const outcome = await queueDailyDigest(sql, at);
      if (outcome === 'queued') log.info('access log digest queued for information governance');
      else if (outcome === 'no information governance address' && warnedNoAddressOn !== dayInEngland(at)) {
        warnedNoAddressOn = dayInEngland(at);
        log.warn('access log digest not sent: the council has no contact_email for information governance');
      }
    } catch (error) {
      log.warn('access log digest failed; will retry', errorFields(error));
    }
  }

  const repeating = repeatEvery(intervalMs, tick);
  return {
    async stop() {
      await repeating.stop();
      await witnessOnce();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Checking (npm run audit:verify)

export interface WitnessEntry {
  /** 1-based line number in the file. */
  line: number;
  witness: Witness;
}

function parseWitness(text: string): { witness: Witness } | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { problem: 'it is not JSON' };
  }
  const parsed = witnessSchema.safeParse(value);
  if (!parsed.success) return { problem: `it is not a witness (${parsed.error.issues[0]?.path.join('.') || 'shape'})` };
  // Key order is part of the line's text, so a reformatted line is a rewritten one.
  if (JSON.stringify(parsed.data) !== text) return { problem: 'it is not as the portal wrote it' };
  return { witness: parsed.data as Witness };
}

export interface WitnessFile {
  entries: WitnessEntry[];
  /** The first place the file's own chain is broken, as a sentence; undefined when whole. */
  damage?: string;
}

/** Reads and checks the witness file's own chain; undefined when there is no file. */
export async function readWitnessFile(file: string): Promise<WitnessFile | undefined> {
  let content: string;
  try {
    content = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const entries: WitnessEntry[] = [];
  if (content === '') return { entries };
  const lines = content.split('\n');
  let damage: string | undefined;
  const complete = lines[lines.length - 1] === '';
  if (complete) lines.pop();
  let previousText: string | null = null;
  for (const [index, text] of lines.entries()) {
    const line = index + 1;
    const parsed = parseWitness(text);
    if ('problem' in parsed) {
      damage ??= `line ${line} was changed: ${parsed.problem}`;
    } else {
      const expected = previousText === null ? null : lineHash(previousText);
      if (parsed.witness.previous !== expected) {
        damage ??= line === 1
          ? 'line 1 names a line before it: the start of the file was removed'
          : `line ${line} does not follow line ${line - 1}: line ${line - 1} was changed, or lines between them removed`;
      }
      entries.push({ line, witness: parsed.witness });
    }
    previousText = text;
  }
  if (!complete) damage ??= `line ${lines.length} is cut short (no newline at the end of the file)`;
  return { entries, damage };
}

export interface WitnessCheck {
  file: string;
  /** False when there is no witness file: the end of the log could not be checked. */
  found: boolean;
  lines: number;
  /** Distinct witnessed positions looked up in the chain. */
  positions: number;
  /** The chain's head now. */
  end: ChainHead;
  /** The witness with the highest position (the latest written, among equals). */
  latest?: Witness;
  /** The highest witness the chain still holds with the same hash. */
  latestGood?: Witness;
  /** Each problem as a plain sentence; empty when every witness agrees with the chain. */
  problems: string[];
}

const LOOKUP_PAGE = 10_000;
const formatPosition = (position: string) => BigInt(position).toLocaleString('en-GB');

/**
 * Checks every witness in the file against the chain, cheaply: one index lookup per distinct
 * witnessed position (in pages), not a walk of the chain. Also reports damage to the file itself.
 */
export async function checkWitnesses(sql: Db, file: string): Promise<WitnessCheck> {
  const end = await chainHead(sql);
  const read = await readWitnessFile(file);
  if (!read) return { file, found: false, lines: 0, positions: 0, end, problems: [] };
  const problems: string[] = [];
  if (read.damage) problems.push(`The witness file ${file} has been tampered with or damaged: ${read.damage}.`);

  const positions = [...new Set(read.entries.map((e) => e.witness.position).filter((p) => p !== '0'))];
  const chainHashes = new Map<string, string>();
  for (let i = 0; i < positions.length; i += LOOKUP_PAGE) {
    const page = positions.slice(i, i + LOOKUP_PAGE);
    const rows = await sql<{ position: string; hash: string }[]>`
      select c.position::text as position, encode(c.hash, 'hex') as hash
      from access_log_chain c
      where c.position = any(${sql.array(page)}::bigint[])`;
    for (const row of rows) chainHashes.set(row.position, row.hash);
  }

  let latest: Witness | undefined;
  let latestGood: Witness | undefined;
  let firstMismatch: WitnessEntry | undefined;
  let mismatches = 0;
  const endPosition = BigInt(end.position);
  for (const entry of read.entries) {
    const { witness } = entry;
    const position = BigInt(witness.position);
    if (!latest || position >= BigInt(latest.position)) latest = witness;
    if (position > endPosition) continue; // the cut, reported once below
    const held = position === 0n ? null : chainHashes.get(witness.position);
    if (position === 0n || held === witness.hash) {
      if (!latestGood || position >= BigInt(latestGood.position)) latestGood = witness;
    } else {
      mismatches += 1;
      firstMismatch ??= entry;
    }
  }
  if (latest && BigInt(latest.position) > endPosition) {
    problems.push(
      `Access log CUT: the log ends at position ${formatPosition(end.position)} but was witnessed at position ` +
        `${formatPosition(latest.position)} on ${latest.at}: rows were removed from its end.`,
    );
  }
  if (firstMismatch) {
    const { line, witness } = firstMismatch;
    const held = chainHashes.get(witness.position);
    problems.push(
      `Access log CHANGED: the witness on line ${line} (${witness.at}) recorded position ${formatPosition(witness.position)} ` +
        `with hash ${witness.hash}, but the chain ${held === undefined ? 'has no row at that position' : `holds ${held} there`}: ` +
        `rows at or before it were removed or rewritten` +
        (mismatches > 1 ? ` (${mismatches.toLocaleString('en-GB')} witness lines disagree with the chain).` : '.'),
    );
  }
  return { file, found: true, lines: read.entries.length, positions: positions.length, end, latest, latestGood, problems };
}
