// The council's own flags for children, which no case-system extract carries: a sealed record
// (adoption), an address withheld from partners, a restricted record (a child of staff, a
// high-profile case). A small CSV file the council keeps; the complete list of flagged
// children, so a child no longer in it has its flags cleared. Format and rules: docs/imports.md
// ("Flags").
//
// Because a flag protects a child, a doubtful value errs towards protection: a flag that is
// neither yes nor no is taken as yes (with a warning), and a child listed twice gets every flag
// either row sets. The file is small (hundreds of rows), so it is read whole before yielding.
import { join } from 'node:path';
import type { DemoData } from '../../seed/generate.ts';
import { demoCaseSystemId } from '../values.ts';
import type { FlagsIn, InputFile, ParseReport, SourceParser } from '../records.ts';
import { FileIssues, parseYesNo } from './ssd/checks.ts';
import { ByteCounter, ImportFileRefused, readCsvTable } from './ssd/csv-table.ts';
import { openCsvFile } from './ssd/csv-writer.ts';
import { checkOneCsv } from './ssd/relationship-file.ts';

const FLAGS = [['sealed', 'sealed'], ['address_withheld', 'addressWithheld'], ['restricted', 'restricted']] as const;

export const flagsParser: SourceParser = {
  source: 'flags',
  snapshotOf: ['flags'],
  checkFiles: checkOneCsv('flags file'),
  parse: parseFlags,
};

async function* parseFlags(files: InputFile[], report: ParseReport): AsyncGenerator<FlagsIn> {
  if (files.length !== 1) throw new ImportFileRefused(files.map((f) => f.name).join(', '), 'give exactly one CSV file');
  const file = files[0]!;
  const issues = new FileIssues('flags', file.name, report);
  const spec = { required: ['case_system_id', ...FLAGS.map(([column]) => column)], optional: [] };
  const byChild = new Map<string, FlagsIn>();
  for await (const row of readCsvTable(file, spec, { source: 'flags', report, bytes: new ByteCounter(report) })) {
    if (issues.malformed(row)) continue;
    const id = issues.caseSystemId(row, 'case_system_id');
    if (id === undefined) continue;
    const flags: FlagsIn = { kind: 'flags', where: { file: file.name, line: row.line }, caseSystemId: id, sealed: false, addressWithheld: false, restricted: false };
    for (const [column, key] of FLAGS) {
      const text = row.get(column);
      const value = parseYesNo(text);
      if (value === undefined) {
        issues.add(row, 'warning', { rule: 'unknown-code', message: `${column} is not Y, N, true or false: taken as Y, so that a typing mistake never exposes a child` }, { caseSystemId: id, field: column, value: text });
      }
      flags[key] = value ?? true;
    }
    const earlier = byChild.get(id);
    if (earlier) {
      issues.add(row, 'rejected', { rule: 'duplicate-child', message: `This child is also on line ${earlier.where.line}: this row's flags were added to that line's (a flag set on either line is kept)` }, { caseSystemId: id, field: 'case_system_id', value: id });
      for (const [, key] of FLAGS) earlier[key] ||= flags[key];
      continue;
    }
    byChild.set(id, flags);
  }
  yield* byChild.values();
}

/** The demo's sealed and address-withheld children (the demo has no restricted ones), Y/N. */
export async function writeFlags(demo: DemoData, dir: string): Promise<string[]> {
  const path = join(dir, 'flags.csv');
  const file = await openCsvFile(path, ['case_system_id', 'sealed', 'address_withheld', 'restricted']);
  const yn = (flag: boolean) => (flag ? 'Y' : 'N');
  for (const [i, child] of demo.children.entries()) {
    if (!child.sealed && !child.address_withheld) continue;
    await file.row([demoCaseSystemId(i + 1), yn(child.sealed), yn(child.address_withheld), 'N']);
  }
  await file.close();
  return [path];
}
