// A child's chronology: the one module that reads and writes `chronology_events`. Partners'
// concerns and the front door's decisions are written here, in the caller's transaction; the
// case system's own events arrive by import (or the demo seed).
import type { Db } from '../db/connect.ts';
import type { ConcernRecord } from './concern-records.ts';

/**
 * A partner's concern as it stands in the chronology: what they wrote, how to reach them, and
 * where it is now (the entry's summary was written when it was raised; these are live).
 */
export type ChronologyConcern = Pick<ConcernRecord, 'reference' | 'submittedByName' | 'referrerPhone' | 'whatHappened' | 'childWords'
  | 'immediateRisk' | 'actionsTaken' | 'parentsAware' | 'parentsNotAwareReason' | 'status' | 'decision'> & {
  /** The day in England the front door decided, YYYY-MM-DD; null until then. */
  decidedOn: string | null;
};

export interface ChronologyEntry {
  occurredOn: string;
  eventType: string;
  sourceAgency: string;
  summary: string;
  /** On a partner's concern entry only. */
  concern: ChronologyConcern | null;
}

/** Which entries of a chronology: `limit` from `offset`, newest first, from one agency where `agency` is set. */
export interface ChronologyPage {
  agency?: string | null;
  limit: number;
  offset?: number;
}

/** Without a page asked for (the front door's context beside a concern): the newest entries, as many as a page shows. */
export const NEWEST_CHRONOLOGY: ChronologyPage = { limit: 20 };

/** Past this an offset is no real page: it reads as the last rows there could be, never an error. */
const MAX_OFFSET = 100_000;

/**
 * One page of a child's chronology. Paged because a child known for years has hundreds of
 * entries: the page, and the time to make it, stay the same size however long the history.
 */
export async function chronologyOf(sql: Db, childId: string, page: ChronologyPage = NEWEST_CHRONOLOGY): Promise<ChronologyEntry[]> {
  const limit = Math.min(100, Math.max(1, Math.trunc(page.limit)));
  const offset = Math.min(MAX_OFFSET, Math.max(0, Math.trunc(page.offset ?? 0) || 0));
  return sql<ChronologyEntry[]>`
    select e.occurred_on::text as "occurredOn", e.event_type as "eventType", e.source_agency as "sourceAgency", e.summary,
           case when e.event_type = 'Partner concern' and c.id is not null then json_build_object(
             'reference', c.reference, 'submittedByName', c.submitted_by_name, 'referrerPhone', c.referrer_phone,
             'whatHappened', c.what_happened, 'childWords', c.child_words, 'immediateRisk', c.immediate_risk,
             'actionsTaken', c.actions_taken, 'parentsAware', c.parents_aware, 'parentsNotAwareReason', c.parents_not_aware_reason,
             'status', c.status, 'decision', c.decision,
             'decidedOn', (c.decided_at at time zone 'Europe/London')::date::text)
           end as concern
    from chronology_events e left join concerns c on c.id = e.concern_id
    where e.child_id = ${childId} ${page.agency ? sql`and e.source_agency = ${page.agency}` : sql``}
    order by e.occurred_on desc, e.recorded_at desc
    limit ${limit} offset ${offset}`;
}

export interface NewChronologyEntry {
  childId: string;
  /** YYYY-MM-DD, or null for today in England. */
  occurredOn: string | null;
  eventType: 'Partner concern' | 'Partner follow-up' | 'Front door decision';
  sourceAgency: string;
  sourceOrganisationId: string;
  concernId: string;
  summary: string;
}

export async function addChronologyEntry(sql: Db, entry: NewChronologyEntry): Promise<void> {
  await sql`
    insert into chronology_events (child_id, occurred_on, event_type, source_agency, source_organisation_id, concern_id, summary)
    values (${entry.childId}, coalesce(${entry.occurredOn}::date, (now() at time zone 'Europe/London')::date), ${entry.eventType},
            ${entry.sourceAgency}, ${entry.sourceOrganisationId}, ${entry.concernId}, ${entry.summary})`;
}

/** Whether the child's chronology already has the partner's concern. */
export async function hasPartnerConcernEntry(sql: Db, childId: string, concernId: string): Promise<boolean> {
  const rows = await sql`
    select 1 from chronology_events
    where child_id = ${childId} and event_type = 'Partner concern' and concern_id = ${concernId}
    limit 1`;
  return rows.length > 0;
}

/**
 * A police notification (Operation Encompass) in a matched child's chronology, tagged police, on
 * the day of the incident in England; it points at the notification (issue 14, point 4).
 */
export async function addEncompassChronologyEntry(
  sql: Db,
  entry: { childId: string; occurredAt: string; sourceOrganisationId: string; encompassNotificationId: string; summary: string },
): Promise<void> {
  await sql`
    insert into chronology_events (child_id, occurred_on, event_type, source_agency, source_organisation_id, encompass_notification_id, summary)
    values (${entry.childId}, (${entry.occurredAt}::timestamptz at time zone 'Europe/London')::date, 'Police notification (Operation Encompass)',
            'police', ${entry.sourceOrganisationId}, ${entry.encompassNotificationId}, ${entry.summary})`;
}
