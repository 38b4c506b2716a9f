// The case-system event log (migrations/025_case_system_events.sql): the one writer of
// case_system_events, its sequencer, and the reader both the export and the webhook use.
//
// Why a log numbered after commit, rather than a (time, id) cursor over the concern tables: a
// timestamp or an identity is taken when a transaction *starts* writing, but rows become visible
// when it *commits*, and the two orders differ under concurrent writes. A reader that has seen
// event 11 and moved its cursor past it would never see an event 10 that committed a moment
// later. Here writers only insert (position null) and never wait for one another; the sequencer
// numbers committed rows, one transaction at a time under an advisory lock, after every position
// it gave before. A row that commits late is numbered late, so no cursor has passed it already.
import type { Db, Sql } from '../db/connect.ts';
import { buildEvent, type CaseSystemEvent, type EventRow } from './format.ts';

export const eventKinds = ['concern.received', 'concern.information_added', 'concern.decided'] as const;
export type EventKind = (typeof eventKinds)[number];

/**
 * Records an event in the caller's transaction (the `tx` that writes the concern, the follow-up
 * or the decision). A second call for the same concern and kind (or follow-up) adds nothing.
 */
export async function recordCaseSystemEvent(
  tx: Db,
  event: { kind: EventKind; concernId: string; followUpId?: string | null; childId: string | null },
): Promise<void> {
  const row = { kind: event.kind, concern_id: event.concernId, follow_up_id: event.followUpId ?? null, child_id: event.childId };
  await tx`insert into case_system_events ${tx(row, 'kind', 'concern_id', 'follow_up_id', 'child_id')} on conflict do nothing`;
}

/** A constant of the portal's own: pg_advisory_xact_lock's key for the sequencer ('cse' + 1). */
const SEQUENCER_LOCK = 0x63736501;

/**
 * Numbers every committed, unnumbered event, in insertion order, after the highest position
 * given so far. Returns the highest position now given (0 when there are no events). Safe to
 * call from any process at any time: callers queue on the lock.
 */
export async function sequenceEvents(sql: Sql): Promise<number> {
  return sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(${SEQUENCER_LOCK})`;
    // A new statement, so a new snapshot: it sees every position the previous holder committed.
    await tx`
      with todo as (
        select seq, row_number() over (order by seq) as n
        from case_system_events where position is null
      ), top as (select coalesce(max(position), 0) as p from case_system_events)
      update case_system_events e set position = top.p + todo.n
      from todo, top
      where e.seq = todo.seq`;
    const [{ last }] = await tx<[{ last: string }]>`select coalesce(max(position), 0)::text as last from case_system_events`;
    return Number(last);
  });
}

/**
 * The position just before the first numbered event that happened at or after `from`; the last
 * position when none has. An export from a date then runs on in position order from there (an
 * event a moment older that committed later comes too: more, never fewer).
 */
export async function positionBefore(sql: Db, from: Date): Promise<number> {
  const [row] = await sql<{ p: string }[]>`
    select coalesce(min(position) - 1, (select coalesce(max(position), 0) from case_system_events))::text as p
    from case_system_events where position is not null and occurred_at >= ${from}`;
  return Number(row!.p);
}

/** The position an event id (or a position written as a number) stands for; undefined when unknown. */
export async function positionOf(sql: Db, eventIdOrPosition: string): Promise<number | undefined> {
  if (/^\d{1,15}$/.test(eventIdOrPosition)) return Number(eventIdOrPosition);
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(eventIdOrPosition)) return undefined;
  const [row] = await sql<{ position: string | null }[]>`select position::text from case_system_events where event_id = ${eventIdOrPosition}`;
  return row?.position == null ? undefined : Number(row.position);
}

/**
 * Up to `limit` numbered events after position `after`, in position order, as JSON objects, never
 * past `upTo` (the sequencer's last position when the export began, so an export has an end).
 */
export async function readEvents(sql: Db, after: number, upTo: number, limit: number): Promise<CaseSystemEvent[]> {
  const rows = await sql<EventRow[]>`
    select e.event_id as "eventId", e.position::text as position, e.kind, e.occurred_at as "occurredAt",
           c.reference, c.received_at as "receivedAt", c.decision_due_at as "decisionDueAt",
           o.name as "organisationName", o.kind as "organisationKind",
           o.la_code as "laCode", o.urn, o.ods_code as "odsCode", o.force_code as "forceCode",
           c.submitted_by_name as "submittedByName", c.submitted_by_role as "submittedByRole",
           c.referrer_phone as "referrerPhone", c.referrer_email as "referrerEmail",
           c.category,
           coalesce((select array_agg(k.category order by k.category) from concern_categories k
                     where k.concern_id = c.id and not k.main), '{}') as "otherCategories",
           c.what_happened as "whatHappened", c.happened_on::text as "happenedOn", c.child_words as "childWords",
           c.immediate_risk as "immediateRisk", c.actions_taken as "actionsTaken",
           c.parents_aware as "parentsAware", c.parents_not_aware_reason as "parentsNotAwareReason",
           c.child_forename as "childForename", c.child_surname as "childSurname",
           c.child_date_of_birth::text as "childDateOfBirth", c.child_nhs_number as "childNhsNumber",
           c.child_upn as "childUpn", c.child_address as "childAddress", c.child_postcode as "childPostcode",
           e.child_id as "childId",
           coalesce((select json_agg(json_build_object('system', s.system, 'id', s.source_id) order by s.system, s.source_id)
                     from child_sources s where s.child_id = e.child_id), '[]') as "caseSystemIds",
           f.added_at as "followUpAddedAt", f.added_by_name as "followUpAddedBy", f.text as "followUpText",
           c.decision, c.decided_at as "decidedAt", c.decision_reason as "decisionReason", c.feedback, d.name as "decidedByName"
    from case_system_events e
    join concerns c on c.id = e.concern_id
    join organisations o on o.id = c.organisation_id
    left join concern_follow_ups f on f.id = e.follow_up_id
    left join users d on d.id = c.decided_by_user_id
    where e.position > ${after} and e.position <= ${upTo}
    order by e.position
    limit ${limit}`;
  return rows.map(buildEvent);
}

/** How far a consumer has got: the position after which it goes on. */
export async function consumerPosition(sql: Db, consumer: 'cli' | 'webhook'): Promise<number> {
  const [row] = await sql<{ last: string }[]>`select last_position::text as last from case_system_consumers where name = ${consumer}`;
  return Number(row?.last ?? 0);
}

/** Moves the CLI's bookmark on (never back: a re-export of older events leaves it where it was). */
export async function recordExported(sql: Db, position: number): Promise<void> {
  await sql`
    update case_system_consumers set last_position = greatest(last_position, ${position}), updated_at = now()
    where name = 'cli'`;
}
