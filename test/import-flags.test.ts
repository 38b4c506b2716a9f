// The council's flags file: the demo's sealed and address-withheld children written and read back;
// a doubtful flag errs towards protecting the child; each rule gives its issue. No database.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FlagsIn } from '../src/imports/records.ts';
import { flagsParser, writeFlags } from '../src/imports/sources/flags.ts';
import { ImportFileRefused } from '../src/imports/sources/ssd/csv-table.ts';
import { demoCaseSystemId } from '../src/imports/values.ts';
import { generateDemoData } from '../src/seed/generate.ts';
import { dataLineCount, fileFromDisk, fileFromText, parseAll, type ParseResult } from './support/import-files.ts';

const flags = (r: ParseResult) => r.records.filter((x): x is FlagsIn => x.kind === 'flags').map(({ where: _where, ...rest }) => rest);
const file = (...rows: string[]) => [fileFromText('flags.csv', ['case_system_id,sealed,address_withheld,restricted', 'NB0000001,Y,N,N', ...rows].join('\r\n'))];

describe('flags file', () => {
  it('round trip: the demo’s flagged children, and only them, come back with their flags', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'flags-'));
    try {
      const demo = generateDemoData({ children: 1000, referenceDate: '2026-11-23' });
      const [path] = await writeFlags(demo, dir);
      const r = await parseAll(flagsParser, [fileFromDisk(path!)]);
      expect(r.issues).toEqual([]);
      const expected = demo.children
        .map((c, i) => ({ kind: 'flags', caseSystemId: demoCaseSystemId(i + 1), sealed: c.sealed, addressWithheld: c.address_withheld, restricted: false }))
        .filter((f) => f.sealed || f.addressWithheld);
      expect(expected.some((f) => f.sealed) && expected.some((f) => f.addressWithheld)).toBe(true);
      expect(flags(r)).toEqual(expected);
      expect(r.records.length).toBe(dataLineCount(await readFile(path!, 'utf8')));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reads Y/N, yes/no, true/false and 1/0 in any case; a blank is N', async () => {
    const r = await parseAll(flagsParser, file('NB0000002,true,FALSE,yes', 'NB0000003,0,1,', 'NB0000004,n,y,No'));
    expect(r.issues).toEqual([]);
    expect(flags(r).map((f) => [f.caseSystemId, f.sealed, f.addressWithheld, f.restricted])).toEqual([
      ['NB0000001', true, false, false], ['NB0000002', true, false, true], ['NB0000003', false, true, false], ['NB0000004', false, true, false],
    ]);
  });

  it('a flag that is neither yes nor no is taken as yes, with a warning', async () => {
    const r = await parseAll(flagsParser, file('NB0000002,N,Yse,N'));
    expect(r.issues).toEqual([expect.objectContaining({ source: 'flags', rule: 'unknown-code', outcome: 'warning', where: { file: 'flags.csv', line: 3 }, caseSystemId: 'NB0000002', field: 'address_withheld', value: 'Yse' })]);
    expect(flags(r)[1]).toEqual(expect.objectContaining({ caseSystemId: 'NB0000002', sealed: false, addressWithheld: true, restricted: false }));
  });

  it('a child listed twice keeps every flag either row sets; the second row is counted as rejected', async () => {
    const r = await parseAll(flagsParser, file('NB0000001,N,Y,N'));
    expect(r.issues).toEqual([expect.objectContaining({ rule: 'duplicate-child', outcome: 'rejected', where: { file: 'flags.csv', line: 3 }, caseSystemId: 'NB0000001' })]);
    expect(flags(r)).toEqual([{ kind: 'flags', caseSystemId: 'NB0000001', sealed: true, addressWithheld: true, restricted: false }]);
    expect(r.records.length + r.issues.filter((i) => i.outcome === 'rejected').length).toBe(2);
  });

  it('a row without a case-system id is rejected; the others load', async () => {
    const r = await parseAll(flagsParser, file(',Y,N,N', 'NB0000002,N,N,Y'));
    expect(r.issues).toEqual([expect.objectContaining({ rule: 'missing-value', outcome: 'rejected', where: { file: 'flags.csv', line: 3 }, field: 'case_system_id' })]);
    expect(flags(r).map((f) => f.caseSystemId)).toEqual(['NB0000001', 'NB0000002']);
  });

  it('an id longer than the case system allows (48) is rejected, shown shortened', async () => {
    const r = await parseAll(flagsParser, file(`${'N'.repeat(49)},Y,N,N`));
    expect(r.issues).toEqual([expect.objectContaining({ rule: 'invalid-id', outcome: 'rejected', where: { file: 'flags.csv', line: 3 }, field: 'case_system_id', value: `${'N'.repeat(12)}…` })]);
    expect(flags(r)).toHaveLength(1);
  });

  it('a header without one of the flags refuses the file', async () => {
    const error = await parseAll(flagsParser, [fileFromText('flags.csv', 'case_system_id,sealed,address_withheld\nNB0000001,Y,N\n')]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportFileRefused);
    expect((error as Error).message).toContain("no 'restricted' column");
  });

  it('is the complete list: flags of children absent from it are cleared', () => {
    expect(flagsParser.snapshotOf).toEqual(['flags']);
    expect(flagsParser.checkFiles(['flags.csv'])).toEqual({ ok: true });
  });
});
