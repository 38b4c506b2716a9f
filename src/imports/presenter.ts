// The view models of the data officer's import pages (views/imports/) and of the home pages'
// import panel. They shape what the run queries (./runs.ts) return: words for sources, statuses
// and outcomes, dates in England's time, ages in words. Report values arrive already masked
// (the runner stores them masked: ./values.ts maskValue); nothing here unmasks or adds any.
import { importSources, type ImportSource } from './records.ts';
import { formatDate, formatDateTime } from '../web/format.ts';
import { numberedPagination, type NumberedPagination } from '../web/numbered-pagination.ts';
import type { HeldIssueView, ImportRunView, IssueView, RunStatus } from './runs.ts';

/** Each source as the upload form offers it: its name and which files it takes. */
export const sourceLabels: Record<ImportSource, { text: string; hint: string }> = {
  ssd: { text: 'Case system extract (Standard Safeguarding Dataset)', hint: 'One CSV file per SSD table, named as the table (ssd_person.csv, ssd_cin_episodes.csv and so on), with the SSD column names in the first row.' },
  'cin-census': { text: 'Children in need census (XML)', hint: 'The CIN census file as sent to the Department for Education.' },
  ssda903: { text: 'Children looked after return (SSDA903)', hint: 'The SSDA903 CSV files: Header, Episodes and the others, as the return’s tools write them.' },
  'school-roll': { text: 'School rolls', hint: 'One CSV file: UPN, school URN, on roll from and to.' },
  'gp-registration': { text: 'GP registrations', hint: 'One CSV file: NHS number, practice ODS code, registered from and to.' },
  flags: { text: 'Record flags', hint: 'One CSV file of the children whose record is sealed, restricted or has its address withheld.' },
};

export const isImportSource = (value: string): value is ImportSource => (importSources as readonly string[]).includes(value);
export const sourceText = (source: string): string => (isImportSource(source) ? sourceLabels[source].text : source);

const statusTags: Record<RunStatus, { text: string; classes: string }> = {
  running: { text: 'Running', classes: 'govuk-tag--blue' },
  succeeded: { text: 'Succeeded', classes: 'govuk-tag--green' },
  failed: { text: 'Failed', classes: 'govuk-tag--red' },
  refused: { text: 'Refused', classes: 'govuk-tag--orange' },
  interrupted: { text: 'Interrupted', classes: 'govuk-tag--yellow' },
};
const triggerText: Record<string, string> = { upload: 'Uploaded', cli: 'Command line', 'drop-folder': 'Drop folder' };

const outcomeTags: Record<string, { text: string; classes: string }> = {
  rejected: { text: 'Rejected', classes: 'govuk-tag--red' },
  held: { text: 'Held', classes: 'govuk-tag--yellow' },
  warning: { text: 'Warning', classes: 'govuk-tag--grey' },
};

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;

/** A byte count in words: 0 bytes, 1.5 MB. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return plural(bytes, 'byte');
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** How long ago, in words: "35 minutes", "3 hours", "2 days". */
export function ageInWords(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  if (minutes < 1) return 'less than a minute';
  if (minutes < 60) return plural(minutes, 'minute');
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return plural(hours, 'hour');
  return plural(Math.floor(hours / 24), 'day');
}

function countRows(run: ImportRunView) {
  return [
    { key: 'read', text: 'Records read', value: run.counts.read },
    { key: 'inserted', text: 'Added', value: run.counts.inserted },
    { key: 'updated', text: 'Updated', value: run.counts.updated },
    { key: 'unchanged', text: 'Unchanged', value: run.counts.unchanged },
    { key: 'ended', text: 'Ended (no longer in the extract)', value: run.counts.ended },
    { key: 'rejected', text: 'Rejected', value: run.counts.rejected },
    { key: 'held', text: 'Held for a person to resolve', value: run.counts.held },
    { key: 'warnings', text: 'Warnings', value: run.counts.warnings },
  ];
}

/** One run as a row of the list of imports. */
export function presentRunRow(run: ImportRunView) {
  return {
    id: run.id,
    href: `/imports/${run.id}`,
    source: sourceText(run.source),
    startedAt: formatDateTime(run.startedAt),
    startedBy: run.startedByName,
    trigger: triggerText[run.trigger] ?? run.trigger,
    status: statusTags[run.status],
    counts: `${plural(run.counts.read, 'record')} read: ${run.counts.inserted.toLocaleString('en-GB')} added, ${run.counts.updated.toLocaleString('en-GB')} updated, ${run.counts.rejected.toLocaleString('en-GB')} rejected, ${run.counts.held.toLocaleString('en-GB')} held`,
  };
}

export function presentRunList(runs: ImportRunView[], page: number, pages: number) {
  return {
    title: 'Imports',
    runs: runs.map(presentRunRow),
    pagination: numberedPagination(page, pages, (n) => `/imports?page=${n}`, 'Pages of imports'),
  };
}

/** How far a running import has got: bytes of how many, and records so far. */
export function presentProgress(run: ImportRunView) {
  const percent = run.bytesTotal && run.bytesTotal > 0 ? Math.min(100, Math.floor((run.bytesRead / run.bytesTotal) * 100)) : null;
  return {
    running: run.status === 'running',
    percent,
    text: `${formatBytes(run.bytesRead)}${run.bytesTotal !== null ? ` of ${formatBytes(run.bytesTotal)}` : ''} read, ${plural(run.counts.read, 'record')} so far`,
    href: `/imports/${run.id}`,
    progressHref: `/imports/${run.id}/progress`,
  };
}

export function presentIssue(issue: IssueView, runId: string) {
  return {
    seq: issue.seq,
    source: sourceText(issue.source),
    file: issue.file,
    where: issue.line !== null ? `line ${issue.line}` : issue.path ?? '',
    caseSystemId: issue.caseSystemId ?? '',
    rule: issue.rule,
    dfeRule: issue.dfeRule ?? '',
    field: issue.field ?? '',
    value: issue.value ?? '',
    message: issue.message,
    outcome: outcomeTags[issue.outcome] ?? { text: issue.outcome, classes: 'govuk-tag--grey' },
    resolveHref: issue.outcome === 'held' && !issue.resolution ? `/imports/held/${runId}/${issue.seq}` : null,
  };
}

/** The page of one run: progress while it runs, then counts, where it stopped, and its report. */
export function presentRun(run: ImportRunView, report: { issues: IssueView[]; page: number; pages: number; total: number }) {
  return {
    title: `Import: ${sourceText(run.source)}`,
    run: presentRunRow(run),
    progress: presentProgress(run),
    finished: run.status !== 'running',
    failed: run.status === 'failed' || run.status === 'interrupted',
    refused: run.status === 'refused',
    stoppedAt: run.stoppedAt,
    message: run.message,
    counts: countRows(run),
    files: run.files.map((file) => ({ name: file.name, size: file.bytes !== undefined ? formatBytes(file.bytes) : '', sha256: file.sha256 ?? '' })),
    report: {
      total: report.total,
      issues: report.issues.map((issue) => presentIssue(issue, run.id)),
      pagination: numberedPagination(report.page, report.pages, (n) => `/imports/${run.id}?page=${n}`, 'Pages of the report') as NumberedPagination | null,
      csvHref: `/imports/${run.id}/report.csv`,
    },
  };
}

/** The upload form: the sources as radios, the chosen one kept, errors by the field. */
export function presentUploadForm(values: { source: string }, errors: { source?: string; files?: string }, limitMb: number, sources: readonly ImportSource[]) {
  const errorList = [
    ...(errors.source ? [{ text: errors.source, href: '#source' }] : []),
    ...(errors.files ? [{ text: errors.files, href: '#files' }] : []),
  ];
  return {
    title: `${errorList.length ? 'Error: ' : ''}Upload files to import`,
    errorList,
    source: {
      name: 'source',
      idPrefix: 'source',
      value: isImportSource(values.source) ? values.source : undefined,
      fieldset: { legend: { text: 'What are you importing?', classes: 'govuk-fieldset__legend--m' } },
      errorMessage: errors.source ? { text: errors.source } : false,
      items: sources.map((source) => ({ value: source, text: sourceLabels[source].text, hint: { text: sourceLabels[source].hint } })),
    },
    // No source has a reader installed (src/imports/sources/index.ts): there is nothing to choose.
    noSources: sources.length === 0,
    filesError: errors.files ?? null,
    limit: `${limitMb.toLocaleString('en-GB')} MB`,
  };
}

/** The home pages' panel: the last successful import of each source, its age, and whether the case system's is stale. */
export function presentFreshness(last: Array<{ source: string; finishedAt: Date }>, staleHours: number, now: Date) {
  const bySource = new Map(last.map((row) => [row.source, row.finishedAt]));
  const items = importSources.map((source) => {
    const at = bySource.get(source);
    const seconds = at ? Math.max(0, (now.getTime() - at.getTime()) / 1000) : null;
    return { source, text: sourceLabels[source].text, at: at ? formatDateTime(at) : null, age: seconds === null ? null : ageInWords(seconds) };
  });
  const caseSystem = bySource.get('ssd');
  const stale = !caseSystem || now.getTime() - caseSystem.getTime() > staleHours * 3_600_000;
  const hoursText = plural(staleHours, 'hour');
  return {
    items,
    stale,
    warning: !stale ? null : caseSystem
      ? `The case system’s extract was last imported ${ageInWords((now.getTime() - caseSystem.getTime()) / 1000)} ago, more than ${hoursText}: partners may be answered from out-of-date records.`
      : 'The case system’s extract has never been imported: partners are answered from no records.',
  };
}

export function presentHeldList(held: HeldIssueView[], resolved: 'loaded' | 'dismissed' | undefined) {
  return {
    title: 'Records held for you to resolve',
    resolved: resolved === 'loaded' ? 'The record has been loaded.' : resolved === 'dismissed' ? 'The record has been rejected: it will not be loaded.' : null,
    held: held.map((issue) => ({
      ...presentIssue(issue, issue.runId),
      runId: issue.runId,
      runHref: `/imports/${issue.runId}`,
      startedAt: formatDateTime(issue.runStartedAt),
      href: `/imports/held/${issue.runId}/${issue.seq}`,
    })),
  };
}

/** A candidate child as the access module released it (identifiers only). */
interface Candidate { id: string; forename: string | null; surname: string | null; dateOfBirth: string | null; nhsNumber: string | null; upn: string | null }

/** The resolve page: the held record, and the choices (a candidate child, try again, reject). */
export function presentResolve(held: HeldIssueView, candidates: Candidate[], values: { choice: string }, error: string | undefined) {
  const record = held.record as { kind?: string } | null;
  const unknownSchool = held.rule.includes('school') || held.rule.includes('organisation');
  const describe = (child: Candidate) => [
    child.dateOfBirth ? `Born ${formatDate(child.dateOfBirth)}` : null,
    child.nhsNumber ? `NHS number ${child.nhsNumber}` : null,
    child.upn ? `UPN ${child.upn}` : null,
  ].filter(Boolean).join(', ');
  const items = [
    ...candidates.map((child) => ({ value: `child:${child.id}`, text: `${child.forename ?? ''} ${child.surname ?? ''}`.trim(), hint: { text: describe(child) } })),
    ...(candidates.length ? [{ divider: 'or' }] : []),
    ...(record?.kind === 'child' ? [] : [{ value: 'retry', text: 'Try again', hint: { text: unknownSchool ? 'Once the school has been added to the portal.' : 'Load the record now.' } }]),
    { value: 'dismiss', text: 'Reject the record', hint: { text: 'It will not be loaded. Put it right in the case system (or the file) and import again.' } },
  ];
  return {
    title: `${error ? 'Error: ' : ''}Resolve a held record`,
    errorList: error ? [{ text: error, href: '#choice' }] : [],
    issue: presentIssue(held, held.runId),
    unknownSchool,
    action: `/imports/held/${held.runId}/${held.seq}`,
    choice: {
      name: 'choice',
      idPrefix: 'choice',
      value: values.choice,
      fieldset: { legend: { text: candidates.length ? 'Which child is it?' : 'What should happen to it?', classes: 'govuk-fieldset__legend--m' } },
      hint: candidates.length ? { text: 'The children on record with these identifiers. If none of them is the child, reject the record.' } : undefined,
      errorMessage: error ? { text: error } : false,
      items,
    },
  };
}
