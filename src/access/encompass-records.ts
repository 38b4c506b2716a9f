// SQL for police notifications (Operation Encompass, issue 14): the one module that writes
// encompass_incidents, encompass_notifications, encompass_children and encompass_child_words
// (the steps go through src/encompass/events.ts). Reads take the policy's row filter over
// `encompass_notifications c` (./rules-to-sql.ts); ./encompass.ts checks each record again and
// releases only the permitted parts (./encompass-released.ts).
import type { Db } from '../db/connect.ts';
import type { EncompassAttributes } from '../policy/encompass-fields.ts';
import type { CheckedChild, CheckedEncompass } from '../encompass/form.ts';
import type { Fragment } from './rules-to-sql.ts';

export type SchoolAction = 'key_adult_informed' | 'support_in_place' | 'no_action' | 'other';
export type RoutedBecause = 'on_roll' | 'not_on_roll' | 'not_found';

/** One notification, every column a policy could release, and the attributes its conditions test. */
export interface EncompassRecord extends EncompassAttributes {
  reference: string;
  incidentId: string;
  incidentReference: string;
  forceName: string;
  /** The school's name, or the council's name for the front door. */
  destinationName: string;
  createdAt: Date;
  dueAt: Date;
  policeReference: string;
  occurredAt: Date;
  account: string;
  /** The version of the form it was made with (forms/encompass/); the answers to questions a council added, by name. */
  formVersion: number;
  extraAnswers: Record<string, string>;
  sharedItems: Record<string, string>;
  contactName: string;
  contactPhone: string;
  contactEmail: string | null;
  sentByName: string;
  firstOpenedAt: Date | null;
  acknowledgedAt: Date | null;
  acknowledgedByName: string | null;
  schoolAction: SchoolAction | null;
  schoolActionDetail: string | null;
  escalatedToDslsAt: Date | null;
  escalatedToFrontDoorAt: Date | null;
}

/** A child as the officer gave them (what they said apart), and the child on record the lookup matched (identity only: never released). */
export interface EncompassChildRecord extends Omit<CheckedChild, 'words'> {
  id: string;
  notificationId: string;
  childId: string | null;
  routedBecause: RoutedBecause;
}

const selectNotifications = (sql: Db, where: Fragment, tail: Fragment) => sql<EncompassRecord[]>`
  select c.id, c.reference, c.incident_id as "incidentId", i.reference as "incidentReference", c.force_id as "forceId", f.name as "forceName",
         c.school_id as "schoolId", c.school_id is null as "forFrontDoor", coalesce(s.name, la.name) as "destinationName",
         c.created_at as "createdAt", c.due_at as "dueAt",
         i.police_reference as "policeReference", i.occurred_at as "occurredAt", i.account, i.shared_items as "sharedItems",
         i.form_version as "formVersion", i.extra_answers as "extraAnswers",
         i.contact_name as "contactName", i.contact_phone as "contactPhone", i.contact_email as "contactEmail", i.sent_by_name as "sentByName",
         c.first_opened_at as "firstOpenedAt", c.acknowledged_at as "acknowledgedAt", c.acknowledged_by_name as "acknowledgedByName",
         c.school_action as "schoolAction", c.school_action_detail as "schoolActionDetail",
         c.escalated_to_dsls_at as "escalatedToDslsAt", c.escalated_to_front_door_at as "escalatedToFrontDoorAt"
  from encompass_notifications c
  join encompass_incidents i on i.id = c.incident_id
  join organisations f on f.id = c.force_id
  left join organisations s on s.id = c.school_id
  left join organisations la on la.id = c.local_authority_id
  where ${where}
  ${tail}`;

export async function findNotification(sql: Db, id: string, filter: Fragment): Promise<EncompassRecord | undefined> {
  const [row] = await selectNotifications(sql, sql`c.id = ${id} and ${filter}`, sql``);
  return row;
}

export interface EncompassListQuery {
  limit: number;
  offset: number;
  /** Only those not yet acknowledged. */
  unacknowledged?: boolean;
  /** Only the destinations of one incident (its OE- reference). */
  incidentReference?: string;
}

/** A page of notifications under the filter, newest incident first, each incident's destinations together. */
export async function listNotifications(sql: Db, filter: Fragment, query: EncompassListQuery): Promise<{ rows: EncompassRecord[]; total: number }> {
  const unacknowledged = query.unacknowledged ? sql`c.acknowledged_at is null and` : sql``;
  const incident = query.incidentReference
    ? sql`c.incident_id = (select id from encompass_incidents where reference = ${query.incidentReference}) and`
    : sql``;
  const where = sql`${unacknowledged} ${incident} ${filter}`;
  const [rows, [count]] = await Promise.all([
    selectNotifications(sql, where, sql`order by i.sent_at desc, i.id, c.reference limit ${query.limit} offset ${query.offset}`),
    sql<{ total: number }[]>`select count(*)::int as total from encompass_notifications c where ${where}`,
  ]);
  return { rows, total: count!.total };
}

/** The children of these notifications, in the officer's order. */
export async function childrenOf(sql: Db, notificationIds: readonly string[]): Promise<EncompassChildRecord[]> {
  if (!notificationIds.length) return [];
  return sql<EncompassChildRecord[]>`
    select id, notification_id as "notificationId", position, child_id as "childId", forename, surname, date_of_birth::text as "dateOfBirth",
           nhs_number as "nhsNumber", upn, address, postcode, present, spoken_to as "spokenTo", routed_because as "routedBecause"
    from encompass_children where notification_id in ${sql(notificationIds as string[])} order by position`;
}

/** What the children said, by encompass child id: fetched only where the policy releases `childWords`. */
export async function wordsOf(sql: Db, encompassChildIds: readonly string[]): Promise<Map<string, string>> {
  if (!encompassChildIds.length) return new Map();
  const rows = await sql<{ id: string; words: string }[]>`
    select encompass_child_id as id, words from encompass_child_words where encompass_child_id in ${sql(encompassChildIds as string[])}`;
  return new Map(rows.map((r) => [r.id, r.words]));
}

/** The force an officer's organisation is: its Home Office code keys ENCOMPASS_SHARED_ITEMS. */
export async function forceOf(sql: Db, organisationId: string): Promise<{ id: string; name: string; forceCode: string } | undefined> {
  const [row] = await sql<{ id: string; name: string; forceCode: string }[]>`
    select id, name, force_code as "forceCode" from organisations where id = ${organisationId} and kind = 'police_force'`;
  return row;
}

export interface NewIncident {
  checked: CheckedEncompass;
  answersDigest: string;
  forceId: string;
  userId: string;
  userName: string;
}

/** Inserts the incident, or nothing when its idempotency key was used before. */
export async function insertIncident(sql: Db, values: NewIncident): Promise<{ id: string; reference: string } | undefined> {
  const { checked } = values;
  const [{ reference }] = await sql<[{ reference: string }]>`
    select 'OE-' || to_char(now(), 'YYYY') || '-' || lpad(n::text, greatest(6, length(n::text)), '0') as reference
    from (select nextval('encompass_reference_seq') as n) as next`;
  const row = {
    reference,
    idempotency_key: checked.idempotencyKey,
    answers_digest: values.answersDigest,
    force_id: values.forceId,
    sent_by_user_id: values.userId,
    sent_by_name: values.userName,
    police_reference: checked.policeReference,
    occurred_at: checked.occurredAt,
    account: checked.account,
    shared_items: sql.json(checked.sharedItems),
    form_version: checked.formVersion ?? 1,
    extra_answers: sql.json(checked.extraAnswers ?? {}),
    contact_name: checked.contact.name,
    contact_phone: checked.contact.phone,
    contact_email: checked.contact.email,
  };
  const [created] = await sql<{ id: string; reference: string }[]>`
    insert into encompass_incidents ${sql(row)} on conflict (idempotency_key) do nothing returning id, reference`;
  return created;
}

/** The incident this key made (a concurrent first attempt has committed by now). */
export async function incidentByIdempotencyKey(sql: Db, key: string) {
  const [row] = await sql<{ id: string; reference: string; sentByUserId: string; answersDigest: string }[]>`
    select id, reference, sent_by_user_id as "sentByUserId", answers_digest as "answersDigest" from encompass_incidents where idempotency_key = ${key}`;
  return row;
}

export async function insertNotification(
  sql: Db,
  values: { incidentId: string; forceId: string; reference: string; schoolId: string | null; localAuthorityId: string | null; dueAt: Date },
): Promise<{ id: string; reference: string }> {
  const [row] = await sql<{ id: string; reference: string }[]>`
    insert into encompass_notifications (incident_id, force_id, reference, school_id, local_authority_id, due_at)
    values (${values.incidentId}, ${values.forceId}, ${values.reference}, ${values.schoolId}, ${values.localAuthorityId}, ${values.dueAt})
    returning id, reference`;
  return row!;
}

export async function insertChild(sql: Db, notificationId: string, child: CheckedChild, matched: { childId: string | null; because: RoutedBecause }): Promise<void> {
  const [row] = await sql<{ id: string }[]>`
    insert into encompass_children (notification_id, position, child_id, forename, surname, date_of_birth, nhs_number, upn, address, postcode, present, spoken_to, routed_because)
    values (${notificationId}, ${child.position}, ${matched.childId}, ${child.forename}, ${child.surname}, ${child.dateOfBirth}, ${child.nhsNumber}, ${child.upn},
            ${child.address}, ${child.postcode}, ${child.present}, ${child.spokenTo}, ${matched.because})
    returning id`;
  if (child.words) await sql`insert into encompass_child_words (encompass_child_id, words) values (${row!.id}, ${child.words})`;
}

/**
 * Whom a school's notification is e-mailed to: people who have signed in for that school with a
 * role among `roles` (those the policy lets acknowledge a school's notifications), with an address.
 */
export async function schoolRecipients(sql: Db, schoolId: string, roles: readonly string[]): Promise<Array<{ id: string; email: string }>> {
  if (!roles.length) return [];
  return sql<{ id: string; email: string }[]>`
    select u.id, u.email from users u
    where u.email is not null
      and exists (select 1 from jsonb_array_elements(u.role_assignments) r
                  where r->>'role' in ${sql(roles as string[])} and r->>'organisationId' = ${schoolId})
    order by u.id`;
}
