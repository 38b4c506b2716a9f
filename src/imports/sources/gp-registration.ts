// GP registrations: which children (by NHS number) are registered with which practice (by ODS
// code), from when to when, as NHS PDS or the health partners give them. One CSV file; the
// format and its rules are in docs/imports.md ("GP registration").
import { join } from 'node:path';
import type { DemoData } from '../../seed/generate.ts';
import type { SourceParser } from '../records.ts';
import { checkedNhsNumber } from './ssd/checks.ts';
import { openCsvFile } from './ssd/csv-writer.ts';
import { checkOneCsv, parseRelationshipFile, type RelationshipFormat } from './ssd/relationship-file.ts';

const format: RelationshipFormat = {
  source: 'gp-registration',
  relationship: 'registered',
  spec: { required: ['nhs_number', 'practice_ods_code', 'registered_from'], optional: ['registered_to'] },
  identifier: { column: 'nhs_number', key: 'nhsNumber', personal: 'nhsNumber', check: checkedNhsNumber },
  // GP practices' ODS codes are a letter and five digits (A81001); trusts and teams are not practices.
  organisation: { column: 'practice_ods_code', pattern: /^[A-Z]\d{5}$/, rule: 'invalid-ods-code', message: "A GP practice's ODS code is a letter and five digits, for example A81001" },
  from: 'registered_from',
  to: 'registered_to',
};

export const gpRegistrationParser: SourceParser = {
  source: 'gp-registration',
  snapshotOf: ['relationship'],
  checkFiles: checkOneCsv('GP registration file'),
  parse: (files, report) => parseRelationshipFile(format, files, report),
};

/** The demo's GP registrations of children with an NHS number, dates written day first (dd/mm/yyyy) as spreadsheets do. */
export async function writeGpRegistrations(demo: DemoData, dir: string): Promise<string[]> {
  const path = join(dir, 'gp-registrations.csv');
  const numbers = new Map(demo.children.map((c) => [c.id, c.nhs_number]));
  const codes = new Map(demo.organisations.filter((o) => o.kind === 'gp_practice').map((o) => [o.id, o.ods_code!]));
  const dayFirst = (iso: string | null) => (iso === null ? null : `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`);
  const file = await openCsvFile(path, ['nhs_number', 'practice_ods_code', 'registered_from', 'registered_to']);
  for (const relationship of demo.child_organisation_relationships) {
    const nhs = numbers.get(relationship.child_id);
    if (relationship.kind !== 'registered' || !nhs) continue;
    await file.row([nhs, codes.get(relationship.organisation_id)!, dayFirst(relationship.start_date), dayFirst(relationship.end_date)]);
  }
  await file.close();
  return [path];
}
