// Where `npm run audit:verify` starts (issue 15, point 3): after the latest retirement's anchor
// (every link at or before it belongs to a retired month), or, by default, after the latest
// checkpoint, a stretch of the chain an earlier run verified (access_log_verifications).
import type { Db } from '../db/connect.ts';
import type { RetiredLinks } from './chain.ts';

export interface Anchor {
  position: string;
  /** SHA-256 at that position, hex; null at position 0. */
  hash: string | null;
}

export interface Retirement extends Anchor {
  /** The latest month retired, YYYY-MM-DD (its first day, UTC). */
  month: string;
  retired: RetiredLinks;
}

export async function latestRetirement(sql: Db): Promise<Retirement | undefined> {
  const [row] = await sql<Array<{ month: string; position: string; hash: string | null; before: Date; upTo: string; afterAnchor: string }>>`
    select month::text as month, anchor_position::text as position, encode(anchor_hash, 'hex') as hash,
           retired_before as before, retired_up_to::text as "upTo", retired_after_anchor::text as "afterAnchor"
    from access_log_retirements order by month desc limit 1`;
  if (!row) return undefined;
  return { month: row.month, position: row.position, hash: row.hash, retired: { before: row.before, upTo: row.upTo, afterAnchor: Number(row.afterAnchor) } };
}

export interface Checkpoint extends Anchor {
  verifiedAt: Date;
  /** Whether the chain still holds this hash at this position. */
  holds: boolean;
}

/** The furthest position an earlier run verified, and whether the chain still agrees with it. */
export async function latestCheckpoint(sql: Db): Promise<Checkpoint | undefined> {
  const [row] = await sql<Array<{ position: string; hash: string | null; verifiedAt: Date; holds: boolean }>>`
    select v.position::text as position, encode(v.hash, 'hex') as hash, v.verified_at as "verifiedAt",
           (v.position = 0 or exists (select 1 from access_log_chain c where c.position = v.position and c.hash = v.hash)) as holds
    from access_log_verifications v
    order by v.position desc, v.id desc limit 1`;
  return row;
}

/** The chain's link at a position (position 0: the empty start). */
export async function linkAt(sql: Db, position: string): Promise<Anchor> {
  if (position === '0') return { position, hash: null };
  const [row] = await sql<Anchor[]>`
    select position::text as position, encode(hash, 'hex') as hash from access_log_chain where position = ${position}::bigint`;
  if (!row) throw new Error(`the chain has no link at position ${position}`);
  return row;
}

/** Records a verified stretch: after `from`, up to and including `to`. */
export async function recordVerification(sql: Db, { from, to, full }: { from: string; to: Anchor; full: boolean }): Promise<void> {
  await sql`
    insert into access_log_verifications (from_position, position, hash, full_check)
    values (${from}::bigint, ${to.position}::bigint, ${to.hash === null ? null : Buffer.from(to.hash, 'hex')}, ${full})`;
}
