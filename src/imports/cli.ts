// `npm run import -- <source> <files…> [--system LCS] [--report out.csv]`: imports a source's
// files into DATABASE_URL (or the embedded database), with a progress bar on stderr, then prints
// the counts and every line of the report (docs/imports.md). The files are read, never copied.
//   exit 0  imported (records may still have been rejected or held: see the report)
//   exit 1  refused (another import was running, or the files are not this source's) or failed
//   exit 2  usage: an unknown source, a file that cannot be read, a source this portal cannot read
import { createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { loadConfigOrExit } from '../config/config.ts';
import { connect } from '../db/connect.ts';
import { migrate } from '../db/migrate.ts';
import { openDatabase } from '../db/open.ts';
import { createLogger } from '../log.ts';
import { createProgressDisplay, type ProgressOutput } from './progress.ts';
import { importSources, type ImportSource, type InputFile, type SourceParser } from './records.ts';
import { caseSystemOf, ImportRequestError, inputFileFromPath, runImport, type ImportMerge, type RunSummary } from './run.ts';
import { allRunIssues, runIssuesCsv, type IssueView } from './runs.ts';
import { parserFor } from './sources/index.ts';

const USAGE = `Usage: npm run import -- <source> <file>… [--system NAME] [--report FILE.csv]

Imports a source's files into the case record, and prints the import's report.

  <source>           one of: ${importSources.join(', ')}
  <file>…            the files (an SSD extract or an SSDA903 return is several CSV files)
  --system NAME      the case system the ids come from (default IMPORT_CASE_SYSTEM)
  --report FILE.csv  also write the report as CSV
  --help             show this message

Uses DATABASE_URL when set, otherwise the embedded database under DATA_DIR.
Exit status: 0 imported, 1 refused or failed, 2 wrong usage.`;

class UsageError extends Error {}

interface CliArguments { source: ImportSource; files: string[]; system?: string; report?: string }

function parseImportArguments(args: string[]): CliArguments | undefined {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      strict: true,
      allowPositionals: true,
      options: { system: { type: 'string' }, report: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return undefined;
  const [source, ...files] = positionals;
  if (!source) throw new UsageError('Say which source the files are.');
  if (!(importSources as readonly string[]).includes(source)) throw new UsageError(`"${source}" is not a source: use one of ${importSources.join(', ')}.`);
  if (files.length === 0) throw new UsageError('Name at least one file to import.');
  return { source: source as ImportSource, files, system: values.system, report: values.report };
}

/** What tests replace: the parser registry and the merge (see ImportRequest). */
export interface CliDependencies {
  parserFor?: (source: ImportSource) => SourceParser | undefined;
  merge?: Pick<ImportMerge, 'mergeBatch' | 'endAbsent'>;
  stdout?: { write(text: string): unknown };
  stderr?: ProgressOutput;
}

export async function main(args: string[], dependencies: CliDependencies = {}): Promise<number> {
  const stdout = dependencies.stdout ?? process.stdout;
  const stderr = dependencies.stderr ?? process.stderr;
  let cli: CliArguments | undefined;
  try {
    cli = parseImportArguments(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    stderr.write(`${error.message}\n\n${USAGE}\n`);
    return 2;
  }
  if (!cli) {
    stdout.write(`${USAGE}\n`);
    return 0;
  }
  const parser = (dependencies.parserFor ?? parserFor)(cli.source);
  if (!parser) {
    stderr.write(`This version of the portal cannot read "${cli.source}" files yet.\n`);
    return 2;
  }
  const files: InputFile[] = [];
  for (const file of cli.files) {
    const found = await stat(file).catch(() => undefined);
    if (!found?.isFile()) {
      stderr.write(`Cannot read "${file}": no such file.\n`);
      return 2;
    }
    files.push(await inputFileFromPath(file));
  }

  const config = loadConfigOrExit();
  const system = cli.system ?? caseSystemOf(config);
  if (!/^[A-Za-z0-9 ._-]{1,40}$/.test(system)) {
    stderr.write('--system must be 1 to 40 letters, digits, spaces, dots, dashes or underscores.\n');
    return 2;
  }
  const log = createLogger(config.LOG_LEVEL, (line) => stderr.write(`${line}\n`));
  const database = await openDatabase(config, log);
  // Two connections at least: the import's data transaction, and its run record beside it.
  const sql = connect(database.url, { max: 3 });
  const progress = createProgressDisplay(stderr);
  try {
    await migrate(sql);
    let summary: RunSummary;
    try {
      summary = await runImport(sql, {
        source: cli.source, files, system, trigger: 'cli',
        startedBy: { userId: null, name: `cli:${userInfo().username}` },
        onProgress: (p) => progress.update(p),
        parser, merge: dependencies.merge, log,
      });
    } catch (error) {
      if (!(error instanceof ImportRequestError)) throw error;
      stderr.write(`${error.message}\n`);
      return 1;
    } finally {
      progress.done();
    }
    await printSummary(summary, (text) => stdout.write(text));
    if (summary.status === 'succeeded') for await (const issues of allRunIssues(sql, summary.runId)) stdout.write(issues.map(issueLine).join(''));
    if (cli.report) {
      await pipeline(Readable.from(runIssuesCsv(sql, summary.runId)), createWriteStream(cli.report));
      stdout.write(`Report written to ${cli.report}.\n`);
    }
    return summary.status === 'succeeded' ? 0 : 1;
  } catch (error) {
    // Never the error's message: a database's repeats the values it was given.
    stderr.write(`The import could not be run (${(error as Error).name}${typeof (error as { code?: unknown }).code === 'string' ? `, ${(error as { code: string }).code}` : ''}).\n`);
    return 1;
  } finally {
    await sql.end({ timeout: 5 });
    await database.stop();
  }
}

const number = (n: number) => n.toLocaleString('en-GB');

async function printSummary(summary: RunSummary, out: (text: string) => void): Promise<void> {
  if (summary.status === 'refused') {
    out(`Import refused (run ${summary.runId}): ${summary.message}\n`);
    return;
  }
  if (summary.status === 'failed') {
    out(`Import FAILED (run ${summary.runId})${summary.stoppedAt ? `, stopped at ${summary.stoppedAt}` : ''}: ${summary.message}\n`);
    out(`Nothing from this import was loaded: the data is as it was before. ${number(summary.counts.read)} records had been read.\n`);
    return;
  }
  const c = summary.counts;
  out(`Import succeeded (run ${summary.runId}).\n`);
  const rows: Array<[string, number]> = [
    ['read', c.read], ['inserted', c.inserted], ['updated', c.updated], ['unchanged', c.unchanged],
    ['rejected', c.rejected], ['held', c.held], ['ended', c.ended], ['warnings', c.warnings],
  ];
  const width = Math.max(...rows.map(([, n]) => number(n).length));
  for (const [label, n] of rows) out(`  ${label.padEnd(10)}${number(n).padStart(width)}\n`);
  const issues = c.rejected + c.held + c.warnings;
  out(issues === 0 ? 'Report: no records rejected or held, no warnings.\n' : 'Report (file:line, child id, rule, DfE rule, field, value, message):\n');
}

/** One report line: where, child id, rule, DfE rule, field = masked value, message. */
export function issueLine(issue: IssueView): string {
  const where = issue.line !== null ? `${issue.file}:${issue.line}` : issue.path ? `${issue.file} ${issue.path}` : issue.file;
  const parts = [
    `${issue.outcome.toUpperCase()}`,
    where,
    issue.caseSystemId ?? '-',
    issue.rule,
    issue.dfeRule ? `DfE ${issue.dfeRule}` : '-',
    issue.field ? `${issue.field}=${issue.value ?? ''}` : '-',
    issue.message,
  ];
  return `  ${parts.join('  ')}\n`;
}

// Run as a program (npm run import), not when a test imports main().
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) process.exit(await main(process.argv.slice(2)));
