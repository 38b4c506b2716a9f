// A HEAD request is answered without a body, so it is not a look at a child: the access log
// gets no row for it (issue 10, point 6), while a GET of the same page gets one.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { seedDemoData } from '../src/seed/insert.ts';
import { useTestDatabase } from './support/database.ts';
import { demoClients } from './support/demo-session.ts';
import { buildTestApp, type InProcessApp } from './support/in-process-app.ts';

const db = useTestDatabase();
let app: InProcessApp;
const as = demoClients(() => app);

beforeAll(async () => {
  await seedDemoData(db().sql, { children: 60, referenceDate: '2026-11-23' });
  app = await buildTestApp(db().sql);
});
afterAll(async () => {
  await app?.close();
});

const logRows = async () => (await db().sql<[{ n: number }]>`select count(*)::int as n from access_log`)[0].n;

it('HEAD of a summary or a list answers without a body and logs nothing; GET logs one row', async () => {
  const dsl = await as('dsl-riverside');
  const list = await dsl.get('/children');
  const id = /href="\/children\/([0-9a-f-]{36})"/.exec(list.html)?.[1];
  expect(id).toBeDefined();
  const before = await logRows();
  for (const path of [`/children/${id}`, '/children']) {
    const head = await dsl.request(dsl.url(path), { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  }
  expect(await logRows()).toBe(before);
  expect((await dsl.get(`/children/${id}`)).status).toBe(200);
  expect(await logRows()).toBe(before + 1);
});
