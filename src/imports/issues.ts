// One line of an import report: a record rejected (it cannot be loaded as it is) or held (it
// could be loaded, but only a person can say where: an unknown school, a child that matches two
// records). The shape is the one councils' data teams know from DfE's and data-to-insight's
// validators: child id, rule code, table or element, field, row, value flagged, message.
import type { ImportSource, Where } from './records.ts';

export type IssueOutcome = 'rejected' | 'held' | 'warning';

export interface Issue {
  source: ImportSource;
  where: Where;
  /** The case system's id of the child, where the record names one. */
  caseSystemId?: string | null;
  /** Our rule code, for example `upn-check-letter` (see docs/imports.md for the list). */
  rule: string;
  /** The DfE validation rule number where one exists (CIN census, SSDA903), for example '1510'. */
  dfeRule?: string | null;
  /** The column or element name as it is in the file. */
  field?: string | null;
  /** The value flagged, already masked where it is personal (./values.ts maskValue). */
  value?: string | null;
  message: string;
  /**
   * rejected: not loaded; held: waits for a person (./held.ts); warning: the record was loaded but
   * part of it was not (an unknown element ignored, a bad NHS number left out). Warnings are
   * reported but do not count against `read`.
   */
  outcome: IssueOutcome;
  /** Held records only: the record as it would be merged, to load once a person resolves it. */
  record?: unknown;
}
