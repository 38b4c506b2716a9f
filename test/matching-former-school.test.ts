// A near match by former school (issue 11, point 2): a school raises a concern about a pupil who
// has left it, knowing only the name (and misspelling it). The front door is offered the child
// who was on that school's roll, with why; a child who never was is not offered on a name alone.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_SCHOOLS } from '../src/seed/demo-organisations.ts';
import { seedDemoData } from '../src/seed/insert.ts';
import { goodAnswers } from './support/concerns.ts';
import { useTestDatabase } from './support/database.ts';
import { demoClients } from './support/demo-session.ts';
import { buildTestApp, type InProcessApp } from './support/in-process-app.ts';

const db = useTestDatabase();
let app: InProcessApp;
const as = demoClients(() => app);
let leaver: { id: string; forename: string; surname: string };

beforeAll(async () => {
  await seedDemoData(db().sql, { children: 150, referenceDate: '2026-11-23' });
  app = await buildTestApp(db().sql);
  // An open, unsealed pupil of Riverside Primary with a surname long enough to misspell; they leave.
  [leaver] = await db().sql<[typeof leaver]>`
    select c.id, c.forename, c.surname from children c
    join child_organisation_relationships r on r.child_id = c.id and r.end_date is null and r.kind = 'enrolled'
    where r.organisation_id = ${DEMO_SCHOOLS[0]!.id} and not c.sealed and length(c.surname) >= 5
      and exists (select 1 from involvements i where i.child_id = c.id and i.end_date is null)
    order by c.id limit 1`;
  await db().sql`update child_organisation_relationships set end_date = greatest(start_date, current_date - 30)
                 where child_id = ${leaver.id} and organisation_id = ${DEMO_SCHOOLS[0]!.id} and kind = 'enrolled' and end_date is null`;
});
afterAll(async () => {
  await app?.close();
});

async function raiseAndOpen(sub: string, surname: string): Promise<string> {
  const sent = await (await as(sub)).post('/concerns', {
    idempotencyKey: randomUUID(), childId: '', ...goodAnswers, childForename: leaver.forename, childSurname: surname,
  });
  expect(sent.status).toBe(303);
  const reference = sent.res.headers.get('location')!.replace('/concerns/', '').replace(/\?sent=1$/, '');
  const [{ id }] = await db().sql<[{ id: string }]>`select id from concerns where reference = ${reference}`;
  return (await (await as('front-door')).get(`/front-door/${id}`)).html;
}

it('offers the child who was on the raising school’s roll, with why, from a misspelt name alone', async () => {
  const misspelt = `${leaver.surname.slice(0, -1)}${leaver.surname.endsWith('e') ? 'a' : 'e'}`;
  const page = await raiseAndOpen('dsl-riverside', misspelt);
  expect(page).toContain(`value="${leaver.id}"`);
  expect(page).toContain('Similar name, formerly on roll at the school that raised it');
});

it('does not offer that child to a concern from a school they were never at, on a name alone', async () => {
  const page = await raiseAndOpen('dsl-northbridge-high', leaver.surname);
  expect(page).not.toContain('formerly on roll');
});
