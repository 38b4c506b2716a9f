// Lookups are limited per person (issue 10, point 7): past the limit a lookup is refused with a
// page that says when to try again and whom to phone; the refusal is logged, and the burst
// shows on information governance's "Unusual activity" page. Another person is not affected.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { lookupReasons } from '../src/lookup/form.ts';
import { seedDemoData } from '../src/seed/insert.ts';
import { useTestDatabase } from './support/database.ts';
import { demoClients } from './support/demo-session.ts';
import { buildTestApp, type InProcessApp } from './support/in-process-app.ts';

const LIMIT = 4;
const db = useTestDatabase();
let app: InProcessApp;
const as = demoClients(() => app);

beforeAll(async () => {
  await seedDemoData(db().sql, { children: 40, referenceDate: '2026-11-23' });
  app = await buildTestApp(db().sql, { lookupRateLimit: { limit: LIMIT, windowSeconds: 3600 } });
});
afterAll(async () => {
  await app?.close();
});

const lookUp = async (sub: string) =>
  (await as(sub)).post('/lookup', { method: 'nhs', nhsNumber: '9434765919', reason: lookupReasons[3] });

it('refuses a person past the limit, logs the refusal, and shows the burst to information governance', async () => {
  for (let i = 0; i < LIMIT; i++) expect((await lookUp('police-ppu')).status).toBe(200);
  const refused = await lookUp('police-ppu');
  expect(refused.status).toBe(429);
  expect(refused.html).toContain('You have looked up too many children');
  expect(refused.html).toMatch(/Try again in \d+ minutes?/);
  expect(refused.html).toMatch(/href="tel:[0-9+]+"/);

  // Per person: the emergency department clinician may still look up.
  expect((await lookUp('ed-clinician')).status).toBe(200);

  const [row] = await db().sql<[{ n: number }]>`
    select count(*)::int as n from access_log where action = 'lookup' and reason like 'Refused:%' and child_id is null`;
  expect(row.n).toBe(1);

  const page = await (await as('info-governance')).get('/governance/unusual-activity');
  expect(page.status).toBe(200);
  const table = /<table[^>]*data-testid="lookup-bursts"[\s\S]*?<\/table>/.exec(page.html)?.[0] ?? '';
  expect(table).toContain('Public protection officer');
  expect(table).toMatch(/>5<\/td>/);
  expect(table).toContain('govuk-tag--red');
  // Below the threshold (half the limit, rounded up, is 2): one lookup is not unusual.
  expect(table).not.toContain('Emergency department clinician');
});

it('is information governance’s page only', async () => {
  for (const sub of ['police-ppu', 'front-door', 'dsl-riverside', 'sw-priya-desai']) {
    expect((await (await as(sub)).get('/governance/unusual-activity')).status, sub).toBe(404);
  }
});
