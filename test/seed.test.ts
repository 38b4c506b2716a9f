// Demo data: the generator's rules, checked through the database it is loaded into.
import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { isValidNhsNumber } from '../src/identifiers/nhs-number.ts';
import { isValidUpn } from '../src/identifiers/upn.ts';
import { paths } from '../src/paths.ts';
import { DEMO_SCHOOLS, DEMO_SOCIAL_WORKERS, DEMO_TEAMS } from '../src/seed/demo-organisations.ts';
import { generateDemoData } from '../src/seed/generate.ts';
import { hasCaseRecordData, seedDemoData, type SeedResult } from '../src/seed/insert.ts';
import { Random } from '../src/seed/random.ts';
import { useTestDatabase } from './support/database.ts';

const REFERENCE_DATE = '2026-11-23';
const db = useTestDatabase();

let emptyBefore: boolean;
let seeded: SeedResult;
beforeAll(async () => {
  emptyBefore = !(await hasCaseRecordData(db().sql));
  seeded = await seedDemoData(db().sql, { children: 300, referenceDate: REFERENCE_DATE });
});

const count = async (query: Promise<{ n: number }[]>) => (await query)[0]!.n;

describe('seedDemoData', () => {
  it('loads 300 children and the demo organisations, teams and staff', async () => {
    const { sql } = db();
    expect(emptyBefore).toBe(true);
    expect(await hasCaseRecordData(sql)).toBe(true);
    expect(await count(sql`select count(*)::int as n from children`)).toBe(300);

    const kinds = await sql<{ kind: string; n: number }[]>`select kind, count(*)::int as n from organisations group by kind`;
    expect(Object.fromEntries(kinds.map((row) => [row.kind, row.n]))).toEqual({
      local_authority: 1, school: 10, gp_practice: 4, health_visiting_team: 1,
      school_nursing_team: 1, emergency_department: 1, police_force: 1,
    });
    expect(await count(sql`select count(*)::int as n from teams`)).toBe(DEMO_TEAMS.length);
    expect(await count(sql`select count(*)::int as n from social_workers`)).toBe(DEMO_SOCIAL_WORKERS.length);
    // Every team has a manager.
    expect(await count(sql`
      select count(*)::int as n from teams t
      where not exists (select 1 from social_workers w where w.team_id = t.id and w.role = 'team_manager')`)).toBe(0);

    // The reported counts are what is in the tables.
    for (const [table, reported] of Object.entries(seeded.counts)) {
      expect(await count(sql`select count(*)::int as n from ${sql(table)}`), table).toBe(reported);
    }
  });

  it('gives a realistic mix of open and closed involvements', async () => {
    const rows = await db().sql<{ kind: string; n: number }[]>`
      select kind, count(*)::int as n from involvements where end_date is null group by kind`;
    const open = Object.fromEntries(rows.map((row) => [row.kind, row.n]));
    // Roughly 35% / 20% / 15% of 300, with room for chance.
    expect(open.child_in_need).toBeGreaterThan(70);
    expect(open.child_protection).toBeGreaterThan(35);
    expect(open.looked_after).toBeGreaterThan(25);
    const closed = await count(db().sql`
      select count(*)::int as n from children c
      where not exists (select 1 from involvements i where i.child_id = c.id and i.end_date is null)`);
    expect(closed).toBeGreaterThan(60);
    expect(closed).toBeLessThan(130);
    // At most one open involvement per child.
    expect(await count(db().sql`
      select count(*)::int as n from (select child_id from involvements where end_date is null group by child_id having count(*) > 1) x`)).toBe(0);
  });

  it('gives every child protection plan a category', async () => {
    const { sql } = db();
    expect(await count(sql`select count(*)::int as n from involvements where kind = 'child_protection'`)).toBeGreaterThan(0);
    expect(await count(sql`select count(*)::int as n from involvements where kind = 'child_protection' and cp_category is null`)).toBe(0);
    expect(await count(sql`select count(*)::int as n from involvements where kind <> 'child_protection' and cp_category is not null`)).toBe(0);
  });

  it('puts open involvements up for review in the coming weeks', async () => {
    expect(await count(db().sql`
      select count(*)::int as n from involvements
      where end_date is null and (next_review_date is null
        or next_review_date not between ${REFERENCE_DATE}::date + 1 and ${REFERENCE_DATE}::date + 56)`)).toBe(0);
  });

  it('allocates every child with an open involvement to exactly one social worker', async () => {
    const { sql } = db();
    expect(await count(sql`
      select count(*)::int as n from children c
      where exists (select 1 from involvements i where i.child_id = c.id and i.end_date is null)
        and (select count(*) from allocations a where a.child_id = c.id and a.end_date is null) <> 1`)).toBe(0);
    // Closed cases have no current allocation.
    expect(await count(sql`
      select count(*)::int as n from allocations a
      where a.end_date is null
        and not exists (select 1 from involvements i where i.child_id = a.child_id and i.end_date is null)`)).toBe(0);
    expect(await count(sql`select count(*)::int as n from allocations where end_date is not null`)).toBeGreaterThan(0);
  });

  it('relates children only to organisations of the right kind', async () => {
    const rows = await db().sql<{ relationship: string; organisation: string | null; n: number }[]>`
      select r.kind as relationship, o.kind as organisation, count(*)::int as n
      from child_organisation_relationships r left join organisations o on o.id = r.organisation_id
      group by 1, 2 order by 1, 2`;
    expect(rows.map(({ relationship, organisation }) => `${relationship} → ${organisation}`)).toEqual([
      'caseload → health_visiting_team',
      'caseload → school_nursing_team',
      'enrolled → school',
      'registered → gp_practice',
    ]);
  });

  it('enrols school-age children, with some school moves and one current school each', async () => {
    const { sql } = db();
    const [row] = await sql<{ movers: number; most_current: number; enrolled: number; ages_ok: boolean }[]>`
      with enrolments as (
        select child_id, count(*) filter (where end_date is null) as current, count(*) filter (where end_date is not null) as ended
        from child_organisation_relationships where kind = 'enrolled' group by child_id)
      select count(*) filter (where ended > 0)::int as movers,
             max(current)::int as most_current,
             count(*) filter (where current = 1)::int as enrolled,
             bool_and(extract(year from age(${REFERENCE_DATE}::date, c.date_of_birth)) between 4 and 16) as ages_ok
      from enrolments e join children c on c.id = e.child_id`;
    expect(row!.movers).toBeGreaterThan(0);
    expect(row!.most_current).toBe(1);
    expect(row!.ages_ok).toBe(true);
    // Everyone who has an enrolment has a current one (a move never leaves a child without a school).
    expect(await count(sql`
      select count(*)::int as n from (select child_id from child_organisation_relationships where kind = 'enrolled'
      group by child_id having count(*) filter (where end_date is null) <> 1) x`)).toBe(0);
    // Year 7 in 2026/27 was born from 1 September 2014 to 31 August 2015: anyone younger is
    // at a primary school, anyone older at a secondary one.
    const primaryIds = DEMO_SCHOOLS.filter((s) => s.phase === 'primary').map((s) => s.id);
    expect(await count(sql`
      select count(*)::int as n from child_organisation_relationships r join children c on c.id = r.child_id
      where r.kind = 'enrolled'
        and (r.organisation_id = any(${sql.array(primaryIds)}::uuid[])) <> (c.date_of_birth >= '2015-09-01')`)).toBe(0);
  });

  it('registers most children with a GP and puts under-5s on the health visitors’ caseload', async () => {
    const { sql } = db();
    const registered = await count(sql`
      select count(distinct child_id)::int as n from child_organisation_relationships where kind = 'registered' and end_date is null`);
    expect(registered).toBeGreaterThan(240);
    expect(await count(sql`
      select count(*)::int as n from children c
      where age(${REFERENCE_DATE}::date, c.date_of_birth) < interval '5 years'
        and not exists (select 1 from child_organisation_relationships r join organisations o on o.id = r.organisation_id
                        where r.child_id = c.id and o.kind = 'health_visiting_team' and r.end_date is null)`)).toBe(0);
  });

  it('includes sealed and address-withheld records', async () => {
    const [row] = await db().sql<{ sealed: number; withheld: number }[]>`
      select count(*) filter (where sealed)::int as sealed, count(*) filter (where address_withheld)::int as withheld from children`;
    expect(row!.sealed).toBeGreaterThanOrEqual(1);
    expect(row!.withheld).toBeGreaterThan(0);
    expect(row!.withheld).toBeLessThan(45);
  });

  it('gives NHS numbers and UPNs that pass the TypeScript checks', async () => {
    const children = await db().sql<{ nhs_number: string | null; upn: string | null; age: number; postcode: string }[]>`
      select nhs_number, upn, postcode, extract(year from age(${REFERENCE_DATE}::date, date_of_birth))::int as age from children`;
    const nhs = children.flatMap((c) => (c.nhs_number ? [c.nhs_number] : []));
    const upns = children.flatMap((c) => (c.upn ? [c.upn] : []));
    expect(nhs.filter((n) => !isValidNhsNumber(n) || !n.startsWith('999'))).toEqual([]);
    expect(upns.filter((u) => !isValidUpn(u) || u.slice(1, 4) !== '990')).toEqual([]);
    expect(new Set(nhs).size).toBe(nhs.length);
    expect(new Set(upns).size).toBe(upns.length);
    // A few without an NHS number; no under-4 has a UPN, and most older children do.
    expect(nhs.length).toBeLessThan(300);
    expect(nhs.length).toBeGreaterThan(270);
    expect(children.filter((c) => c.age < 4 && c.upn)).toEqual([]);
    expect(children.filter((c) => c.age < 4).length).toBeGreaterThan(0);
    expect(upns.length).toBeGreaterThan(children.filter((c) => c.age >= 5).length * 0.9);
    expect(children.filter((c) => !/^NB[1-8] \d[A-Z]{2}$/.test(c.postcode))).toEqual([]);
  });

  it('gives every child a chronology from the four agencies', async () => {
    const { sql } = db();
    expect(await count(sql`
      select count(*)::int as n from children c where not exists (select 1 from chronology_events e where e.child_id = c.id)`)).toBe(0);
    const agencies = await sql<{ source_agency: string }[]>`select distinct source_agency from chronology_events order by 1`;
    expect(agencies.map((a) => a.source_agency)).toEqual(['council', 'education', 'health', 'police']);
    expect(await count(sql`select count(*)::int as n from chronology_events where occurred_on > ${REFERENCE_DATE}::date`)).toBe(0);
  });

  it('replaces the data when seeded again, rather than adding to it', async () => {
    const { sql } = db();
    const second = await seedDemoData(sql, { children: 300, seed: 42, referenceDate: REFERENCE_DATE });
    expect(second.counts.children).toBe(300);
    expect(await count(sql`select count(*)::int as n from children`)).toBe(300);
    expect(await count(sql`select count(*)::int as n from organisations`)).toBe(19);
    // And the rows are the new seed's.
    const expected = generateDemoData({ children: 300, seed: 42, referenceDate: REFERENCE_DATE });
    const ids = await sql<{ id: string }[]>`select id from children order by id`;
    expect(ids.map((row) => row.id)).toEqual(expected.children.map((c) => c.id).sort());
  });
});

describe('generateDemoData', () => {
  it('gives identical output for the same seed and date', () => {
    const options = { children: 300, seed: 7, referenceDate: REFERENCE_DATE };
    expect(generateDemoData(options)).toEqual(generateDemoData(options));
  });

  it('gives different children for a different seed or date', () => {
    const a = generateDemoData({ children: 50, seed: 7, referenceDate: REFERENCE_DATE });
    const b = generateDemoData({ children: 50, seed: 8, referenceDate: REFERENCE_DATE });
    const c = generateDemoData({ children: 50, seed: 7, referenceDate: '2027-01-31' });
    expect(b.children).not.toEqual(a.children);
    expect(b.children.map((child) => child.id)).not.toContain(a.children[0]!.id);
    expect(c.children.map((child) => child.date_of_birth)).not.toEqual(a.children.map((child) => child.date_of_birth));
    // The organisations are fixed whatever the seed.
    expect(b.organisations).toEqual(a.organisations);
  });

  it('gives child n the same record however many children are asked for', () => {
    const few = generateDemoData({ children: 20, referenceDate: REFERENCE_DATE });
    const more = generateDemoData({ children: 200, referenceDate: REFERENCE_DATE });
    expect(more.children.slice(0, 20)).toEqual(few.children);
  });

  it('keeps identifiers and ids unique at scale', () => {
    const data = generateDemoData({ children: 20_000, referenceDate: REFERENCE_DATE });
    const nhs = data.children.flatMap((c) => (c.nhs_number ? [c.nhs_number] : []));
    const upns = data.children.flatMap((c) => (c.upn ? [c.upn] : []));
    expect(new Set(nhs).size).toBe(nhs.length);
    expect(new Set(upns).size).toBe(upns.length);
    const ids = [data.children, data.involvements, data.allocations, data.child_organisation_relationships, data.chronology_events]
      .flatMap((rows) => rows.map((row) => row.id));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('refuses impossible options', () => {
    expect(() => generateDemoData({ children: -1 })).toThrow(RangeError);
    expect(() => generateDemoData({ children: 1.5 })).toThrow(RangeError);
    expect(() => generateDemoData({ referenceDate: '2026-02-30' })).toThrow(RangeError);
    expect(() => generateDemoData({ seed: -1 })).toThrow(RangeError);
  });
});

describe('Random', () => {
  it('makes version 4 UUIDs, the same for the same seed', () => {
    const a = new Random(5);
    const b = new Random(5);
    for (let i = 0; i < 100; i++) {
      const id = a.uuid();
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(b.uuid()).toBe(id);
    }
  });

  it('keeps int() within its bounds, both included', () => {
    const r = new Random(9);
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) seen.add(r.int(1, 6));
    expect([...seen].sort()).toEqual([1, 2, 3, 4, 5, 6]);
  });
});

describe('npm run seed', () => {
  const cli = (args: string[], env: Record<string, string> = {}) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'src/seed/cli.ts', ...args], {
      cwd: paths.root,
      encoding: 'utf8',
      env: { ...process.env, LOG_LEVEL: 'warn', ...env },
      timeout: 60_000,
    });

  it('explains its arguments and exits 2 on a bad one', () => {
    const result = cli(['--children', 'lots']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--children must be a whole number');
    expect(result.stderr).toContain('Usage: npm run seed');
  });

  it('seeds the database in DATABASE_URL and reports the counts', () => {
    const result = cli(['--children', '25', '--seed', '3', '--date', REFERENCE_DATE], { DATABASE_URL: db().url });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    // Rows, seconds and rows/s for each table.
    expect(result.stdout).toMatch(/^children\s+25\s+\d+\.\d\s+[\d,]+$/m);
    expect(result.stdout).toMatch(/Seeded in \d+\.\d s\./);
  });

  it('adds synthetic access-log rows by COPY when asked, spread over the seeded children', async () => {
    const { sql } = db();
    const [{ before } = { before: 0 }] = await sql<{ before: number }[]>`select count(*)::int as before from access_log where request_id like 'bench-%'`;
    const result = cli(['--children', '25', '--seed', '3', '--date', REFERENCE_DATE, '--access-log', '400'], { DATABASE_URL: db().url });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^access_log \(added\)\s+400\s/m);
    const [row] = await sql<{ added: number; unknownChildren: number; lists: number; lookups: number; withinYear: number }[]>`
      select count(*)::int as added,
             count(*) filter (where child_id is not null and child_id not in (select id from children))::int as "unknownChildren",
             count(*) filter (where action = 'view_list' and child_id is null)::int as lists,
             count(*) filter (where action = 'lookup' and reason is not null)::int as lookups,
             count(*) filter (where at > now() - interval '366 days' and at <= now())::int as "withinYear"
      from access_log where request_id like 'bench-%'`;
    expect(row!.added - before).toBe(400);
    expect(row).toMatchObject({ unknownChildren: 0, lists: 20, lookups: 40, withinYear: 400 });
  });
});
