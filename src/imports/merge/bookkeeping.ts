// What the merge writes beside the records themselves: which rows each run saw (so that a
// snapshot ends only what it no longer lists), and the chronology entries that keep what
// happened when an import starts, ends or changes an episode.
import { cpCategoryInWords } from '../../children/labels.ts';
import type { InvolvementKind } from '../records.ts';
import type { MergeContext, Tx } from './context.ts';

export type SightingKind = 'involvement' | 'allocation' | 'relationship' | 'flags' | 'school' | 'gp_practice';

/** Records that this run saw these rows (or organisations, for a file that is complete for the ones it names). */
export function recordSightings(tx: Tx, context: MergeContext, kind: SightingKind, rowIds: readonly string[]): PromiseLike<unknown> {
  const ids = [...new Set(rowIds)];
  if (ids.length === 0) return Promise.resolve();
  // Returned, not awaited: sent when the caller awaits it, in the order of the caller's writes.
  return tx`
    insert into import_sightings (run_id, kind, row_id)
    select ${context.runId}, ${kind}, unnest(${ids}::uuid[])
    on conflict do nothing`;
}

/** Forgets a run's sightings once its snapshot has ended what it should, and any a failed run left. */
export async function forgetSightings(tx: Tx, context: MergeContext, kinds: readonly SightingKind[]): Promise<void> {
  await tx`
    delete from import_sightings
    where (run_id = ${context.runId} and kind = any(${kinds as string[]}::text[])) or seen_at < now() - interval '2 days'`;
}

// ---- chronology ------------------------------------------------------------------------------

/** chronology_events.event_type for what an import saw happen (labels: src/children/labels.ts). */
export const importEventTypes = {
  started: 'involvement_started',
  ended: 'involvement_ended',
  categoryChanged: 'cp_category_changed',
} as const;

const kindWords: Record<InvolvementKind, string> = {
  child_in_need: 'Child in need episode',
  child_protection: 'Child protection plan',
  looked_after: 'Period looked after',
};

const lower = (words: string) => words.charAt(0).toLowerCase() + words.slice(1);

export const eventSummaries = {
  started: (kind: InvolvementKind, category: string | null) =>
    `${kindWords[kind]} started${kind === 'child_protection' && category ? ` (${lower(cpCategoryInWords(category))})` : ''}.`,
  ended: (kind: InvolvementKind) => `${kindWords[kind]} ended.`,
  /** Ended by the merge because the case system's extract no longer lists it. */
  absent: (kind: InvolvementKind) => `${kindWords[kind]} ended: the case system no longer lists it as open.`,
  categoryChanged: (from: string, to: string) =>
    `Child protection plan category changed from ${lower(cpCategoryInWords(from))} to ${lower(cpCategoryInWords(to))}.`,
};

/** SQL's version of `eventSummaries.absent`, for the ending done in one statement (./end-absent.ts). */
export const kindWordsSql = kindWords;

export interface ChronologyRow {
  child_id: string;
  occurred_on: string;
  event_type: string;
  summary: string;
}

export function addChronology(tx: Tx, context: MergeContext, rows: readonly ChronologyRow[]): PromiseLike<unknown> {
  if (rows.length === 0) return Promise.resolve();
  const full = rows.map((r) => ({ ...r, source_agency: 'council', source_organisation_id: context.localAuthorityId }));
  return tx`insert into chronology_events ${tx(full, 'child_id', 'occurred_on', 'event_type', 'summary', 'source_agency', 'source_organisation_id')}`;
}
