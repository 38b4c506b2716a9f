// Involvements (child in need episodes, child protection plans, periods looked after): matched by
// (child, kind, the case system's episode id) where there is one, else by (child, kind, start
// date), because some case systems renumber episodes between runs. Dates, category and next
// review are upserted; the chronology keeps each start, end and change of category.
import { randomUUID } from 'node:crypto';
import type { InvolvementIn } from '../records.ts';
import { addChronology, eventSummaries, importEventTypes, recordSightings, type ChronologyRow } from './bookkeeping.ts';
import { ok, rejected, type MergeContext, type Result, type Tx } from './context.ts';

interface Row {
  id: string;
  child_id: string;
  kind: string;
  episode_id: string | null;
  start_date: string;
  end_date: string | null;
  cp_category: string | null;
  next_review_date: string | null;
}
const COMPARED = ['episode_id', 'start_date', 'end_date', 'cp_category', 'next_review_date'] as const;

export const childNotKnown = (context: MergeContext, record: InvolvementIn | { kind: 'allocation' | 'flags'; where: InvolvementIn['where']; caseSystemId: string }) =>
  rejected(context, record as InvolvementIn, {
    rule: 'child-not-known',
    message: 'No child on record has this case-system id: the child’s own record was rejected or held, or has not been loaded (load the SSD extract first).',
  });

export async function mergeInvolvements(tx: Tx, records: readonly InvolvementIn[], context: MergeContext, forced: readonly (string | undefined)[] = []): Promise<Result[]> {
  // One read: the children the ids name (and any a person chose), with their involvements.
  const sourceIds = [...new Set(records.map((r) => r.caseSystemId))];
  const chosen = forced.filter((id): id is string => id !== undefined);
  const found = await tx<(Omit<Row, 'id'> & { id: string | null; source_id: string | null })[]>`
    with named as (
      select source_id, child_id from child_sources where system = ${context.system} and source_id = any(${sourceIds}::text[])
      union all select null, id from children where id = any(${chosen}::uuid[])
    )
    select n.source_id, n.child_id, i.id, i.kind, i.episode_id, i.start_date::text, i.end_date::text, i.cp_category, i.next_review_date::text
    from named n left join involvements i on i.child_id = n.child_id`;
  const childIds = new Map<string, string>();
  const byChild = new Map<string, Row[]>();
  for (const { source_id, ...row } of found) {
    if (source_id !== null) childIds.set(source_id, row.child_id);
    if (!byChild.has(row.child_id)) byChild.set(row.child_id, []);
    const rows = byChild.get(row.child_id)!;
    // A child named twice (two ids, or an id and a person's choice) comes back twice.
    if (row.id !== null && !rows.some((r) => r.id === row.id)) rows.push(row as Row);
  }
  const childOf = (i: number) => forced[i] ?? childIds.get(records[i]!.caseSystemId);

  const inserts: Array<Row & { import_system: string; import_source: string; import_run_id: string }> = [];
  const updates = new Map<string, Row>();
  const seen = new Set<string>();
  const chronology: ChronologyRow[] = [];

  const results = records.map((record, index): Result => {
    const childId = childOf(index);
    if (childId === undefined) return childNotKnown(context, record);
    if (record.endDate && record.endDate < record.startDate) {
      return rejected(context, record, { rule: 'end-before-start', field: 'endDate', value: record.endDate, message: 'The episode ends before it starts.' });
    }
    const rows = byChild.get(childId) ?? [];
    const taken = (row: Row) => seen.has(row.id);
    const match = (record.episodeId ? rows.find((r) => r.kind === record.involvementKind && r.episode_id === record.episodeId && !taken(r)) : undefined)
      ?? rows.find((r) => r.kind === record.involvementKind && r.start_date === record.startDate && !taken(r));
    if (!match) {
      const category = record.involvementKind === 'child_protection' ? (record.cpCategory ?? null) : null;
      if (record.involvementKind === 'child_protection' && !category) {
        return rejected(context, record, { rule: 'cp-category-missing', field: 'cpCategory', message: 'A child protection plan needs its category of abuse.' });
      }
      const row: Row = {
        id: randomUUID(), child_id: childId, kind: record.involvementKind, episode_id: record.episodeId ?? null,
        start_date: record.startDate, end_date: record.endDate ?? null, cp_category: category, next_review_date: record.nextReviewDate ?? null,
      };
      inserts.push({ ...row, import_system: context.system, import_source: context.source, import_run_id: context.runId });
      byChild.set(childId, [...rows, row]);
      seen.add(row.id);
      chronology.push({ child_id: childId, occurred_on: row.start_date, event_type: importEventTypes.started, summary: eventSummaries.started(record.involvementKind, category) });
      if (row.end_date) chronology.push({ child_id: childId, occurred_on: row.end_date, event_type: importEventTypes.ended, summary: eventSummaries.ended(record.involvementKind) });
      return ok('inserted');
    }
    seen.add(match.id);
    const next: Row = {
      ...match,
      episode_id: record.episodeId ?? match.episode_id,
      start_date: record.startDate,
      end_date: record.endDate === undefined ? match.end_date : record.endDate,
      // A plan keeps a category: a source without one (null) leaves the stored one.
      cp_category: record.involvementKind === 'child_protection' ? (record.cpCategory ?? match.cp_category) : null,
      next_review_date: record.nextReviewDate === undefined ? match.next_review_date : record.nextReviewDate,
    };
    if (COMPARED.every((c) => next[c] === match[c])) return ok('unchanged');
    if (next.end_date && next.end_date < next.start_date) {
      return rejected(context, record, { rule: 'end-before-start', field: 'startDate', value: next.start_date, message: 'The episode would end before it starts.' });
    }
    if (next.end_date && !match.end_date) {
      chronology.push({ child_id: childId, occurred_on: next.end_date, event_type: importEventTypes.ended, summary: eventSummaries.ended(record.involvementKind) });
    }
    if (match.cp_category && next.cp_category && next.cp_category !== match.cp_category) {
      chronology.push({ child_id: childId, occurred_on: context.today, event_type: importEventTypes.categoryChanged, summary: eventSummaries.categoryChanged(match.cp_category, next.cp_category) });
    }
    Object.assign(match, next);
    updates.set(match.id, match);
    return ok('updated');
  });

  // Sent together: postgres.js pipelines them on the transaction's connection, in this order.
  const writes: PromiseLike<unknown>[] = [];
  if (updates.size) {
    writes.push(tx`
      update involvements i set episode_id = v.episode_id, start_date = v.start_date, end_date = v.end_date,
             cp_category = v.cp_category, next_review_date = v.next_review_date, import_run_id = ${context.runId},
             import_system = coalesce(i.import_system, ${context.system}), import_source = coalesce(i.import_source, ${context.source})
      from jsonb_to_recordset(${tx.json([...updates.values()] as never)}) as v(id uuid, episode_id text, start_date date, end_date date,
           cp_category text, next_review_date date)
      where i.id = v.id`);
  }
  if (inserts.length) {
    writes.push(tx`insert into involvements ${tx(inserts, 'id', 'child_id', 'kind', 'episode_id', 'start_date', 'end_date', 'cp_category',
      'next_review_date', 'import_system', 'import_source', 'import_run_id')}`);
  }
  writes.push(addChronology(tx, context, chronology));
  writes.push(recordSightings(tx, context, 'involvement', [...seen]));
  await Promise.all(writes);
  return results;
}
