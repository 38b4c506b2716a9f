// The import's merge (issue 13 point 2) against a real database: canonical records built here,
// merged as the runner would (one transaction per batch), and the case record read back.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nhsCheckDigit } from '../src/identifiers/nhs-number.ts';
import { upnCheckLetter } from '../src/identifiers/upn.ts';
import { endAbsent, mergeBatch, mergeHeld, type MergeContext } from '../src/imports/merge/index.ts';
import type { AllocationIn, ChildIn, FlagsIn, ImportRecord, InvolvementIn, RelationshipIn } from '../src/imports/records.ts';
import { DEMO_SCHOOLS, DEMO_SOCIAL_WORKERS, DEMO_TEAMS, NORTHBRIDGE_COUNCIL } from '../src/seed/demo-organisations.ts';
import { seedDemoData } from '../src/seed/insert.ts';
import { useTestDatabase } from './support/database.ts';
import { goodAnswers } from './support/concerns.ts';
import { demoClients, signedInAs } from './support/demo-session.ts';
import { buildTestApp, type InProcessApp } from './support/in-process-app.ts';

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

const involvement = (id: string, fields: Partial<InvolvementIn> = {}): InvolvementIn =>
  ({ kind: 'involvement', where: { file: 'ssd_cp_plans.csv', line: 2 }, caseSystemId: id, involvementKind: 'child_protection', startDate: '2026-03-01', cpCategory: 'NEG', ...fields });
const involvementsOf = async (id: string) => db().sql`
  select i.kind, i.episode_id, i.start_date::text as start, i.end_date::text as "end", i.cp_category as category, i.next_review_date::text as review
  from involvements i join child_sources s on s.child_id = i.child_id where s.source_id = ${id} order by i.start_date, i.kind`;
const chronologyOf = async (id: string) => db().sql`
  select e.occurred_on::text as on, e.event_type as type, e.summary, e.source_agency as agency
  from chronology_events e join child_sources s on s.child_id = e.child_id where s.source_id = ${id} order by e.occurred_on, e.recorded_at, e.event_type`;

describe('involvements', () => {
  it('matches by episode id, and by kind and start date when the case system renumbered the episode', async () => {
    await merge([child('I1'), involvement('I1', { episodeId: 'CP-1', nextReviewDate: '2026-06-01' })]);
    // Next run: same episode id, new category and review date.
    expect((await merge([involvement('I1', { episodeId: 'CP-1', cpCategory: 'EMO', nextReviewDate: '2026-09-01' })])).outcomes).toEqual(['updated']);
    // Then: the case system renumbered it (CP-77): still the same plan, found by its start date.
    expect((await merge([involvement('I1', { episodeId: 'CP-77', cpCategory: 'EMO', nextReviewDate: '2026-09-01' })])).outcomes).toEqual(['updated']);
    expect(await merge([involvement('I1', { episodeId: 'CP-77', cpCategory: 'EMO', nextReviewDate: '2026-09-01' })])).toEqual({ outcomes: ['unchanged'], issues: [] });
    expect(await involvementsOf('I1')).toEqual([{ kind: 'child_protection', episode_id: 'CP-77', start: '2026-03-01', end: null, category: 'EMO', review: '2026-09-01' }]);
    const chronology = await chronologyOf('I1');
    expect(chronology.map((e) => e.type)).toEqual(['involvement_started', 'cp_category_changed']);
    expect(chronology[0]).toMatchObject({ on: '2026-03-01', agency: 'council', summary: 'Child protection plan started (neglect).' });
    expect(chronology[1]!.summary).toBe('Child protection plan category changed from neglect to emotional abuse.');
  });

  it('rejects an episode of a child the case system’s extract did not bring', async () => {
    const result = await merge([involvement('NOBODY')]);
    expect(result.outcomes).toEqual(['rejected']);
    expect(result.issues[0]).toMatchObject({ rule: 'child-not-known', caseSystemId: 'NOBODY' });
  });

  it('ends (never deletes) what this source loaded and the next snapshot no longer lists, and the chronology shows it', async () => {
    // A case system of its own, so that the other tests' episodes are not part of this snapshot.
    const ctx = { ...context('ssd', '2026-12-01'), system: 'Mosaic' };
    await merge([child('E1'), child('E2', { forename: 'Noah' }),
      involvement('E1', { involvementKind: 'child_in_need', cpCategory: null, episodeId: 'CIN-1' }), involvement('E2', { involvementKind: 'looked_after', cpCategory: null, episodeId: 'LA-1' })],
      { ...ctx, runId: 'run-before' });
    // Something the portal had before any import (the demo seed) is not this source's to end.
    const [seeded] = await db().sql`
      insert into involvements (child_id, kind, start_date) select child_id, 'child_in_need', '2026-01-01' from child_sources where source_id = 'E2' returning id`;
    // The next extract lists E2's episode but not E1's.
    expect((await merge([child('E1'), child('E2', { forename: 'Noah' }), involvement('E2', { involvementKind: 'looked_after', cpCategory: null, episodeId: 'LA-1' })], ctx)).outcomes)
      .toEqual(['unchanged', 'unchanged', 'unchanged']);
    const ended = await db().sql.begin((tx) => endAbsent(tx, ['child', 'involvement', 'allocation'], ctx));
    expect(ended).toBe(1);
    expect(await involvementsOf('E1')).toEqual([expect.objectContaining({ kind: 'child_in_need', start: '2026-03-01', end: '2026-12-01' })]);
    expect((await involvementsOf('E2')).map((i) => i.end)).toEqual([null, null]);
    expect((await db().sql`select end_date from involvements where id = ${seeded!.id}`)[0]!.end_date).toBeNull();
    expect((await chronologyOf('E1')).at(-1)).toMatchObject({ on: '2026-12-01', type: 'involvement_ended', summary: 'Child in need episode ended: the case system no longer lists it as open.' });
    expect(await db().sql`select 1 from import_sightings where run_id = ${ctx.runId}`).toHaveLength(0);
  });
});

const worker = DEMO_SOCIAL_WORKERS.find((w) => w.role === 'social_worker')!;
const teamOf = (teamId: string) => DEMO_TEAMS.find((t) => t.id === teamId)!;
const allocation = (id: string, fields: Partial<AllocationIn['worker']> = {}, startDate = '2026-03-01'): AllocationIn =>
  ({ kind: 'allocation', where: { file: 'ssd_involvements.csv', line: 2 }, caseSystemId: id, worker: { name: worker.name, team: teamOf(worker.team_id).name, ...fields }, startDate });
const allocationsOf = async (id: string) => db().sql`
  select w.name, w.phone, w.email, t.name as team, a.start_date::text as start, a.end_date::text as "end"
  from allocations a join child_sources s on s.child_id = a.child_id join social_workers w on w.id = a.social_worker_id join teams t on t.id = w.team_id
  where s.source_id = ${id} order by a.start_date, a.end_date nulls last`;

describe('allocations', () => {
  it('finds the worker in the council’s directory by name within the team, with the directory’s phone; the case system’s id is remembered', async () => {
    const result = await merge([child('A1'), allocation('A1', { caseSystemId: 'PROF-1', phone: null })]);
    expect(result).toEqual({ outcomes: ['inserted', 'inserted'], issues: [] });
    expect(await allocationsOf('A1')).toEqual([{ name: worker.name, phone: worker.phone, email: worker.email, team: teamOf(worker.team_id).name, start: '2026-03-01', end: null }]);
    // Next time the name is spelt differently: the professional id still finds them.
    expect((await merge([allocation('A1', { caseSystemId: 'PROF-1', name: worker.name.toUpperCase() + ' (Agency)' })])).outcomes).toEqual(['unchanged']);
  });

  it('adds a worker the directory lacks, with the team’s phone and no e-mail; a new worker ends the old allocation', async () => {
    const team = teamOf(worker.team_id);
    await merge([child('A2'), allocation('A2')]);
    const result = await merge([allocation('A2', { name: 'Morgan Ellery', registrationNumber: 'SW123456', phone: null }, '2026-10-01')]);
    expect(result.outcomes).toEqual(['inserted']);
    expect(await allocationsOf('A2')).toEqual([
      { name: worker.name, phone: worker.phone, email: worker.email, team: team.name, start: '2026-03-01', end: '2026-10-01' },
      { name: 'Morgan Ellery', phone: team.phone, email: null, team: team.name, start: '2026-10-01', end: null },
    ]);
  });

  it('adds a team the directory lacks with the council’s duty number, and warns', async () => {
    const result = await merge([child('A3'), allocation('A3', { name: 'Sam Okoye', team: 'Disabled Children Team' })]);
    expect(result.outcomes).toEqual(['inserted', 'inserted']);
    expect(result.issues).toEqual([expect.objectContaining({ rule: 'new-team', outcome: 'warning', value: 'Disabled Children Team' })]);
    expect(await allocationsOf('A3')).toEqual([expect.objectContaining({ name: 'Sam Okoye', team: 'Disabled Children Team', phone: NORTHBRIDGE_COUNCIL.duty_phone })]);
  });
});

const school = DEMO_SCHOOLS[0]!;
const enrolment = (u: string, urn: string, startDate: string, endDate?: string | null): RelationshipIn =>
  ({ kind: 'relationship', where: { file: 'school-roll.csv', line: 2 }, relationship: 'enrolled', child: { upn: u }, organisationCode: urn, startDate, endDate });
const relationshipsOf = async (id: string) => db().sql`
  select o.name, r.kind, r.start_date::text as start, r.end_date::text as "end"
  from child_organisation_relationships r join child_sources s on s.child_id = r.child_id join organisations o on o.id = r.organisation_id
  where s.source_id = ${id} order by r.start_date`;

describe('relationships', () => {
  it('holds an enrolment at an unknown school, and loads it once the school is added; a new enrolment ends the previous one', async () => {
    await merge([child('R1', { upn: upn(201) })]);
    const ctx = context('school-roll');
    expect((await merge([enrolment(upn(201), school.urn!, '2025-09-01')], ctx)).outcomes).toEqual(['inserted']);
    const result = await merge([enrolment(upn(201), '990999', '2026-09-01')], ctx);
    expect(result.outcomes).toEqual(['held']);
    expect(result.issues[0]).toMatchObject({ rule: 'unknown-school', value: '990999', outcome: 'held' });
    expect(await relationshipsOf('R1')).toEqual([{ name: school.name, kind: 'enrolled', start: '2025-09-01', end: null }]);

    await db().sql`insert into organisations (kind, name, urn) values ('school', 'Northbridge Free School', '990999')`;
    const outcome = await db().sql.begin((tx) => mergeHeld(tx, result.issues[0]!.record as RelationshipIn, {}, ctx));
    expect(outcome).toBe('inserted');
    expect(await relationshipsOf('R1')).toEqual([
      { name: school.name, kind: 'enrolled', start: '2025-09-01', end: '2026-09-01' },
      { name: 'Northbridge Free School', kind: 'enrolled', start: '2026-09-01', end: null },
    ]);
  });

  it('rejects a school-roll row for a UPN no child has', async () => {
    const result = await merge([enrolment(upn(299), school.urn!, '2025-09-01')], context('school-roll'));
    expect(result.outcomes).toEqual(['rejected']);
    expect(result.issues[0]).toMatchObject({ rule: 'no-child-with-upn', field: 'UPN' });
    expect(result.issues[0]!.value).toMatch(/^\*+/);
  });

  it('ends an enrolment the next school-roll file leaves out, only at the schools that file names', async () => {
    const other = DEMO_SCHOOLS[1]!;
    await merge([child('R2', { upn: upn(202) }), child('R3', { upn: upn(203), forename: 'Leo' })]);
    await merge([enrolment(upn(202), school.urn!, '2025-09-01'), enrolment(upn(203), other.urn!, '2025-09-01')], context('school-roll'));
    // The next file is the first school's roll only, and R2 has left it.
    const ctx = context('school-roll', '2026-11-30');
    await merge([enrolment(upn(201), '990999', '2026-09-01')], ctx);
    await merge([], ctx);
    const ended = await db().sql.begin(async (tx) => {
      await mergeBatch(tx, [enrolment(upn(201), school.urn!, '2025-09-01', '2026-09-01')], ctx);
      return endAbsent(tx, ['relationship'], ctx);
    });
    expect(ended).toBe(1);
    expect(await relationshipsOf('R2')).toEqual([expect.objectContaining({ name: school.name, end: '2026-11-30' })]);
    expect(await relationshipsOf('R3')).toEqual([expect.objectContaining({ name: other.name, end: null })]);
  });
});

describe('a held child, resolved by a person', () => {
  it('links the record to the child chosen, leaving the other child’s identifier where it is', async () => {
    await merge([child('H1', { nhsNumber: nhs(301) }), child('H2', { forename: 'Theo', upn: upn(302) })]);
    const ctx = context();
    const result = await merge([child('H3', { nhsNumber: nhs(301), upn: upn(302), address: '3 Cotton Street' })], ctx);
    expect(result.outcomes).toEqual(['held']);
    const chosen = (await childBySource('H1'))!;
    const outcome = await db().sql.begin((tx) => mergeHeld(tx, result.issues[0]!.record as ChildIn, { childId: chosen.id }, ctx));
    expect(outcome).toBe('updated');
    expect(await childBySource('H3')).toMatchObject({ id: chosen.id, nhs_number: nhs(301), upn: null, address: '3 Cotton Street' });
    expect((await childBySource('H2'))!.upn).toBe(upn(302));
  });

  it('rejects a choice of a child that is not on record', async () => {
    const ctx = context();
    const outcome = await db().sql.begin((tx) => mergeHeld(tx, child('H4', { nhsNumber: nhs(301) }), { childId: '00000000-0000-4000-8000-00000000dead' }, ctx));
    expect(outcome).toBe('rejected');
    expect(await childBySource('H4')).toBeUndefined();
  });
});

describe('a whole extract merged twice', () => {
  it('is unchanged the second time, for every kind, and writes nothing to the case record', async () => {
    const batch: ImportRecord[] = [
      child('W1', { upn: upn(401), nhsNumber: nhs(401) }),
      involvement('W1', { episodeId: 'CP-W1', nextReviewDate: '2026-12-20' }),
      involvement('W1', { involvementKind: 'child_in_need', cpCategory: null, startDate: '2025-01-01', endDate: '2026-02-28' }),
      allocation('W1', { caseSystemId: 'PROF-W1', name: 'Robin Hale', registrationNumber: 'SW900001' }),
      enrolment(upn(401), school.urn!, '2024-09-01'),
      { kind: 'relationship', where: { file: 'gp.csv', line: 2 }, relationship: 'registered', child: { nhsNumber: nhs(401) }, organisationCode: 'Y99001', startDate: '2015-05-01' },
      { kind: 'flags', where: { file: 'flags.csv', line: 2 }, caseSystemId: 'W1', sealed: false, addressWithheld: true, restricted: false },
    ];
    const first = await merge(batch);
    expect(first.outcomes).toEqual(['inserted', 'inserted', 'inserted', 'inserted', 'inserted', 'inserted', 'updated']);
    const tables = ['children', 'involvements', 'allocations', 'child_organisation_relationships', 'chronology_events', 'social_workers', 'teams', 'child_sources', 'child_former_upns'];
    const snapshot = async () => Promise.all(tables.map((t) => db().sql`select xmin::text, * from ${db().sql(t)} order by 2`));
    const before = await snapshot();
    const second = await merge(batch);
    expect(second).toEqual({ outcomes: ['unchanged', 'unchanged', 'unchanged', 'unchanged', 'unchanged', 'unchanged', 'unchanged'], issues: [] });
    expect(await snapshot()).toEqual(before);
  });
});

describe('flags', () => {
  let app: InProcessApp;
  beforeAll(async () => {
    app = await buildTestApp(db().sql);
  });
  afterAll(() => app?.close());
  const flags = (id: string, fields: Partial<FlagsIn> = {}): FlagsIn =>
    ({ kind: 'flags', where: { file: 'flags.csv', line: 2 }, caseSystemId: id, sealed: false, addressWithheld: false, restricted: false, ...fields });
  const flagsOf = async (id: string) => db().sql`select c.sealed, c.address_withheld, c.restricted from children c join child_sources s on s.child_id = c.id where s.source_id = ${id}`;

  it('sets the flags the file lists and clears them when the next file leaves the child out; the front door loses and regains the address', async () => {
    const address = '77 Quarry Bank, Northbridge';
    await merge([child('F1', { surname: 'Restricta', address, postcode: 'NB7 7QQ' }), involvement('F1', { episodeId: 'CP-F1' }), child('F2', { forename: 'Mia' })]);
    const { id } = (await childBySource('F1'))!;
    const frontDoor = await signedInAs(app, 'front-door');
    const page = async () => (await frontDoor.request(`${app.baseUrl}/children/${id}`)).text();
    expect(await page()).toContain(address);

    const ctx = context('flags');
    expect((await merge([flags('F1', { restricted: true }), flags('F2', { sealed: true })], ctx)).outcomes).toEqual(['updated', 'updated']);
    await db().sql.begin((tx) => endAbsent(tx, ['flags'], ctx));
    expect(await flagsOf('F1')).toEqual([{ sealed: false, address_withheld: false, restricted: true }]);
    const restricted = await page();
    expect(restricted).toContain('Restricta');
    expect(restricted).not.toContain(address);
    expect(restricted).not.toContain('NB7 7QQ');
    expect(restricted).not.toContain('data-field="chronology"');

    // The next flags file lists F2 only: F1 is unflagged, F2 stays sealed.
    const next = context('flags');
    expect((await merge([flags('F2', { sealed: true })], next)).outcomes).toEqual(['unchanged']);
    expect(await db().sql.begin((tx) => endAbsent(tx, ['flags'], next))).toBe(1);
    expect(await flagsOf('F1')).toEqual([{ sealed: false, address_withheld: false, restricted: false }]);
    expect(await flagsOf('F2')).toEqual([{ sealed: true, address_withheld: false, restricted: false }]);
    expect(await page()).toContain(address);
  });
});

describe('a worker the feed added, with no e-mail address', () => {
  let app: InProcessApp;
  const as = demoClients(() => app);
  beforeAll(async () => {
    app = await buildTestApp(db().sql);
  });
  afterAll(() => app?.close());

  it('is told of a partner’s concern on their start page, and no e-mail is queued for them', async () => {
    await merge([child('M1', { upn: upn(501), surname: 'Mailless' }), involvement('M1', { episodeId: 'CP-M1' }),
      allocation('M1', { name: 'Jordan Feed', registrationNumber: 'SW777777' })]);
    await merge([enrolment(upn(501), school.urn!, '2025-09-01')], context('school-roll'));
    const { id } = (await childBySource('M1'))!;
    const [jordan] = await db().sql`select id, email from social_workers where name = 'Jordan Feed'`;
    expect(jordan!.email).toBeNull();

    const sent = await (await as('dsl-riverside')).post('/concerns', { idempotencyKey: randomUUID(), childId: id, ...goodAnswers });
    expect(sent.res.status).toBe(303);
    expect(await db().sql`select kind from social_worker_notifications where social_worker_id = ${jordan!.id}`).toEqual([{ kind: 'concern' }]);
    expect(await db().sql`select 1 from outbox where kind = 'concern_for_allocated_worker'`).toHaveLength(0);
  });
});
