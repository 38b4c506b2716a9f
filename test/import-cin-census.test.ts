// The CIN census source: the demo written as a census reads back as the same children and
// involvements; a file with one fault of each kind gives exactly the expected report, loads its
// good records and adds up; broken XML stops with where; the file is streamed, not loaded.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { generateDemoData } from '../src/seed/generate.ts';
import { cinCensusParser, writeCinCensus, CensusFileError } from '../src/imports/sources/cin-census/index.ts';
import { demoCaseSystemId, maskValue } from '../src/imports/values.ts';
import { upnCheckLetter } from '../src/identifiers/upn.ts';
import type { ImportRecord } from '../src/imports/records.ts';
import { canonical, fileFromDisk, fileFromText, parseFiles } from './support/import-parse.ts';

const dir = mkdtempSync(join(tmpdir(), 'cin-census-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the demo data as a CIN census', () => {
  it('reads back as the same children and child-in-need and child-protection involvements', async () => {
    const demo = generateDemoData({ children: 300, referenceDate: '2026-11-30' });
    const files = await writeCinCensus(demo, dir);
    const parsed = await parseFiles(cinCensusParser, files.map(fileFromDisk));
    expect(parsed.issues).toEqual([]);

    const expected: unknown[] = [];
    demo.children.forEach((child, i) => {
      const caseSystemId = demoCaseSystemId(i + 1);
      const involvements = demo.involvements.filter((v) => v.child_id === child.id && v.kind !== 'looked_after');
      if (involvements.length === 0) return;
      expected.push({
        kind: 'child', caseSystemId, dateOfBirth: child.date_of_birth, dateOfDeath: null,
        // The census's Sex is M, F or U, and U (not known) is left out rather than stored.
        ...(child.gender === 'male' || child.gender === 'female' ? { gender: child.gender } : {}),
        ...(child.upn ? { upn: child.upn } : {}),
      });
      for (const v of [...involvements].sort((a, b) => (a.start_date < b.start_date ? -1 : 1))) {
        expected.push({
          kind: 'involvement', caseSystemId, involvementKind: v.kind, startDate: v.start_date, endDate: v.end_date,
          ...(v.kind === 'child_protection' ? { cpCategory: v.cp_category } : {}),
        });
      }
    });
    expect(expected.filter((r) => (r as { involvementKind?: string }).involvementKind === 'child_protection').length).toBeGreaterThan(20);
    expect(canonical(parsed.records)).toEqual(expected);
    // Every record says where it came from, by element path.
    expect(parsed.records[0]!.where).toEqual({ file: 'cin-census.xml', path: 'Message/Children/Child[1]' });
    expect(parsed.records.every((r) => /^Message\/Children\/Child\[\d+\]/.test(r.where.path ?? ''))).toBe(true);
    // Progress counts every byte of the file.
    expect(parsed.bytes).toBe(statSync(files[0]!).size);
  });
});

// ---- a file with one fault of each kind -------------------------------------------------------

const body = '990200012345';
const goodUpn = upnCheckLetter(body)! + body;
const badUpn = (goodUpn[0] === 'A' ? 'B' : 'A') + body;
const child = (identifiers: string, ...details: string[]) =>
  `<Child><ChildIdentifiers>${identifiers}</ChildIdentifiers><ChildCharacteristics><Ethnicity>NOBT</Ethnicity></ChildCharacteristics>${details.join('')}</Child>`;
const cin = (fields: string, ...plans: string[]) => `<CINdetails>${fields}${plans.join('')}</CINdetails>`;
const plan = (start: string, end: string | null, latest: string, initial = latest) =>
  `<ChildProtectionPlans><CPPstartDate>${start}</CPPstartDate>${end ? `<CPPendDate>${end}</CPPendDate>` : ''}<InitialCategoryOfAbuse>${initial}</InitialCategoryOfAbuse><LatestCategoryOfAbuse>${latest}</LatestCategoryOfAbuse><Reviews><CPPreviewDate>${start}</CPPreviewDate></Reviews></ChildProtectionPlans>`;
const census = (...children: string[]) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<Message>\n<Header><CollectionDetails><Collection>CIN</Collection><Year>2026</Year><ReferenceDate>2026-03-31</ReferenceDate></CollectionDetails></Header>\n<Children>\n${children.join('\n')}\n</Children>\n</Message>\n`;

const faulty = census(
  child(`<LAchildID>GOOD1</LAchildID><UPN>${goodUpn}</UPN><PersonBirthDate>2013-05-06</PersonBirthDate><Sex>F</Sex>`,
    cin('<CINreferralDate>2025-04-01</CINreferralDate><ReferralSource>1A</ReferralSource><PrimaryNeedCode>N1</PrimaryNeedCode>', plan('2025-05-01', null, 'NEG'))),
  child('<PersonBirthDate>2014-01-01</PersonBirthDate><Sex>M</Sex>', cin('<CINreferralDate>2025-04-01</CINreferralDate>')),
  child('<LAchildID>GOOD1</LAchildID><PersonBirthDate>2013-05-06</PersonBirthDate>', cin('<CINreferralDate>2025-04-02</CINreferralDate>')),
  child(`<LAchildID>BADUPN</LAchildID><UPN>${badUpn}</UPN><PersonBirthDate>2012-03-04</PersonBirthDate><Sex>M</Sex>`,
    cin('<CINreferralDate>2024-06-01</CINreferralDate><CINclosureDate>2024-09-01</CINclosureDate><ReasonForClosure>RC1</ReasonForClosure>')),
  child('<LAchildID>DATES</LAchildID><PersonBirthDate>2015-02-31</PersonBirthDate><GenderCurrent>2</GenderCurrent>',
    cin('<CINreferralDate>yesterday</CINreferralDate>'), cin('<CINreferralDate>2025-01-10</CINreferralDate>')),
  child('<LAchildID>CODES</LAchildID><PersonBirthDate>2016-07-08</PersonBirthDate><Sex>X</Sex>',
    cin('<CINreferralDate>2025-02-01</CINreferralDate><ReferralSource>ZZ</ReferralSource>', plan('2025-03-01', null, 'XXX', 'NEG'))),
  child('<LAchildID>OVERLAP</LAchildID><PersonBirthDate>2017-09-10</PersonBirthDate>',
    cin('<CINreferralDate>2025-01-01</CINreferralDate>', plan('2025-01-01', '2025-06-01', 'EMO'), plan('2025-03-01', null, 'PHY'))),
  child('<LAchildID>ENDBEFORE</LAchildID><PersonBirthDate>2018-11-12</PersonBirthDate><Sex>U</Sex>',
    cin('<CINreferralDate>2025-05-01</CINreferralDate><CINclosureDate>2025-04-01</CINclosureDate>', plan('2025-05-10', '2025-05-02', 'SAB'))),
  child('<LAchildID>UNK1</LAchildID><PersonBirthDate>2019-01-02</PersonBirthDate><Nickname>Zoë Bobby</Nickname>',
    cin('<CINreferralDate>2025-07-01</CINreferralDate>')).replace('</Child>', '<Extra><LAchildID>X</LAchildID></Extra></Child>'),
  child(`<LAchildID>EPISODES</LAchildID><UPN>${goodUpn}</UPN><PersonBirthDate>2019-03-04</PersonBirthDate>`,
    cin('<CINreferralDate>2025-01-01</CINreferralDate><CINclosureDate>2025-03-01</CINclosureDate><ReasonForClosure>RC7</ReasonForClosure>'),
    cin('<CINreferralDate>2025-02-01</CINreferralDate>'),
    cin('<CINreferralDate>2025-04-01</CINreferralDate><CINclosureDate>2025-04-01</CINclosureDate><ReasonForClosure>RC8</ReasonForClosure><ReferralNFA>true</ReferralNFA>')),
);

const C = 'Message/Children/Child';
describe('a census with one fault of each kind', () => {
  it('reports each fault once, with its rule, DfE rule, path, field and masked value', async () => {
    const parsed = await parseFiles(cinCensusParser, [fileFromText('faulty.xml', faulty)]);
    const report = parsed.issues.map(({ source, where, caseSystemId, rule, dfeRule, field, value, outcome }) =>
      ({ source, path: where.path, file: where.file, caseSystemId, rule, dfeRule, field, value, outcome }));
    const at = (path: string, caseSystemId: string | null, rule: string, dfeRule: string | null, field: string, value: string | null, outcome: string) =>
      ({ source: 'cin-census', file: 'faulty.xml', path, caseSystemId, rule, dfeRule, field, value, outcome });
    expect(report).toEqual([
      at(`${C}[2]`, null, 'missing-value', '8500', 'LAchildID', null, 'rejected'),
      at(`${C}[3]`, 'GOOD1', 'duplicate-child', '8510', 'LAchildID', 'GOOD1', 'rejected'),
      at(`${C}[4]`, 'BADUPN', 'upn-check-letter', '1510', 'UPN', maskValue('upn', badUpn), 'warning'),
      at(`${C}[5]`, 'DATES', 'invalid-date', null, 'PersonBirthDate', '2015-**-**', 'warning'),
      at(`${C}[5]/CINdetails[1]`, 'DATES', 'invalid-date', '8600', 'CINreferralDate', 'yesterday', 'rejected'),
      at(`${C}[6]`, 'CODES', 'unknown-code', '4180', 'Sex', 'X', 'warning'),
      at(`${C}[6]/CINdetails[1]/ChildProtectionPlans[1]`, 'CODES', 'unknown-code', '8910', 'LatestCategoryOfAbuse', 'XXX', 'rejected'),
      at(`${C}[6]/CINdetails[1]`, 'CODES', 'unknown-code', '8866', 'ReferralSource', 'ZZ', 'warning'),
      at(`${C}[7]/CINdetails[1]/ChildProtectionPlans[2]`, 'OVERLAP', 'overlapping-cp-plans', '8940', 'CPPstartDate', '2025-03-01', 'rejected'),
      at(`${C}[8]/CINdetails[1]/ChildProtectionPlans[1]`, 'ENDBEFORE', 'end-before-start', '8925', 'CPPendDate', '2025-05-02', 'rejected'),
      at(`${C}[8]/CINdetails[1]`, 'ENDBEFORE', 'end-before-start', '8630', 'CINclosureDate', '2025-04-01', 'rejected'),
      at(`${C}[9]/ChildIdentifiers/Nickname`, null, 'unknown-element', null, 'Nickname', null, 'warning'),
      at(`${C}[9]/Extra`, null, 'unknown-element', null, 'Extra', null, 'warning'),
      at(`${C}[10]`, 'EPISODES', 'duplicate-upn', '1520', 'UPN', maskValue('upn', goodUpn), 'warning'),
      at(`${C}[10]/CINdetails[3]`, 'EPISODES', 'no-further-action', null, 'ReferralNFA', 'true', 'warning'),
      at(`${C}[10]/CINdetails[2]`, 'EPISODES', 'overlapping-episodes', '8820', 'CINreferralDate', '2025-02-01', 'rejected'),
    ]);
    expect(parsed.issues.every((i) => i.message.length > 10)).toBe(true);
    // No date of birth, UPN or unknown element's content is shown unmasked anywhere in the report.
    const shown = JSON.stringify(parsed.issues);
    for (const personal of ['2014-01-01', '2013-05-06', '2012-03-04', '2015-02-31', goodUpn, badUpn, 'Bobby']) expect(shown).not.toContain(personal);
  });

  it('still loads the good records, and the counts add up', async () => {
    const parsed = await parseFiles(cinCensusParser, [fileFromText('faulty.xml', faulty)]);
    const involvement = (caseSystemId: string, involvementKind: string, startDate: string, endDate: string | null, cpCategory?: string) =>
      ({ kind: 'involvement', caseSystemId, involvementKind, startDate, endDate, ...(cpCategory ? { cpCategory } : {}) });
    const childIn = (caseSystemId: string, extra: Record<string, unknown>) => ({ kind: 'child', caseSystemId, dateOfDeath: null, ...extra });
    expect(canonical(parsed.records)).toEqual([
      childIn('GOOD1', { dateOfBirth: '2013-05-06', gender: 'female', upn: goodUpn }),
      // Referral then plan: child in need until the plan starts, child protection from then.
      involvement('GOOD1', 'child_in_need', '2025-04-01', '2025-05-01'),
      involvement('GOOD1', 'child_protection', '2025-05-01', null, 'NEG'),
      // The bad UPN is left out; the child and the episode are loaded.
      childIn('BADUPN', { dateOfBirth: '2012-03-04', gender: 'male' }),
      involvement('BADUPN', 'child_in_need', '2024-06-01', '2024-09-01'),
      childIn('DATES', { gender: 'female' }),
      involvement('DATES', 'child_in_need', '2025-01-10', null),
      childIn('CODES', { dateOfBirth: '2016-07-08' }),
      involvement('CODES', 'child_in_need', '2025-02-01', null),
      childIn('OVERLAP', { dateOfBirth: '2017-09-10' }),
      involvement('OVERLAP', 'child_protection', '2025-01-01', '2025-06-01', 'EMO'),
      involvement('OVERLAP', 'child_in_need', '2025-06-01', null),
      // Sex U (not known) leaves gender out.
      childIn('ENDBEFORE', { dateOfBirth: '2018-11-12' }),
      childIn('UNK1', { dateOfBirth: '2019-01-02' }),
      involvement('UNK1', 'child_in_need', '2025-07-01', null),
      childIn('EPISODES', { dateOfBirth: '2019-03-04' }),
      involvement('EPISODES', 'child_in_need', '2025-01-01', '2025-03-01'),
    ]);
    // Read = yielded + rejected: 17 records and 8 rejected (two children, three episodes and
    // three plans with bad dates, codes or overlaps). Warnings are not records.
    expect(parsed.records.length + parsed.rejected.length).toBe(25);
    expect(parsed.rejected).toHaveLength(8);
    expect(parsed.warnings).toHaveLength(8);
  });
});

describe('files that are not a census', () => {
  it('stops at XML that is not well formed, saying the file, line and column, after the children before it', async () => {
    const broken = census(child('<LAchildID>OK1</LAchildID>', cin('<CINreferralDate>2025-01-01</CINreferralDate>'))).replace('</Children>', '<Child><ChildIdentifiers></Child>\n</Children>');
    const records: ImportRecord[] = [];
    let error: unknown;
    try {
      for await (const r of cinCensusParser.parse([fileFromText('broken.xml', broken)], { issue: () => {}, progress: () => {} })) records.push(r);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CensusFileError);
    expect((error as CensusFileError).line).toBe(6);
    expect((error as Error).message).toMatch(/^broken\.xml cannot be read at line 6, column \d+: the XML is not well formed \(/);
    expect(records.map((r) => (r as { caseSystemId: string }).caseSystemId)).toEqual(['OK1', 'OK1']);
  });

  it('refuses a file whose root is not <Message>, and files that are not XML', async () => {
    await expect(parseFiles(cinCensusParser, [fileFromText('other.xml', '<Pupils></Pupils>')])).rejects.toThrow(/not a CIN census file/);
    const schoolCensus = '<Message><Header><CollectionDetails><Collection>SCHOOL CENSUS</Collection></CollectionDetails></Header><Pupils/></Message>';
    await expect(parseFiles(cinCensusParser, [fileFromText('school.xml', schoolCensus)])).rejects.toThrow(/the collection is "SCHOOL CENSUS", not CIN/);
    expect(cinCensusParser.checkFiles(['census.csv'])).toEqual({ ok: false, message: expect.stringMatching(/census\.csv is not a CIN census file/) });
    expect(cinCensusParser.checkFiles([])).toMatchObject({ ok: false });
    expect(cinCensusParser.checkFiles(['CIN_Census_2026.XML'])).toEqual({ ok: true });
    expect(cinCensusParser.snapshotOf).toEqual([]);
  });
});

describe('streaming', () => {
  it('yields the first child long before the file has been read to the end', async () => {
    const total = 5_000;
    let produced = 0;
    function* pieces() {
      yield '<Message><Children>';
      for (produced = 1; produced <= total; produced++) {
        yield child(`<LAchildID>S${produced}</LAchildID>`, cin('<CINreferralDate>2025-01-01</CINreferralDate>'));
      }
      yield '</Children></Message>';
    }
    const file = { name: 'big.xml', open: () => Readable.from(pieces(), { objectMode: false }) };
    let producedAtFirst = 0;
    let count = 0;
    for await (const record of cinCensusParser.parse([file], { issue: () => {}, progress: () => {} })) {
      if (count++ === 0) producedAtFirst = produced;
      expect((record as { caseSystemId: string }).caseSystemId).toMatch(/^S\d+$/);
    }
    expect(count).toBe(total * 2);
    // Readable.from reads ahead a little (its high-water mark); nowhere near the whole file.
    expect(producedAtFirst).toBeLessThan(100);
  });
});
