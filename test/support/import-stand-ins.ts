// Stand-ins for the import parsers and merge, which are written on other branches
// (src/imports/sources/*, src/imports/merge/): a small parser for 'ssd' and 'school-roll' and a
// merge that holds a child with the id AMBIGUOUS and a school-roll row for a school not on record.
// They report issues with masked values as the real ones must, and write no case records. For
// tests of what surrounds them: the runner's records, the import pages, the report.
import type { Sql } from '../../src/db/connect.ts';
import type { Issue } from '../../src/imports/issues.ts';
import type { ChildIn, ImportRecord, ImportSource, InputFile, ParseReport, RelationshipIn, SourceParser } from '../../src/imports/records.ts';
import type { ImportMerge, MergeOutcome } from '../../src/imports/run.ts';
import { maskValue } from '../../src/imports/values.ts';

async function lines(file: InputFile): Promise<string[]> {
  const chunks: Buffer[] = [];
  for await (const chunk of file.open()) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/).filter(Boolean);
}

/** 'ssd': one CSV, `id,forename,surname,dob,nhs,upn`; rejects an unparseable date and a name with digits, masked; fails at an id of FAIL. */
const ssdStandIn: SourceParser = {
  source: 'ssd',
  snapshotOf: [],
  checkFiles: (names) => (names.every((n) => n.endsWith('.csv')) ? { ok: true } : { ok: false, message: `${names.find((n) => !n.endsWith('.csv'))} is not an SSD table: choose the CSV files of the extract` }),
  async *parse(files: InputFile[], report: ParseReport): AsyncIterable<ImportRecord> {
    for (const file of files) {
      for (const [index, text] of (await lines(file)).entries()) {
        const [id, forename, surname, dob, nhs, upn] = text.split(',');
        const where = { file: file.name, line: index + 1 };
        if (id === 'FAIL') throw new Error(`a fault at ${file.name} line ${index + 1}`);
        const issue = (field: string, value: string | null, rule: string, message: string): Issue =>
          ({ source: 'ssd', where, caseSystemId: id, rule, dfeRule: rule === 'date-unparseable' ? '8500' : null, field, value, message, outcome: 'rejected' });
        if (!/^\d{4}-\d{2}-\d{2}$/.test(dob!)) report.issue(issue('pers_dob', maskValue('date', dob), 'date-unparseable', 'The date of birth is not a date.'));
        else if (/\d/.test(surname!)) report.issue(issue('pers_surname', maskValue('name', surname), 'name-digits', 'The surname has digits in it.'));
        else yield { kind: 'child', where, caseSystemId: id!, forename, surname, dateOfBirth: dob, nhsNumber: nhs || null, upn: upn || null } satisfies ChildIn;
      }
    }
  },
};

/** 'school-roll': one CSV, `upn,urn,from`. */
const schoolRollStandIn: SourceParser = {
  source: 'school-roll',
  snapshotOf: [],
  checkFiles: (names) => (names.length === 1 && names[0]!.endsWith('.csv') ? { ok: true } : { ok: false, message: 'Choose one CSV file: the school roll' }),
  async *parse(files: InputFile[]): AsyncIterable<ImportRecord> {
    for (const [index, text] of (await lines(files[0]!)).entries()) {
      const [upn, urn, from] = text.split(',');
      yield { kind: 'relationship', where: { file: files[0]!.name, line: index + 1 }, relationship: 'enrolled', child: { upn }, organisationCode: urn!, startDate: from! } satisfies RelationshipIn;
    }
  },
};

export const standInParsers = (source: ImportSource) => ({ ssd: ssdStandIn, 'school-roll': schoolRollStandIn } as Partial<Record<ImportSource, SourceParser>>)[source];

/** Holds a child whose id is AMBIGUOUS and a school-roll row for a school not on record; loads the rest (writing nothing). */
export const standInMerge = (sql: Sql): ImportMerge => {
  const schools = async (urn: string) => (await sql`select 1 from organisations where urn = ${urn}`).length > 0;
  return {
    async mergeBatch(_tx, records, context) {
      const outcomes: MergeOutcome[] = [];
      const issues: Issue[] = [];
      for (const record of records) {
        const hold = record.kind === 'child' ? record.caseSystemId === 'AMBIGUOUS' : record.kind === 'relationship' && !(await schools(record.organisationCode));
        outcomes.push(hold ? 'held' : 'inserted');
        if (hold) {
          issues.push({
            source: context.source, where: record.where, caseSystemId: record.kind === 'child' ? record.caseSystemId : null, outcome: 'held', record,
            ...(record.kind === 'child'
              ? { rule: 'matches-two-children', field: 'nhsNumber, upn', message: 'The record’s identifiers belong to 2 different children on record.' }
              : { rule: 'unknown-school', field: 'urn', value: record.kind === 'relationship' ? record.organisationCode : null, message: 'No school on record has this URN.' }),
          });
        }
      }
      return { outcomes, issues };
    },
    endAbsent: async () => 0,
    async mergeHeld(_tx, record, resolution) {
      if (record.kind === 'relationship') return (await schools(record.organisationCode)) ? 'inserted' : 'held';
      return resolution.childId ? 'updated' : 'held';
    },
  };
};
