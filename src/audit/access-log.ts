// The access log: one row for every partner look at a child's record (DESIGN.md §5). Writing is
// a single INSERT in the request, so views never wait on one another; the tamper-evident hash
// chain over these rows is built later, off the request path (chain.ts).
import type { Db } from '../db/connect.ts';
import { isRealIsoDate } from '../validation/dates.ts';
import { isUuid } from '../validation/ids.ts';
import { likePrefix } from '../validation/like.ts';


/** What a row of the log records, as information governance reads it (the table's action check lists the same). */
export const accessActionLabels = {
  view_summary: 'Viewed a summary',
  lookup: 'Looked a child up',
  view_list: 'Viewed a list',
  submit_concern: 'Raised a concern',
  decide_concern: 'Decided on a concern',
  send_encompass: 'Sent a police notification (Operation Encompass)',
  read_encompass: 'Read a police notification (Operation Encompass)',
  acknowledge_encompass: 'Acknowledged a police notification (Operation Encompass)',
  download_document: 'Downloaded a filed document',
  export_documents: 'Exported a child’s folder of documents',
} as const;
export type AccessAction = keyof typeof accessActionLabels;
export const isAccessAction = (value: string): value is AccessAction => Object.hasOwn(accessActionLabels, value);

export interface AccessEntry {
  issuer: string;
  subject: string;
  userName: string;
  organisationId: string | null;
  organisationName: string | null;
  role: string;
  childId: string | null;
  action: AccessAction;
  fieldsReleased: string[];
  reason: string | null;
  requestId: string;
  /**
   * A lookup's incident or attendance number, as the partner typed it (free text: shown only to
   * those who see "Viewed by", never in a preview). Hash-chained with the rest of the row.
   */
  incidentReference?: string | null;
}

/** The row of the table for an entry: every column named, null where the entry has nothing (no incident reference). */
function rowOf(entry: AccessEntry) {
  return {
    issuer: entry.issuer,
    subject: entry.subject,
    user_name: entry.userName,
    organisation_id: entry.organisationId,
    organisation_name: entry.organisationName,
    role: entry.role,
    child_id: entry.childId,
    action: entry.action,
    fields_released: entry.fieldsReleased,
    reason: entry.reason,
    request_id: entry.requestId,
    incident_reference: entry.incidentReference || null,
  };
}

export async function recordAccess(sql: Db, entry: AccessEntry): Promise<void> {
  await sql`insert into access_log ${sql(rowOf(entry))}`;
}

/**
 * Several entries in one INSERT, so one statement and one commit (src/audit/access-log-batch.ts).
 * Each row is the row recordAccess would write; all are written or none. The rows go as one JSON
 * parameter, so the statement is the same text for any number of rows and each connection
 * prepares it once (a VALUES list of n rows is a new statement for every n).
 */
export async function recordAccesses(sql: Db, entries: readonly AccessEntry[]): Promise<void> {
  if (!entries.length) return;
  await sql`
    insert into access_log (issuer, subject, user_name, organisation_id, organisation_name, role, child_id,
                            action, fields_released, reason, request_id, incident_reference)
    select r.issuer, r.subject, r.user_name, r.organisation_id, r.organisation_name, r.role, r.child_id,
           r.action, r.fields_released, r.reason, r.request_id, r.incident_reference
    from json_to_recordset(${sql.json(entries.map(rowOf))}::json) as r(
      issuer text, subject text, user_name text, organisation_id uuid, organisation_name text, role text,
      child_id uuid, action text, fields_released text[], reason text, request_id text, incident_reference text)`;
}

export interface AccessLogFilters {
  childId?: string;
  organisationId?: string;
  issuer?: string;
  subject?: string;
  /** The person who looked, as a user of the portal (users.id): their issuer and subject. */
  userId?: string;
  /** Part of the name of the person who looked, matched literally, in any case. */
  person?: string;
  /** The role they looked as (a role name, as the log records it). */
  role?: string;
  /** YYYY-MM-DD, inclusive, as a day in England (Europe/London). */
  from?: string;
  /** YYYY-MM-DD, inclusive, as a day in England (Europe/London). */
  to?: string;
  action?: string;
  /** Default 50, at most 200. */
  limit?: number;
  /** An access_log id from the previous page: return the entries older than it. */
  before?: bigint | string;
}

export interface AccessLogRow extends AccessEntry {
  id: string;
  at: Date;
  /** Whether the background step has hash-chained this row yet. */
  chained: boolean;
  /** The portal user who looked (users.id), where they are known to it. */
  userId?: string | null;
}

const ID = /^\d{1,19}$/;
export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 200;
/** The longest name fragment a search takes: longer cannot be a name in the log. */
const PERSON_LIMIT = 200;

// Malformed filters are the caller's mistake (routes validate what users type), so they throw
// here rather than reaching PostgreSQL as a confusing cast error.
function check(ok: boolean, name: string, value: unknown): void {
  if (!ok) throw new RangeError(`access log filter "${name}" is not valid: ${JSON.stringify(String(value))}`);
}

function clampLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return DEFAULT_LIMIT;
  return Math.min(MAX_LIMIT, Math.max(1, Math.trunc(limit)));
}

/** The WHERE conditions (after `where true`) for a set of filters, each parameterised or nothing. */
function filtersWhere(sql: Db, filters: AccessLogFilters) {
  const { childId, organisationId, issuer, subject, userId, person, role, from, to, action, before } = filters;
  if (childId !== undefined) check(isUuid(childId), 'childId', childId);
  if (organisationId !== undefined) check(isUuid(organisationId), 'organisationId', organisationId);
  if (userId !== undefined) check(isUuid(userId), 'userId', userId);
  if (person !== undefined) check(person.length <= PERSON_LIMIT && !person.includes('\u0000'), 'person', person);
  if (role !== undefined) check(role.length <= PERSON_LIMIT && !role.includes('\u0000'), 'role', role);
  if (from !== undefined) check(isRealIsoDate(from), 'from', from);
  if (to !== undefined) check(isRealIsoDate(to), 'to', to);
  if (action !== undefined) check(isAccessAction(action), 'action', action);
  const beforeId = before === undefined ? undefined : String(before);
  if (beforeId !== undefined) check(ID.test(beforeId), 'before', beforeId);

  const none = sql``;
  // Dates are days in England: midnight in Europe/London, whatever the session's time zone.
  const midnight = (day: string, plusDays: number) =>
    sql`((${day}::date + ${plusDays}::int)::timestamp at time zone 'Europe/London')`;
  return sql`
      ${childId !== undefined ? sql`and a.child_id = ${childId}` : none}
      ${organisationId !== undefined ? sql`and a.organisation_id = ${organisationId}` : none}
      ${issuer !== undefined ? sql`and a.issuer = ${issuer}` : none}
      ${subject !== undefined ? sql`and a.subject = ${subject}` : none}
      ${userId !== undefined ? sql`and (a.issuer, a.subject) in (select p.issuer, p.subject from users p where p.id = ${userId})` : none}
      ${person ? sql`and lower(a.user_name) like ${'%' + likePrefix(person.toLowerCase())} escape '\'` : none}
      ${role !== undefined ? sql`and a.role = ${role}` : none}
      ${from !== undefined ? sql`and a.at >= ${midnight(from, 0)}` : none}
      ${to !== undefined ? sql`and a.at < ${midnight(to, 1)}` : none}
      ${action !== undefined ? sql`and a.action = ${action}` : none}
      ${beforeId !== undefined
        ? sql`and (a.at, a.id) < (select b.at, b.id from access_log b where b.id = ${beforeId}::bigint)`
        : none}`;
}

/** The columns of a row as AccessLogRow names them. */
const rowColumns = (sql: Db) => sql`
    a.id::text as id, a.at, a.issuer, a.subject, a.user_name as "userName",
    a.organisation_id as "organisationId", a.organisation_name as "organisationName",
    a.role, a.child_id as "childId", a.action, a.fields_released as "fieldsReleased",
    a.reason, a.request_id as "requestId",
    exists (select 1 from access_log_chain c where c.log_id = a.id) as chained,
    (select u.id from users u where u.issuer = a.issuer and u.subject = a.subject) as "userId"`;

/** Newest first (by time, then id); page with `before` = the last id of the previous page. */
export async function searchAccessLog(sql: Db, filters: AccessLogFilters = {}): Promise<AccessLogRow[]> {
  const where = filtersWhere(sql, filters);
  return sql<AccessLogRow[]>`
    select ${rowColumns(sql)}
    from access_log a
    where true ${where}
    order by a.at desc, a.id desc
    limit ${clampLimit(filters.limit)}`;
}

/**
 * Every entry matching the filters (no limit, no page), newest first, read through a cursor
 * `batchSize` rows at a time: for an export streamed as it is read, never held whole in memory.
 * Stop early by breaking out of the loop (the cursor is closed). Each row also has its time in
 * England as text (YYYY-MM-DD HH:MM:SS), made by PostgreSQL: far cheaper than by Intl, row by row.
 */
export function exportAccessLog(sql: Db, filters: Omit<AccessLogFilters, 'limit' | 'before'>, batchSize = 1000): AsyncIterable<Array<AccessLogRow & { atInEngland: string }>> {
  const where = filtersWhere(sql, filters);
  return sql<Array<AccessLogRow & { atInEngland: string }>>`
    select ${rowColumns(sql)},
           to_char(a.at at time zone 'Europe/London', 'YYYY-MM-DD HH24:MI:SS') as "atInEngland"
    from access_log a
    where true ${where}
    order by a.at desc, a.id desc`.cursor(batchSize);
}

export interface ChildView {
  organisationName: string | null;
  role: string;
  userName: string;
  action: AccessAction;
  reason: string | null;
  /** A lookup's incident or attendance number; null where none was given. */
  incidentReference?: string | null;
  at: Date;
}

export interface ChildViewsOptions {
  /** Only the looks by these roles (e.g. the partners' roles); every role when absent. */
  roles?: readonly string[];
  /** Default 50, at most 200. */
  limit?: number;
  /** How many of the newest to skip, for a later page. Default 0. */
  offset?: number;
}

const MAX_OFFSET = 10_000_000;

/** The "viewed by" panel on a child's summary: who looked at this child, newest first. */
export async function viewsOfChild(sql: Db, childId: string, options: ChildViewsOptions = {}): Promise<ChildView[]> {
  check(isUuid(childId), 'childId', childId);
  const { roles } = options;
  const offset = options.offset === undefined || !Number.isFinite(options.offset) ? 0 : Math.min(MAX_OFFSET, Math.max(0, Math.trunc(options.offset)));
  const byRole = roles === undefined ? sql`` : roles.length ? sql`and role in ${sql(roles as string[])}` : sql`and false`;
  const rows = await sql<ChildView[]>`
    select organisation_name as "organisationName", role, user_name as "userName", action, reason,
           incident_reference as "incidentReference", at
    from access_log
    where child_id = ${childId} ${byRole}
    order by at desc, id desc
    limit ${clampLimit(options.limit)} offset ${offset}`;
  // A lookup's number only where one was given.
  return rows.map(({ incidentReference, ...view }) => (incidentReference ? { ...view, incidentReference } : view));
}
