// Streams an SSDA903 CSV set with csv-parse. Each file is recognised by its header row (as the
// DfE validator does, so the names do not matter). Header rows become children as they are
// read; episodes are kept, a few fields each, until every file has been read (a child's
// episodes may be anywhere, and the header may come after the episodes), then joined into
// periods of care (./periods.ts). A council's return holds thousands of episodes, not millions.
import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import type { ChildIn, ImportRecord, InputFile, ParseReport } from '../../records.ts';
import type { Issue } from '../../issues.ts';
import { cell, maskValue, parseGender, parseSourceDate } from '../../values.ts';
import { checkUpn } from '../../../identifiers/upn.ts';
import { LS_CODES, REC_CODES, RNE_CODES, SEX_CODES, TABLES, UPN_UNKNOWN, type TableName } from './codes.ts';
import { periodsOfCare, type Episode } from './periods.ts';

export class Ssda903FileError extends Error {
  constructor(readonly file: string, message: string) {
    super(message);
    this.name = 'Ssda903FileError';
  }
}

/** Which 903 table a header row is: every column of Header or Episodes (more are reported), or exactly another table's. */
export function recogniseTable(file: string, columns: readonly string[]): TableName {
  const have = new Set(columns);
  for (const table of ['Episodes', 'Header'] as const) if (TABLES[table].every((c) => have.has(c))) return table;
  for (const [table, expected] of Object.entries(TABLES)) {
    if (expected.length === have.size && expected.every((c) => have.has(c))) return table as TableName;
  }
  const guess = /episode/i.test(file) ? 'Episodes' : /header/i.test(file) ? 'Header' : undefined;
  const missing = guess ? ` (an ${guess} file needs ${TABLES[guess].join(', ')}; missing ${TABLES[guess].filter((c) => !have.has(c)).join(', ')})` : '';
  throw new Ssda903FileError(file, `${file}: the first row is not the column names of an SSDA903 table${missing}`);
}

interface Row {
  file: string;
  line: number;
  values: Record<string, string>;
}

export async function* readSsda903Files(files: InputFile[], report: ParseReport): AsyncIterable<ImportRecord> {
  const headerIds = new Set<string>();
  const upns = new Set<string>();
  const episodes = new Map<string, Episode[]>();
  const issue = (row: Pick<Row, 'file' | 'line'>, caseSystemId: string | null, rule: string, dfeRule: string | null, field: string, value: string | null, message: string, outcome: Issue['outcome']) =>
    report.issue({ source: 'ssda903', where: { file: row.file, line: row.line }, caseSystemId, rule, dfeRule, field, value, message, outcome });

  let bytesBefore = 0;
  for (const file of files) {
    let table: TableName | undefined;
    let columns: string[] = [];
    let bytes = 0;
    const stream = file.open() as Readable;
    try {
      stream.on('data', (chunk: Buffer | string) => {
        bytes += chunk.length;
        report.progress(bytesBefore + bytes);
      });
      const rows = stream.pipe(parse({ bom: true, relax_column_count: true, skip_empty_lines: true, trim: true, info: true }));
      for await (const { record, info } of rows as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
        if (table === undefined) {
          columns = record.map((c) => c.toUpperCase());
          table = recogniseTable(file.name, columns);
          const known = new Set<string>(TABLES[table]);
          if (table !== 'Header' && table !== 'Episodes') {
            issue({ file: file.name, line: 1 }, null, 'table-not-read', null, table, null, `The ${table} table is not used by the portal: ${file.name} was not read`, 'warning');
            break;
          }
          for (const column of columns.filter((c) => !known.has(c))) {
            issue({ file: file.name, line: 1 }, null, 'unknown-column', null, column, null, `${column} is not an SSDA903 ${table} column: it was ignored`, 'warning');
          }
          continue;
        }
        const values: Record<string, string> = {};
        columns.forEach((column, i) => { if (!(column in values)) values[column] = record[i] ?? ''; });
        const row = { file: file.name, line: info.lines, values };
        if (table === 'Header') {
          const child = readHeaderRow(row, headerIds, upns, issue);
          if (child) yield child;
        } else {
          readEpisodeRow(row, episodes, issue);
        }
      }
    } catch (error) {
      // csv-parse's own messages can quote the cell they choke on: say where, not what.
      const code = (error as { code?: unknown }).code;
      if (typeof code === 'string' && code.startsWith('CSV_')) {
        throw new Ssda903FileError(file.name, `${file.name} cannot be read as CSV at line ${(error as { lines?: number }).lines ?? '?'} (${code})`);
      }
      throw error;
    } finally {
      stream.destroy();
    }
    if (table === undefined) throw new Ssda903FileError(file.name, `${file.name} is empty: an SSDA903 file starts with its column names`);
    bytesBefore += bytes;
  }

  for (const [child, list] of episodes) {
    if (!headerIds.has(child)) {
      for (const episode of list) {
        issue(episode, child, 'unknown-child', 'INT03', 'CHILD', child, 'Child in Episodes does not exist in Header: the episode cannot be loaded', 'rejected');
      }
      continue;
    }
    const periods = periodsOfCare(list, (episode, rule, dfeRule, field, value, message, outcome) =>
      issue(episode, child, rule, dfeRule, field, value, message, outcome));
    for (const period of periods) {
      yield {
        kind: 'involvement', where: { file: period.first.file, line: period.first.line }, caseSystemId: child,
        involvementKind: 'looked_after', startDate: period.start, endDate: period.end,
      };
    }
  }
}

type Reporter = (row: Pick<Row, 'file' | 'line'>, caseSystemId: string | null, rule: string, dfeRule: string | null, field: string, value: string | null, message: string, outcome: Issue['outcome']) => void;

function readHeaderRow(row: Row, headerIds: Set<string>, upns: Set<string>, issue: Reporter): ChildIn | undefined {
  const v = row.values;
  const id = cell(v.CHILD);
  if (id === null) {
    issue(row, null, 'missing-value', null, 'CHILD', null, 'CHILD (the child’s id) is missing: the row cannot be matched to the case record', 'rejected');
    return undefined;
  }
  if (headerIds.has(id)) {
    issue(row, id, 'duplicate-child', 'INT32', 'CHILD', id, 'Child should only exist once in Header: only the first row is loaded', 'rejected');
    return undefined;
  }
  headerIds.add(id);
  const child: ChildIn = { kind: 'child', where: { file: row.file, line: row.line }, caseSystemId: id };

  const sex = cell(v.SEX)?.toUpperCase() ?? null;
  if (sex !== null && SEX_CODES.has(sex)) {
    // U says the return does not know: leave out, do not overwrite the extract's value.
    const gender = parseGender(sex);
    if (gender === 'male' || gender === 'female') child.gender = gender;
  } else issue(row, id, 'unknown-code', '101', 'SEX', sex, 'Gender code is not valid (1, 2, M, F or U): left out', 'warning');

  const dob = cell(v.DOB);
  const date = dob === null ? undefined : parseSourceDate(dob);
  if (date === undefined) issue(row, id, 'invalid-date', '102', 'DOB', maskValue('date', dob), 'Date of birth is not a valid date (dd/mm/yyyy): left out', 'warning');
  else child.dateOfBirth = date;

  const upn = cell(v.UPN)?.toUpperCase() ?? null;
  if (upn !== null && !UPN_UNKNOWN.test(upn)) {
    const checked = checkUpn(upn);
    if (checked.ok && upns.has(checked.value)) {
      issue(row, id, 'duplicate-upn', null, 'UPN', maskValue('upn', upn), 'Another child in the header has this UPN: left out of this child', 'warning');
    } else if (checked.ok) {
      child.upn = checked.value;
      upns.add(checked.value);
    } else {
      const rule = checked.problem === 'wrong_check_letter' ? 'upn-check-letter' : 'upn-invalid';
      issue(row, id, rule, '168', 'UPN', maskValue('upn', upn), 'Unique Pupil Number (UPN) is not valid (if unknown, UN1 to UN5): left out', 'warning');
    }
  }
  return child;
}

function readEpisodeRow(row: Row, episodes: Map<string, Episode[]>, issue: Reporter): void {
  const v = row.values;
  const id = cell(v.CHILD);
  if (id === null) {
    issue(row, null, 'missing-value', null, 'CHILD', null, 'CHILD (the child’s id) is missing: the episode cannot be matched', 'rejected');
    return;
  }
  const reject = (rule: string, dfeRule: string | null, field: string, value: string | null, message: string) => issue(row, id, rule, dfeRule, field, value, message, 'rejected');
  // Episode dates are not personal: they are shown as they are, to be found in the case system.
  const decomText = cell(v.DECOM);
  const decom = decomText === null ? undefined : parseSourceDate(decomText);
  if (decom === undefined) return reject(decomText === null ? 'missing-value' : 'invalid-date', '141', 'DECOM', decomText, 'Date episode began is not a valid date (dd/mm/yyyy)');
  const decText = cell(v.DEC);
  const dec = decText === null ? null : parseSourceDate(decText);
  if (dec === undefined) return reject('invalid-date', '147', 'DEC', decText, 'Date episode ceased is not a valid date (dd/mm/yyyy)');
  const rec = cell(v.REC)?.toUpperCase() ?? null;
  if ((dec === null) !== (rec === null)) return reject('incomplete-end', '148', dec === null ? 'DEC' : 'REC', null, 'Date episode ceased and reason episode ceased must both be coded, or both left blank: this one is blank');
  if (rec !== null && !REC_CODES.has(rec)) return reject('unknown-code', '149', 'REC', rec, 'Reason episode ceased code is not valid: whether care ended cannot be told');
  if (dec !== null && dec < decom) return reject('end-before-start', '356', 'DEC', decText, 'The date the episode ceased is before the date the same episode started');
  // Codes the portal does not keep: reported, and the episode still counts towards its period.
  const ls = cell(v.LS)?.toUpperCase() ?? null;
  if (ls !== null && !LS_CODES.has(ls)) issue(row, id, 'unknown-code', '144', 'LS', ls, 'The legal status code is not a valid code', 'warning');
  const rne = cell(v.RNE)?.toUpperCase() ?? null;
  if (rne !== null && !RNE_CODES.has(rne)) issue(row, id, 'unknown-code', '143', 'RNE', rne, 'The reason for new episode code is not a valid code', 'warning');
  const episode: Episode = { file: row.file, line: row.line, decom, dec, rec };
  const list = episodes.get(id);
  if (list) list.push(episode);
  else episodes.set(id, [episode]);
}
