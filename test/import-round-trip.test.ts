// Issue 13 point 8: a round trip through every source format. Demo data is generated, written as
// each format the portal accepts (the same writers that make docs/import-samples/), and imported
// into an empty database that holds only the council's directory and the organisations (schools,
// practices, teams, workers: what a council sets up before its first import). The case record
// that comes out must be the demo's: the same children with their identifiers and flags, the same
// involvements, allocations, and school and GP relationships. The CIN census and SSDA903 returns,
// imported after the extract, must then change nothing: they describe the same children.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inputFileFromPath, runImport, type RunSummary } from '../src/imports/run.ts';
import type { ImportSource } from '../src/imports/records.ts';
import { writeCinCensus } from '../src/imports/sources/cin-census/index.ts';
import { writeFlags } from '../src/imports/sources/flags.ts';
import { writeGpRegistrations } from '../src/imports/sources/gp-registration.ts';
import { writeSchoolRoll } from '../src/imports/sources/school-roll.ts';
import { writeSsdExtract } from '../src/imports/sources/ssd/index.ts';
import { writeSsda903 } from '../src/imports/sources/ssda903/index.ts';
import { demoCaseSystemId } from '../src/imports/values.ts';
import { insertDirectory } from '../src/seed/insert.ts';
import { generateDemoData, type DemoData } from '../src/seed/generate.ts';
import { useTestDatabase } from './support/database.ts';

const SYSTEM = 'LCS';
const db = useTestDatabase();
let demo: DemoData;
let dir: string;
/** The demo child's id → its case-system id. */
const caseSystemIdOf = new Map<string, string>();

async function importFiles(source: ImportSource, files: string[]): Promise<RunSummary> {
  const summary = await runImport(db().sql, {
    source, system: SYSTEM, trigger: 'cli', startedBy: { userId: null, name: 'round-trip test' },
    files: await Promise.all(files.map(inputFileFromPath)),
  });
  expect(summary.status, `${source}: ${summary.message ?? ''}`).toBe('succeeded');
  return summary;
}

async function subdir(name: string): Promise<string> {
  const d = path.join(dir, name);
  await import('node:fs/promises').then((fs) => fs.mkdir(d));
  return d;
}

beforeAll(async () => {
  demo = generateDemoData({ children: 400 });
  demo.children.forEach((child, index) => caseSystemIdOf.set(child.id, demoCaseSystemId(index + 1)));
  dir = await mkdtemp(path.join(os.tmpdir(), 'portal-round-trip-'));
  // Only what a council sets up before its first import: organisations, its teams and workers.
  const { sql } = db();
  await insertDirectory(sql, demo);
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const sorted = <T>(rows: T[]) => rows.map((r) => JSON.stringify(r)).sort();

describe('generate → write each format → import into an empty database', () => {
  it('gives back the same children, involvements, allocations and relationships', async () => {
    const ssd = await writeSsdExtract(demo, await subdir('ssd'));
    const first = await importFiles('ssd', ssd);
    expect(first.counts.rejected + first.counts.held).toBe(0);
    expect(first.counts.read).toBe(first.counts.inserted + first.counts.updated + first.counts.unchanged + first.counts.rejected + first.counts.held);
    await importFiles('flags', await writeFlags(demo, await subdir('flags')));
    await importFiles('school-roll', await writeSchoolRoll(demo, await subdir('roll')));
    await importFiles('gp-registration', await writeGpRegistrations(demo, await subdir('gp')));

    const { sql } = db();
    // Children, by case-system id.
    const children = await sql`
      select s.source_id as id, c.forename, c.surname, c.date_of_birth::text as dob, c.gender, c.nhs_number, c.upn,
             c.address, c.postcode, c.sealed, c.address_withheld
      from children c join child_sources s on s.child_id = c.id and s.system = ${SYSTEM}`;
    expect(children).toHaveLength(demo.children.length);
    expect(sorted(children.map((c) => ({ ...c })))).toEqual(sorted(demo.children.map((c) => ({
      id: caseSystemIdOf.get(c.id), forename: c.forename, surname: c.surname, dob: c.date_of_birth, gender: c.gender,
      nhs_number: c.nhs_number, upn: c.upn, address: c.address, postcode: c.postcode, sealed: c.sealed, address_withheld: c.address_withheld,
    }))));

    // Involvements: kind, dates, category; the next review where the SSD carries one (CP and
    // looked-after reviews; it has none for child-in-need plans).
    const involvements = await sql`
      select s.source_id as id, i.kind, i.start_date::text as start, i.end_date::text as end, i.cp_category,
             case when i.kind = 'child_in_need' then null else i.next_review_date::text end as review
      from involvements i join child_sources s on s.child_id = i.child_id and s.system = ${SYSTEM}`;
    expect(sorted(involvements.map((r) => ({ ...r })))).toEqual(sorted(demo.involvements.map((i) => ({
      id: caseSystemIdOf.get(i.child_id), kind: i.kind, start: i.start_date, end: i.end_date, cp_category: i.cp_category,
      review: i.kind === 'child_in_need' ? null : i.next_review_date,
    }))));

    // Allocations, by the worker's name (the directory's own rows are matched, not copied).
    const workerName = new Map(demo.social_workers.map((w) => [w.id, w.name]));
    const allocations = await sql`
      select s.source_id as id, w.name as worker, a.start_date::text as start, a.end_date::text as end
      from allocations a join child_sources s on s.child_id = a.child_id and s.system = ${SYSTEM}
      join social_workers w on w.id = a.social_worker_id`;
    expect(sorted(allocations.map((r) => ({ ...r })))).toEqual(sorted(demo.allocations.map((a) => ({
      id: caseSystemIdOf.get(a.child_id), worker: workerName.get(a.social_worker_id), start: a.start_date, end: a.end_date,
    }))));
    // The workers are the directory's: none added.
    const [directory] = await sql<{ workers: number }[]>`select count(*)::int as workers from social_workers`;
    expect(directory!.workers).toBe(demo.social_workers.length);

    // School enrolments and GP registrations (health teams' caseloads come from no feed). A school
    // roll names each pupil by UPN and a GP registration feed each patient by NHS number, so a
    // demo child without one (a new arrival, a newborn) cannot be in it: not expected back.
    const nhsOf = new Map(demo.children.map((c) => [c.id, c.nhs_number]));
    const upnOf = new Map(demo.children.map((c) => [c.id, c.upn]));
    const relationships = await sql`
      select s.source_id as id, r.organisation_id as org, r.kind, r.start_date::text as start, r.end_date::text as end
      from child_organisation_relationships r join child_sources s on s.child_id = r.child_id and s.system = ${SYSTEM}
      where r.kind in ('enrolled', 'registered')`;
    expect(sorted(relationships.map((r) => ({ ...r })))).toEqual(sorted(demo.child_organisation_relationships
      .filter((r) => (r.kind === 'registered' && nhsOf.get(r.child_id) !== null) || (r.kind === 'enrolled' && upnOf.get(r.child_id) !== null))
      .map((r) => ({ id: caseSystemIdOf.get(r.child_id), org: r.organisation_id, kind: r.kind, start: r.start_date, end: r.end_date }))));
  });

  it('the CIN census and SSDA903 returns, and the same extract again, then change nothing', async () => {
    for (const [source, files] of [
      ['cin-census', await writeCinCensus(demo, await subdir('cin'))],
      ['ssda903', await writeSsda903(demo, await subdir('903'))],
      ['ssd', (await readdir(path.join(dir, 'ssd'))).map((f) => path.join(dir, 'ssd', f))],
    ] as const) {
      const { counts } = await importFiles(source, [...files]);
      expect({ source, inserted: counts.inserted, updated: counts.updated, ended: counts.ended, rejected: counts.rejected, held: counts.held })
        .toEqual({ source, inserted: 0, updated: 0, ended: 0, rejected: 0, held: 0 });
      expect(counts.unchanged).toBe(counts.read);
    }
  });

  it('a child whose row the next extract cannot read keeps their plans: a typo does not end a child protection plan', async () => {
    const { sql } = db();
    // A child with an open involvement, and the extract's person file with their date of birth broken.
    const [open] = await sql<{ id: string; open: number }[]>`
      select s.source_id as id, count(*)::int as open from involvements i
      join child_sources s on s.child_id = i.child_id and s.system = ${SYSTEM}
      where i.end_date is null group by s.source_id order by s.source_id limit 1`;
    expect(open).toBeDefined();
    const ssdDir = path.join(dir, 'ssd');
    const personFile = (await readdir(ssdDir)).find((f) => f.toLowerCase() === 'ssd_person.csv')!;
    const fs = await import('node:fs/promises');
    const text = await fs.readFile(path.join(ssdDir, personFile), 'utf8');
    const lines = text.split('\n');
    const header = lines[0]!.replace(/^\uFEFF/, '').split(',').map((h) => h.replace(/"/g, '').trim().toLowerCase());
    const idColumn = header.indexOf('pers_person_id');
    const dobColumn = header.indexOf('pers_dob');
    const at = lines.findIndex((line, i) => i > 0 && line.split(',')[idColumn]!.replace(/"/g, '') === open!.id);
    expect(at).toBeGreaterThan(0);
    const cells = lines[at]!.split(',');
    cells[dobColumn] = '31/02/2015';
    lines[at] = cells.join(',');
    await fs.writeFile(path.join(ssdDir, personFile), lines.join('\n'));

    const { counts } = await importFiles('ssd', (await readdir(ssdDir)).map((f) => path.join(ssdDir, f)));
    expect(counts.rejected).toBeGreaterThan(0);
    expect(counts.ended).toBe(0);
    const [after] = await sql<{ open: number }[]>`
      select count(*)::int as open from involvements i join child_sources s on s.child_id = i.child_id and s.system = ${SYSTEM}
      where s.source_id = ${open!.id} and i.end_date is null`;
    expect(after!.open).toBe(open!.open);
  });
});
