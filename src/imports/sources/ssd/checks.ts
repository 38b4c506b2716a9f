// Checks every CSV source shares: identifiers with their check characters, dates, required cells;
// and one way to report what failed, with personal values masked. A check returns the value or
// says why not; the parser decides whether that rejects the row or only leaves the field out.
import { checkNhsNumber } from '../../../identifiers/nhs-number.ts';
import { checkUpn } from '../../../identifiers/upn.ts';
import type { Issue, IssueOutcome } from '../../issues.ts';
import type { ImportSource, ParseReport } from '../../records.ts';
import { maskValue, parseSourceDate, type PersonalKind } from '../../values.ts';
import type { CsvRow } from './csv-table.ts';

export interface Problem {
  rule: string;
  dfeRule?: string;
  message: string;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; problem: Problem };

export function checkedUpn(raw: string): Checked<string> {
  const result = checkUpn(raw);
  if (result.ok) return result;
  if (result.problem === 'wrong_check_letter') {
    return { ok: false, problem: { rule: 'upn-check-letter', dfeRule: '1510', message: 'UPN invalid: wrong check letter at character 1' } };
  }
  return { ok: false, problem: { rule: 'upn-invalid', message: 'UPN invalid: it must be a letter, 11 digits, then a digit or letter (13 characters)' } };
}

export function checkedNhsNumber(raw: string): Checked<string> {
  const result = checkNhsNumber(raw);
  if (result.ok) return result;
  if (result.problem === 'wrong_check_digit') {
    return { ok: false, problem: { rule: 'nhs-number-check-digit', message: 'NHS number fails its modulus 11 check digit' } };
  }
  return { ok: false, problem: { rule: 'nhs-number-invalid', message: 'NHS number must be 10 digits' } };
}

/** Reports issues for one file, masking personal values. */
export class FileIssues {
  constructor(
    private readonly source: ImportSource,
    readonly file: string,
    private readonly report: ParseReport,
  ) {}

  add(
    row: { line: number },
    outcome: IssueOutcome,
    problem: Problem,
    detail: { caseSystemId?: string | null; field?: string; value?: string | null; personal?: PersonalKind },
  ): void {
    const value = detail.value === undefined || detail.value === null ? null : detail.personal ? maskValue(detail.personal, detail.value) : detail.value;
    this.report.issue({
      source: this.source,
      where: { file: this.file, line: row.line },
      caseSystemId: detail.caseSystemId ?? null,
      rule: problem.rule,
      dfeRule: problem.dfeRule ?? null,
      field: detail.field ?? null,
      value,
      message: problem.message,
      outcome,
    } satisfies Issue);
  }

  /** A cell the row cannot do without: rejected when blank. */
  required(row: CsvRow, column: string, caseSystemId?: string | null, personal?: PersonalKind): string | undefined {
    const value = row.get(column);
    if (value === null) {
      this.add(row, 'rejected', { rule: 'missing-value', message: `${column} is blank: the row cannot be loaded without it` }, { caseSystemId, field: column, personal });
      return undefined;
    }
    return value;
  }

  /**
   * A child's case-system id (the key of child_sources, at most 48 characters as the SSD's
   * nvarchar(48)): the id, or undefined with the row rejected.
   */
  caseSystemId(row: CsvRow, column: string): string | undefined {
    const id = this.required(row, column);
    if (id === undefined || id.length <= 48) return id;
    this.add(row, 'rejected', { rule: 'invalid-id', message: `${column} is longer than 48 characters` }, { field: column, value: `${id.slice(0, 12)}…` });
    return undefined;
  }

  /**
   * A date cell: the ISO date, null when blank, or undefined (and an issue with `outcome`) when
   * it is not a date. `dfeRule`/`personal` as for the column.
   */
  date(row: CsvRow, column: string, outcome: IssueOutcome, caseSystemId?: string | null, personal?: PersonalKind): string | null | undefined {
    const raw = row.get(column);
    if (raw === null) return null;
    const value = parseSourceDate(raw);
    if (value === undefined) {
      this.add(row, outcome, { rule: 'invalid-date', message: `${column} is not a date (write YYYY-MM-DD or DD/MM/YYYY)${outcome === 'warning' ? '; it was left out' : ''}` }, { caseSystemId, field: column, value: raw, personal });
    }
    return value;
  }

  /** A row with more or fewer cells than the header: its columns cannot be trusted. */
  malformed(row: CsvRow, outcome: IssueOutcome = 'rejected'): boolean {
    if (row.wellFormed) return false;
    this.add(row, outcome, { rule: 'malformed-row', message: 'The row has a different number of cells from the header row (an unquoted comma?)' }, {});
    return true;
  }
}

/** Y/N flags as councils' spreadsheets write them; undefined for anything else. */
export function parseYesNo(text: string | null): boolean | undefined {
  if (text === null) return false;
  switch (text.trim().toLowerCase()) {
    case 'y': case 'yes': case 'true': case '1': return true;
    case 'n': case 'no': case 'false': case '0': return false;
    default: return undefined;
  }
}
