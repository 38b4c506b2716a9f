// Scheduled imports: the portal watches a folder (IMPORT_DROP_DIR) that the council's nightly
// job writes into, so an extract is loaded without a person (docs/imports.md, "Scheduled
// imports"). One subfolder per source (`ssd/`, `cin-census/`, …); the job writes its files there
// and then, last, an empty file named READY, so a set half-written is never read.
//
// Every minute (and at start) each portal process looks for a READY. To take a set it renames
// READY to READY.importing, which only one process can do; so does the import lock, which also
// keeps a drop-folder import from running beside one started by hand. The set is imported with
// trigger 'drop-folder', and then its files are deleted, whatever the outcome: the portal never
// keeps files, only their checksums and the report. A failed import is on the run record (where
// it stopped, why); the council's job still has its extract and writes the set again.
//
// A set is left for the next minute (READY put back) only when it could not be tried, or its
// import was cut off: another import was running, or the database was away or went away. A claim whose process died (READY.importing
// older than STALE_CLAIM_MS while no import holds the lock) is taken again.
import { readdir, rename, rm, stat, utimes } from 'node:fs/promises';
import path from 'node:path';
import type { Sql } from '../db/connect.ts';
import { repeatEvery, type Repeating } from '../background/repeat.ts';
import { errorFields, type Logger } from '../log.ts';
import { importSources, type ImportSource, type SourceParser } from './records.ts';
import { importLockHeld, inputFileFromPath, runImport, type ImportMerge, type RunSummary } from './run.ts';
import { parserFor as registryParserFor } from './sources/index.ts';

export const READY = 'READY';
const CLAIMED = 'READY.importing';
const STALE_CLAIM_MS = 2 * 60_000;
const POLL_MS = 60_000;

export interface DropFolderOptions {
  dir: string;
  /** The case system (IMPORT_CASE_SYSTEM). */
  system: string;
  intervalMs?: number;
  /** How old a claim must be to be taken over (default two minutes; shorter in tests). */
  staleClaimMs?: number;
  /** For tests: the parser and merge to use instead of the registry's and the real one. */
  parserFor?: (source: ImportSource) => SourceParser | undefined;
  merge?: Pick<ImportMerge, 'mergeBatch' | 'endAbsent'>;
}

export function startDropFolderWorker(sql: Sql, log: Logger, options: DropFolderOptions): Repeating {
  log.info('drop folder watched', { sources: importSources.filter((source) => (options.parserFor ?? registryParserFor)(source)) });
  return repeatEvery(options.intervalMs ?? POLL_MS, async () => {
    try {
      await scanDropFolder(sql, log, options);
    } catch (error) {
      log.warn('drop folder scan failed', errorFields(error));
    }
  });
}

/** One look at the folder: imports each complete set found. What was done, for tests and logs. */
export async function scanDropFolder(sql: Sql, log: Logger, options: DropFolderOptions): Promise<RunSummary[]> {
  const summaries: RunSummary[] = [];
  for (const source of importSources) {
    const parser = (options.parserFor ?? registryParserFor)(source);
    if (!parser) continue;
    const folder = path.join(options.dir, source);
    // While an import holds the lock, wait: trying would only record a refusal every minute.
    if (await importRunning(sql)) return summaries;
    if (!(await claim(folder, options.staleClaimMs ?? STALE_CLAIM_MS))) continue;
    const summary = await importSet(sql, log, options, source, parser, folder);
    if (summary) summaries.push(summary);
  }
  return summaries;
}

async function importSet(sql: Sql, log: Logger, options: DropFolderOptions, source: ImportSource, parser: SourceParser, folder: string): Promise<RunSummary | undefined> {
  const names = (await readdir(folder, { withFileTypes: true }))
    .filter((entry) => entry.isFile() && !entry.name.startsWith('.') && !entry.name.startsWith(READY))
    .map((entry) => entry.name)
    .sort();
  const paths = names.map((name) => path.join(folder, name));
  if (names.length === 0) {
    log.warn('drop folder set has no files', { source });
    await rm(path.join(folder, CLAIMED), { force: true });
    return undefined;
  }
  let summary: RunSummary;
  try {
    summary = await runImport(sql, {
      source, system: options.system, trigger: 'drop-folder', startedBy: { userId: null, name: 'drop-folder' },
      files: await Promise.all(paths.map(inputFileFromPath)), parser, merge: options.merge, log,
    });
  } catch (error) {
    // Not tried (the database away, no council yet): the set waits for the next minute.
    log.warn('drop folder import not started', { source, ...errorFields(error) });
    await rename(path.join(folder, CLAIMED), path.join(folder, READY)).catch(() => {});
    return undefined;
  }
  if ((summary.status === 'refused' && summary.refusedBecause === 'another-import') || summary.databaseLost) {
    await rename(path.join(folder, CLAIMED), path.join(folder, READY)).catch(() => {});
  } else {
    // Imported, failed or refused for its files: never kept.
    for (const file of [...paths, path.join(folder, CLAIMED)]) await rm(file, { force: true });
  }
  log.info('drop folder import', { source, runId: summary.runId, status: summary.status, ...summary.counts });
  return summary;
}

/**
 * Takes the set in `folder`: renames READY to READY.importing (one process wins), or takes over
 * a claim left by a process that died. False when there is nothing to take.
 */
async function claim(folder: string, staleClaimMs: number): Promise<boolean> {
  const claimed = path.join(folder, CLAIMED);
  try {
    await rename(path.join(folder, READY), claimed);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    // No READY: perhaps a claim whose process died (the caller saw no import running).
    const found = await stat(claimed).catch(() => undefined);
    // ctime: a rename sets it, so a claim made a moment ago is never taken for an old one.
    if (!found || Date.now() - Math.max(found.mtimeMs, found.ctimeMs) < staleClaimMs) return false;
  }
  const now = new Date();
  await utimes(claimed, now, now);
  return true;
}

async function importRunning(sql: Sql): Promise<boolean> {
  const [row] = await sql<{ held: boolean }[]>`select ${importLockHeld(sql)} as held`;
  return row!.held;
}
