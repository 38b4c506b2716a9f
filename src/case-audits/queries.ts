// The case-file audit's tables (migrations 029 and 034): the one writer of case_audit_samples,
// case_audit_sample_concerns, case_audits, case_audit_versions, case_audit_grades,
// case_audit_actions and case_audit_views. Who may read or write which rows is the policy's
// answer: the access module (src/access/case-audits.ts) passes its row filter (`filter`, over
// the table aliased `c`) and calls these; nothing here decides a permission.
import type { PendingQuery, Row } from 'postgres';
import type { Db } from '../db/connect.ts';
import type { AuditArea, AuditGrade } from './areas.ts';

type Fragment = PendingQuery<Row[]>;

export interface SampleFilters {
  agency: string | null;
  outcome: string | null;
  immediateRisk: boolean | null;
}

export interface SampleRow {
  id: string;
  month: string;
  drawnByUserId: string;
  drawnByName: string;
  filters: SampleFilters;
  seed: string;
  size: number;
  drawnAt: Date;
  drawn: number;
  completed: number;
}

/** Records a sample and the concerns it drew, in order: one transaction. */
export async function insertSample(tx: Db, sample: { month: string; userId: string; name: string; filters: SampleFilters; seed: bigint; size: number; concernIds: string[] }): Promise<string> {
  const [row] = await tx<[{ id: string }]>`
    insert into case_audit_samples (month, drawn_by_user_id, drawn_by_name, filters, seed, size)
    values (${sample.month}, ${sample.userId}, ${sample.name}, ${tx.json(sample.filters as never)}, ${sample.seed.toString()}, ${sample.size})
    returning id`;
  if (sample.concernIds.length) {
    const members = sample.concernIds.map((concernId, index) => ({ sample_id: row.id, concern_id: concernId, position: index + 1 }));
    await tx`insert into case_audit_sample_concerns ${tx(members, 'sample_id', 'concern_id', 'position')}`;
  }
  return row.id;
}

const sampleColumns = (sql: Db) => sql`
  s.id, to_char(s.month, 'YYYY-MM-DD') as month, s.drawn_by_user_id as "drawnByUserId", s.drawn_by_name as "drawnByName",
  s.filters, s.seed::text as seed, s.size, s.drawn_at as "drawnAt",
  (select count(*)::int from case_audit_sample_concerns m where m.sample_id = s.id) as drawn,
  (select count(*)::int from case_audits a where a.sample_id = s.id and a.status = 'completed') as completed`;

/** The samples a person drew, newest first. */
export async function samplesDrawnBy(sql: Db, userId: string, limit = 50): Promise<SampleRow[]> {
  return sql<SampleRow[]>`select ${sampleColumns(sql)} from case_audit_samples s where s.drawn_by_user_id = ${userId} order by s.drawn_at desc, s.id limit ${limit}`;
}

export async function findSample(sql: Db, id: string): Promise<SampleRow | undefined> {
  const [row] = await sql<SampleRow[]>`select ${sampleColumns(sql)} from case_audit_samples s where s.id = ${id}`;
  return row;
}

/** A sample's concerns in the order drawn, each with its audit (if one was started). */
export async function sampleMembers(sql: Db, sampleId: string) {
  return sql<Array<{ concernId: string; position: number; auditId: string | null; status: 'in_progress' | 'completed' | null; auditorName: string | null }>>`
    select m.concern_id as "concernId", m.position, a.id as "auditId", a.status, a.auditor_name as "auditorName"
    from case_audit_sample_concerns m
    left join case_audits a on a.sample_id = m.sample_id and a.concern_id = m.concern_id
    where m.sample_id = ${sampleId}
    order by m.position`;
}

export async function isSampleMember(sql: Db, sampleId: string, concernId: string): Promise<boolean> {
  const [row] = await sql`select 1 from case_audit_sample_concerns where sample_id = ${sampleId} and concern_id = ${concernId}`;
  return Boolean(row);
}

export interface AuditRow {
  id: string;
  sampleId: string | null;
  concernId: string;
  auditorUserId: string;
  auditorName: string;
  auditedUserId: string | null;
  status: 'in_progress' | 'completed';
  version: number;
  createdAt: Date;
  completedAt: Date | null;
}

const auditColumns = (sql: Db) => sql`
  c.id, c.sample_id as "sampleId", c.concern_id as "concernId", c.auditor_user_id as "auditorUserId", c.auditor_name as "auditorName",
  c.audited_user_id as "auditedUserId", c.status, c.version, c.created_at as "createdAt", c.completed_at as "completedAt"`;

/** One audit, under the row filter. */
export async function findAudit(sql: Db, key: { id: string } | { sampleId: string; concernId: string }, filter: Fragment): Promise<AuditRow | undefined> {
  const match = 'id' in key ? sql`c.id = ${key.id}` : sql`c.sample_id = ${key.sampleId} and c.concern_id = ${key.concernId}`;
  const [row] = await sql<AuditRow[]>`select ${auditColumns(sql)} from case_audits c where ${match} and ${filter}`;
  return row;
}

/** Audits under the row filter, newest first. */
export async function listAudits(sql: Db, filter: Fragment, limit = 100): Promise<AuditRow[]> {
  return sql<AuditRow[]>`select ${auditColumns(sql)} from case_audits c where ${filter} order by c.created_at desc, c.id limit ${limit}`;
}

/** What an audit form holds, as typed (a draft may be incomplete). */
export interface AuditAnswers {
  grades: Partial<Record<AuditArea, AuditGrade | ''>>;
  evaluations: Partial<Record<AuditArea, string>>;
  actions: Array<{ description: string; assigneeUserId: string; day: string; month: string; year: string }>;
}

export interface VersionRow {
  version: number;
  status: 'in_progress' | 'completed';
  answers: AuditAnswers;
  savedByName: string;
  savedAt: Date;
}

export async function auditVersions(sql: Db, auditId: string): Promise<VersionRow[]> {
  return sql<VersionRow[]>`
    select version, status, answers, saved_by_name as "savedByName", saved_at as "savedAt"
    from case_audit_versions where audit_id = ${auditId} order by version desc`;
}

export class StaleAudit extends Error {
  override name = 'StaleAudit';
}

interface Saver { userId: string; name: string }

async function replaceGrades(tx: Db, auditId: string, answers: AuditAnswers): Promise<void> {
  await tx`delete from case_audit_grades where audit_id = ${auditId}`;
  const rows = Object.entries(answers.grades).flatMap(([area, grade]) => (grade ? [{ audit_id: auditId, area, grade, evaluation: answers.evaluations[area as AuditArea] ?? '' }] : []));
  if (rows.length) await tx`insert into case_audit_grades ${tx(rows, 'audit_id', 'area', 'grade', 'evaluation')}`;
}

/**
 * Saves an audit as a new version: the first save (expectedVersion 0) creates it; a later one
 * must name the version its form showed, else StaleAudit (another tab or person saved since).
 * A completed audit is never saved again. Returns the audit id and the new version.
 */
export async function saveAuditVersion(tx: Db, input: {
  sampleId: string; concernId: string; auditedUserId: string | null; expectedVersion: number; answers: AuditAnswers; complete: boolean;
  checkedActions?: Array<{ description: string; assigneeUserId: string; assigneeName: string; dueOn: string }>;
}, saver: Saver): Promise<{ id: string; version: number }> {
  const status = input.complete ? 'completed' : 'in_progress';
  let saved: { id: string; version: number } | undefined;
  if (input.expectedVersion === 0) {
    [saved] = await tx<Array<{ id: string; version: number }>>`
      insert into case_audits (sample_id, concern_id, auditor_user_id, auditor_name, audited_user_id, status, completed_at)
      values (${input.sampleId}, ${input.concernId}, ${saver.userId}, ${saver.name}, ${input.auditedUserId}, ${status}, ${input.complete ? tx`now()` : null})
      on conflict (sample_id, concern_id) do nothing
      returning id, version`;
  } else {
    [saved] = await tx<Array<{ id: string; version: number }>>`
      update case_audits set version = version + 1, status = ${status}, completed_at = ${input.complete ? tx`now()` : null}
      where sample_id = ${input.sampleId} and concern_id = ${input.concernId} and auditor_user_id = ${saver.userId}
        and version = ${input.expectedVersion} and status = 'in_progress'
      returning id, version`;
  }
  if (!saved) throw new StaleAudit('the audit was saved since this form was shown');
  await tx`
    insert into case_audit_versions (audit_id, version, status, answers, saved_by_user_id, saved_by_name)
    values (${saved.id}, ${saved.version}, ${status}, ${tx.json(input.answers as never)}, ${saver.userId}, ${saver.name})`;
  // The grades table holds a completed audit's grades only (the figures count them); a draft's are in its version.
  if (input.complete) await replaceGrades(tx, saved.id, input.answers);
  if (input.complete && input.checkedActions?.length) {
    const rows = input.checkedActions.map((a, index) => ({
      audit_id: saved.id, position: index + 1, description: a.description, assignee_user_id: a.assigneeUserId, assignee_name: a.assigneeName, due_on: a.dueOn,
    }));
    await tx`insert into case_audit_actions ${tx(rows, 'audit_id', 'position', 'description', 'assignee_user_id', 'assignee_name', 'due_on')}`;
  }
  return saved;
}

/** Records that someone looked at an audit. */
export async function recordAuditView(sql: Db, auditId: string, viewer: { userId: string; role: string }): Promise<void> {
  await sql`insert into case_audit_views (audit_id, user_id, role) values (${auditId}, ${viewer.userId}, ${viewer.role})`;
}

export async function auditViews(sql: Db, auditId: string, limit = 50) {
  return sql<Array<{ name: string; role: string; viewedAt: Date }>>`
    select u.name, v.role, v.viewed_at as "viewedAt" from case_audit_views v join users u on u.id = v.user_id
    where v.audit_id = ${auditId} order by v.viewed_at desc, v.id desc limit ${limit}`;
}

export interface ActionRow {
  id: string;
  auditId: string;
  concernId: string;
  position: number;
  description: string;
  assigneeUserId: string;
  assigneeName: string;
  auditorUserId: string;
  auditorName: string;
  dueOn: string;
  status: 'open' | 'done';
  doneAt: Date | null;
  doneNote: string | null;
}

const actionColumns = (sql: Db) => sql`
  c.id, c.audit_id as "auditId", a.concern_id as "concernId", c.position, c.description, c.assignee_user_id as "assigneeUserId",
  c.assignee_name as "assigneeName", a.auditor_user_id as "auditorUserId", a.auditor_name as "auditorName",
  to_char(c.due_on, 'YYYY-MM-DD') as "dueOn", c.status, c.done_at as "doneAt", c.done_note as "doneNote"`;

/** Actions under the row filter: of one audit, or (for a home page) open ones due before `overdueBefore` that are the person's to do or to follow. */
export async function listActions(sql: Db, filter: Fragment, where: { auditId: string } | { overdueBefore: string; userId: string } | { assigneeUserId: string }, limit = 50): Promise<ActionRow[]> {
  const match = 'auditId' in where
    ? sql`c.audit_id = ${where.auditId}`
    : 'assigneeUserId' in where
      ? sql`c.assignee_user_id = ${where.assigneeUserId}`
      : sql`c.status = 'open' and c.due_on < ${where.overdueBefore} and (c.assignee_user_id = ${where.userId} or a.auditor_user_id = ${where.userId})`;
  return sql<ActionRow[]>`
    select ${actionColumns(sql)} from case_audit_actions c join case_audits a on a.id = c.audit_id
    where ${match} and ${filter} order by c.status desc, c.due_on, c.position, c.id limit ${limit}`;
}

export async function findAction(sql: Db, id: string, filter: Fragment): Promise<ActionRow | undefined> {
  const [row] = await sql<ActionRow[]>`select ${actionColumns(sql)} from case_audit_actions c join case_audits a on a.id = c.audit_id where c.id = ${id} and ${filter}`;
  return row;
}

/** Marks an open action done, under the update filter; whether it did (a retry of a done one does nothing). */
export async function markActionDone(sql: Db, id: string, note: string, filter: Fragment): Promise<boolean> {
  const rows = await sql`update case_audit_actions c set status = 'done', done_at = now(), done_note = ${note} where c.id = ${id} and c.status = 'open' and ${filter} returning c.id`;
  return rows.length > 0;
}

/** Council staff an action may be given to: everyone who has signed in with a council role. */
export async function councilUsers(sql: Db, councilRoles: readonly string[]) {
  return sql<Array<{ id: string; name: string }>>`
    select u.id, u.name from users u
    where exists (select 1 from jsonb_array_elements(u.role_assignments) r where r->>'role' in ${sql(councilRoles as string[])})
    order by u.name, u.id`;
}

export interface ClaimedAction { id: string; assigneeEmail: string | null; auditorEmail: string | null; auditorUserId: string; assigneeUserId: string }

/**
 * Takes open actions due for a reminder, once across any number of processes: sets the step's
 * column to `now` for up to `batch` rows whose column is still empty, skipping rows another
 * process holds, in the caller's transaction (with the e-mails it queues).
 *   due_soon: due within `daysBefore` days (today included);  overdue: due before today.
 */
export async function claimActionReminders(tx: Db, step: 'due_soon' | 'overdue', today: string, daysBefore: number, now: Date, batch: number): Promise<ClaimedAction[]> {
  const column = step === 'due_soon' ? 'reminder_sent_at' : 'overdue_sent_at';
  const due = step === 'due_soon'
    ? tx`due_on >= ${today}::date and due_on <= ${today}::date + ${daysBefore}::int`
    : tx`due_on < ${today}::date`;
  return tx<ClaimedAction[]>`
    with due as (
      select id from case_audit_actions
      where status = 'open' and ${tx(column)} is null and ${due}
      order by due_on, id
      limit ${batch}
      for update skip locked)
    update case_audit_actions c set ${tx(column)} = ${now}
    from due, case_audits a, users assignee, users auditor
    where c.id = due.id and a.id = c.audit_id and assignee.id = c.assignee_user_id and auditor.id = a.auditor_user_id
    returning c.id, assignee.email as "assigneeEmail", auditor.email as "auditorEmail", a.auditor_user_id as "auditorUserId", c.assignee_user_id as "assigneeUserId"`;
}
