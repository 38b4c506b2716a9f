// Reading import runs and their reports, for the upload page, the command line and the
// governance home page; and resolving held records (the one write here besides the runner's).
// The runner (./run.ts) is the only writer of new runs and report lines.
import type { Db, Sql } from '../db/connect.ts';
import { csvRow } from '../governance/csv.ts';
import { todayInEngland } from '../training/renewal.ts';
import type { IssueOutcome } from './issues.ts';
import type { ImportRecord, ImportSource } from './records.ts';
import * as realMerge from './merge/index.ts';
import { IMPORT_LOCK_KEY, importLockHeld, type ImportCounts, type ImportMerge, type ImportTrigger, type MergeOutcome } from './run.ts';

export type RunStatus = 'running' | 'succeeded' | 'failed' | 'refused' | 'interrupted';

export interface ImportRunView {
  id: string;
  localAuthorityId: string;
  source: ImportSource;
  system: string;
  trigger: ImportTrigger;
  startedByUserId: string | null;
  startedByName: string;
  startedAt: Date;
  finishedAt: Date | null;
  status: RunStatus;
  /** Refused runs name their files only: they were not read. */
  files: Array<{ name: string; bytes?: number; sha256?: string }>;
  counts: ImportCounts;
  bytesRead: number;
  bytesTotal: number | null;
  stoppedAt: string | null;
  message: string | null;
}

export interface IssueView {
  seq: number;
  source: ImportSource;
  file: string;
  line: number | null;
  path: string | null;
  caseSystemId: string | null;
  rule: string;
  dfeRule: string | null;
  field: string | null;
  value: string | null;
  message: string;
  outcome: IssueOutcome;
  resolvedAt: Date | null;
  resolution: 'loaded' | 'dismissed' | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A run recorded as running whose lock nobody holds had its process die (or lose the database):
 * shown as interrupted at once, before the next import marks it so (run.ts markInterrupted).
 */
function statusColumn(sql: Db) {
  return sql`case when r.status = 'running' and not ${importLockHeld(sql)} then 'interrupted' else r.status end`;
}

function runColumns(sql: Db) {
  return sql`
    r.id, r.local_authority_id as "localAuthorityId", r.source, r.system, r.trigger,
    r.started_by_user_id as "startedByUserId", r.started_by_name as "startedByName",
    r.started_at as "startedAt", r.finished_at as "finishedAt", ${statusColumn(sql)} as status, r.files,
    json_build_object('read', r.read, 'inserted', r.inserted, 'updated', r.updated, 'unchanged', r.unchanged,
                      'ended', r.ended, 'rejected', r.rejected, 'held', r.held, 'warnings', r.warnings) as counts,
    r.bytes_read::float8 as "bytesRead", r.bytes_total::float8 as "bytesTotal",
    r.stopped_at as "stoppedAt", r.message`;
}

/** The latest runs first. */
export async function listRuns(
  sql: Db,
  options: { localAuthorityId?: string; limit?: number; offset?: number } = {},
): Promise<{ runs: ImportRunView[]; total: number }> {
  const council = options.localAuthorityId ? sql`r.local_authority_id = ${options.localAuthorityId}` : sql`true`;
  const runs = await sql<ImportRunView[]>`
    select ${runColumns(sql)} from import_runs r where ${council}
    order by r.started_at desc, r.id desc limit ${options.limit ?? 50} offset ${options.offset ?? 0}`;
  const [count] = await sql<{ total: number }[]>`select count(*)::int as total from import_runs r where ${council}`;
  return { runs, total: count!.total };
}

/** One run; undefined for an id that is not one (or not this council's). */
export async function findRun(sql: Db, id: string, localAuthorityId?: string): Promise<ImportRunView | undefined> {
  if (!UUID.test(id)) return undefined;
  const council = localAuthorityId ? sql`and r.local_authority_id = ${localAuthorityId}` : sql``;
  const [run] = await sql<ImportRunView[]>`select ${runColumns(sql)} from import_runs r where r.id = ${id} ${council}`;
  return run;
}

function issueColumns(sql: Db) {
  return sql`
    i.seq, i.source, i.file, i.line, i.path, i.case_system_id as "caseSystemId", i.rule, i.dfe_rule as "dfeRule",
    i.field, i.value, i.message, i.outcome, i.resolved_at as "resolvedAt", i.resolution`;
}

/** A page of a run's report, in the order the issues were found. */
export async function runIssues(
  sql: Db,
  runId: string,
  options: { page?: number; perPage?: number; outcome?: IssueOutcome } = {},
): Promise<{ issues: IssueView[]; total: number }> {
  if (!UUID.test(runId)) return { issues: [], total: 0 };
  const perPage = options.perPage ?? 50;
  const page = Math.max(1, options.page ?? 1);
  const outcome = options.outcome ? sql`and i.outcome = ${options.outcome}` : sql``;
  const issues = await sql<IssueView[]>`
    select ${issueColumns(sql)} from import_issues i where i.run_id = ${runId} ${outcome}
    order by i.seq limit ${perPage} offset ${(page - 1) * perPage}`;
  const [count] = await sql<{ total: number }[]>`select count(*)::int as total from import_issues i where i.run_id = ${runId} ${outcome}`;
  return { issues, total: count!.total };
}

/** The report's columns, as the CSV download and the command line's --report write them. */
export const ISSUE_CSV_COLUMNS = ['Source', 'File', 'Line', 'Path', 'Child id', 'Rule', 'DfE rule', 'Field', 'Value', 'Message', 'Outcome'] as const;

export function issueCells(issue: IssueView): Array<string | number | null> {
  return [issue.source, issue.file, issue.line, issue.path, issue.caseSystemId, issue.rule, issue.dfeRule, issue.field, issue.value, issue.message, issue.outcome];
}

/**
 * A run's whole report as CSV (./governance/csv.ts: every cell quoted, formulas defused), read
 * with a cursor so a report of a million lines is never in memory. The first chunk starts with
 * a byte-order mark, so spreadsheets read it as UTF-8.
 */
export async function* runIssuesCsv(sql: Sql, runId: string, batchSize = 1000): AsyncIterable<string> {
  yield `\uFEFF${csvRow(ISSUE_CSV_COLUMNS)}`;
  for await (const issues of allRunIssues(sql, runId, batchSize)) yield issues.map((issue) => csvRow(issueCells(issue))).join('');
}

/** A run's whole report in batches, through a cursor (the command line prints it this way). */
export async function* allRunIssues(sql: Sql, runId: string, batchSize = 1000): AsyncIterable<IssueView[]> {
  if (!UUID.test(runId)) return;
  yield* sql<IssueView[]>`
    select ${issueColumns(sql)} from import_issues i where i.run_id = ${runId} order by i.seq`.cursor(batchSize);
}

export interface HeldIssueView extends IssueView {
  runId: string;
  runSource: ImportSource;
  runStartedAt: Date;
  /** The record as it would be merged: shown to the data officer who resolves it. */
  record: ImportRecord;
}

/** Held records not yet resolved, oldest run first: what waits for a person. */
export async function heldIssues(
  sql: Db,
  options: { localAuthorityId?: string; runId?: string; limit?: number } = {},
): Promise<HeldIssueView[]> {
  if (options.runId !== undefined && !UUID.test(options.runId)) return [];
  const council = options.localAuthorityId ? sql`and r.local_authority_id = ${options.localAuthorityId}` : sql``;
  const run = options.runId ? sql`and r.id = ${options.runId}` : sql``;
  // Only a succeeded run's held records: anything else loaded nothing (and has none).
  return sql<HeldIssueView[]>`
    select ${issueColumns(sql)}, r.id as "runId", r.source as "runSource", r.started_at as "runStartedAt", i.record
    from import_issues i join import_runs r on r.id = i.run_id
    where i.outcome = 'held' and i.resolved_at is null and r.status = 'succeeded' ${council} ${run}
    order by r.started_at, i.seq limit ${options.limit ?? 200}`;
}

export type ResolveResult =
  | { status: 'loaded'; outcome: MergeOutcome }
  /** The merge still cannot load it (the school is still unknown, the child still ambiguous). */
  | { status: 'still-held' | 'rejected'; outcome: MergeOutcome }
  /** An import is running: try again when it has finished. */
  | { status: 'busy' }
  | { status: 'not-found' };

/**
 * Loads a held record once a person has resolved it (`childId`: the child they chose, for a
 * record that matched two), in one transaction with marking it resolved. It takes the import
 * lock, as an import does, so it never runs beside one.
 */
export async function resolveHeld(
  sql: Sql,
  issue: { runId: string; seq: number },
  resolution: { childId?: string; userId: string | null },
  merge?: Pick<ImportMerge, 'mergeHeld'>,
): Promise<ResolveResult> {
  if (!UUID.test(issue.runId) || (resolution.childId !== undefined && !UUID.test(resolution.childId))) return { status: 'not-found' };
  const mergeHeld = (merge ?? realMerge).mergeHeld;
  return sql.begin(async (tx): Promise<ResolveResult> => {
    const [lock] = await tx<{ locked: boolean }[]>`select pg_try_advisory_xact_lock(${IMPORT_LOCK_KEY}) as locked`;
    if (!lock!.locked) return { status: 'busy' };
    const [held] = await tx<{ record: ImportRecord; source: ImportSource; system: string; localAuthorityId: string }[]>`
      select i.record, r.source, r.system, r.local_authority_id as "localAuthorityId"
      from import_issues i join import_runs r on r.id = i.run_id
      where i.run_id = ${issue.runId} and i.seq = ${issue.seq} and i.outcome = 'held' and i.resolved_at is null and r.status = 'succeeded'
      for update of i`;
    if (!held) return { status: 'not-found' };
    const outcome = await mergeHeld(tx, held.record, resolution.childId ? { childId: resolution.childId } : {}, {
      runId: issue.runId, system: held.system, source: held.source, localAuthorityId: held.localAuthorityId, today: todayInEngland(),
    });
    if (outcome === 'held' || outcome === 'rejected') return { status: outcome === 'held' ? 'still-held' : 'rejected', outcome };
    await tx`
      update import_issues set resolved_at = now(), resolved_by_user_id = ${resolution.userId},
        resolution = 'loaded', resolved_child_id = ${resolution.childId ?? null}
      where run_id = ${issue.runId} and seq = ${issue.seq}`;
    return { status: 'loaded', outcome };
  });
}

/** A held record a person decided not to load: kept in the report, marked dismissed. */
export async function dismissHeld(sql: Db, issue: { runId: string; seq: number }, userId: string | null): Promise<boolean> {
  if (!UUID.test(issue.runId)) return false;
  const rows = await sql`
    update import_issues set resolved_at = now(), resolved_by_user_id = ${userId}, resolution = 'dismissed'
    where run_id = ${issue.runId} and seq = ${issue.seq} and outcome = 'held' and resolved_at is null`;
  return rows.count === 1;
}

/** When each source last imported successfully (the governance home page's "last import"). */
export async function lastSuccessfulImport(sql: Db, localAuthorityId?: string): Promise<Array<{ source: ImportSource; finishedAt: Date }>> {
  const council = localAuthorityId ? sql`and local_authority_id = ${localAuthorityId}` : sql``;
  return sql<Array<{ source: ImportSource; finishedAt: Date }>>`
    select distinct on (source) source, finished_at as "finishedAt"
    from import_runs where status = 'succeeded' ${council}
    order by source, finished_at desc`;
}

