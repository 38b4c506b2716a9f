// SQL for partners' concerns: reading them (always under the policy's row filter, built in
// ./rules-to-sql.ts) and the two writes, raising one and deciding on one. The only module that
// reads or writes the `concerns` table.
// (src/case-system-export/events.ts also reads concerns, to build the events sent to the council's
// case system: for the council's own system, never for a person, so no policy applies there.)
import type { ConcernCategory } from '../concerns/categories.ts';
import type { Decision } from '../concerns/decisions.ts';
import type { CheckedConcern } from '../concerns/form.ts';
import type { Db } from '../db/connect.ts';
import type { Fragment } from './rules-to-sql.ts';

/** A stored concern, every column a policy can release. */
export interface ConcernRecord {
  id: string;
  reference: string;
  organisationId: string;
  childId: string | null;
  /** The version of the concern form it was made with (forms/concern/<n>.yaml): travels with every released concern, as its questions' key. */
  formVersion: number;
  /** The version of the decision form it was decided with; null until decided. Travels with the outcome. */
  decisionFormVersion: number | null;
  // submission
  category: ConcernCategory;
  /** The other kinds ticked beside the main one (concern_categories), in a fixed order. */
  otherCategories: ConcernCategory[];
  whatHappened: string;
  happenedOn: string;
  childWords: string | null;
  immediateRisk: boolean;
  actionsTaken: string | null;
  parentsAware: boolean;
  parentsNotAwareReason: string | null;
  /** The answers to questions the council added to the form (forms/concern/*.yaml), by name. */
  extraAnswers: Record<string, string>;
  // childIdentifiers
  childForename: string | null;
  childSurname: string | null;
  childDateOfBirth: string | null;
  childNhsNumber: string | null;
  childUpn: string | null;
  childAddress: string | null;
  childPostcode: string | null;
  // referrer
  organisationName: string;
  submittedByName: string;
  submittedByRole: string;
  referrerPhone: string;
  referrerEmail: string | null;
  // progress
  receivedAt: Date;
  decisionDueAt: Date;
  status: 'received' | 'decided';
  /**
   * Where it is, as the partner follows it: sent (nobody at the front door has taken it yet),
   * being considered (a front-door worker has it: who is the front door's business, not released
   * here) or decided. Part of `progress`, the concern's status.
   */
  stage: ConcernStage;
  /** Goes up on every assignment and decision: a decision form carries the one its page showed. */
  version: number;
  // outcome
  decision: Decision | null;
  decidedAt: Date | null;
  feedback: string | null;
  // decisionRecord
  decisionReason: string | null;
  decidedByName: string | null;
  decidedByUserId: string | null;
  /** The front-door worker who has the concern (the front door's own business, not the partner's). */
  assignedToUserId: string | null;
  assignedToName: string | null;
  assignedAt: Date | null;
  // submission, added later: what the partner added after sending it
  followUps: FollowUp[];
}

export const concernStages = ['sent', 'being_considered', 'decided'] as const;
export type ConcernStage = (typeof concernStages)[number];

/** Information a partner added to a concern after sending it. */
export interface FollowUp {
  /** ISO 8601. */
  addedAt: string;
  addedByName: string;
  text: string;
}

// Which columns each part of a concern releases: src/policy/concern-columns.ts (the forms
// loader checks a question's column against it too).
export { concernColumns } from '../policy/concern-columns.ts';

/** A concern's stage (ConcernRecord['stage']) in SQL, for the select and for a filter. */
const stageOf = (sql: Db) => sql`(case when c.status = 'decided' then 'decided' when c.assigned_to_user_id is not null then 'being_considered' else 'sent' end)`;

const selectConcerns = (sql: Db, where: Fragment, tail: Fragment) => sql<ConcernRecord[]>`
  select c.id, c.reference, c.organisation_id as "organisationId", c.child_id as "childId",
         c.form_version as "formVersion", c.decision_form_version as "decisionFormVersion", c.extra_answers as "extraAnswers",
         c.category,
         coalesce((select array_agg(k.category order by k.category) from concern_categories k
                   where k.concern_id = c.id and not k.main), '{}') as "otherCategories",
         c.what_happened as "whatHappened", c.happened_on::text as "happenedOn",
         c.child_words as "childWords", c.immediate_risk as "immediateRisk", c.actions_taken as "actionsTaken",
         c.parents_aware as "parentsAware", c.parents_not_aware_reason as "parentsNotAwareReason",
         c.child_forename as "childForename", c.child_surname as "childSurname",
         c.child_date_of_birth::text as "childDateOfBirth", c.child_nhs_number as "childNhsNumber",
         c.child_upn as "childUpn", c.child_address as "childAddress", c.child_postcode as "childPostcode",
         o.name as "organisationName", c.submitted_by_name as "submittedByName", c.submitted_by_role as "submittedByRole",
         c.referrer_phone as "referrerPhone", c.referrer_email as "referrerEmail",
         c.received_at as "receivedAt", c.decision_due_at as "decisionDueAt", c.status, ${stageOf(sql)} as stage, c.version,
         c.decision, c.decided_at as "decidedAt", c.feedback,
         c.decision_reason as "decisionReason", u.name as "decidedByName", c.decided_by_user_id as "decidedByUserId",
         c.assigned_to_user_id as "assignedToUserId", a.name as "assignedToName", c.assigned_at as "assignedAt",
         coalesce((select json_agg(json_build_object('addedAt', f.added_at, 'addedByName', f.added_by_name, 'text', f.text) order by f.added_at, f.id)
                   from concern_follow_ups f where f.concern_id = c.id), '[]') as "followUps"
  from concerns c
  join organisations o on o.id = c.organisation_id
  left join users u on u.id = c.decided_by_user_id
  left join users a on a.id = c.assigned_to_user_id
  where ${where}
  ${tail}`;

export type ConcernKey = { id: string } | { reference: string };

export async function findConcern(sql: Db, key: ConcernKey, filter: Fragment): Promise<ConcernRecord | undefined> {
  const match = 'id' in key ? sql`c.id = ${key.id}` : sql`c.reference = ${key.reference}`;
  const [row] = await selectConcerns(sql, sql`${match} and ${filter}`, sql``);
  return row;
}

export interface ConcernListQuery {
  status: 'open' | 'decided' | 'all';
  /** Only concerns sent by people in these roles. */
  submittedByRoles: readonly string[] | null;
  category: ConcernCategory | null;
  /** The front door's order (open first, immediate risk first, due soonest), or newest first. */
  order: 'queue' | 'newest';
  page: number;
  pageSize: number;
  /** Only concerns decided at or after this time (a partner's new decisions), newest decision first. */
  decidedSince?: Date;
  /** Only concerns at this stage (a partner's submissions filtered by where they are). */
  stage?: ConcernStage | null;
  /** Only concerns this user sent ("sent by me"); within the row filter, so it narrows and never widens. */
  submittedByUserId?: string | null;
}

export async function listConcerns(sql: Db, filter: Fragment, query: ConcernListQuery): Promise<{ rows: ConcernRecord[]; total: number }> {
  const status = query.status === 'open' ? sql`and c.status = 'received'` : query.status === 'decided' ? sql`and c.status = 'decided'` : sql``;
  const roles = query.submittedByRoles ? sql`and c.submitted_by_role in ${sql(query.submittedByRoles as string[])}` : sql``;
  const category = query.category ? sql`and c.category = ${query.category}` : sql``;
  const decided = query.decidedSince ? sql`and c.decided_at >= ${query.decidedSince}` : sql``;
  const stage = query.stage ? sql`and ${stageOf(sql)} = ${query.stage}` : sql``;
  const sentBy = query.submittedByUserId ? sql`and c.submitted_by_user_id = ${query.submittedByUserId}` : sql``;
  const where = sql`${filter} ${status} ${roles} ${category} ${decided} ${stage} ${sentBy}`;
  const order = query.decidedSince ? sql`order by c.decided_at desc, c.id desc` : query.order === 'queue'
    ? sql`order by (c.status = 'received') desc, c.immediate_risk desc, c.decision_due_at, c.received_at, c.id`
    : sql`order by c.received_at desc, c.id desc`;
  const [rows, [count]] = await Promise.all([
    selectConcerns(sql, where, sql`${order} limit ${query.pageSize} offset ${(query.page - 1) * query.pageSize}`),
    sql<{ total: number }[]>`select count(*)::int as total from concerns c where ${where}`,
  ]);
  return { rows, total: count!.total };
}

/** How many concerns (under the row filter) wait for a decision, are overdue or at immediate risk, and were decided lately. */
export interface ConcernCounts {
  waiting: number;
  /** Waiting, and past the time the decision was due. */
  overdue: number;
  /** Waiting, and the partner said the child is at immediate risk of harm. */
  immediateRisk: number;
  /** Decided at or after `decidedSince`. */
  decidedSince: number;
}

/**
 * The counts as columns of a SELECT, each over the concerns the row filter lets the actor read
 * (src/access/index.ts puts those asked for into one statement with any other counts a page shows).
 */
export function concernCountColumns(sql: Db, filter: Fragment, { decidedSince, now }: { decidedSince: Date; now: Date }): Record<keyof ConcernCounts, Fragment> {
  // Asked on every page with a count in its navigation, so each reads only the concerns it
  // counts: the open ones (partial index concerns_open_by_organisation, migration 038) and those
  // decided since the date (concerns_decided_figures), never every concern the actor may read.
  // Counting them all took 16 ms at 23,000 of one school's concerns, and grows with every concern sent.
  return {
    waiting: sql`(select count(*) from concerns c where c.status = 'received' and ${filter})::int as waiting`,
    overdue: sql`(select count(*) from concerns c where c.status = 'received' and c.decision_due_at < ${now} and ${filter})::int as overdue`,
    immediateRisk: sql`(select count(*) from concerns c where c.status = 'received' and c.immediate_risk and ${filter})::int as "immediateRisk"`,
    decidedSince: sql`(select count(*) from concerns c where c.decided_at is not null and c.decided_at >= ${decidedSince}
                         and c.status = 'decided' and ${filter})::int as "decidedSince"`,
  };
}

export interface NewConcern {
  concern: CheckedConcern;
  /** SHA-256 of the checked answers: tells a retry from changed answers under the same key. */
  answersDigest: string;
  userId: string;
  name: string;
  role: string;
  organisationId: string;
  decisionDueAt: Date;
}

/** Inserts the concern, or returns nothing when its idempotency key was used before. */
export async function insertConcern(sql: Db, values: NewConcern): Promise<{ id: string; reference: string } | undefined> {
  const { concern } = values;
  // At least six digits (lpad alone would cut a seventh digit off and repeat references). A
  // retry that finds its key used spends a number: references may have gaps, never repeats.
  const [{ reference }] = await sql<[{ reference: string }]>`
    select 'SPP-' || to_char(now(), 'YYYY') || '-' || lpad(n::text, greatest(6, length(n::text)), '0') as reference
    from (select nextval('concern_reference_seq') as n) as next`;
  const row = {
    reference,
    idempotency_key: concern.idempotencyKey,
    submitted_by_user_id: values.userId,
    submitted_by_name: values.name,
    submitted_by_role: values.role,
    organisation_id: values.organisationId,
    child_id: concern.childId,
    child_forename: concern.child.forename,
    child_surname: concern.child.surname,
    child_date_of_birth: concern.child.dateOfBirth,
    child_nhs_number: concern.child.nhsNumber,
    child_upn: concern.child.upn,
    child_address: concern.child.address,
    child_postcode: concern.child.postcode,
    category: concern.category,
    what_happened: concern.whatHappened,
    happened_on: concern.happenedOn,
    child_words: concern.childWords,
    immediate_risk: concern.immediateRisk,
    actions_taken: concern.actionsTaken,
    parents_aware: concern.parentsAware,
    parents_not_aware_reason: concern.parentsNotAwareReason,
    referrer_phone: concern.referrerPhone,
    referrer_email: concern.referrerEmail,
    form_version: concern.formVersion ?? 1,
    extra_answers: sql.json(concern.extraAnswers ?? {}),
    decision_due_at: values.decisionDueAt,
    answers_digest: values.answersDigest,
  };
  const [created] = await sql<{ id: string; reference: string }[]>`
    insert into concerns ${sql(row)}
    on conflict (idempotency_key) do nothing
    returning id, reference`;
  return created;
}

/** The concern this idempotency key made, if any (a concurrent first attempt has committed by now). */
export async function concernByIdempotencyKey(sql: Db, key: string) {
  const [row] = await sql<{ reference: string; submittedByUserId: string; answersDigest: string | null }[]>`
    select reference, submitted_by_user_id as "submittedByUserId", answers_digest as "answersDigest"
    from concerns where idempotency_key = ${key}`;
  return row;
}

/** Adds a follow-up, or nothing when its idempotency key was used before. */
export async function insertFollowUp(sql: Db, values: { concernId: string; idempotencyKey: string; userId: string; name: string; text: string }) {
  const row = { concern_id: values.concernId, idempotency_key: values.idempotencyKey, added_by_user_id: values.userId, added_by_name: values.name, text: values.text };
  const [created] = await sql<{ id: string }[]>`
    insert into concern_follow_ups ${sql(row)} on conflict (idempotency_key) do nothing returning id`;
  return created;
}

export interface DecisionValues {
  concernId: string;
  decision: Decision;
  reason: string;
  feedback: string;
  /** The child the worker confirmed, or null to leave the concern's child as it is. */
  childId: string | null;
  decidedByUserId: string;
  /**
   * The concern's version as the worker's page showed it: the decision is written only if nobody
   * has assigned or decided it since. Null: the form did not say (written if still undecided).
   */
  seenVersion: number | null;
  /** The version of the decision form it was decided with (forms/decision/<n>.yaml); 1 when not said. */
  formVersion?: number;
}

/**
 * Records the decision on a concern still waiting for one, and still at the version the worker
 * saw (the check is in the UPDATE itself, so two decisions at once cannot both pass it); nothing
 * otherwise.
 */
export async function recordDecision(sql: Db, values: DecisionValues) {
  const [row] = await sql<{
    id: string; reference: string; childId: string | null; referrerEmail: string | null; category: ConcernCategory;
    organisationId: string; organisationName: string; submittedByRole: string; happenedOn: string; decision: Decision;
  }[]>`
    update concerns c
    set status = 'decided', decision = ${values.decision}, decision_reason = ${values.reason}, feedback = ${values.feedback},
        decided_by_user_id = ${values.decidedByUserId}, decided_at = now(), version = c.version + 1,
        decision_form_version = ${values.formVersion ?? 1}, child_id = coalesce(${values.childId}::uuid, c.child_id)
    from organisations o
    where c.id = ${values.concernId} and c.status = 'received' and o.id = c.organisation_id
      and (${values.seenVersion}::int is null or c.version = ${values.seenVersion}::int)
    returning c.id, c.reference, c.child_id as "childId", c.referrer_email as "referrerEmail", c.category,
              c.organisation_id as "organisationId", o.name as "organisationName", c.submitted_by_role as "submittedByRole",
              c.happened_on::text as "happenedOn", c.decision`;
  return row;
}

/** The decision that stands on a concern (after a concurrent decision won), and who has it now. */
export async function standingDecision(sql: Db, concernId: string) {
  const [row] = await sql<{
    reference: string; decision: Decision | null; childId: string | null; version: number;
    decidedByUserId: string | null; decidedByName: string | null; assignedToUserId: string | null; assignedToName: string | null;
  }[]>`
    select c.reference, c.decision, c.child_id as "childId", c.version,
           c.decided_by_user_id as "decidedByUserId", d.name as "decidedByName",
           c.assigned_to_user_id as "assignedToUserId", a.name as "assignedToName"
    from concerns c left join users d on d.id = c.decided_by_user_id left join users a on a.id = c.assigned_to_user_id
    where c.id = ${concernId}`;
  return row;
}

/**
 * Gives an undecided concern to a front-door worker (or takes it back: null), moving its version
 * on so that a decision made on a page from before is refused. Nothing when it is decided, or
 * already theirs.
 */
export async function assignConcern(sql: Db, values: { concernId: string; assignToUserId: string | null }) {
  const [row] = await sql<{ id: string; version: number }[]>`
    update concerns c
    set assigned_to_user_id = ${values.assignToUserId}::uuid,
        assigned_at = case when ${values.assignToUserId}::uuid is null then null else now() end,
        version = c.version + 1
    where c.id = ${values.concernId} and c.status = 'received'
      and c.assigned_to_user_id is distinct from ${values.assignToUserId}::uuid
    returning c.id, c.version`;
  return row;
}

/** People who have signed in with a role among `roles` (names for a select, never e-mails). */
export async function usersWithRole(sql: Db, roles: readonly string[]) {
  return sql<{ id: string; name: string }[]>`
    select u.id, u.name from users u
    where exists (select 1 from jsonb_array_elements(u.role_assignments) r where r->>'role' in ${sql(roles as string[])})
    order by u.name, u.id`;
}

/** Concerns about this child other than `exceptId`, newest first, under the policy's row filter. */
export async function concernsAboutChild(sql: Db, childId: string, exceptId: string, filter: Fragment, limit = 20): Promise<ConcernRecord[]> {
  return selectConcerns(sql, sql`c.child_id = ${childId} and c.id <> ${exceptId} and ${filter}`, sql`order by c.received_at desc, c.id desc limit ${limit}`);
}

/**
 * The next open concern after this one in the queue's order (immediate risk first, due soonest),
 * or the first open one when none comes after it; never this one.
 */
export async function nextOpenConcern(sql: Db, currentId: string, filter: Fragment): Promise<{ id: string; reference: string } | undefined> {
  const [row] = await sql<{ id: string; reference: string }[]>`
    with cur as (select not immediate_risk as risk, decision_due_at, received_at, id from concerns where id = ${currentId})
    select c.id, c.reference from concerns c left join cur on true
    where c.status = 'received' and c.id <> ${currentId} and ${filter}
    order by (cur.id is not null and (not c.immediate_risk, c.decision_due_at, c.received_at, c.id) > (cur.risk, cur.decision_due_at, cur.received_at, cur.id)) desc,
             c.immediate_risk desc, c.decision_due_at, c.received_at, c.id
    limit 1`;
  return row;
}
