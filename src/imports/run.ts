// The import runner: one run of one source's files, from the command line (./cli.ts), the upload
// page or the drop folder (./drop-folder.ts). It
//   - lets one import run at a time: a transaction-scoped PostgreSQL advisory lock, tried (never
//     waited for) at the start of the run's data transaction, so every process and node agrees;
//     a second import is refused, naming who started the running one and when;
//   - streams each file through the source's parser, counting its bytes and computing its SHA-256
//     on the way (the files' contents are never stored, only their names, sizes and checksums);
//   - hands the records to the merge (./merge/) in batches of BATCH_SIZE, all inside ONE data
//     transaction with the report's lines (import_issues), then ends what the snapshot no longer
//     holds, and marks the run succeeded as the transaction's last write: the data, the report
//     and "succeeded" commit together or not at all;
//   - keeps the run record (import_runs) and its progress on other connections, outside that
//     transaction, so a run that fails half-way is recorded as failed, with the file and line (or
//     element path) it had reached and a message that holds no personal data, while everything it
//     had loaded is rolled back and the previous state stays.
// A run whose process died leaves its record 'running' and its lock released (the connection
// went with it): the next run that takes the lock marks it 'interrupted'.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import type postgres from 'postgres';
import type { Db, Sql } from '../db/connect.ts';
import { errorFields, SafeMessageError, type Logger } from '../log.ts';
import { todayInEngland } from '../training/renewal.ts';
import type { Issue } from './issues.ts';
import type { ImportRecord, ImportSource, InputFile, ParseReport, SourceParser, Where } from './records.ts';
import * as realMerge from './merge/index.ts';
import type { MergeContext } from './merge/index.ts';
import { parserFor } from './sources/index.ts';

type TransactionSql = postgres.TransactionSql;

/** Any fixed number will do; every process must use the same. Below 2^31: see importLockHeld. */
export const IMPORT_LOCK_KEY = 1_302_213;
export const EMPTY_SNAPSHOT = 'The files hold no records, so nothing was changed: a complete picture with no one in it would end every current record. Check the extract.';
/** Records merged per call: big enough to make few round trips, small enough to bound memory. */
export const BATCH_SIZE = 500;
/** The run record's progress (for the page) is written at most this often. */
const PROGRESS_WRITE_MS = 1000;

export type { MergeContext, MergeOutcome } from './merge/index.ts';
/** What the runner and ./runs.ts resolveHeld call of the merge (./merge/index.ts by default). */
export type ImportMerge = Pick<typeof realMerge, 'mergeBatch' | 'endAbsent' | 'mergeHeld'>;

/** The case system imported ids come from: IMPORT_CASE_SYSTEM, or 'case-system' when unset. */
export function caseSystemOf(config: { IMPORT_CASE_SYSTEM?: string }): string {
  return config.IMPORT_CASE_SYSTEM ?? 'case-system';
}

export type ImportTrigger = 'cli' | 'upload' | 'drop-folder';

export interface ImportProgress { bytesRead: number; bytesTotal: number | null; records: number }

export interface ImportRequest {
  source: ImportSource;
  files: InputFile[];
  system: string;
  /** The council whose children these are; default: the database's one local authority. */
  localAuthorityId?: string;
  startedBy: { userId: string | null; name: string };
  trigger: ImportTrigger;
  onProgress?: (p: ImportProgress) => void;
  /**
   * The parser and the merge to use instead of the registry's (./sources/index.ts) and the real
   * merge (./merge/index.ts): for tests, and for a future source that brings its own. The
   * runner's duties (lock, counts, checksums, one transaction) hold whatever is passed.
   */
  parser?: SourceParser;
  merge?: Pick<ImportMerge, 'mergeBatch' | 'endAbsent'>;
  /** The date ended records are given; default today in England. */
  today?: string;
  /** Where a failure to record a failure is logged (no personal data: errorFields only). */
  log?: Logger;
}

export interface ImportCounts { read: number; inserted: number; updated: number; unchanged: number; ended: number; rejected: number; held: number; warnings: number }

export interface RunSummary {
  runId: string;
  status: 'succeeded' | 'failed' | 'refused';
  counts: ImportCounts;
  stoppedAt?: string;
  message?: string;
  /** Refused runs: another import was running (try again later), or the files were not this source's. */
  refusedBecause?: 'another-import' | 'files';
  /** Failed runs: the database went away (nothing wrong with the files; the same set may be tried again). */
  databaseLost?: boolean;
}

export interface FileChecksum { name: string; bytes: number; sha256: string }

/** A request the runner cannot start at all (no parser for the source, no council): nothing is recorded. */
export class ImportRequestError extends Error {
  override name = 'ImportRequestError';
}

/** Runs an import to its end. */
export async function runImport(sql: Sql, request: ImportRequest): Promise<RunSummary> {
  return (await startImport(sql, request)).done;
}

/**
 * For the upload page: takes the lock and records the run, returns its id as soon as it is
 * recorded, and carries on in the background (`done`, which never rejects once the id is
 * known). A refused run is recorded too: its id comes back with `done` already settled.
 */
export async function startImport(sql: Sql, request: ImportRequest): Promise<{ runId: string; done: Promise<RunSummary> }> {
  const parser = request.parser ?? parserFor(request.source);
  if (!parser || parser.source !== request.source) throw new ImportRequestError(`This portal has no reader for the source "${request.source}".`);
  if (request.files.length === 0) throw new ImportRequestError('No files were given.');
  const localAuthorityId = request.localAuthorityId ?? (await theCouncil(sql));
  const merge = request.merge ?? realMerge;

  const run: RunRow = { localAuthorityId, source: request.source, system: request.system, trigger: request.trigger, startedBy: request.startedBy };
  const fileCheck = parser.checkFiles(request.files.map((file) => file.name));
  if (!fileCheck.ok) return settled(await recordRefused(sql, run, fileCheck.message, request.files, 'files'));

  let announce!: (runId: string) => void;
  let refuse!: (summary: RunSummary) => void;
  let fail!: (error: unknown) => void;
  const announced = new Promise<string | RunSummary>((resolve, reject) => {
    announce = resolve;
    refuse = resolve;
    fail = reject;
  });
  const state = new RunState(request, parser);
  const done = (async (): Promise<RunSummary> => {
    let runId: string | undefined;
    try {
      await sql.begin(async (tx) => {
        // The server pool limits statements to seconds (src/db/pool.ts); an import's batches and
        // its ending of absent records may take longer, and it waits on its files between them.
        await tx`set local statement_timeout = 0`;
        await tx`set local idle_in_transaction_session_timeout = 0`;
        // Plan every statement for the values it is given. The merge's statements are prepared
        // and run once a batch; after five runs PostgreSQL may keep a generic plan costed from the
        // statistics of tables that, inside this one transaction, still look empty (an import's
        // rows are not analysed until it commits): scans that grow with every batch, minutes at
        // 100,000 children. A custom plan sees each batch's arrays and takes the indexes.
        await tx`set local plan_cache_mode = force_custom_plan`;
        const [lock] = await tx<{ locked: boolean }[]>`select pg_try_advisory_xact_lock(${IMPORT_LOCK_KEY}) as locked`;
        if (!lock!.locked) throw new Refused(await runningMessage(sql));
        await markInterrupted(sql);
        runId = await recordStart(sql, run, state.bytesTotal);
        announce(runId);
        await state.importAll(tx, sql, merge, { runId, system: request.system, source: request.source, localAuthorityId, today: request.today ?? todayInEngland() });
      });
      return { runId: runId!, status: 'succeeded', counts: state.counts };
    } catch (error) {
      if (runId === undefined) {
        // Refused, or the transaction could not start: no run of ours was recorded as running.
        try {
          if (!(error instanceof Refused)) throw error;
          const summary = await recordRefused(sql, run, error.message, request.files, 'another-import');
          refuse(summary);
          return summary;
        } catch (failure) {
          fail(failure);
          throw failure;
        }
      }
      const summary: RunSummary = { runId, status: 'failed', counts: state.counts, stoppedAt: state.stoppedAt(), message: failureMessage(error) };
      if (isConnectionLoss(error)) summary.databaseLost = true;
      await state.progressWritten();
      await recordFailure(sql, summary, state).catch((recordError) => request.log?.error('import failure not recorded', errorFields(recordError)));
      return summary;
    }
  })();
  // Whoever gets the first answer, `done` is settled; a failure before the run was recorded is
  // thrown from `announced` below, so it must not also surface as an unhandled rejection.
  done.catch(() => {});
  const first = await announced;
  if (typeof first === 'string') return { runId: first, done };
  return settled(first);
}

function settled(summary: RunSummary): { runId: string; done: Promise<RunSummary> } {
  return { runId: summary.runId, done: Promise.resolve(summary) };
}

class Refused extends Error {}

/** What the runner counts and where it has got to, while one run goes on. */
class RunState {
  readonly counts: ImportCounts = { read: 0, inserted: 0, updated: 0, unchanged: 0, ended: 0, rejected: 0, held: 0, warnings: 0 };
  readonly bytesTotal: number | null;
  /** By the file's place in the request (two files may share a name): filled when the parser opens it. */
  private readonly files: Array<{ name: string; bytes: number; hash: ReturnType<typeof createHash>; sha256?: string } | undefined> = [];
  private currentFile: string | undefined;
  private lastWhere: Where | undefined;
  private merging: { first: Where; last: Where } | undefined;
  private pendingIssues: Issue[] = [];
  /** Case-system ids with a rejected or held record in this run: endAbsent leaves their records alone. */
  private unread = new Set<string>();
  private seq = 0;
  private lastProgressWrite = 0;
  private progressWrite: Promise<void> | undefined;
  private runId: string | undefined;
  private outside: Sql | undefined;

  constructor(private readonly request: ImportRequest, private readonly parser: SourceParser) {
    const sizes = request.files.map((file) => file.size);
    this.bytesTotal = sizes.every((size) => typeof size === 'number') ? (sizes as number[]).reduce((a, b) => a + b, 0) : null;
  }

  get bytesRead(): number {
    return this.files.reduce((sum, file) => sum + (file?.bytes ?? 0), 0);
  }

  /** Each file as the parser sees it: the same bytes, counted and hashed on the way through. */
  private measured(file: InputFile, index: number): InputFile {
    return {
      name: file.name,
      size: file.size,
      open: () => {
        // Opened again (a parser reading twice): the checksum is of one full read, so start over.
        const entry = { name: file.name, bytes: 0, hash: createHash('sha256'), sha256: undefined as string | undefined };
        this.files[index] = entry;
        this.currentFile = file.name;
        const meter = new Transform({
          transform: (chunk: Buffer | string, _encoding: BufferEncoding, callback: TransformCallback) => {
            const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
            entry.bytes += bytes.length;
            entry.hash.update(bytes);
            this.progress();
            callback(null, bytes);
          },
          flush: (callback: TransformCallback) => {
            entry.sha256 = entry.hash.digest('hex');
            this.progress();
            callback();
          },
        });
        const source = file.open();
        source.on('error', (error) => meter.destroy(error));
        return source.pipe(meter);
      },
    };
  }

  /** Every file of the request; one the parser never opened (or a failure cut short) has no checksum. */
  checksums(): Array<FileChecksum | { name: string }> {
    return this.request.files.map((file, index) => {
      const read = this.files[index];
      return read?.sha256 ? { name: read.name, bytes: read.bytes, sha256: read.sha256 } : { name: file.name };
    });
  }

  /**
   * Where the run stopped: the last record reached ('file:line' or 'file path'), or the file
   * being read when no record was reached. A merge fails on a batch, not on one record, so a
   * failure there names the batch's first and last records ('a.csv:1002 to a.csv:1501').
   */
  stoppedAt(): string | undefined {
    if (this.merging) return `${describe(this.merging.first)} to ${describe(this.merging.last)}`;
    return this.lastWhere ? describe(this.lastWhere) : this.currentFile;
  }

  async importAll(tx: TransactionSql, outside: Sql, merge: Pick<ImportMerge, 'mergeBatch' | 'endAbsent'>, context: MergeContext): Promise<void> {
    this.runId = context.runId;
    this.outside = outside;
    const report: ParseReport = {
      issue: (issue) => {
        this.lastWhere = issue.where;
        this.pendingIssues.push(issue);
        if (issue.outcome === 'warning') this.counts.warnings += 1;
        else {
          this.counts.read += 1;
          this.counts[issue.outcome] += 1;
        }
      },
      // The runner counts the bytes itself, as they pass (measured above).
      progress: () => {},
    };
    let batch: ImportRecord[] = [];
    for await (const record of this.parser.parse(this.request.files.map((file, index) => this.measured(file, index)), report)) {
      this.lastWhere = record.where;
      this.counts.read += 1;
      batch.push(record);
      if (batch.length >= BATCH_SIZE) {
        await this.mergeBatch(tx, merge, batch, context);
        batch = [];
      } else if (this.pendingIssues.length >= BATCH_SIZE) {
        await this.writeIssues(tx, []);
      }
    }
    await this.mergeBatch(tx, merge, batch, context);
    // An extract with headers and no rows is what a council's job writes when its query failed:
    // taken as a complete picture, it would end every current record. Refuse to believe it.
    if (this.parser.snapshotOf.length > 0 && this.counts.read === 0) throw new SafeMessageError(EMPTY_SNAPSHOT);
    // A child with a rejected or held record keeps what it had: the file did not say it ended.
    if (this.parser.snapshotOf.length > 0) this.counts.ended = await merge.endAbsent(tx, this.parser.snapshotOf, { ...context, keep: [...this.unread] });
    await this.progressWritten();
    await tx`
      update import_runs set
        status = 'succeeded', finished_at = now(), files = ${tx.json(this.checksums() as unknown as postgres.JSONValue)},
        ${tx(this.counts)}, bytes_read = ${this.bytesRead}
      where id = ${context.runId}`;
  }

  private async mergeBatch(tx: TransactionSql, merge: Pick<ImportMerge, 'mergeBatch'>, batch: ImportRecord[], context: MergeContext): Promise<void> {
    if (batch.length === 0) {
      await this.writeIssues(tx, []);
      return;
    }
    this.merging = { first: batch[0]!.where, last: batch[batch.length - 1]!.where };
    const { outcomes, issues } = await merge.mergeBatch(tx, batch, context);
    this.merging = undefined;
    if (outcomes.length !== batch.length) throw new MergeContractError(`the merge gave ${outcomes.length} outcomes for ${batch.length} records`);
    for (const outcome of outcomes) this.counts[outcome] += 1;
    // Rejected and held records are counted by their outcome above; a merge's warning (part of a
    // loaded record left out) is counted here.
    for (const issue of issues) if (issue.outcome === 'warning') this.counts.warnings += 1;
    await this.writeIssues(tx, issues);
    this.progress();
  }

  /** The parser's issues so far and the merge's for this batch, in the data transaction. */
  private async writeIssues(tx: TransactionSql, mergeIssues: Issue[]): Promise<void> {
    const issues = [...this.pendingIssues, ...mergeIssues];
    this.pendingIssues = [];
    for (const issue of issues) if (issue.outcome !== 'warning' && issue.caseSystemId) this.unread.add(issue.caseSystemId);
    if (issues.length === 0) return;
    const rows = issues.map((issue) => ({
      run_id: this.runId!,
      seq: (this.seq += 1),
      source: issue.source,
      file: issue.where.file,
      line: issue.where.line ?? null,
      path: issue.where.path ?? null,
      case_system_id: issue.caseSystemId ?? null,
      rule: issue.rule,
      dfe_rule: issue.dfeRule ?? null,
      field: issue.field ?? null,
      value: issue.value ?? null,
      message: issue.message,
      outcome: issue.outcome,
      record: issue.outcome === 'held' && issue.record !== undefined ? tx.json(issue.record as postgres.JSONValue) : null,
    }));
    await tx`insert into import_issues ${tx(rows)}`;
  }

  /** Tells the caller how far the run has got, and now and then writes it on the run record. */
  private progress(): void {
    this.request.onProgress?.({ bytesRead: this.bytesRead, bytesTotal: this.bytesTotal, records: this.counts.read });
    const now = Date.now();
    if (!this.runId || !this.outside || this.progressWrite || now - this.lastProgressWrite < PROGRESS_WRITE_MS) return;
    this.lastProgressWrite = now;
    const outside = this.outside;
    this.progressWrite = outside`
      update import_runs set bytes_read = ${this.bytesRead}, read = ${this.counts.read}
      where id = ${this.runId} and status = 'running'`
      .then(() => undefined, () => undefined) // progress is a courtesy: the run goes on without it
      .finally(() => (this.progressWrite = undefined));
  }

  /** Waits for a progress write in flight, so the run's last write is not overtaken by it. */
  async progressWritten(): Promise<void> {
    this.runId = undefined;
    await this.progressWrite;
  }
}

function describe(where: Where): string {
  if (where.line !== undefined) return `${where.file}:${where.line}`;
  if (where.path) return `${where.file} ${where.path}`;
  return where.file;
}

/** The merge broke its contract (one outcome per record): a defect, reported by that name. */
class MergeContractError extends Error {
  override name = 'MergeContractError';
}

/**
 * Why a run failed, in words that carry no personal data: PostgreSQL's own messages repeat the
 * values they were given, so a database error is told by its code and constraint only, and any
 * other error by its name unless it says its message is safe (SafeMessageError, src/log.ts).
 */
function failureMessage(error: unknown): string {
  const fields = errorFields(error);
  if (fields.name === 'PostgresError') {
    return `The database refused a write (error ${fields.code ?? 'unknown'}${fields.constraint ? `, constraint ${fields.constraint}` : ''}${fields.table ? `, table ${fields.table}` : ''}).`;
  }
  if (fields.message) return fields.message;
  if (fields.code) return `The import stopped on an error (${fields.name}, ${fields.code}).`;
  return `The import stopped on an error (${fields.name}).`;
}

/** The connection or the server went, rather than a statement being refused (SQLSTATE 08, 57P0x). */
function isConnectionLoss(error: unknown): boolean {
  const { code } = errorFields(error);
  if (!code) return false;
  return /^(08|57P0)/.test(code) || ['CONNECTION_CLOSED', 'CONNECTION_DESTROYED', 'CONNECTION_ENDED', 'CONNECT_TIMEOUT', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE'].includes(code);
}

interface RunRow { localAuthorityId: string; source: ImportSource; system: string; trigger: ImportTrigger; startedBy: { userId: string | null; name: string } }

function runColumns(run: RunRow) {
  return {
    local_authority_id: run.localAuthorityId,
    source: run.source,
    system: run.system,
    trigger: run.trigger,
    started_by_user_id: run.startedBy.userId,
    started_by_name: run.startedBy.name,
  };
}

async function recordStart(sql: Sql, run: RunRow, bytesTotal: number | null): Promise<string> {
  const [row] = await sql<{ id: string }[]>`
    insert into import_runs ${sql({ ...runColumns(run), bytes_total: bytesTotal })} returning id`;
  return row!.id;
}

async function recordRefused(sql: Sql, run: RunRow, message: string, files: InputFile[], refusedBecause: RunSummary['refusedBecause']): Promise<RunSummary> {
  // The files were not read: their names only, no sizes or checksums.
  const names = files.map((file) => ({ name: file.name }));
  const [row] = await sql<{ id: string }[]>`
    insert into import_runs ${sql({ ...runColumns(run), status: 'refused', finished_at: new Date(), message, files: sql.json(names) })}
    returning id`;
  return { runId: row!.id, status: 'refused', counts: { read: 0, inserted: 0, updated: 0, unchanged: 0, ended: 0, rejected: 0, held: 0, warnings: 0 }, message, refusedBecause };
}

async function recordFailure(sql: Sql, summary: RunSummary, state: RunState): Promise<void> {
  // The counts say how far it got; nothing of it was loaded (the transaction was rolled back).
  await sql`
    update import_runs set
      status = 'failed', finished_at = now(), files = ${sql.json(state.checksums() as unknown as postgres.JSONValue)},
      read = ${summary.counts.read}, bytes_read = ${state.bytesRead},
      stopped_at = ${summary.stoppedAt ?? null}, message = ${summary.message ?? null}
    where id = ${summary.runId}`;
}

/**
 * True while some process holds the import lock (in this database), as an SQL expression. The
 * key is below 2^31, so pg_locks shows it as classid 0, objid = key.
 */
export function importLockHeld(sql: Db) {
  return sql`exists (
    select 1 from pg_locks l
    where l.locktype = 'advisory' and l.granted and l.classid = 0 and l.objid = ${IMPORT_LOCK_KEY}::oid and l.objsubid = 1
      and l.database = (select oid from pg_database where datname = current_database()))`;
}

/** Runs left 'running' by a process that died: only called while holding the lock, so none is alive. */
export async function markInterrupted(sql: Sql): Promise<number> {
  const rows = await sql`
    update import_runs set status = 'interrupted', finished_at = now(),
      message = 'The import stopped without finishing (its process ended or lost the database). Nothing from it was loaded.'
    where status = 'running'`;
  return rows.count;
}

/** The refusal: which import is running, who started it and when. */
async function runningMessage(sql: Sql): Promise<string> {
  const [running] = await sql<{ source: string; startedByName: string; startedAt: string }[]>`
    select source, started_by_name as "startedByName",
           to_char(started_at at time zone 'Europe/London', 'HH24:MI "on" FMDD FMMonth YYYY') as "startedAt"
    from import_runs where status = 'running' order by started_at desc limit 1`;
  if (!running) return 'Another import is starting. Try again when it has finished.';
  return `Another import is running (${running.source}, started by ${running.startedByName} at ${running.startedAt}). Try again when it has finished.`;
}

async function theCouncil(sql: Sql): Promise<string> {
  const councils = await sql<{ id: string }[]>`select id from organisations where kind = 'local_authority' limit 2`;
  if (councils.length !== 1) throw new ImportRequestError(councils.length === 0 ? 'The database has no council (local authority) to import for.' : 'The database has several councils: say which one the import is for.');
  return councils[0]!.id;
}

/** A file on disk, for the command line and the drop folder. */
export async function inputFileFromPath(filePath: string): Promise<InputFile> {
  const { size } = await stat(filePath);
  return { name: path.basename(filePath), size, open: () => createReadStream(filePath) };
}
