// The SSDA903 source: the demo written as a 903 header and episodes file reads back as the same
// children and periods of care; a file set with one fault of each kind gives exactly the
// expected report, loads its good records and adds up; files are told apart by their header
// row, not their names.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateDemoData } from '../src/seed/generate.ts';
import { ssda903Parser, writeSsda903, Ssda903FileError } from '../src/imports/sources/ssda903/index.ts';
import { demoCaseSystemId, maskValue } from '../src/imports/values.ts';
import { upnCheckLetter } from '../src/identifiers/upn.ts';
import { canonical, fileFromDisk, fileFromText, parseFiles } from './support/import-parse.ts';

const dir = mkdtempSync(join(tmpdir(), 'ssda903-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the demo data as an SSDA903 return', () => {
  it('reads back as the same children and looked-after periods, episodes joined into periods of care', async () => {
    const demo = generateDemoData({ children: 300, referenceDate: '2026-11-30' });
    const files = await writeSsda903(demo, dir);
    const parsed = await parseFiles(ssda903Parser, files.map(fileFromDisk));
    expect(parsed.issues).toEqual([]);

    const children: unknown[] = [];
    const periods: unknown[] = [];
    demo.children.forEach((child, i) => {
      const caseSystemId = demoCaseSystemId(i + 1);
      const looked = demo.involvements.filter((v) => v.child_id === child.id && v.kind === 'looked_after');
      if (looked.length === 0) return;
      children.push({
        kind: 'child', caseSystemId, dateOfBirth: child.date_of_birth,
        // SEX U (not known) is left out rather than stored.
        ...(child.gender === 'male' || child.gender === 'female' ? { gender: child.gender } : {}),
        ...(child.upn ? { upn: child.upn } : {}),
      });
      for (const v of looked) periods.push({ kind: 'involvement', caseSystemId, involvementKind: 'looked_after', startDate: v.start_date, endDate: v.end_date });
    });
    // Every child comes before any period (the header file is read first, periods at the end).
    expect(canonical(parsed.records)).toEqual([...children, ...periods]);
    expect(periods.length).toBeGreaterThan(20);
    expect(parsed.records[0]!.where).toEqual({ file: 'header.csv', line: 2 });
    expect(parsed.records.at(-1)!.where.file).toBe('episodes.csv');
    // Progress counts every byte of both files.
    expect(parsed.bytes).toBe(statSync(files[0]!).size + statSync(files[1]!).size);
  });
});

// ---- a file set with one fault of each kind ----------------------------------------------------

const body = '990200012345';
const goodUpn = upnCheckLetter(body)! + body;
const badUpn = (goodUpn[0] === 'A' ? 'B' : 'A') + body;
const header = [
  'CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB,EXTRA',
  `A1,M,01/02/2012,WBRI,${goodUpn},,,x`,
  'A1,F,01/02/2013,WBRI,,0,,',
  ',M,03/03/2013,WBRI,,,,',
  `B1,7,31/02/2014,WBRI,${badUpn},,,`,
  'C1,2,05/06/2015,WBRI,UN2,0,,',
  `D1,F,07/08/2016,WBRI,${goodUpn},0,,`,
].join('\r\n');
// Columns in another order than DfE's: they are read by name.
const episodeRow = (child: string, decom: string, rne: string, ls: string, dec: string, rec: string) =>
  [rec, dec, child, decom, rne, ls, 'N1', 'U4', 'PR1', '', 'NB1 2', 'NB1 1', 'XXXXXXX'].join(',');
const episodes = [
  'REC,DEC,CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN',
  episodeRow('A1', '01/04/2024', 'S', 'C2', '01/07/2024', 'X1'), // 2: joined with the next
  episodeRow('A1', '01/07/2024', 'P', 'ZZ', '01/10/2024', 'E4A'), // 3: unknown LS, still joined
  episodeRow('A1', '01/01/2025', 'Q', 'C2', '', ''), // 4: unknown RNE, an open period
  episodeRow('A1', '01/02/2025', 'S', 'C2', '01/03/2025', 'E4A'), // 5: starts while 4 is open
  episodeRow('C1', '32/01/2025', 'S', 'C2', '', ''), // 6: no such date
  episodeRow('C1', '01/01/2025', 'S', 'C2', '01/12/2024', 'E4A'), // 7: ends before it starts
  episodeRow('C1', '01/01/2025', 'S', 'C2', '01/03/2025', 'ZZZ'), // 8: unknown reason ceased
  episodeRow('C1', '01/01/2025', 'S', 'C2', '01/02/2025', ''), // 9: an end date without a reason
  episodeRow('C1', '10/01/2025', 'S', 'C2', '01/02/2025', 'X1'), // 10: X1 but nothing follows
  episodeRow('C1', '15/01/2025', 'S', 'C2', '20/01/2025', 'E4A'), // 11: overlaps 10
  episodeRow('Z9', '01/01/2025', 'S', 'C2', '', ''), // 12: not in the header
  episodeRow('', '01/01/2025', 'S', 'C2', '', ''), // 13: no child id
  episodeRow('D1', '01/05/2025', 'S', 'V2', '02/05/2025', 'E8'), // 14: good
  episodeRow('D1', '01/06/2025', 'S', 'V2', '31/06/2025', 'E8'), // 15: no such date
].join('\n') + '\n';

const faultyFiles = () => [fileFromText('903_header.csv', header), fileFromText('903_episodes.csv', episodes)];

describe('a 903 return with one fault of each kind', () => {
  it('reports each fault once, with its rule, DfE rule, line, field and masked value', async () => {
    const parsed = await parseFiles(ssda903Parser, faultyFiles());
    const report = parsed.issues.map(({ where, caseSystemId, rule, dfeRule, field, value, outcome }) => [where.file, where.line, caseSystemId, rule, dfeRule, field, value, outcome]);
    const H = '903_header.csv';
    const E = '903_episodes.csv';
    expect(report).toEqual([
      [H, 1, null, 'unknown-column', null, 'EXTRA', null, 'warning'],
      [H, 3, 'A1', 'duplicate-child', 'INT32', 'CHILD', 'A1', 'rejected'],
      [H, 4, null, 'missing-value', null, 'CHILD', null, 'rejected'],
      [H, 5, 'B1', 'unknown-code', '101', 'SEX', '7', 'warning'],
      [H, 5, 'B1', 'invalid-date', '102', 'DOB', '2014-**-**', 'warning'],
      [H, 5, 'B1', 'upn-check-letter', '168', 'UPN', maskValue('upn', badUpn), 'warning'],
      [H, 7, 'D1', 'duplicate-upn', null, 'UPN', maskValue('upn', goodUpn), 'warning'],
      [E, 3, 'A1', 'unknown-code', '144', 'LS', 'ZZ', 'warning'],
      [E, 4, 'A1', 'unknown-code', '143', 'RNE', 'Q', 'warning'],
      [E, 6, 'C1', 'invalid-date', '141', 'DECOM', '32/01/2025', 'rejected'],
      [E, 7, 'C1', 'end-before-start', '356', 'DEC', '01/12/2024', 'rejected'],
      [E, 8, 'C1', 'unknown-code', '149', 'REC', 'ZZZ', 'rejected'],
      [E, 9, 'C1', 'incomplete-end', '148', 'REC', null, 'rejected'],
      [E, 13, null, 'missing-value', null, 'CHILD', null, 'rejected'],
      [E, 15, 'D1', 'invalid-date', '147', 'DEC', '31/06/2025', 'rejected'],
      [E, 5, 'A1', 'overlapping-episodes', '142', 'DECOM', '2025-02-01', 'rejected'],
      [E, 11, 'C1', 'overlapping-episodes', '501', 'DECOM', '2025-01-15', 'rejected'],
      [E, 10, 'C1', 'no-continuation', '388', 'REC', 'X1', 'warning'],
      [E, 12, 'Z9', 'unknown-child', 'INT03', 'CHILD', 'Z9', 'rejected'],
    ]);
    expect(parsed.issues.every((i) => i.source === 'ssda903' && i.message.length > 10)).toBe(true);
    const shown = JSON.stringify(parsed.issues);
    for (const personal of ['01/02/2012', '01/02/2013', '03/03/2013', '31/02/2014', '05/06/2015', goodUpn, badUpn, body]) expect(shown).not.toContain(personal);
  });

  it('still loads the good records, and the counts add up', async () => {
    const parsed = await parseFiles(ssda903Parser, faultyFiles());
    const period = (caseSystemId: string, startDate: string, endDate: string | null) => ({ kind: 'involvement', caseSystemId, involvementKind: 'looked_after', startDate, endDate });
    expect(canonical(parsed.records)).toEqual([
      { kind: 'child', caseSystemId: 'A1', gender: 'male', dateOfBirth: '2012-02-01', upn: goodUpn },
      { kind: 'child', caseSystemId: 'B1' },
      { kind: 'child', caseSystemId: 'C1', gender: 'female', dateOfBirth: '2015-06-05' },
      { kind: 'child', caseSystemId: 'D1', gender: 'female', dateOfBirth: '2016-08-07' },
      // Lines 2 and 3 joined by X1; line 4 open; line 5 rejected.
      period('A1', '2024-04-01', '2024-10-01'),
      period('A1', '2025-01-01', null),
      period('C1', '2025-01-10', '2025-02-01'),
      period('D1', '2025-05-01', '2025-05-02'),
    ]);
    expect(parsed.records.find((r) => r.kind === 'involvement')!.where).toEqual({ file: '903_episodes.csv', line: 2 });
    // Read = 8 records + 11 rejected rows; the 8 warnings are about records that were loaded.
    expect(parsed.rejected).toHaveLength(11);
    expect(parsed.records.length + parsed.rejected.length).toBe(19);
    expect(parsed.warnings).toHaveLength(8);
  });
});

describe('telling the files apart', () => {
  it('goes by the header row, whatever the names and order', async () => {
    const named = await parseFiles(ssda903Parser, faultyFiles());
    const anonymous = await parseFiles(ssda903Parser, [fileFromText('b.csv', episodes), fileFromText('a.csv', header)]);
    expect(canonical(anonymous.records)).toEqual(canonical(named.records));
    expect(anonymous.rejected).toHaveLength(named.rejected.length);
  });

  it('skips the other 903 tables with a warning, and stops at a file that is no 903 table', async () => {
    const oc3 = fileFromText('oc3.csv', 'CHILD,DOB,IN_TOUCH,ACTIV,ACCOM\nA1,01/02/2012,YES,F2,S2\n');
    const parsed = await parseFiles(ssda903Parser, [oc3, ...faultyFiles()]);
    expect(parsed.issues[0]).toMatchObject({ where: { file: 'oc3.csv', line: 1 }, rule: 'table-not-read', field: 'OC3', outcome: 'warning' });
    expect(parsed.records).toHaveLength(8);

    const wrong = fileFromText('episodes.csv', 'CHILD,DEC,REC\nA1,01/01/2025,E8\n');
    await expect(parseFiles(ssda903Parser, [wrong])).rejects.toThrow(Ssda903FileError);
    await expect(parseFiles(ssda903Parser, [wrong])).rejects.toThrow(/episodes\.csv: the first row is not the column names of an SSDA903 table \(an Episodes file needs .*; missing DECOM, RNE, LS/);
    await expect(parseFiles(ssda903Parser, [fileFromText('header.csv', '')])).rejects.toThrow(/header\.csv is empty/);
    const unclosed = fileFromText('header.csv', 'CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\nA1,M,"01/02/2012,WBRI,,,\n');
    await expect(parseFiles(ssda903Parser, [unclosed])).rejects.toThrow(/header\.csv cannot be read as CSV at line \d+ \(CSV_/);
  });

  it('accepts only CSV files, and ends nothing by absence', () => {
    expect(ssda903Parser.checkFiles(['header.csv', 'Episodes.CSV'])).toEqual({ ok: true });
    expect(ssda903Parser.checkFiles(['903.xml'])).toEqual({ ok: false, message: expect.stringMatching(/903\.xml is not an SSDA903 file/) });
    expect(ssda903Parser.checkFiles([])).toMatchObject({ ok: false });
    expect(ssda903Parser.snapshotOf).toEqual([]);
  });
});
