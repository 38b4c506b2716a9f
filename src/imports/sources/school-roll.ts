// A school roll: which pupils (by UPN) are on which school's roll (by URN), from when to when,
// as a school census extract or the council's education system gives it. One CSV file; the
// format and its rules are in docs/imports.md ("School roll").
import { join } from 'node:path';
import type { DemoData } from '../../seed/generate.ts';
import type { SourceParser } from '../records.ts';
import { checkedUpn } from './ssd/checks.ts';
import { openCsvFile } from './ssd/csv-writer.ts';
import { checkOneCsv, parseRelationshipFile, type RelationshipFormat } from './ssd/relationship-file.ts';

const format: RelationshipFormat = {
  source: 'school-roll',
  relationship: 'enrolled',
  spec: { required: ['upn', 'school_urn', 'on_roll_from'], optional: ['on_roll_to', 'former_upn'] },
  identifier: { column: 'upn', key: 'upn', personal: 'upn', check: checkedUpn },
  organisation: { column: 'school_urn', pattern: /^\d{6}$/, rule: 'invalid-urn', message: 'A school URN is six digits' },
  from: 'on_roll_from',
  to: 'on_roll_to',
  former: { column: 'former_upn', key: 'formerUpn' },
};

export const schoolRollParser: SourceParser = {
  source: 'school-roll',
  // The roll is complete for the schools in it: an enrolment at one of them that is no longer
  // listed has ended (the merge limits the ending to those schools).
  snapshotOf: ['relationship'],
  checkFiles: checkOneCsv('school roll'),
  parse: (files, report) => parseRelationshipFile(format, files, report),
};

/** The demo's enrolments of pupils who have a UPN (the youngest have none yet), dates as ISO. */
export async function writeSchoolRoll(demo: DemoData, dir: string): Promise<string[]> {
  const path = join(dir, 'school-roll.csv');
  const upns = new Map(demo.children.map((c) => [c.id, c.upn]));
  const urns = new Map(demo.organisations.filter((o) => o.urn !== null).map((o) => [o.id, o.urn!]));
  const file = await openCsvFile(path, ['upn', 'school_urn', 'on_roll_from', 'on_roll_to']);
  for (const relationship of demo.child_organisation_relationships) {
    const upn = upns.get(relationship.child_id);
    if (relationship.kind !== 'enrolled' || !upn) continue;
    await file.row([upn, urns.get(relationship.organisation_id)!, relationship.start_date, relationship.end_date]);
  }
  await file.close();
  return [path];
}
