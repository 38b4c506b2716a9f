// Ending what a snapshot no longer lists. A record is ended (end date = the run's day), never
// deleted, and only if this source loaded it (import_system, import_source) and this run did
// not see it (import_sightings). A school roll or GP registration file is complete for the
// schools or practices it names, not for every school: only their rows are ended. The
// chronology records each involvement ended this way.
//
// "Loaded and not seen" is a set difference (EXCEPT), hashed or sorted whatever the planner
// believes about the sightings: they were written in this very transaction, after the table was
// last analysed, and the portal's database role may not analyse it. As an anti-join the planner
// took it for empty and scanned it once per open row (minutes at 10,000 children).
import type { RecordKind } from '../records.ts';
import { forgetSightings, importEventTypes, kindWordsSql, type SightingKind } from './bookkeeping.ts';
import type { MergeContext, Tx } from './context.ts';

const seen = (tx: Tx, context: MergeContext, kind: SightingKind) =>
  tx`select s.row_id from import_sightings s where s.run_id = ${context.runId} and s.kind = ${kind}`;

async function endInvolvements(tx: Tx, context: MergeContext): Promise<number> {
  const [row] = await tx<{ n: number }[]>`
    with absent as (
      select i.id from involvements i
      where i.end_date is null and i.import_system = ${context.system} and i.import_source = ${context.source}
      except ${seen(tx, context, 'involvement')}
    ), ended as (
      update involvements i set end_date = greatest(i.start_date, ${context.today}::date), import_run_id = ${context.runId}
      from absent a where i.id = a.id
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
    with absent as (
      select a.id from allocations a
      where a.end_date is null and a.import_system = ${context.system} and a.import_source = ${context.source}
      except ${seen(tx, context, 'allocation')}
    )
    update allocations a set end_date = greatest(a.start_date, ${context.today}::date), import_run_id = ${context.runId}
    from absent x where a.id = x.id`;
  return ended.count;
}

async function endRelationships(tx: Tx, context: MergeContext): Promise<number> {
  // The schools and practices the file named: a few hundred at most.
  const named = await tx<{ id: string }[]>`
    select row_id as id from import_sightings where run_id = ${context.runId} and kind in ('school', 'gp_practice')`;
  if (named.length === 0) return 0;
  const ended = await tx`
    with absent as (
      select r.id from child_organisation_relationships r
      where r.end_date is null and r.import_system = ${context.system} and r.import_source = ${context.source}
        and r.organisation_id = any(${named.map((n) => n.id)}::uuid[])
      except ${seen(tx, context, 'relationship')}
    )
    update child_organisation_relationships r set end_date = greatest(r.start_date, ${context.today}::date), import_run_id = ${context.runId}
    from absent x where r.id = x.id`;
  return ended.count;
}

async function clearFlags(tx: Tx, context: MergeContext): Promise<number> {
  const cleared = await tx`
    with absent as (
      select c.id from children c where c.flags_system = ${context.system}
      except ${seen(tx, context, 'flags')}
    )
    update children c set sealed = false, address_withheld = false, restricted = false, flags_system = null, updated_at = now()
    from absent x where c.id = x.id`;
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
