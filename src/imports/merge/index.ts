// The merge: the only code that writes imported records into the case record (issue 13 point 2).
// The runner (../run.ts) hands it one batch at a time inside the batch's transaction; it reads
// what the batch touches in a few queries, compares in memory, and writes only what differs, so
// an import of unchanged files writes nothing to the case record. How records are matched is in
// docs/imports.md, "How records are matched and merged".
import type { Issue } from '../issues.ts';
import type { ImportRecord, RecordKind } from '../records.ts';
import { mergeAllocations } from './allocations.ts';
import { mergeChildren } from './children.ts';
import type { MergeContext, MergeOutcome, Result, Tx } from './context.ts';
import { mergeFlags } from './flags.ts';
import { mergeInvolvements } from './involvements.ts';
import { mergeRelationships } from './relationships.ts';

export type { MergeContext, MergeOutcome } from './context.ts';
export { endAbsent } from './end-absent.ts';

type Merger<R> = (tx: Tx, records: readonly R[], context: MergeContext, forcedChild: readonly (string | undefined)[]) => Promise<Result[]>;

const mergers: { [K in RecordKind]: Merger<Extract<ImportRecord, { kind: K }>> } = {
  child: mergeChildren,
  involvement: mergeInvolvements,
  allocation: mergeAllocations,
  relationship: mergeRelationships,
  flags: mergeFlags,
};
// Children first: the other kinds name a child the same batch may bring.
const order: RecordKind[] = ['child', 'involvement', 'allocation', 'relationship', 'flags'];

async function merge(tx: Tx, records: readonly ImportRecord[], context: MergeContext, forced: readonly (string | undefined)[]): Promise<Result[]> {
  const results = new Array<Result>(records.length);
  for (const kind of order) {
    const indexes = records.flatMap((r, i) => (r.kind === kind ? [i] : []));
    if (indexes.length === 0) continue;
    const merged = await (mergers[kind] as Merger<ImportRecord>)(tx, indexes.map((i) => records[i]!), context, indexes.map((i) => forced[i]));
    indexes.forEach((i, n) => (results[i] = merged[n]!));
  }
  return results;
}

/** Merges one batch inside the caller's transaction; one outcome per record, in order, plus issues for rejected/held ones. */
export async function mergeBatch(tx: Tx, records: ImportRecord[], context: MergeContext): Promise<{ outcomes: MergeOutcome[]; issues: Issue[] }> {
  const results = await merge(tx, records, context, []);
  return { outcomes: results.map((r) => r.outcome), issues: results.flatMap((r) => r.issues) };
}

/**
 * Loads a held record once a person has resolved it: `childId` is the child they chose (a record
 * that matched two children, or whose identifier was another child's); for an unknown school or
 * practice, the record is merged again once it has been added. A record still unresolved is
 * held again (its outcome says so; the caller keeps it).
 */
export async function mergeHeld(tx: Tx, record: ImportRecord, resolution: { childId?: string }, context: MergeContext): Promise<MergeOutcome> {
  // Only a child's own record is resolved by choosing a child: the others are held for what
  // they name (a school, a practice, a worker), and are merged again once that is on record.
  const [result] = await merge(tx, [record], context, [record.kind === 'child' ? resolution.childId : undefined]);
  return result!.outcome;
}
