// SQL for the front door: the queue of partners' concerns, one concern, and the children it
// might be about. The front door reads every concern (policy: read Concern); suggested children
// come through the policy's row filter, so a sealed or closed child is never suggested.
import type { PendingQuery, Row } from 'postgres';
import { roleNames, roles, type Agency } from '../auth/roles.ts';
import type { Queryable } from '../audit/access-log.ts';
import type { ConcernCategory } from '../concerns/categories.ts';
import { selectConcerns, type ConcernRow } from '../concerns/store.ts';
import type { Sql } from '../db/connect.ts';
import type { Decision } from '../concerns/decisions.ts';

type Filter = PendingQuery<Row[]>;

export type StatusFilter = 'open' | 'decided' | 'all';
export const statusFilters: StatusFilter[] = ['open', 'decided', 'all'];
/** The agencies whose staff raise concerns (the council's own staff do not). */
export const partnerAgencies = ['education', 'health', 'police'] as const satisfies readonly Agency[];
export type PartnerAgency = (typeof partnerAgencies)[number];

export interface QueueQuery {
  status: StatusFilter;
  agency: PartnerAgency | null;
  category: ConcernCategory | null;
  page: number;
  pageSize: number;
}

export interface QueueRow {
  id: string;
  reference: string;
  organisationName: string;
  submittedByName: string;
  submittedByRole: string;
  childForename: string | null;
  childSurname: string | null;
  matched: boolean;
  category: ConcernCategory;
  immediateRisk: boolean;
  receivedAt: Date;
  decisionDueAt: Date;
  status: 'received' | 'decided';
  decision: Decision | null;
  decidedAt: Date | null;
}

const rolesOf = (agency: Agency) => roleNames.filter((role) => roles[role].agency === agency);

function queueWhere(sql: Sql, query: QueueQuery): Filter {
  const status = query.status === 'open' ? sql`and c.status = 'received'` : query.status === 'decided' ? sql`and c.status = 'decided'` : sql``;
  const agency = query.agency ? sql`and c.submitted_by_role in ${sql(rolesOf(query.agency))}` : sql``;
  const category = query.category ? sql`and c.category = ${query.category}` : sql``;
  return sql`true ${status} ${agency} ${category}`;
}

/** Open ones before decided ones; immediate risk first; then the decision due soonest. */
export async function listQueue(sql: Sql, query: QueueQuery): Promise<{ rows: QueueRow[]; total: number }> {
  const where = queueWhere(sql, query);
  const [rows, [count]] = await Promise.all([
    sql<QueueRow[]>`
      select c.id, c.reference, o.name as "organisationName", c.submitted_by_name as "submittedByName",
             c.submitted_by_role as "submittedByRole", c.child_forename as "childForename",
             c.child_surname as "childSurname", c.child_id is not null as matched, c.category,
             c.immediate_risk as "immediateRisk", c.received_at as "receivedAt",
             c.decision_due_at as "decisionDueAt", c.status, c.decision, c.decided_at as "decidedAt"
      from concerns c join organisations o on o.id = c.organisation_id
      where ${where}
      order by (c.status = 'received') desc, c.immediate_risk desc, c.decision_due_at, c.received_at, c.id
      limit ${query.pageSize} offset ${(query.page - 1) * query.pageSize}`,
    sql<{ total: number }[]>`select count(*)::int as total from concerns c where ${where}`,
  ]);
  return { rows, total: count!.total };
}

/** A concern as the front door reads it: what the partner sees, and who sent and decided it. */
export interface FrontDoorConcern extends ConcernRow {
  submittedByRole: string;
  decisionReason: string | null;
  decidedByName: string | null;
}

/** One concern by id (a uuid: check it first). */
export async function findConcern(sql: Sql, id: string): Promise<FrontDoorConcern | undefined> {
  const [row] = await sql<FrontDoorConcern[]>`
    ${selectConcerns(sql, sql`, c.submitted_by_role as "submittedByRole", c.decision_reason as "decisionReason", u.name as "decidedByName"`)}
    left join users u on u.id = c.decided_by_user_id
    where c.id = ${id}`;
  return row;
}

export interface MatchCandidate {
  childId: string;
  /** Why it was suggested, strongest first: 0 is the child the partner raised it about. */
  strength: number;
  reason: string;
}

export const matchReasons = {
  raisedAbout: 'The partner raised the concern about this child',
  nhsNumber: 'Same NHS number',
  upn: 'Same unique pupil number',
  surnameAndDateOfBirth: 'Same last name and date of birth',
  nameAndPostcode: 'Same first name, last name and postcode',
} as const;

/**
 * Children the concern may be about, each once with its strongest reason, at most `limit`:
 * the child it was raised about, the same NHS number, the same UPN, the same last name and date
 * of birth, then the same first and last name with the same postcode. Only children the policy
 * filter admits.
 */
export async function matchCandidates(sql: Sql, concern: FrontDoorConcern, filter: Filter, limit = 5): Promise<MatchCandidate[]> {
  const forename = concern.childForename?.trim().toLowerCase() || null;
  const surname = concern.childSurname?.trim().toLowerCase() || null;
  const postcode = concern.childPostcode?.replace(/\s+/g, '').toUpperCase() || null;
  return sql<MatchCandidate[]>`
    with candidates (child_id, strength, reason) as (
      select c.id, 0, ${matchReasons.raisedAbout} from children c where c.id = ${concern.childId}::uuid
      union all
      select c.id, 1, ${matchReasons.nhsNumber} from children c where c.nhs_number = ${concern.childNhsNumber}::text
      union all
      select c.id, 2, ${matchReasons.upn} from children c where c.upn = ${concern.childUpn}::text
      union all
      select c.id, 3, ${matchReasons.surnameAndDateOfBirth} from children c
      where lower(c.surname) = ${surname}::text and c.date_of_birth = ${concern.childDateOfBirth}::date
      union all
      select c.id, 4, ${matchReasons.nameAndPostcode} from children c
      where lower(c.forename) = ${forename}::text and lower(c.surname) = ${surname}::text
        and upper(replace(c.postcode, ' ', '')) = ${postcode}::text
    ),
    best as (
      select distinct on (child_id) child_id, strength, reason from candidates order by child_id, strength
    )
    select b.child_id as "childId", b.strength, b.reason
    from best b join children c on c.id = b.child_id
    where ${filter}
    order by b.strength, c.surname, c.forename, c.id
    limit ${limit}`;
}

/** Whether the child's chronology already has the partner's concern. */
export async function hasPartnerConcernEntry(sql: Queryable, childId: string, concernId: string): Promise<boolean> {
  const rows = await sql`
    select 1 from chronology_events
    where child_id = ${childId} and event_type = 'Partner concern' and concern_id = ${concernId}
    limit 1`;
  return rows.length > 0;
}
