// The import's merge (issue 13 point 2) against a real database: canonical records built here,
// merged as the runner would (one transaction per batch), and the case record read back.
import { describe, expect, it, beforeAll } from 'vitest';
import { nhsCheckDigit } from '../src/identifiers/nhs-number.ts';
import { upnCheckLetter } from '../src/identifiers/upn.ts';
import { mergeBatch, type MergeContext } from '../src/imports/merge/index.ts';
import type { ChildIn, ImportRecord } from '../src/imports/records.ts';
import { NORTHBRIDGE_COUNCIL } from '../src/seed/demo-organisations.ts';
import { seedDemoData } from '../src/seed/insert.ts';
import { useTestDatabase } from './support/database.ts';

const db = useTestDatabase();
beforeAll(async () => {
  await seedDemoData(db().sql, { children: 0 });
});

let runs = 0;
const context = (source: MergeContext['source'] = 'ssd', today = '2026-12-01'): MergeContext =>
  ({ runId: `run-${++runs}`, system: 'LCS', source, localAuthorityId: NORTHBRIDGE_COUNCIL.id, today });
const merge = (records: ImportRecord[], ctx = context()) => db().sql.begin((tx) => mergeBatch(tx, records, ctx));

/** The n-th valid test NHS number (999 range) and UPN. */
function nhs(n: number): string {
  for (let stem = 999_000_000 + n * 7; ; stem++) {
    const check = nhsCheckDigit(String(stem));
    if (check !== undefined) return `${stem}${check}`;
  }
}
function upn(n: number): string {
  const body = `9902000${String(n).padStart(5, "0")}`;
  return upnCheckLetter(body)! + body;
}
const where = (line: number) => ({ file: 'ssd_person.csv', line });
const child = (id: string, fields: Partial<ChildIn> = {}): ChildIn =>
  ({ kind: 'child', where: where(2), caseSystemId: id, forename: 'Ava', surname: 'Farah', dateOfBirth: '2015-04-03', gender: 'female', ...fields });

const childBySource = async (id: string) => {
  const [row] = await db().sql`
    select c.*, c.date_of_birth::text as dob, array(select upn from child_former_upns f where f.child_id = c.id order by upn) as former
    from child_sources s join children c on c.id = s.child_id where s.system = 'LCS' and s.source_id = ${id}`;
  return row;
};

describe('children', () => {
  it('inserts a new child, then links another source id to it by NHS number or UPN', async () => {
    const result = await merge([child('C1', { nhsNumber: nhs(1), upn: upn(1), address: '1 Alder Road', postcode: 'NB1 1AB' })]);
    expect(result).toEqual({ outcomes: ['inserted'], issues: [] });
    const stored = await childBySource('C1');
    expect(stored).toMatchObject({ forename: 'Ava', surname: 'Farah', dob: '2015-04-03', nhs_number: nhs(1), upn: upn(1), postcode: 'NB1 1AB' });

    // Another system's id for the same child: a CIN census row names no one, only the UPN.
    const census = await db().sql.begin((tx) => mergeBatch(tx, [{ kind: 'child', where: { file: 'cin.xml', path: 'Message/Children/Child[1]' }, caseSystemId: 'C1-CIN', upn: upn(1) }],
      { ...context('cin-census'), system: 'CIN' }));
    expect(census.outcomes).toEqual(['updated']);
    const [link] = await db().sql`select child_id from child_sources where system = 'CIN' and source_id = 'C1-CIN'`;
    expect(link!.child_id).toBe(stored!.id);
  });

  it('holds a record whose identifiers belong to two different children, and guesses nothing', async () => {
    await merge([child('C2', { nhsNumber: nhs(2) }), child('C3', { forename: 'Noah', upn: upn(3) })]);
    const before = await db().sql`select count(*)::int as n from children`;
    const result = await merge([child('C4', { nhsNumber: nhs(2), upn: upn(3) })]);
    expect(result.outcomes).toEqual(['held']);
    expect(result.issues).toEqual([expect.objectContaining({ rule: 'matches-two-children', outcome: 'held', caseSystemId: 'C4', record: expect.objectContaining({ caseSystemId: 'C4' }) })]);
    expect(await db().sql`select count(*)::int as n from children`).toEqual(before);
    expect(await childBySource('C4')).toBeUndefined();
  });

  it('holds a known child whose new UPN is already another child’s', async () => {
    const result = await merge([child('C2', { nhsNumber: nhs(2), upn: upn(3) })]);
    expect(result.outcomes).toEqual(['held']);
    expect(result.issues[0]).toMatchObject({ rule: 'upn-on-another-child', field: 'upn' });
    expect(result.issues[0]!.value).not.toContain(upn(3).slice(0, 10));
    expect((await childBySource('C2'))!.upn).toBeNull();
  });

  it('rejects a census child the case-system extract has not loaded, saying to load the SSD extract first', async () => {
    const ctx = context('cin-census');
    const result = await merge([{ kind: 'child', where: { file: 'cin.xml', path: 'Message/Children/Child[9]' }, caseSystemId: 'C99', upn: upn(99) }], ctx);
    expect(result.outcomes).toEqual(['rejected']);
    expect(result.issues[0]).toMatchObject({ rule: 'child-not-known', outcome: 'rejected', caseSystemId: 'C99' });
    expect(result.issues[0]!.message).toMatch(/SSD extract/);
  });

  it('keeps what a source does not carry, and moves a replaced UPN to the former UPNs where matching finds it', async () => {
    await merge([child('C5', { upn: upn(5), nhsNumber: nhs(5) })]);
    // A later extract without the NHS number, and with a new UPN.
    expect((await merge([child('C5', { upn: upn(55), nhsNumber: null })])).outcomes).toEqual(['updated']);
    const stored = await childBySource('C5');
    expect(stored).toMatchObject({ upn: upn(55), nhs_number: nhs(5), former: [upn(5)] });
    // A census still naming the old UPN finds the child.
    const census = await merge([{ kind: 'child', where: { file: 'cin.xml' }, caseSystemId: 'C5-OLD', upn: upn(5) }], { ...context('cin-census'), system: 'CIN' });
    expect(census.outcomes).toEqual(['updated']);
    const [link] = await db().sql`select child_id from child_sources where system = 'CIN' and source_id = 'C5-OLD'`;
    expect(link!.child_id).toBe(stored!.id);
  });

  it('changes nothing when the same batch comes twice: all unchanged, no row rewritten', async () => {
    const batch = [child('C6', { upn: upn(6), nhsNumber: nhs(6), formerUpns: [upn(66)], address: '2 Beacon Lane', postcode: 'NB2 2AB' }), child('C7', { forename: 'Leo' })];
    expect((await merge(batch)).outcomes).toEqual(['inserted', 'inserted']);
    const snapshot = () => db().sql`
      select c.id, c.xmin::text, c.updated_at, (select string_agg(f.xmin::text, ',') from child_former_upns f where f.child_id = c.id) as f
      from children c order by c.id`;
    const before = await snapshot();
    expect(await merge(batch)).toEqual({ outcomes: ['unchanged', 'unchanged'], issues: [] });
    expect(await snapshot()).toEqual(before);
  });
});
