// Ending what a snapshot no longer lists. A record is ended (end date = the run's day), never
// deleted, and only if this source loaded it (import_system, import_source) and this run did
// not see it (import_sightings). A school roll or GP registration file is complete for the
// schools or practices it names, not for every school: only their rows are ended. The
// chronology records each involvement ended this way.
import type { RecordKind } from '../records.ts';
import { forgetSightings, importEventTypes, kindWordsSql, type SightingKind } from './bookkeeping.ts';
import type { MergeContext, Tx } from './context.ts';

const unseen = (tx: Tx, context: MergeContext, kind: SightingKind, column: string) => tx`
  not exists (select 1 from import_sightings s where s.run_id = ${context.runId} and s.kind = ${kind} and s.row_id = ${tx(column)})`;

async function endInvolvements(tx: Tx, context: MergeContext): Promise<number> {
  const [row] = await tx<{ n: number }[]>`
    with ended as (
      update involvements i set end_date = greatest(i.start_date, ${context.today}::date), import_run_id = ${context.runId}
      where i.end_date is null and i.import_system = ${context.system} and i.import_source = ${context.source}
        and ${unseen(tx, context, 'involvement', 'i.id')}
      returning i.child_id, i.kind, i.end_date
    ), logged as (
      insert into chronology_events (child_id, occurred_on, event_type, source_agency, source_organisation_id, summary)
      select child_id, end_date, ${importEventTypes.ended}, 'council', ${context.localAuthorityId},
             (${tx.json(kindWordsSql as never)} ->> kind) || ' ended: the case system no longer lists it as open.'
      from ended
    )
    select count(*)::int as n from ended`;
  return row!.n;
}

async function endAllocations(tx: Tx, context: MergeContext): Promise<number> {
  const ended = await tx`
    update allocations a set end_date = greatest(a.start_date, ${context.today}::date), import_run_id = ${context.runId}
    where a.end_date is null and a.import_system = ${context.system} and a.import_source = ${context.source}
      and ${unseen(tx, context, 'allocation', 'a.id')}`;
  return ended.count;
}

async function endRelationships(tx: Tx, context: MergeContext): Promise<number> {
  const ended = await tx`
    update child_organisation_relationships r set end_date = greatest(r.start_date, ${context.today}::date), import_run_id = ${context.runId}
    where r.end_date is null and r.import_system = ${context.system} and r.import_source = ${context.source}
      and ${unseen(tx, context, 'relationship', 'r.id')}
      and exists (select 1 from import_sightings s where s.run_id = ${context.runId} and s.kind in ('school', 'gp_practice')
                  and s.row_id = r.organisation_id)`;
  return ended.count;
}

async function clearFlags(tx: Tx, context: MergeContext): Promise<number> {
  const cleared = await tx`
    update children c set sealed = false, address_withheld = false, restricted = false, flags_system = null, updated_at = now()
    where c.flags_system = ${context.system} and ${unseen(tx, context, 'flags', 'c.id')}`;
  return cleared.count;
}

const enders: Partial<Record<RecordKind, { end: (tx: Tx, context: MergeContext) => Promise<number>; sightings: SightingKind[] }>> = {
  involvement: { end: endInvolvements, sightings: ['involvement'] },
  allocation: { end: endAllocations, sightings: ['allocation'] },
  relationship: { end: endRelationships, sightings: ['relationship', 'school', 'gp_practice'] },
  flags: { end: clearFlags, sightings: ['flags'] },
  // A child is never ended: leaving the case system's six-year window is not leaving care. Their
  // open involvements and allocation end with those kinds.
};

/** Ends (end date = context.today) current records of these kinds that this source loaded before and this run did not see. */
export async function endAbsent(tx: Tx, kinds: RecordKind[], context: MergeContext): Promise<number> {
  let total = 0;
  for (const kind of new Set(kinds)) {
    const ender = enders[kind];
    if (!ender) continue;
    total += await ender.end(tx, context);
    await forgetSightings(tx, context, ender.sightings);
  }
  return total;
}
