// School rolls and GP registrations: the demo's enrolments and registrations written in the
// portal's documented CSV formats read back as the same relationships; each rule gives exactly its
// issue, masked, and the good rows of a faulty file still come out. No database.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RelationshipIn } from '../src/imports/records.ts';
import { gpRegistrationParser, writeGpRegistrations } from '../src/imports/sources/gp-registration.ts';
import { schoolRollParser, writeSchoolRoll } from '../src/imports/sources/school-roll.ts';
import { ImportFileRefused } from '../src/imports/sources/ssd/csv-table.ts';
import { generateDemoData, type DemoData } from '../src/seed/generate.ts';
import { dataLineCount, expectNoPersonalValue, fileFromDisk, fileFromText, parseAll, sortBy, type ParseResult } from './support/import-files.ts';

const relationships = (r: ParseResult) => r.records.filter((x): x is RelationshipIn => x.kind === 'relationship');
const plain = (r: ParseResult) => relationships(r).map(({ where: _where, ...rest }) => rest);

describe('round trip from the demo data', () => {
  let dir: string;
  let demo: DemoData;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'relationships-'));
    demo = generateDemoData({ children: 300, referenceDate: '2026-11-23' });
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('school roll: every enrolment of a pupil with a UPN, by UPN and URN', async () => {
    const [path] = await writeSchoolRoll(demo, dir);
    const r = await parseAll(schoolRollParser, [fileFromDisk(path!)]);
    expect(r.issues).toEqual([]);
    const children = new Map(demo.children.map((c) => [c.id, c]));
    const urns = new Map(demo.organisations.map((o) => [o.id, o.urn]));
    const expected = demo.child_organisation_relationships
      .filter((rel) => rel.kind === 'enrolled' && children.get(rel.child_id)!.upn)
      .map((rel) => ({ kind: 'relationship', relationship: 'enrolled', child: { upn: children.get(rel.child_id)!.upn }, organisationCode: urns.get(rel.organisation_id), startDate: rel.start_date, endDate: rel.end_date }));
    expect(expected.length).toBeGreaterThan(100);
    expect(plain(r)).toEqual(expected);
    expect(relationships(r).length).toBe(dataLineCount(await readFile(path!, 'utf8')));
  });

  it('GP registrations: every registration of a child with an NHS number, dates written day first', async () => {
    const [path] = await writeGpRegistrations(demo, dir);
    const text = await readFile(path!, 'utf8');
    expect(text.split('\r\n')[1]).toMatch(/^\d{10},Y99\d{3},\d{2}\/\d{2}\/\d{4},$/);
    const r = await parseAll(gpRegistrationParser, [fileFromDisk(path!)]);
    expect(r.issues).toEqual([]);
    const children = new Map(demo.children.map((c) => [c.id, c]));
    const codes = new Map(demo.organisations.map((o) => [o.id, o.ods_code]));
    const expected = demo.child_organisation_relationships
      .filter((rel) => rel.kind === 'registered' && children.get(rel.child_id)!.nhs_number)
      .map((rel) => ({ kind: 'relationship', relationship: 'registered', child: { nhsNumber: children.get(rel.child_id)!.nhs_number }, organisationCode: codes.get(rel.organisation_id), startDate: rel.start_date, endDate: rel.end_date }));
    expect(expected.length).toBeGreaterThan(100);
    expect(sortBy(plain(r), 'startDate')).toEqual(sortBy(expected, 'startDate'));
  });
});

const UPN = 'X990200115001';
const FORMER = 'L990200115002';
const BAD_UPN = 'B990200115003';
const NHS = '9990000018';
const BAD_NHS = '9990000019';

describe('school roll faults', () => {
  const roll = (...rows: string[]) => [fileFromText('roll.csv', ['upn,school_urn,on_roll_from,on_roll_to,former_upn', `${UPN},990101,2022-09-01,,`, ...rows].join('\n'))];

  it('a UPN with a wrong check letter rejects the row (DfE 1510), masked; the good row loads', async () => {
    const r = await parseAll(schoolRollParser, roll(`${BAD_UPN},990101,2022-09-01,,`));
    expect(r.issues).toEqual([expect.objectContaining({ source: 'school-roll', rule: 'upn-check-letter', dfeRule: '1510', outcome: 'rejected', where: { file: 'roll.csv', line: 3 }, field: 'upn', value: '**********003' })]);
    expectNoPersonalValue(r.issues[0]!, BAD_UPN);
    expect(plain(r)).toEqual([{ kind: 'relationship', relationship: 'enrolled', child: { upn: UPN }, organisationCode: '990101', startDate: '2022-09-01', endDate: null }]);
  });

  it.each([
    ['a URN that is not six digits', `${FORMER},99010,2022-09-01,,`, { rule: 'invalid-urn', field: 'school_urn', value: '99010' }],
    ['an unparseable start', `${FORMER},990101,1 Sept 2022,,`, { rule: 'invalid-date', field: 'on_roll_from', value: '1 Sept 2022' }],
    ['a blank start', `${FORMER},990101,,,`, { rule: 'missing-value', field: 'on_roll_from' }],
    ['an end before the start', `${FORMER},990101,01/09/2022,31/08/2022,`, { rule: 'end-before-start', field: 'on_roll_to', value: '2022-08-31' }],
    ['a duplicate row', `${UPN},990101,01/09/2022,,`, { rule: 'duplicate-row', field: 'upn', value: '**********001' }],
    ['a blank UPN', ',990101,2022-09-01,,', { rule: 'missing-value', field: 'upn' }],
    ['a malformed row', `${FORMER},990101,2022-09-01,,,extra`, { rule: 'malformed-row' }],
  ])('%s rejects the row with its rule and field', async (_label, row, expected) => {
    const r = await parseAll(schoolRollParser, roll(row));
    expect(r.issues).toEqual([expect.objectContaining({ ...expected, outcome: 'rejected', where: { file: 'roll.csv', line: 3 } })]);
    expect(relationships(r)).toHaveLength(1);
  });

  it('a valid former UPN is carried for matching; a bad one is a masked warning and the row still loads', async () => {
    const r = await parseAll(schoolRollParser, roll(`${FORMER},990102,2023-09-01,2024-07-20,${UPN}`, `${FORMER},990103,2024-09-01,,${BAD_UPN}`));
    expect(relationships(r).map((x) => x.child)).toEqual([{ upn: UPN }, { upn: FORMER, formerUpn: UPN }, { upn: FORMER }]);
    expect(r.issues).toEqual([expect.objectContaining({ rule: 'upn-check-letter', outcome: 'warning', where: { file: 'roll.csv', line: 4 }, field: 'former_upn', value: '**********003' })]);
  });

  it('a missing column refuses the file; an unknown one is a warning', async () => {
    const missing = await parseAll(schoolRollParser, [fileFromText('roll.csv', 'upn,urn,on_roll_from\n')]).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ImportFileRefused);
    expect((missing as Error).message).toBe("roll.csv, line 1: the header row has no 'school_urn' column; nothing was loaded from this file");
    const r = await parseAll(schoolRollParser, [fileFromText('roll.csv', `UPN,School_URN,On_Roll_From,year_group\n${UPN},990101,2022-09-01,4\n`)]);
    expect(r.issues).toEqual([expect.objectContaining({ rule: 'unknown-column', outcome: 'warning', field: 'year_group', where: { file: 'roll.csv', line: 1 } })]);
    expect(relationships(r)).toHaveLength(1);
  });

  it('takes one CSV file, and ends enrolments absent from it', () => {
    expect(schoolRollParser.checkFiles(['roll.csv'])).toEqual({ ok: true });
    expect(schoolRollParser.checkFiles(['roll.xlsx'])).toEqual({ ok: false, message: 'roll.xlsx: a school roll is a CSV file (name ending .csv).' });
    expect(schoolRollParser.checkFiles(['a.csv', 'b.csv']).ok).toBe(false);
    expect(schoolRollParser.snapshotOf).toEqual(['relationship']);
  });
});

describe('GP registration faults', () => {
  const registrations = (...rows: string[]) => [fileFromText('gp.csv', ['nhs_number,practice_ods_code,registered_from,registered_to', `${NHS},Y99001,01/02/2015,`, ...rows].join('\r\n'))];

  it('an NHS number failing modulus 11 rejects the row, masked; the good row loads', async () => {
    const r = await parseAll(gpRegistrationParser, registrations(`${BAD_NHS},Y99001,01/02/2015,`));
    expect(r.issues).toEqual([expect.objectContaining({ source: 'gp-registration', rule: 'nhs-number-check-digit', outcome: 'rejected', where: { file: 'gp.csv', line: 3 }, field: 'nhs_number', value: '*******019' })]);
    expectNoPersonalValue(r.issues[0]!, BAD_NHS);
    expect(plain(r)).toEqual([{ kind: 'relationship', relationship: 'registered', child: { nhsNumber: NHS }, organisationCode: 'Y99001', startDate: '2015-02-01', endDate: null }]);
  });

  it.each([
    ['an ODS code that is not a practice', `${NHS},RZZ01,01/02/2016,`, { rule: 'invalid-ods-code', field: 'practice_ods_code', value: 'RZZ01' }],
    ['an NHS number of nine digits', '999000001,Y99002,01/02/2016,', { rule: 'nhs-number-invalid', field: 'nhs_number', value: '******001' }],
    ['a date that does not exist', `${NHS},Y99002,30/02/2016,`, { rule: 'invalid-date', field: 'registered_from', value: '30/02/2016' }],
    ['an end before the start', `${NHS},Y99002,2016-02-01,2016-01-01`, { rule: 'end-before-start', field: 'registered_to', value: '2016-01-01' }],
  ])('%s rejects the row with its rule and field', async (_label, row, expected) => {
    const r = await parseAll(gpRegistrationParser, registrations(row));
    expect(r.issues).toEqual([expect.objectContaining({ ...expected, outcome: 'rejected', where: { file: 'gp.csv', line: 3 } })]);
    expect(relationships(r)).toHaveLength(1);
  });

  it('NHS numbers written with spaces, ODS codes in lower case, ISO dates are accepted; counts add up', async () => {
    const rows = [`999 000 0026,y99002,2016-02-01,2017-03-04`, `${BAD_NHS},Y99001,01/02/2015,`, ',Y99001,01/02/2015,'];
    const r = await parseAll(gpRegistrationParser, registrations(...rows));
    expect(relationships(r)[1]).toEqual(expect.objectContaining({ child: { nhsNumber: '9990000026' }, organisationCode: 'Y99002', startDate: '2016-02-01', endDate: '2017-03-04' }));
    expect(relationships(r).length + r.issues.filter((i) => i.outcome === 'rejected').length).toBe(1 + rows.length);
  });
});
