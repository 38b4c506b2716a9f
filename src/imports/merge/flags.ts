// The council's own flags (sealed, address withheld, restricted), which no extract carries. The
// flags file is the council's complete list of flagged children: a child it no longer lists is
// unflagged by endAbsent (./end-absent.ts), but only flags a flags file set.
import type { FlagsIn } from '../records.ts';
import { recordSightings } from './bookkeeping.ts';
import { childIdsBySource } from './children.ts';
import { ok, type MergeContext, type Result, type Tx } from './context.ts';
import { childNotKnown } from './involvements.ts';

interface Row { id: string; sealed: boolean; address_withheld: boolean; restricted: boolean; flags_system: string | null }

export async function mergeFlags(tx: Tx, records: readonly FlagsIn[], context: MergeContext, forced: readonly (string | undefined)[] = []): Promise<Result[]> {
  const childIds = await childIdsBySource(tx, context.system, records.map((r) => r.caseSystemId));
  const childOf = (i: number) => forced[i] ?? childIds.get(records[i]!.caseSystemId);
  const ids = [...new Set(records.map((_, i) => childOf(i)).filter((id): id is string => id !== undefined))];
  const rows = ids.length === 0 ? [] : await tx<Row[]>`
    select id, sealed, address_withheld, restricted, flags_system from children where id = any(${ids}::uuid[])`;
  const stored = new Map(rows.map((r) => [r.id, r]));
  const changed = new Map<string, Row>();

  const results = records.map((record, index): Result => {
    const childId = childOf(index);
    const row = childId ? stored.get(childId) : undefined;
    if (!row) return childNotKnown(context, record);
    const next: Row = { id: row.id, sealed: record.sealed, address_withheld: record.addressWithheld, restricted: record.restricted, flags_system: context.system };
    if (next.sealed === row.sealed && next.address_withheld === row.address_withheld && next.restricted === row.restricted && row.flags_system === context.system) {
      return ok('unchanged');
    }
    Object.assign(row, next);
    changed.set(row.id, row);
    return ok('updated');
  });

  // Sent together: postgres.js pipelines them on the transaction's connection, in this order.
  const writes: PromiseLike<unknown>[] = [];
  if (changed.size) {
    writes.push(tx`
      update children c set sealed = v.sealed, address_withheld = v.address_withheld, restricted = v.restricted,
             flags_system = v.flags_system, updated_at = now()
      from jsonb_to_recordset(${tx.json([...changed.values()] as never)}) as v(id uuid, sealed boolean, address_withheld boolean,
           restricted boolean, flags_system text)
      where c.id = v.id`);
  }
  writes.push(recordSightings(tx, context, 'flags', [...stored.keys()].filter((id) => records.some((_, i) => childOf(i) === id))));
  await Promise.all(writes);
  return results;
}
