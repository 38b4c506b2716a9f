// The portal's own CSV formats for who a child is with: a school roll (UPN at a school URN) and
// GP registrations (NHS number at a practice ODS code). Both are one row per enrolment or
// registration, matched to a child by the identifier, never by name. Shared here because the
// two differ only in their columns and identifier check; see docs/imports.md for each format.
import type { ImportSource, InputFile, ParseReport, RelationshipIn } from '../../records.ts';
import type { PersonalKind } from '../../values.ts';
import { FileIssues, type Checked } from './checks.ts';
import { ByteCounter, ImportFileRefused, readCsvTable, type TableSpec } from './csv-table.ts';

export interface RelationshipFormat {
  source: ImportSource;
  relationship: RelationshipIn['relationship'];
  spec: TableSpec;
  identifier: { column: string; key: 'upn' | 'nhsNumber'; personal: PersonalKind; check: (raw: string) => Checked<string> };
  organisation: { column: string; pattern: RegExp; rule: string; message: string };
  from: string;
  to: string;
  /** An optional earlier identifier, left out with a warning when it fails its check. */
  former?: { column: string; key: 'formerUpn' };
}

export function checkOneCsv(label: string) {
  return (names: string[]): { ok: true } | { ok: false; message: string } => {
    if (names.length !== 1) return { ok: false, message: `A ${label} import is one CSV file; ${names.length} were given.` };
    if (!/\.csv$/i.test(names[0]!)) return { ok: false, message: `${names[0]}: a ${label} is a CSV file (name ending .csv).` };
    return { ok: true };
  };
}

export async function* parseRelationshipFile(format: RelationshipFormat, files: InputFile[], report: ParseReport): AsyncGenerator<RelationshipIn> {
  if (files.length !== 1) throw new ImportFileRefused(files.map((f) => f.name).join(', '), 'give exactly one CSV file');
  const file = files[0]!;
  const issues = new FileIssues(format.source, file.name, report);
  const seen = new Set<string>();
  const { identifier, organisation } = format;
  for await (const row of readCsvTable(file, format.spec, { source: format.source, report, bytes: new ByteCounter(report) })) {
    if (issues.malformed(row)) continue;
    const raw = issues.required(row, identifier.column);
    if (raw === undefined) continue;
    const checked = identifier.check(raw);
    if (!checked.ok) {
      issues.add(row, 'rejected', checked.problem, { field: identifier.column, value: raw, personal: identifier.personal });
      continue;
    }
    const code = issues.required(row, organisation.column);
    if (code === undefined) continue;
    const organisationCode = code.toUpperCase();
    if (!organisation.pattern.test(organisationCode)) {
      issues.add(row, 'rejected', { rule: organisation.rule, message: organisation.message }, { field: organisation.column, value: code });
      continue;
    }
    const startDate = issues.date(row, format.from, 'rejected');
    if (startDate === undefined) continue;
    if (startDate === null) {
      issues.add(row, 'rejected', { rule: 'missing-value', message: `${format.from} is blank: the row cannot be loaded without it` }, { field: format.from });
      continue;
    }
    const endDate = issues.date(row, format.to, 'rejected');
    if (endDate === undefined) continue;
    if (endDate !== null && endDate < startDate) {
      issues.add(row, 'rejected', { rule: 'end-before-start', message: `${format.to} is before ${format.from}` }, { field: format.to, value: endDate });
      continue;
    }
    const key = `${checked.value}|${organisationCode}|${startDate}`;
    if (seen.has(key)) {
      issues.add(row, 'rejected', { rule: 'duplicate-row', message: `The same ${identifier.column}, ${organisation.column} and ${format.from} are on an earlier row; only the first was loaded` }, { field: identifier.column, value: checked.value, personal: identifier.personal });
      continue;
    }
    seen.add(key);
    const record: RelationshipIn = {
      kind: 'relationship',
      where: { file: file.name, line: row.line },
      relationship: format.relationship,
      child: { [identifier.key]: checked.value },
      organisationCode,
      startDate,
      endDate,
    };
    if (format.former) {
      const former = row.get(format.former.column);
      if (former !== null) {
        const formerChecked = identifier.check(former);
        if (formerChecked.ok) record.child[format.former.key] = formerChecked.value;
        else issues.add(row, 'warning', { ...formerChecked.problem, message: `${formerChecked.problem.message}; it was left out` }, { field: format.former.column, value: former, personal: identifier.personal });
      }
    }
    yield record;
  }
}
