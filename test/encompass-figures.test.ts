// Operation Encompass's figures (issue 14, point 6): information governance counts every
// notification, a force only its own, everyone else gets the 404 page. The numbers on the page
// and in the CSV are recomputed here a second way, in plain TypeScript from the rows as inserted
// (months in England's time, a median by sorting), and must agree.
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SCHOOLS, NORTHBRIDGE_COUNCIL, NORTHBRIDGE_POLICE } from '../src/seed/demo-organisations.ts';
import { seedDemoData } from '../src/seed/insert.ts';
import { useTestDatabase } from './support/database.ts';
import { createDemoSession, demoClients } from './support/demo-session.ts';
import { insertNotification } from './support/encompass-fixtures.ts';
import { buildTestApp, type InProcessApp } from './support/in-process-app.ts';

const db = useTestDatabase();
let app: InProcessApp;
const as = demoClients(() => app);
const OTHER_FORCE = 'de000000-0000-4000-8000-000000000599';

interface Made { forceId: string; school: string | null; sentAt: Date; dueAt: Date; ackAt: Date | null }
const made: Made[] = [];
const minutes = (n: number) => n * 60_000;

beforeAll(async () => {
  await seedDemoData(db().sql, { children: 10, referenceDate: '2026-11-23' });
  await db().sql`insert into organisations (id, kind, name, force_code) values (${OTHER_FORCE}, 'police_force', 'Westshire Police', '98')`;
  app = await buildTestApp(db().sql);
  const police = (await createDemoSession(app, 'police-ppu')).session.userId;
  const dsl = (await createDemoSession(app, 'dsl-riverside')).session.userId;
  const [riverside, stMarys] = [DEMO_SCHOOLS[0]!, DEMO_SCHOOLS[1]!];
  // Sent at month ends and starts, so England's month (BST/GMT) matters: 2026-10-31T23:30Z is
  // 31 October in England (GMT from 25 October); 2026-09-30T23:30Z is 1 October (BST).
  const plan: Array<[string, string | null, string, number | null, string?]> = [
    // [sent (UTC), school, due (UTC), minutes to acknowledge or null, force]
    ['2026-09-30T23:30:00Z', riverside.id, '2026-10-01T07:30:00Z', 300],
    ['2026-10-05T18:00:00Z', riverside.id, '2026-10-06T07:30:00Z', 900], // after due (15 h)
    ['2026-10-06T18:00:00Z', riverside.id, '2026-10-07T07:30:00Z', 60],
    ['2026-10-07T18:00:00Z', stMarys.id, '2026-10-08T07:30:00Z', null],
    ['2026-10-08T18:00:00Z', null, '2026-10-09T07:30:00Z', 30],
    ['2026-10-31T23:30:00Z', stMarys.id, '2026-11-02T08:30:00Z', 120],
    ['2026-11-03T18:00:00Z', riverside.id, '2026-11-04T08:30:00Z', 45],
    ['2026-11-03T19:00:00Z', riverside.id, '2026-11-04T08:30:00Z', 1000], // late
    ['2026-11-04T18:00:00Z', riverside.id, '2026-11-05T08:30:00Z', null],
    ['2026-12-01T18:00:00Z', riverside.id, '2026-12-02T08:30:00Z', null], // not yet due "now"
    ['2026-10-20T18:00:00Z', riverside.id, '2026-10-21T07:30:00Z', 10, OTHER_FORCE],
    ['2026-11-20T18:00:00Z', stMarys.id, '2026-11-23T08:30:00Z', null, OTHER_FORCE],
  ];
  for (const [sent, school, due, ack, force = NORTHBRIDGE_POLICE.id] of plan) {
    const n = await insertNotification(db().sql, { schoolId: school, councilId: NORTHBRIDGE_COUNCIL.id, forceId: force, sentByUserId: police, sentAt: new Date(sent), dueAt: new Date(due) });
    const ackAt = ack === null ? null : new Date(Date.parse(sent) + minutes(ack));
    if (ackAt) {
      await db().sql`update encompass_notifications set acknowledged_at = ${ackAt}, acknowledged_by_user_id = ${dsl}, acknowledged_by_name = 'Sarah Collins',
                     school_action = 'no_action' where id = ${n.id}`;
    }
    made.push({ forceId: force, school, sentAt: new Date(sent), dueAt: new Date(due), ackAt });
  }
});
afterAll(async () => {
  await app?.close();
});

// --- The second way ----------------------------------------------------------------------
const NOW = new Date(); // the app uses the real clock: every due time above has passed but the last's may not have
const londonMonth = (at: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit' }).format(at).slice(0, 7);
const schoolName = (id: string | null) => (id === null ? 'The council’s front door' : DEMO_SCHOOLS.find((s) => s.id === id)!.name);
function median(values: number[]): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
function expected(forces: string[]) {
  const rows = new Map<string, Made[]>();
  for (const m of made.filter((x) => forces.includes(x.forceId))) {
    for (const key of [`${londonMonth(m.sentAt)}|All schools and the front door`, `${londonMonth(m.sentAt)}|${schoolName(m.school)}`]) {
      rows.set(key, [...(rows.get(key) ?? []), m]);
    }
  }
  return new Map([...rows].map(([key, ms]) => {
    const due = ms.filter((m) => m.dueAt <= NOW || m.ackAt).length;
    const inTime = ms.filter((m) => m.ackAt && m.ackAt <= m.dueAt).length;
    const acked = ms.filter((m) => m.ackAt);
    const med = median(acked.map((m) => (m.ackAt!.getTime() - m.sentAt.getTime()) / 60_000));
    return [key, [String(ms.length), String(due), String(inTime), due ? String(Math.round((100 * inTime) / due)) : '', String(acked.length), med === null ? '' : String(Math.round(med))]];
  }));
}

async function csvOf(sub: string) {
  const res = await (await as(sub)).get('/encompass/figures.csv');
  expect(res.status).toBe(200);
  expect(res.res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
  const [header, ...rows] = parse(res.html.replace(/^\uFEFF/, '')) as string[][];
  expect(header![0]).toBe('Month');
  return new Map(rows.map((r) => [`${r[0]}|${r[1]}`, r.slice(2)]));
}

describe('figures', () => {
  it('for information governance: every force’s notifications, by month and school, as recomputed', async () => {
    expect(await csvOf('info-governance')).toEqual(expected([NORTHBRIDGE_POLICE.id, OTHER_FORCE]));
  });

  it('for a force: its own only', async () => {
    const figures = await csvOf('police-ppu');
    expect(figures).toEqual(expected([NORTHBRIDGE_POLICE.id]));
    // October in England: the 1 October (BST) one counts in October, the 31 October (GMT) one too.
    expect(figures.get('2026-10|All schools and the front door')![0]).toBe('6');
  });

  it('shows the same numbers on the page, and a median in words', async () => {
    const page = await (await as('police-ppu')).get('/encompass/figures');
    expect(page.status).toBe(200);
    expect(page.html).toContain('October 2026');
    // Riverside in October: 3 sent, 2 of 3 in time, median 300 minutes = 5 hours.
    const october = page.html.slice(page.html.indexOf('data-month="2026-10"'));
    const riverside = october.slice(october.indexOf('Riverside Primary School'), october.indexOf('</tr>', october.indexOf('Riverside Primary School')));
    expect(riverside).toContain('>3<');
    expect(riverside).toContain('2 of 3 (67%)');
    expect(riverside).toContain('5 hours');
    expect(page.html).not.toContain('Westshire');
  });

  it('is a 404 for everyone else, page and CSV alike', async () => {
    for (const sub of ['dsl-riverside', 'deputy-dsl-riverside', 'gp-canal-wharf', 'ed-clinician', 'sw-priya-desai', 'front-door']) {
      for (const path of ['/encompass/figures', '/encompass/figures.csv']) {
        const res = await (await as(sub)).get(path);
        expect(res.status, `${sub} ${path}`).toBe(404);
      }
    }
  });

  it('keeps a school name typed as a formula as text in the CSV', async () => {
    await db().sql`update organisations set name = '=HYPERLINK("http://evil.example")' where id = ${DEMO_SCHOOLS[1]!.id}`;
    const res = await (await as('info-governance')).get('/encompass/figures.csv');
    expect(res.html).toContain(`"'=HYPERLINK(""http://evil.example"")"`);
  });
});
