// The allocated social worker is told (issue 11, point 4): when a partner raises a concern about
// their child and when the front door decides on it, an item on their start page (and an e-mail,
// checked in immediate-risk.test.ts); they mark items read; another worker cannot; the team
// manager sees the team's unread items, with whose they are. All through the policy (`Alert`).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_SCHOOLS } from '../src/seed/demo-organisations.ts';
import { seedDemoData } from '../src/seed/insert.ts';
import { goodAnswers } from './support/concerns.ts';
import { useTestDatabase } from './support/database.ts';
import { demoClients } from './support/demo-session.ts';
import { hiddenField } from './support/http-client.ts';
import { buildTestApp, type InProcessApp } from './support/in-process-app.ts';

const db = useTestDatabase();
let app: InProcessApp;
const as = demoClients(() => app);
let pupil: { id: string; workerName: string; teamId: string };
let reference: string;

beforeAll(async () => {
  await seedDemoData(db().sql, { children: 150, referenceDate: '2026-11-23' });
  app = await buildTestApp(db().sql);
  // A pupil of the DSL's school allocated to Priya Desai (a demo account).
  [pupil] = await db().sql<[typeof pupil]>`
    select c.id, w.name as "workerName", w.team_id as "teamId" from children c
    join child_organisation_relationships r on r.child_id = c.id and r.end_date is null and r.kind = 'enrolled'
    join allocations a on a.child_id = c.id and a.end_date is null join social_workers w on w.id = a.social_worker_id
    where r.organisation_id = ${DEMO_SCHOOLS[0]!.id} and not c.sealed and w.name = 'Priya Desai'
      and exists (select 1 from involvements i where i.child_id = c.id and i.end_date is null)
    order by c.id limit 1`;
  if (!pupil) throw new Error('no pupil of Riverside Primary allocated to Priya Desai in the demo data');
  const sent = await (await as('dsl-riverside')).post('/concerns', { idempotencyKey: randomUUID(), childId: pupil.id, ...goodAnswers });
  reference = sent.res.headers.get('location')!.replace('/concerns/', '').replace(/\?sent=1$/, '');
});
afterAll(async () => {
  await app?.close();
});

const alertsOn = (html: string) => /data-testid="notifications"[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '';

it('the social worker sees the partner’s concern, then the front door’s decision, on their start page', async () => {
  expect(alertsOn((await (await as('sw-priya-desai')).get('/')).html)).toContain(`raised a concern about this child (${reference})`);
  const frontDoor = await as('front-door');
  const [{ id }] = await db().sql<[{ id: string }]>`select id from concerns where reference = ${reference}`;
  const page = await frontDoor.get(`/front-door/${id}`);
  const decided = await frontDoor.post(`/front-door/${id}/decision`, {
    csrf_token: hiddenField(page.html, 'csrf_token')!, match: pupil.id, decision: 'referral_to_social_care', reason: 'Known to the team.', feedback: 'Passed on.',
  });
  expect(decided.status).toBe(303);
  const start = alertsOn((await (await as('sw-priya-desai')).get('/')).html);
  // Another team's social worker sees none of it.
  expect(alertsOn((await (await as('sw-kofi-asante')).get('/')).html)).not.toContain(reference);
  expect(start).toContain(`The front door decided on ${reference}: Referral to children’s social care.`);
  expect((await db().sql`select 1 from outbox where kind = 'decision_for_allocated_worker' and dedupe_key = ${`decision-allocated-worker:${id}`}`).length).toBe(1);
});

it('the team manager sees the team’s unread alerts, with whose they are', async () => {
  const start = alertsOn((await (await as('tm-helen-whitaker')).get('/')).html);
  // Only if Priya Desai is in Helen Whitaker's team does the manager see hers.
  const [{ same }] = await db().sql<[{ same: boolean }]>`
    select exists (select 1 from social_workers w where w.name = 'Helen Whitaker' and w.team_id = ${pupil.teamId}) as same`;
  expect(start.includes(reference)).toBe(same);
  if (same) expect(start).toContain('(Priya Desai)');
});

it('an alert is marked read by its owner, and by no other worker', async () => {
  const [{ id }] = await db().sql<[{ id: string }]>`
    select id::text from social_worker_notifications where kind = 'concern' and message like ${`%${reference}%`}`;
  // Another social worker, a partner and the front door: as if it did not exist.
  for (const sub of ['sw-kofi-asante', 'dsl-riverside', 'front-door']) {
    expect((await (await as(sub)).post(`/alerts/${id}/read`, {})).status, sub).toBe(404);
  }
  const [{ unread }] = await db().sql<[{ unread: boolean }]>`select read_at is null as unread from social_worker_notifications where id = ${id}`;
  expect(unread).toBe(true);
  const sw = await as('sw-priya-desai');
  const marked = await sw.post(`/alerts/${id}/read`, {});
  expect(marked.status).toBe(303);
  expect(alertsOn((await sw.get('/')).html)).not.toContain(`raised a concern about this child (${reference})`);
  // Marking it again: it is no longer an unread alert.
  expect((await sw.post(`/alerts/${id}/read`, {})).status).toBe(404);
});

it('a lookup by the emergency department or police adds an item and an e-mail for the allocated worker', async () => {
  const [{ nhs }] = await db().sql<[{ nhs: string }]>`
    select c.nhs_number as nhs from children c where c.id = ${pupil.id}`;
  const [{ cpis }] = await db().sql<[{ cpis: boolean }]>`
    select exists (select 1 from involvements i where i.child_id = ${pupil.id} and i.end_date is null and i.kind in ('child_protection', 'looked_after')) as cpis`;
  // The police may look up any open child (the emergency department only one on a plan or looked after).
  const found = await (await as(cpis ? 'ed-clinician' : 'police-ppu')).post('/lookup', { method: 'nhs', nhsNumber: nhs, reason: 'Missing child enquiry' });
  expect(found.html).toContain('Record found');
  const [{ items }] = await db().sql<[{ items: number }]>`
    select count(*)::int as items from social_worker_notifications where child_id = ${pupil.id} and kind = 'lookup'`;
  expect(items).toBe(1);
  const mails = await db().sql<Array<{ subject: string; body: string }>>`select subject, body from outbox where kind = 'lookup_for_allocated_worker'`;
  expect(mails).toHaveLength(1);
  expect(mails[0]!.subject).toBe('A child you work with has been looked up');
  expect(mails[0]!.body).not.toContain(nhs);
});
