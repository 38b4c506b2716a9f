// "View as" (issue 10, point 7): information governance sees which fields a role would get and
// by which rule, with real values only for fields that are not free text, and only after saying
// why — a reason that is logged and shown to the child's social worker under "Viewed by".
import { afterAll, beforeAll, expect, it } from 'vitest';
import { seedDemoData } from '../src/seed/insert.ts';
import { useTestDatabase } from './support/database.ts';
import { demoClients } from './support/demo-session.ts';
import { buildTestApp, type InProcessApp } from './support/in-process-app.ts';

const db = useTestDatabase();
let app: InProcessApp;
const as = demoClients(() => app);
let child: { id: string; forename: string; address: string; entry: string };
let council: string;

beforeAll(async () => {
  await seedDemoData(db().sql, { children: 80, referenceDate: '2026-11-23' });
  app = await buildTestApp(db().sql);
  // An open child of Priya Desai's with an address and a chronology entry, not sealed.
  const [row] = await db().sql<Array<{ id: string; forename: string; address: string; entry: string }>>`
    select c.id, c.forename, c.address, (select e.summary from chronology_events e where e.child_id = c.id order by e.occurred_on desc limit 1) as entry
    from children c join allocations a on a.child_id = c.id and a.end_date is null join social_workers w on w.id = a.social_worker_id
    where w.name = 'Priya Desai' and not c.sealed and c.address is not null
      and exists (select 1 from involvements i where i.child_id = c.id and i.end_date is null)
      and exists (select 1 from chronology_events e where e.child_id = c.id)
    order by c.id limit 1`;
  if (!row) throw new Error('no suitable child of Priya Desai in the demo data');
  child = row;
  [{ id: council }] = await db().sql<[{ id: string }]>`select id from organisations where kind = 'local_authority' order by name limit 1`;
});
afterAll(async () => {
  await app?.close();
});

const preview = (reason: string) =>
  `/governance/view-as?role=council.front_door&organisation=${council}&child=${child.id}&reason=${encodeURIComponent(reason)}`;

it('asks why before showing anything, and logs nothing until it is given', async () => {
  const before = (await db().sql<[{ n: number }]>`select count(*)::int as n from access_log where child_id = ${child.id}`)[0].n;
  const page = await (await as('info-governance')).get(preview(''));
  expect(page.status).toBe(400);
  expect(page.html).toContain('Enter why you are previewing this child’s record');
  expect(page.html).not.toContain(child.forename);
  expect((await db().sql<[{ n: number }]>`select count(*)::int as n from access_log where child_id = ${child.id}`)[0].n).toBe(before);
});

it('names the free-text fields the role would get without showing their values', async () => {
  const page = await (await as('info-governance')).get(preview('Quarterly check of the front door’s access'));
  expect(page.status).toBe(200);
  // Structured values are shown: the name, as the front door would see it.
  expect(page.html).toContain(child.forename);
  // Free text the front door gets is named, never shown: the address and the chronology.
  for (const field of ['address', 'chronology']) {
    expect(page.html).toMatch(new RegExp(`data-decision="${field}"><th[^>]*>[^<]*</th><td[^>]*>Shown to the role \\(free text: not shown here\\)`));
  }
  expect(page.html).toMatch(/data-decision="viewedBy"><th[^>]*>[^<]*<\/th><td[^>]*>Withheld/);
  expect(page.html).not.toContain(child.address);
  expect(page.html).not.toContain(child.entry);
  expect(page.html).not.toContain('data-field="chronology"');
});

it('logs the preview with its reason, and the child’s social worker sees it', async () => {
  const reason = 'Audit sample 42 for the safeguarding partnership';
  expect((await (await as('info-governance')).get(preview(reason))).status).toBe(200);
  const [row] = await db().sql<[{ reason: string; fields: string[] }]>`
    select reason, fields_released as fields from access_log where child_id = ${child.id} order by id desc limit 1`;
  expect(row.reason).toContain(reason);
  expect(row.fields).not.toContain('chronology');
  expect(row.fields).not.toContain('address');
  // A governance preview is the council's own look: not among the partners' views, one click away.
  const partners = await (await as('sw-priya-desai')).get(`/children/${child.id}`);
  expect(partners.status).toBe(200);
  expect(partners.html).not.toContain(reason);
  const summary = await (await as('sw-priya-desai')).get(`/children/${child.id}?views=all`);
  expect(summary.status).toBe(200);
  const viewedBy = /data-field="viewedBy"[\s\S]*?<\/table>/.exec(summary.html)?.[0] ?? '';
  expect(viewedBy).toContain(reason);
});
