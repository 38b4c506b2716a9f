// Training records that say where a date came from and when it runs out (issue 12, point 7):
// - an organisation's sign-in that says only "trained" records the day it first said so, and
//   later sign-ins do not move it; a sign-in with a date replaces it;
// - renewal is due two years (TRAINING_VALID_MONTHS) after the date, and from then the person
//   is read-only again, with a page that says when renewal was due and what to do;
// - the list can be filtered by organisation and status, and a bad filter is refused by its field.
// Through the real app in process, against a real PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identityFromClaims } from '../src/auth/claims.ts';
import { decideAccess, recordUser } from '../src/auth/users.ts';
import { seedDemoData } from '../src/seed/insert.ts';
import { renewalDueOn, todayInEngland, trainingState } from '../src/training/renewal.ts';
import { useTestDatabase } from './support/database.ts';
import { demoClaims, demoClients, signedInAs } from './support/demo-session.ts';
import { buildTestApp, type InProcessApp } from './support/in-process-app.ts';
import { providerFor } from './support/sign-in.ts';

const db = useTestDatabase();
let app: InProcessApp;
const as = demoClients(() => app);
const DSL = 'dsl-riverside';
const NEW_STARTER = 'new-deputy-dsl-northbridge-high';

beforeAll(async () => {
  await seedDemoData(db().sql, { children: 20, referenceDate: '2026-11-23' });
  app = await buildTestApp(db().sql);
  for (const sub of [DSL, NEW_STARTER, 'deputy-dsl-riverside', 'dsl-northbridge-high']) await as(sub);
});
afterAll(async () => {
  await app?.close();
});

const training = async (sub: string) =>
  (await db().sql<{ on: string | null; source: string | null; by: string | null }[]>`
    select training_completed_on::text as on, training_source as source, training_recorded_by_user_id as by from users where subject = ${sub}`)[0]!;
const userId = async (sub: string) => (await db().sql`select id from users where subject = ${sub}`)[0]!.id as string;

/** Signs `sub` in again, as the callback would, with these claims in place of the demo account's. */
async function signInWith(sub: string, claims: Record<string, unknown>) {
  const provider = app.auth.providers.find((p) => p.id === providerFor.education)!;
  const identity = identityFromClaims(provider, { ...demoClaims(sub, provider.issuer), ...claims });
  const decision = await decideAccess(app.sql, identity);
  if (!decision.allowed) throw new Error('refused');
  await recordUser(app.sql, identity, decision.assignments);
}

describe('the renewal date', () => {
  it('is the completion date plus the months configured, on the last day of a shorter month', () => {
    expect(renewalDueOn('2024-09-14', 24)).toBe('2026-09-14');
    expect(renewalDueOn('2024-02-29', 24)).toBe('2026-02-28');
    expect(renewalDueOn('2025-08-31', 6)).toBe('2026-02-28');
    expect(trainingState('2024-11-23', 24, '2026-11-22')).toBe('current');
    expect(trainingState('2024-11-23', 24, '2026-11-23')).toBe('renewal_due');
    expect(trainingState(null, 24, '2026-11-23')).toBe('not_recorded');
  });
});

describe('where the date came from', () => {
  it('a sign-in that says only "trained" keeps the day it first said so', async () => {
    const first = await training(DSL);
    expect(first).toEqual({ on: todayInEngland(), source: 'sign_in_undated', by: null });
    await db().sql`update users set training_completed_on = '2025-06-01' where subject = ${DSL}`;
    await signInWith(DSL, {});
    expect(await training(DSL)).toEqual({ on: '2025-06-01', source: 'sign_in_undated', by: null });
    const list = await (await as('info-governance')).get('/training');
    expect(list.html).toContain('Confirmed by their organisation, no date given: first confirmed on 1 June 2025');
    expect(list.html).toContain('Renewal due 1 June 2027');
  });

  it('a sign-in with a date replaces it, and the list says the date came from the sign-in', async () => {
    await signInWith('deputy-dsl-riverside', { safeguarding_training: '2026-03-02' });
    expect(await training('deputy-dsl-riverside')).toEqual({ on: '2026-03-02', source: 'sign_in_dated', by: null });
    const list = await (await as('info-governance')).get('/training');
    expect(list.html).toContain('Completed 2 March 2026<br><span class="govuk-body-s">Date given by their organisation’s sign-in.');
  });
});

describe('renewal due', () => {
  it('makes a DSL read-only again, with a page that says when and what to do; recording a new date lets them raise again', async () => {
    const dsl = await as(DSL);
    expect((await dsl.get('/concerns/new')).status).toBe(200);
    const completed = '2024-01-15';
    await db().sql`update users set training_completed_on = ${completed} where subject = ${DSL}`;
    const refused = await dsl.get('/concerns/new');
    expect(refused.status).toBe(403);
    expect(refused.html).toContain('Your safeguarding training renewal was due on 15 January 2026');
    expect(refused.html).toContain('If you have renewed your training');
    expect(refused.html).not.toContain('not recorded as complete');
    // Still read-only, not locked out.
    expect((await dsl.get('/children')).status).toBe(200);
    // Nor may they send a concern some other way.
    expect((await dsl.post('/concerns', {})).status).toBe(403);

    const ig = await as('info-governance');
    const list = await ig.get('/training');
    expect(list.html).toContain('Renewal was due on 15 January 2026');
    const recorded = await ig.post(`/training/${await userId(DSL)}`, { 'completed-day': '3', 'completed-month': '11', 'completed-year': '2026' });
    expect(recorded.status).toBe(303);
    expect(await training(DSL)).toMatchObject({ on: '2026-11-03', source: 'council' });
    expect((await dsl.get('/concerns/new')).status).toBe(200);
  });

  it('a new starter is still told their training is not recorded (no renewal date to give)', async () => {
    const page = await (await as(NEW_STARTER)).get('/concerns/new');
    expect(page.status).toBe(403);
    expect(page.html).toContain('Your safeguarding training is not recorded as complete');
    expect(page.html).not.toContain('renewal was due');
  });

  it('counts from TRAINING_VALID_MONTHS where it is set', async () => {
    const shortApp = await buildTestApp(db().sql, { trainingValidMonths: 6 });
    try {
      await db().sql`update users set training_completed_on = ${renewalDueOn(todayInEngland(), -7)} where subject = 'dsl-northbridge-high'`;
      const page = await (await signedInAs(shortApp, 'dsl-northbridge-high')).get('/concerns/new');
      // A fresh sign-in with "trained" does not move the date either.
      expect(page.status).toBe(403);
      expect(page.html).toContain('renewal was due on');
      expect((await (await as('dsl-northbridge-high')).get('/concerns/new')).status).toBe(200);
    } finally {
      await shortApp.close();
    }
  });
});

describe('the list’s filters', () => {
  const rows = (html: string) => [...html.matchAll(/data-user="([0-9a-f-]{36})"/g)].map((m) => m[1]);

  it('by status: current, renewal due, not recorded', async () => {
    await db().sql`update users set training_completed_on = '2023-01-01' where subject = 'deputy-dsl-riverside'`;
    const ig = await as('info-governance');
    const due = await ig.get('/training?status=renewal_due');
    expect(due.status).toBe(200);
    expect(rows(due.html)).toEqual([await userId('deputy-dsl-riverside')]);
    const notRecorded = await ig.get('/training?status=not_recorded');
    expect(rows(notRecorded.html)).toEqual([await userId(NEW_STARTER)]);
    const current = rows((await ig.get('/training?status=current')).html);
    expect(current).toContain(await userId(DSL));
    expect(current).not.toContain(await userId(NEW_STARTER));
    expect(current).not.toContain(await userId('deputy-dsl-riverside'));
  });

  it('by organisation, and both together', async () => {
    const ig = await as('info-governance');
    const [riverside] = await db().sql`select a->>'organisationId' as id from users u, jsonb_array_elements(u.role_assignments) a where u.subject = ${DSL}`;
    const page = await ig.get(`/training?organisation=${riverside!.id}`);
    expect(page.status).toBe(200);
    expect(rows(page.html).sort()).toEqual([await userId(DSL), await userId('deputy-dsl-riverside')].sort());
    expect(page.html).toMatch(new RegExp(`<option value="${riverside!.id}" selected>`));
    const both = await ig.get(`/training?organisation=${riverside!.id}&status=renewal_due`);
    expect(rows(both.html)).toEqual([await userId('deputy-dsl-riverside')]);
    const none = await ig.get(`/training?organisation=${riverside!.id}&status=not_recorded`);
    expect(rows(none.html)).toEqual([]);
    expect(none.html).toContain('No partner matches these filters.');
  });

  it('a bad filter is refused by its field, the list unfiltered, never a 5xx', async () => {
    const ig = await as('info-governance');
    for (const [query, message] of [
      ['status=expired', 'Choose a training status from the list'],
      ['status=%00', 'Choose a training status from the list'],
      ['organisation=not-an-id', 'Choose an organisation from the list'],
      ['organisation=00000000-0000-4000-8000-000000000000', 'Choose an organisation from the list'],
      [`organisation=${'x'.repeat(5000)}`, 'Choose an organisation from the list'],
    ] as const) {
      const page = await ig.get(`/training?${query}`);
      expect(page.status, query).toBe(400);
      expect(page.html).toContain('govuk-error-summary');
      expect(page.html).toContain(message);
      expect(rows(page.html)).toContain(await userId(NEW_STARTER));
      expect(rows(page.html)).toContain(await userId(DSL));
    }
  });

  it('only information governance may filter', async () => {
    expect((await (await as(DSL)).get('/training?status=current')).status).toBe(404);
  });
});
