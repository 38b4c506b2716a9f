// A small source and merge for the runner's own tests (lock, counts, checksums, one
// transaction, interrupted runs, the command line, the drop folder). The parser reads real
// CSV-ish text, line by line as it streams (`id,name,dob`, header on line 1); the merge writes a
// real table of its own in the runner's transaction, so a rollback is seen in the database.
// The real sources and the real merge have their own tests.
import { createInterface } from 'node:readline';
import type { Sql } from '../../src/db/connect.ts';
import type { Issue } from '../../src/imports/issues.ts';
import type { ChildIn, ImportRecord, ImportSource, InputFile, SourceParser } from '../../src/imports/records.ts';
import type { ImportMerge, MergeOutcome } from '../../src/imports/run.ts';
import { maskValue, parseSourceDate } from '../../src/imports/values.ts';

export interface FixtureParserOptions {
  /** Awaited before the record on this line is read: to hold a run while a test looks at it. */
  beforeLine?: (file: string, line: number) => Promise<void>;
}

/**
 * `id,name,dob[,extra]`. A blank id is rejected (missing-id), a date that is not one is rejected
 * (date-unparseable, the value masked), a name HELD is held with its record, a fourth column is a
 * warning (extra-column) and the record still loads, and a line whose id is HANG never ends (a
 * process to kill).
 */
export function fixtureParser(source: ImportSource = 'school-roll', options: FixtureParserOptions = {}): SourceParser {
  return {
    source,
    snapshotOf: ['child'],
    checkFiles(names) {
      const wrong = names.find((name) => !name.endsWith('.csv'));
      return wrong ? { ok: false, message: `"${wrong}" is not a CSV file.` } : { ok: true };
    },
    async *parse(files: InputFile[], report) {
      for (const file of files) {
        let line = 0;
        for await (const text of createInterface({ input: file.open() as NodeJS.ReadableStream, crlfDelay: Infinity })) {
          line += 1;
          if (line === 1 || text === '') continue;
          await options.beforeLine?.(file.name, line);
          const [id = '', name = '', dob = '', extra] = text.split(',');
          const where = { file: file.name, line };
          if (id === 'HANG') await new Promise(() => {});
          const issue = (rest: Omit<Issue, 'source' | 'where'>) => report.issue({ source, where, ...rest });
          if (id.trim() === '') {
            issue({ rule: 'missing-id', field: 'id', value: null, message: 'The child has no id.', outcome: 'rejected' });
            continue;
          }
          const dateOfBirth = parseSourceDate(dob);
          if (!dateOfBirth) {
            issue({ caseSystemId: id, rule: 'date-unparseable', field: 'dob', value: maskValue('date', dob), message: 'The date of birth is not a date.', outcome: 'rejected' });
            continue;
          }
          const record: ChildIn = { kind: 'child', where, caseSystemId: id, forename: name, dateOfBirth };
          if (name === 'HELD') {
            issue({ caseSystemId: id, rule: 'ambiguous-child', field: 'id', value: id, message: 'The child matches two records.', outcome: 'held', record });
            continue;
          }
          if (extra !== undefined) issue({ caseSystemId: id, rule: 'extra-column', field: 'extra', value: null, message: 'A fourth column was ignored.', outcome: 'warning' });
          yield record;
        }
      }
    },
  };
}

export async function createFixtureTable(sql: Sql): Promise<void> {
  await sql`
    create table if not exists import_fixture_children (
      system    text not null,
      id        text not null,
      name      text not null check (name <> 'BOOM'),
      dob       date not null,
      seen_run  uuid not null,
      ended_on  date,
      primary key (system, id)
    )`;
}

/**
 * Inserts, updates or leaves each child; a name REJECT is rejected by the merge (rule
 * merge-reject); a name BOOM breaks the table's check constraint: a real database error.
 */
export const fixtureMerge: ImportMerge = {
  async mergeBatch(tx, records, context) {
    const outcomes: MergeOutcome[] = [];
    const issues: Issue[] = [];
    for (const record of records as ChildIn[]) {
      if (record.forename === 'REJECT') {
        outcomes.push('rejected');
        issues.push({ source: context.source, where: record.where, caseSystemId: record.caseSystemId, rule: 'merge-reject', message: 'The merge refused it.', outcome: 'rejected' });
        continue;
      }
      const [row] = await tx<{ name: string; dob: string; ended: boolean }[]>`
        select name, dob::text as dob, ended_on is not null as ended from import_fixture_children
        where system = ${context.system} and id = ${record.caseSystemId}`;
      if (!row) {
        await tx`insert into import_fixture_children (system, id, name, dob, seen_run)
                 values (${context.system}, ${record.caseSystemId}, ${record.forename!}, ${record.dateOfBirth!}, ${context.runId})`;
        outcomes.push('inserted');
        continue;
      }
      const same = row.name === record.forename && row.dob === record.dateOfBirth && !row.ended;
      await tx`update import_fixture_children set name = ${record.forename!}, dob = ${record.dateOfBirth!}, seen_run = ${context.runId}, ended_on = null
               where system = ${context.system} and id = ${record.caseSystemId}`;
      outcomes.push(same ? 'unchanged' : 'updated');
    }
    return { outcomes, issues };
  },
  async endAbsent(tx, kinds, context) {
    if (!kinds.includes('child')) return 0;
    const rows = await tx`update import_fixture_children set ended_on = ${context.today}
                          where system = ${context.system} and ended_on is null and seen_run <> ${context.runId}`;
    return rows.count;
  },
  async mergeHeld(tx, record: ImportRecord, resolution, context) {
    const child = record as ChildIn;
    if (!resolution.childId) return 'held';
    await tx`insert into import_fixture_children (system, id, name, dob, seen_run)
             values (${context.system}, ${child.caseSystemId}, ${'RESOLVED'}, ${child.dateOfBirth!}, ${context.runId})`;
    return 'inserted';
  },
};

/** The council every run is for. */
export async function insertCouncil(sql: Sql): Promise<string> {
  const [council] = await sql<{ id: string }[]>`
    insert into organisations (kind, name, la_code, duty_phone, out_of_hours_phone)
    values ('local_authority', 'Fixture Council', '999', '0100 000 0000', '0100 000 0001') returning id`;
  return council!.id;
}

/** A CSV-ish file's text from its rows (the header added). */
export function fixtureCsv(rows: string[]): string {
  return ['id,name,dob', ...rows].join('\n') + '\n';
}
