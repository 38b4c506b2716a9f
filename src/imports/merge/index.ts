// The merge: the only code that writes imported records into the case record (issue 13 point 2).
// The runner (../run.ts) hands it one batch at a time inside the batch's transaction; it reads
// what the batch touches in a few queries, compares in memory, and writes only what differs, so
// an import of unchanged files writes nothing to the case record. How records are matched is in
// docs/imports.md, "How records are matched and merged".
import type { Issue } from '../issues.ts';
import type { ChildIn, ImportRecord, RecordKind } from '../records.ts';
import { mergeChildren } from './children.ts';
import type { MergeContext, MergeOutcome, Result, Tx } from './context.ts';

export type { MergeContext, MergeOutcome } from './context.ts';

type Merger<R> = (tx: Tx, records: readonly R[], context: MergeContext, forcedChild: readonly (string | undefined)[]) => Promise<Result[]>;

const notYet: Merger<ImportRecord> = async (_tx, records) =>
  records.map(() => ({ outcome: 'rejected' as const, issues: [] }));

const mergers: { [K in RecordKind]: Merger<Extract<ImportRecord, { kind: K }>> } = {
  child: mergeChildren as Merger<ChildIn>,
  involvement: notYet,
  allocation: notYet,
  relationship: notYet,
  flags: notYet,
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
