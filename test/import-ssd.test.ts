// The SSD extract parser: the demo written as an SSD extract reads back as the same children,
// involvements and allocations; every structural and value rule gives exactly its issue, masked,
// while the good rows of the same file still come out. No database: parsers never touch one.
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AllocationIn, ChildIn, InvolvementIn } from '../src/imports/records.ts';
import { ImportFileRefused } from '../src/imports/sources/ssd/csv-table.ts';
import { ssdParser, writeSsdExtract } from '../src/imports/sources/ssd/index.ts';
import { addressLine, normalisePostcode, parseCpCategory } from '../src/imports/sources/ssd/values.ts';
import { demoCaseSystemId } from '../src/imports/values.ts';
import { generateDemoData, type DemoData } from '../src/seed/generate.ts';
import { dataLineCount, expectNoPersonalValue, fileFromDisk, fileFromText, parseAll, sortBy, withoutWhere, type ParseResult } from './support/import-files.ts';

describe('SSD extract round trip from the demo data', () => {
  let dir: string;
  let demo: DemoData;
  let files: string[];
  let result: ParseResult;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ssd-extract-'));
    demo = generateDemoData({ children: 300, referenceDate: '2026-11-23' });
    files = await writeSsdExtract(demo, dir);
    result = await parseAll(ssdParser, files.map(fileFromDisk));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('writes one file per SSD table, as SQL Server exports them (BOM, datetimes, NULL)', async () => {
    expect(files.map((f) => basename(f)).sort()).toEqual([
      'ssd_address.csv', 'ssd_cin_episodes.csv', 'ssd_cin_plans.csv', 'ssd_cla_episodes.csv', 'ssd_cla_reviews.csv', 'ssd_cp_plans.csv',
      'ssd_cp_reviews.csv', 'ssd_department.csv', 'ssd_involvements.csv', 'ssd_legal_status.csv', 'ssd_linked_identifiers.csv',
      'ssd_person.csv', 'ssd_professionals.csv',
    ]);
    expect(ssdParser.checkFiles(files.map((f) => basename(f)))).toEqual({ ok: true });
    const person = await readFile(join(dir, 'ssd_person.csv'), 'utf8');
    expect(person.startsWith('\uFEFFpers_legacy_id,pers_person_id,')).toBe(true);
    expect(person).toMatch(/,\d{4}-\d{2}-\d{2} 00:00:00\.000,/);
    expect(person).toContain(',NULL,');
  });

  it('reads back every child with the same details and identifiers, and reports nothing', () => {
    expect(result.issues).toEqual([]);
    const expected = demo.children.map((c, i) => ({
      kind: 'child', caseSystemId: demoCaseSystemId(i + 1), forename: c.forename, surname: c.surname, dateOfBirth: c.date_of_birth,
      gender: c.gender, upn: c.upn, nhsNumber: c.nhs_number ?? undefined, address: c.address, postcode: c.postcode, dateOfDeath: null,
    }));
    expect(withoutWhere<ChildIn>(result.records, 'child')).toEqual(expected);
  });

  it('reads back every involvement: kind, dates, CP category and next review (the SSD has none for CIN plans)', () => {
    const index = new Map(demo.children.map((c, i) => [c.id, demoCaseSystemId(i + 1)]));
    const expected = demo.involvements.map((inv) => ({
      kind: 'involvement', caseSystemId: index.get(inv.child_id), involvementKind: inv.kind, startDate: inv.start_date, endDate: inv.end_date,
      ...(inv.kind === 'child_protection' ? { cpCategory: inv.cp_category } : {}),
      ...(inv.kind !== 'child_in_need' ? { nextReviewDate: inv.next_review_date } : {}),
    }));
    const actual = withoutWhere<InvolvementIn>(result.records, 'involvement', ['episodeId']);
    expect(sortBy(actual, 'caseSystemId', 'startDate', 'involvementKind')).toEqual(sortBy(expected, 'caseSystemId', 'startDate', 'involvementKind'));
    const ids = result.records.filter((r): r is InvolvementIn => r.kind === 'involvement').map((r) => r.episodeId);
    expect(ids.every((id) => typeof id === 'string' && id !== '')).toBe(true);
    // Both the code and the description forms of a category were written and read.
    expect(demo.involvements.some((inv) => inv.kind === 'child_protection')).toBe(true);
  });

  it('reads back every allocation with the worker’s name, registration number and team', () => {
    const index = new Map(demo.children.map((c, i) => [c.id, demoCaseSystemId(i + 1)]));
    const workers = new Map(demo.social_workers.map((w) => [w.id, w]));
    const teams = new Map(demo.teams.map((t) => [t.id, t.name]));
    const expected = demo.allocations.map((a) => ({
      caseSystemId: index.get(a.child_id), name: workers.get(a.social_worker_id)!.name, team: teams.get(workers.get(a.social_worker_id)!.team_id),
      startDate: a.start_date, endDate: a.end_date,
    }));
    const allocations = result.records.filter((r): r is AllocationIn => r.kind === 'allocation');
    const actual = allocations.map((a) => ({ caseSystemId: a.caseSystemId, name: a.worker.name, team: a.worker.team, startDate: a.startDate, endDate: a.endDate }));
    expect(sortBy(actual, 'caseSystemId', 'startDate', 'name')).toEqual(sortBy(expected, 'caseSystemId', 'startDate', 'name'));
    expect(allocations.every((a) => /^SW\d{6}$/.test(a.worker.registrationNumber ?? ''))).toBe(true);
  });

  it('yields every child before any record about it, and counts add up file by file', async () => {
    const firstOther = result.records.findIndex((r) => r.kind !== 'child');
    expect(result.records.slice(firstOther).some((r) => r.kind === 'child')).toBe(false);
    for (const name of ['ssd_person.csv', 'ssd_cin_plans.csv', 'ssd_cp_plans.csv', 'ssd_cla_episodes.csv', 'ssd_involvements.csv']) {
      const rows = dataLineCount(await readFile(join(dir, name), 'utf8'));
      const yielded = result.records.filter((r) => r.where.file === name).length;
      const rejected = result.issues.filter((i) => i.where.file === name && i.outcome === 'rejected').length;
      expect(yielded + rejected, name).toBe(rows);
    }
    const sizes = await Promise.all(files.map((f) => stat(f).then((s) => s.size)));
    expect(result.bytes).toBe(sizes.reduce((a, b) => a + b, 0));
  });
});

// ---- fault fixtures ------------------------------------------------------------------------

// Valid identifiers (check letter / digit right) and a few wrong ones.
const UPN = 'X990200115001';
const UPN_2 = 'L990200115002';
const BAD_UPN = 'B990200115003'; // should be A
const NHS = '9990000018';
const BAD_NHS = '9990000019';

const base = {
  ssd_person: ['pers_person_id,pers_forename,pers_surname,pers_sex,pers_dob,pers_upn,pers_single_unique_id', `P1,Amelia,Zephyrine,F,2015-04-02 00:00:00.000,${UPN},${NHS}`],
  ssd_professionals: ['prof_professional_id,prof_professional_name,prof_social_worker_registration_no,prof_professional_department', 'W1,Priya Desai,SW123456,T1'],
  ssd_department: ['dept_team_id,dept_team_name', 'T1,Assessment Team North'],
  ssd_cin_plans: ['cinp_cin_plan_id,cinp_person_id,cinp_cin_plan_start_date,cinp_cin_plan_end_date', 'C1,P1,2024-01-10 00:00:00.000,2024-05-01 00:00:00.000'],
  ssd_cp_plans: ['cppl_cp_plan_id,cppl_person_id,cppl_cp_plan_start_date,cppl_cp_plan_end_date,cppl_cp_plan_initial_category,cppl_cp_plan_latest_category', 'CP1,P1,2024-05-01 00:00:00.000,NULL,NEG,Neglect'],
  ssd_cla_episodes: ['clae_cla_episode_id,clae_person_id,clae_cla_episode_start_date,clae_cla_episode_ceased_date', ''],
  ssd_involvements: ['invo_involvements_id,invo_professional_id,invo_professional_role_id,invo_professional_team,invo_person_id,invo_involvement_start_date,invo_involvement_end_date', 'I1,W1,CW,T1,P1,2024-01-10 00:00:00.000,'],
} satisfies Record<string, string[]>;
type Table = keyof typeof base | 'ssd_address' | 'ssd_linked_identifiers' | 'ssd_cp_reviews';

/** The base extract with rows added to (or a header and rows replacing) some of its files. */
function extract(add: Partial<Record<Table, string[]>> = {}, replace: Partial<Record<Table, string[]>> = {}) {
  const tables = new Set<Table>([...(Object.keys(base) as Table[]), ...(Object.keys(add) as Table[]), ...(Object.keys(replace) as Table[])]);
  return [...tables].map((table) => {
    const lines = replace[table] ?? [...((base as Partial<Record<Table, string[]>>)[table] ?? []), ...(add[table] ?? [])];
    return fileFromText(`${table}.csv`, lines.filter((l) => l !== '').join('\r\n') + '\r\n');
  });
}

const children = (r: ParseResult) => r.records.filter((x): x is ChildIn => x.kind === 'child');
const involvements = (r: ParseResult) => r.records.filter((x): x is InvolvementIn => x.kind === 'involvement');

describe('SSD extract faults', () => {
  it('the clean base extract loads one child, three records about it, no issues', async () => {
    const r = await parseAll(ssdParser, extract());
    expect(r.issues).toEqual([]);
    expect(children(r)).toEqual([expect.objectContaining({ caseSystemId: 'P1', upn: UPN, nhsNumber: NHS, gender: 'female', dateOfBirth: '2015-04-02' })]);
    expect(involvements(r).map((i) => [i.involvementKind, i.startDate, i.endDate, i.cpCategory])).toEqual([
      ['child_in_need', '2024-01-10', '2024-05-01', undefined],
      ['child_protection', '2024-05-01', null, 'NEG'],
    ]);
    expect(r.records.filter((x) => x.kind === 'allocation')).toEqual([expect.objectContaining({ caseSystemId: 'P1', worker: { caseSystemId: 'W1', name: 'Priya Desai', registrationNumber: 'SW123456', team: 'Assessment Team North' }, startDate: '2024-01-10', endDate: null })]);
  });

  it('an unparseable date of birth rejects the person, masked to the year, and the others still load', async () => {
    const r = await parseAll(ssdParser, extract({ ssd_person: ['P2,Bea,Quill,F,2015-13-45 00:00:00.000,,'] }));
    expect(r.issues).toEqual([expect.objectContaining({ rule: 'invalid-date', outcome: 'rejected', where: { file: 'ssd_person.csv', line: 3 }, caseSystemId: 'P2', field: 'pers_dob', value: '2015-**-**' })]);
    expectNoPersonalValue(r.issues[0]!, '2015-13-45', 'Bea', 'Quill');
    expect(children(r).map((c) => c.caseSystemId)).toEqual(['P1']);
  });

  it('an unborn child (expected date only) is refused with a reason', async () => {
    const r = await parseAll(ssdParser, extract({}, { ssd_person: [`${base.ssd_person[0]},pers_expected_dob`, `${base.ssd_person[1]},NULL`, 'P2,Baby,Quill,U,NULL,,,2027-01-01 00:00:00.000'] }));
    expect(r.issues).toEqual([expect.objectContaining({ rule: 'missing-value', outcome: 'rejected', where: { file: 'ssd_person.csv', line: 3 }, field: 'pers_dob' })]);
    expect(r.issues[0]!.message).toContain('unborn');
  });

  it('an unknown sex code is a warning; the child loads as not known', async () => {
    const r = await parseAll(ssdParser, extract({ ssd_person: ['P2,Bea,Quill,X,2015-01-01,,'] }));
    expect(r.issues).toEqual([expect.objectContaining({ rule: 'unknown-code', outcome: 'warning', where: { file: 'ssd_person.csv', line: 3 }, field: 'pers_sex', value: 'X' })]);
    expect(children(r).find((c) => c.caseSystemId === 'P2')?.gender).toBe('not_known');
  });

  it('a UPN with a wrong check letter is a warning (DfE 1510), masked, and left out', async () => {
    const r = await parseAll(ssdParser, extract({ ssd_person: [`P2,Bea,Quill,F,2015-01-01,${BAD_UPN},`] }));
    expect(r.issues).toEqual([expect.objectContaining({ rule: 'upn-check-letter', dfeRule: '1510', outcome: 'warning', where: { file: 'ssd_person.csv', line: 3 }, caseSystemId: 'P2', field: 'pers_upn', value: '**********003' })]);
    expectNoPersonalValue(r.issues[0]!, BAD_UPN);
    const child = children(r).find((c) => c.caseSystemId === 'P2')!;
    expect(child).toBeDefined();
    expect('upn' in child).toBe(false);
  });

  it('an NHS number failing modulus 11 is a warning, masked, and left out', async () => {
    const r = await parseAll(ssdParser, extract({ ssd_person: [`P2,Bea,Quill,F,2015-01-01,,${BAD_NHS}`] }));
    expect(r.issues).toEqual([expect.objectContaining({ rule: 'nhs-number-check-digit', outcome: 'warning', where: { file: 'ssd_person.csv', line: 3 }, field: 'pers_single_unique_id', value: '*******019' })]);
    expectNoPersonalValue(r.issues[0]!, BAD_NHS);
    expect(children(r).find((c) => c.caseSystemId === 'P2')?.nhsNumber).toBeUndefined();
  });

  it('a duplicate pers_person_id is rejected (DfE 8510); the first row is kept', async () => {
    const r = await parseAll(ssdParser, extract({ ssd_person: ['P1,Other,Person,M,2012-01-01,,'] }));
    expect(r.issues).toEqual([expect.objectContaining({ rule: 'duplicate-child', dfeRule: '8510', outcome: 'rejected', where: { file: 'ssd_person.csv', line: 3 }, caseSystemId: 'P1', field: 'pers_person_id' })]);
    expectNoPersonalValue(r.issues[0]!, 'Other', 'Person', '2012-01-01');
    expect(children(r)).toEqual([expect.objectContaining({ caseSystemId: 'P1', forename: 'Amelia' })]);
  });

  it('a CP plan ending before it starts is rejected (DfE 8925)', async () => {
    const r = await parseAll(ssdParser, extract({ ssd_cp_plans: ['CP2,P1,2023-06-01,2023-05-01,PHY,PHY'] }));
    expect(r.issues).toEqual([expect.objectContaining({ rule: 'end-before-start', dfeRule: '8925', outcome: 'rejected', where: { file: 'ssd_cp_plans.csv', line: 3 }, field: 'cppl_cp_plan_end_date', value: '2023-05-01' })]);
    expect(involvements(r).filter((i) => i.involvementKind === 'child_protection').map((i) => i.episodeId)).toEqual(['CP1']);
  });

  it('a CIN plan ending before it starts is rejected (DfE 4011)', async () => {
    const r = await parseAll(ssdParser, extract({ ssd_cin_plans: ['C2,P1,2023-06-01,2023-05-01'] }));
    expect(r.issues).toEqual([expect.objectContaining({ rule: 'end-before-start', dfeRule: '4011', where: { file: 'ssd_cin_plans.csv', line: 3 } })]);
  });

  it('overlapping CP plans for one child: the later one is rejected (DfE 8940)', async () => {
    const r = await parseAll(ssdParser, extract({ ssd_cp_plans: ['CP2,P1,2024-07-01,2024-09-01,EMO,EMO', 'CP3,P1,2023-01-01,2023-03-01,Emotional abuse,'] }));
    expect(r.issues).toEqual([expect.objectContaining({ rule: 'overlapping-cp-plans', dfeRule: '8940', outcome: 'rejected', where: { file: 'ssd_cp_plans.csv', line: 3 }, caseSystemId: 'P1', field: 'cppl_cp_plan_start_date', value: '2024-07-01' })]);
    expect(involvements(r).filter((i) => i.involvementKind === 'child_protection').map((i) => [i.episodeId, i.cpCategory])).toEqual([['CP1', 'NEG'], ['CP3', 'EMO']]);
  });

  it('an unknown category of abuse is a warning (DfE 8910); the plan loads without it', async () => {
    const r = await parseAll(ssdParser, extract({ ssd_cp_plans: ['CP2,P1,2023-01-01,2023-03-01,,Bullying'] }));
    expect(r.issues).toEqual([expect.objectContaining({ rule: 'unknown-code', dfeRule: '8910', outcome: 'warning', where: { file: 'ssd_cp_plans.csv', line: 3 }, field: 'cppl_cp_plan_latest_category', value: 'Bullying' })]);
    const plan = involvements(r).find((i) => i.episodeId === 'CP2')!;
    expect(plan).toBeDefined();
    expect('cpCategory' in plan).toBe(false);
  });

  it('an episode or allocation for a person not in ssd_person is rejected', async () => {
    const r = await parseAll(ssdParser, extract({ ssd_cla_episodes: ['CL1,P9,2024-01-01,'], ssd_involvements: ['I2,W1,CW,T1,P9,2024-01-01,'] }));
    expect(r.issues).toEqual([
      expect.objectContaining({ rule: 'unknown-child', outcome: 'rejected', where: { file: 'ssd_cla_episodes.csv', line: 2 }, caseSystemId: 'P9', field: 'clae_person_id' }),
      expect.objectContaining({ rule: 'unknown-child', outcome: 'rejected', where: { file: 'ssd_involvements.csv', line: 3 }, caseSystemId: 'P9', field: 'invo_person_id' }),
    ]);
  });

  it('an allocation to a worker not in ssd_professionals is rejected; other roles are not allocations', async () => {
    const r = await parseAll(ssdParser, extract({ ssd_involvements: ['I2,W9,CW,T1,P1,2024-02-01,', 'I3,W1,IRO,T1,P1,2024-02-01,', 'I4,W1,Allocated Case Worker,,P1,2023-01-01,2023-12-31'] }));
    expect(r.issues).toEqual([expect.objectContaining({ rule: 'unknown-professional', outcome: 'rejected', where: { file: 'ssd_involvements.csv', line: 3 }, field: 'invo_professional_id', value: 'W9' })]);
    const allocations = r.records.filter((x): x is AllocationIn => x.kind === 'allocation');
    // The Mosaic-style description counts; the team falls back to the worker's department.
    expect(allocations.map((a) => [a.startDate, a.worker.team])).toEqual([['2024-01-10', 'Assessment Team North'], ['2023-01-01', 'Assessment Team North']]);
  });

  it('an unparseable end date rejects the allocation', async () => {
    const r = await parseAll(ssdParser, extract({ ssd_involvements: ['I2,W1,CW,T1,P1,2024-02-01,31/02/2024'] }));
    expect(r.issues).toEqual([expect.objectContaining({ rule: 'invalid-date', outcome: 'rejected', where: { file: 'ssd_involvements.csv', line: 3 }, field: 'invo_involvement_end_date', value: '31/02/2024' })]);
  });

  it('a row with more cells than the header is rejected as malformed', async () => {
    const r = await parseAll(ssdParser, extract({ ssd_cin_plans: ['C2,P1,2023-01-01,2023-02-01,extra'] }));
    expect(r.issues).toEqual([expect.objectContaining({ rule: 'malformed-row', outcome: 'rejected', where: { file: 'ssd_cin_plans.csv', line: 3 } })]);
  });

  it('a header without a required column refuses the whole import with a clear message', async () => {
    const files = extract({}, { ssd_cla_episodes: ['clae_cla_episode_id,clae_person_id,clae_cla_episode_ceased_date', 'CL1,P1,'] });
    const error = await parseAll(ssdParser, files).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportFileRefused);
    expect((error as Error).message).toBe("ssd_cla_episodes.csv, line 1: the header row has no 'clae_cla_episode_start_date' column; nothing was loaded from this file");
  });

  it('a file that is not readable CSV (an unclosed quote) or is empty refuses the import, quoting no cell', async () => {
    const unclosed = await parseAll(ssdParser, extract({ ssd_person: ['P2,"Bea,Quill,F,2015-01-01,,'] })).catch((e: unknown) => e);
    expect(unclosed).toBeInstanceOf(ImportFileRefused);
    expect(unclosed).toMatchObject({ rule: 'unreadable-csv', file: 'ssd_person.csv' });
    expect((unclosed as Error).message).toMatch(/^ssd_person\.csv, line \d+: the file is not a readable CSV file \(Quote Not Closed\)$/);
    expect((unclosed as Error).message).not.toContain('Bea');
    const empty = await parseAll(ssdParser, extract({}, { ssd_cla_episodes: [] })).catch((e: unknown) => e);
    expect(empty).toMatchObject({ rule: 'empty-file', message: 'ssd_cla_episodes.csv: the file is empty: it needs a header row of column names' });
  });

  it('an unknown column is one warning for the file, however many rows', async () => {
    const files = extract({}, { ssd_person: [`${base.ssd_person[0]},pers_shoe_size`, `${base.ssd_person[1]},5`, 'P2,Bea,Quill,F,2015-01-01,,,6'] });
    const r = await parseAll(ssdParser, files);
    expect(r.issues).toEqual([expect.objectContaining({ rule: 'unknown-column', outcome: 'warning', where: { file: 'ssd_person.csv', line: 1 }, field: 'pers_shoe_size' })]);
    expect(children(r)).toHaveLength(2);
  });

  it('reads UTF-8 with a byte order mark, quoted cells with commas and line breaks, NULL and empty cells, any header case', async () => {
    const person = '\uFEFFPERS_PERSON_ID,Pers_Forename,pers_surname,pers_sex,pers_dob,pers_upn\r\nP1,"Zoë, Ann",O\'Neil,F,07/03/2015,NULL\r\n"P2","Mary\nJane","Smith ""Jr""",M,2014-01-02T00:00:00,\r\n\r\nP3,Al,Bo,M,2013-01-01,13/13/2013\r\n';
    const files = extract({}, { ssd_person: [] }).filter((f) => f.name !== 'ssd_person.csv');
    const r = await parseAll(ssdParser, [...files, fileFromText('SSD_Person.CSV', person)]);
    expect(children(r).map((c) => [c.caseSystemId, c.forename, c.surname, c.dateOfBirth, c.upn, c.where.line])).toEqual([
      ['P1', 'Zoë, Ann', "O'Neil", '2015-03-07', null, 2],
      ['P2', 'Mary\nJane', 'Smith "Jr"', '2014-01-02', null, 3],
      ['P3', 'Al', 'Bo', '2013-01-01', undefined, 6],
    ]);
    // After a two-line cell and an empty line, a row is still reported at its own line.
    expect(r.issues).toEqual([expect.objectContaining({ rule: 'upn-invalid', where: { file: 'SSD_Person.CSV', line: 6 }, field: 'pers_upn' })]);
  });

  it('the current address is the open one with the latest start; JSON, Mosaic text and postcodes read as one line', async () => {
    const r = await parseAll(ssdParser, extract({
      ssd_address: [
        'addr_person_id,addr_address_json,addr_address_postcode,addr_address_start_date,addr_address_end_date',
        'P1,"{""FLAT"": ""3"", ""HOUSE"": ""12"", ""STREET"": ""Mill Lane"", ""TOWN"": ""Northbridge"", ""UPRN"": ""1000""}",nb12ab,2020-01-01,',
        'P1,"1 Old Road, Northbridge, NB9 9ZZ",NB9 9ZZ,2022-01-01,2023-01-01',
        'P1,"{""HOUSE"": ""5"", ""STREET"": ""Dale View""}",NB2 3CD,2019-01-01,',
        'P7,"2 Nowhere, Northbridge",NB1 1AA,2020-01-01,',
      ],
    }));
    expect(children(r)[0]).toEqual(expect.objectContaining({ address: 'Flat 3, 12 Mill Lane, Northbridge', postcode: 'NB1 2AB' }));
    expect(r.issues).toEqual([expect.objectContaining({ rule: 'unknown-child', outcome: 'warning', where: { file: 'ssd_address.csv', line: 5 }, field: 'addr_person_id' })]);
    expect(addressLine('Flat 2, 7 Canal Wharf, Northbridge, NB3 4EF', 'NB3 4EF')).toBe('Flat 2, 7 Canal Wharf, Northbridge');
    expect(addressLine('{"ROOM":"","FLOOR":"","FLAT":"","BUILDING":"7","HOUSE":"7","STREET":"Canal Wharf","TOWN":"Northbridge"}', null)).toBe('7 Canal Wharf, Northbridge');
    expect(normalisePostcode('xxxxx')).toBeNull();
  });

  it('linked identifiers: NHS number and UPN when ssd_person has none, a former UPN kept, a bad one a masked warning', async () => {
    const r = await parseAll(ssdParser, extract({
      ssd_person: ['P2,Bea,Quill,F,2015-01-01,,'],
      ssd_linked_identifiers: [
        'link_person_id,link_identifier_type,link_identifier_value,link_valid_from_date,link_valid_to_date',
        `P2,NHS Number,${NHS.slice(0, 3)} ${NHS.slice(3, 6)} ${NHS.slice(6)},,`,
        `P2,Unique Pupil Number,${UPN_2},2020-09-01,`,
        `P2,Former Unique Pupil Number,${UPN},,`,
        `P2,Unique Pupil Number,${BAD_UPN},,`,
        'P2,Case Number,12345,,',
      ],
    }));
    expect(children(r).find((c) => c.caseSystemId === 'P2')).toEqual(expect.objectContaining({ nhsNumber: NHS, upn: UPN_2, formerUpns: [UPN] }));
    expect(r.issues).toEqual([expect.objectContaining({ rule: 'upn-check-letter', outcome: 'warning', where: { file: 'ssd_linked_identifiers.csv', line: 5 }, caseSystemId: 'P2', field: 'link_identifier_value', value: '**********003' })]);
  });

  it('a failed pers_upn gives way to the current linked UPN', async () => {
    const r = await parseAll(ssdParser, extract({
      ssd_person: [`P2,Bea,Quill,F,2015-01-01,${BAD_UPN},`],
      ssd_linked_identifiers: ['link_person_id,link_identifier_type,link_identifier_value', `P2,Unique Pupil Number,${UPN_2}`],
    }));
    expect(r.issues.map((i) => [i.rule, i.field])).toEqual([['upn-check-letter', 'pers_upn']]);
    expect(children(r).find((c) => c.caseSystemId === 'P2')?.upn).toBe(UPN_2);
  });

  it('next review: the earliest review due and not yet held, for open plans only', async () => {
    const r = await parseAll(ssdParser, extract({
      ssd_cp_reviews: ['cppr_cp_plan_id,cppr_cp_review_due,cppr_cp_review_date', 'CP1,2024-08-01,2024-08-01', 'CP1,2025-02-01,', 'CP1,2024-11-01,'],
    }));
    expect(involvements(r).find((i) => i.episodeId === 'CP1')?.nextReviewDate).toBe('2024-11-01');
  });

  it('counts add up: records yielded plus rows rejected is the rows read, in a file with every kind of fault', async () => {
    const rows = ['P2,Bea,Quill,F,2015-13-45,,', 'P1,Dup,Row,M,2012-01-01,,', `P3,Cy,Rose,Q,2016-01-01,${BAD_UPN},${BAD_NHS}`, 'P4,Di,Fern,F,2017-01-01,,,extra,cells', 'P5,,Blank,F,2017-01-01,,'];
    const r = await parseAll(ssdParser, extract({ ssd_person: rows }));
    const fromPerson = r.records.filter((x) => x.where.file === 'ssd_person.csv').length;
    const rejected = r.issues.filter((i) => i.where.file === 'ssd_person.csv' && i.outcome === 'rejected').length;
    expect(fromPerson + rejected).toBe(1 + rows.length);
    expect(children(r).map((c) => c.caseSystemId)).toEqual(['P1', 'P3']);
  });
});

describe('SSD file names', () => {
  it('accepts the tables in any case and refuses unknown names, duplicates and missing tables with a clear message', () => {
    const names = ['SSD_PERSON.csv', 'ssd_cin_plans.CSV', 'ssd_cp_plans.csv', 'ssd_cla_episodes.csv', 'ssd_involvements.csv', 'ssd_professionals.csv'];
    expect(ssdParser.checkFiles(names)).toEqual({ ok: true });
    const unknown = ssdParser.checkFiles([...names, 'ssd_contacts.csv', 'people.xlsx']);
    expect(unknown).toEqual({ ok: false, message: expect.stringMatching(/^ssd_contacts\.csv, people\.xlsx: not files of an SSD table the portal reads/) });
    expect(ssdParser.checkFiles([...names, 'ssd_person.csv'])).toEqual({ ok: false, message: 'More than one file for ssd_person: give one file per SSD table.' });
    expect(ssdParser.checkFiles(names.filter((n) => n !== 'ssd_involvements.csv'))).toEqual({ ok: false, message: expect.stringContaining('The extract has no ssd_involvements.csv') });
    expect(ssdParser.snapshotOf).toEqual(['child', 'involvement', 'allocation']);
  });

  it('maps CP categories written as codes or as descriptions', () => {
    expect(['NEG', 'Neglect', 'Physical abuse', 'Sexual Abuse', 'emotional abuse', 'Multiple Categories of Abuse', 'Multiple (includes category not recorded)', 'MUL'].map(parseCpCategory))
      .toEqual(['NEG', 'NEG', 'PHY', 'SAB', 'EMO', 'MUL', 'MUL', 'MUL']);
    expect(parseCpCategory('Bullying')).toBeUndefined();
  });
});

describe('SSD extract streaming', () => {
  it('yields children while ssd_person is still being read: a million-row file is never held whole', async () => {
    const rows = 1_000_000;
    let produced = 0;
    // A lazily produced ssd_person of about 60 MB: rows are made only as the parser asks for them.
    const person = {
      name: 'ssd_person.csv',
      open: () => Readable.from((function* () {
        yield 'pers_person_id,pers_forename,pers_surname,pers_sex,pers_dob\r\n';
        for (let n = 1; n <= rows; n++, produced++) yield `P${n},Forename${n},Surname${n},F,2015-01-01 00:00:00.000\r\n`;
      })()),
    };
    const files = [...extract().filter((f) => f.name !== 'ssd_person.csv'), person];
    let bytes = 0;
    let children = 0;
    for await (const record of ssdParser.parse(files, { issue: () => {}, progress: (b) => (bytes = b) })) {
      if (record.kind === 'child' && ++children === 1000) break;
    }
    expect(children).toBe(1000);
    // Only a little of the file was read (stream buffers), not the whole of it.
    expect(produced).toBeLessThan(rows / 10);
    expect(bytes).toBeLessThan(6_000_000);
  });
});
