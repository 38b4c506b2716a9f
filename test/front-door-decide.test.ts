// The front door's concern page, issue 11 point 3: the matched child's context beside the
// decision (through the policy), "Passed to the allocated social worker", assigning a concern to
// oneself or a colleague, the back and "Next concern" links, and no decision on a stale page: two
// workers deciding the same concern at once make exactly one decision.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideConcern } from '../src/access/concern-writes.ts';
import type { Actor } from '../src/auth/actor.ts';
import { identityFromClaims } from '../src/auth/claims.ts';
import { createSession, findSession } from '../src/auth/sessions.ts';
import { sessionCookieName } from '../src/auth/settings.ts';
import { decideAccess, recordUser } from '../src/auth/users.ts';
import { seedDemoData } from '../src/seed/insert.ts';
import { AppClient } from './support/app-client.ts';
import { postForm, raiseConcern } from './support/concerns.ts';
import { useTestDatabase } from './support/database.ts';
import { demoClaims, demoClients } from './support/demo-session.ts';
import { hiddenField, type TestClient } from './support/http-client.ts';
import { buildTestApp, type InProcessApp } from './support/in-process-app.ts';
import { providerFor } from './support/sign-in.ts';

const db = useTestDatabase();
let app: InProcessApp;
const as = demoClients(() => app);
const COLLEAGUE = 'Tomasz Nowak';
let colleague: TestClient;
let colleagueId: string;

interface Child { id: string; forename: string; surname: string; nhs: string }
let allocated: Child; // open, allocated to Priya Desai
let sealed: Child;

/** A second front-door worker, signed in as the callback would sign them in (same claims, another person). */
async function signInColleague(): Promise<{ client: AppClient; userId: string }> {
  const provider = app.auth.providers.find((p) => p.id === providerFor.council)!;
  const identity = identityFromClaims(provider, { ...demoClaims('front-door', provider.issuer), sub: 'front-door-colleague', name: COLLEAGUE, email: 'tomasz@northbridge.example' });
  const decision = await decideAccess(app.sql, identity);
  if (!decision.allowed) throw new Error('colleague refused');
  const userId = await recordUser(app.sql, identity, decision.assignments);
  const cookieValue = await createSession(app.sql, { userId, providerId: provider.id, idToken: null, assignment: decision.assignments[0]! });
  const session = (await findSession(app.sql, cookieValue, app.auth.timeouts))!;
  const client = new AppClient(app, session.csrfToken, '/');
  client.setCookie(new URL(app.baseUrl), sessionCookieName(app.auth), cookieValue);
  return { client, userId };
}

beforeAll(async () => {
  await seedDemoData(db().sql, { children: 150, referenceDate: '2026-11-23' });
  app = await buildTestApp(db().sql);
  [allocated] = await db().sql<Child[]>`
    select c.id, c.forename, c.surname, c.nhs_number as nhs from children c
    join allocations a on a.child_id = c.id and a.end_date is null
    join social_workers w on w.id = a.social_worker_id and w.name = 'Priya Desai'
    where not c.sealed and c.nhs_number is not null
      and exists (select 1 from involvements i where i.child_id = c.id and i.end_date is null)
    order by c.id limit 1` as never as [Child];
  [sealed] = await db().sql<Child[]>`select c.id, c.forename, c.surname, c.nhs_number as nhs from children c where c.sealed limit 1` as never as [Child];
  expect(allocated && sealed).toBeTruthy();
  ({ client: colleague, userId: colleagueId } = await signInColleague());
});
afterAll(async () => {
  await app?.close();
});

const concernId = async (reference: string) => (await db().sql`select id from concerns where reference = ${reference}`)[0]!.id as string;
const page = async (client: TestClient, path: string) => {
  const res = await client.request(`${app.baseUrl}${path}`);
  return { status: res.status, html: await res.text() };
};
/** The concern page as a worker opens it: its CSRF token and the version it shows. */
async function open(client: TestClient, id: string) {
  const { html } = await page(client, `/front-door/${id}`);
  return { html, token: hiddenField(html, 'csrf_token')!, seenVersion: hiddenField(html, 'seenVersion')! };
}
const decisionFor = (match: string, decision = 'advice_given') => ({ match, decision, reason: 'Advice given to the school.', feedback: 'Thank you: advice given.' });

describe('no decision on a stale page', () => {
  it('two workers deciding at once: exactly one decision, one chronology entry, one e-mail; the other is told', async () => {
    const reference = await raiseConcern(await as('dsl-riverside'), app, { childForename: 'Race', childSurname: 'Condition', childNhsNumber: allocated.nhs, referrerEmail: 'race@riverside.example' });
    const id = await concernId(reference);
    const mine = await open(await as('front-door'), id);
    const theirs = await open(colleague, id);
    expect(mine.seenVersion).toBe(theirs.seenVersion);

    const [a, b] = await Promise.all([
      postForm(await as('front-door'), app, `/front-door/${id}/decision`, { csrf_token: mine.token, seenVersion: mine.seenVersion, ...decisionFor(allocated.id, 'early_help') }),
      postForm(colleague, app, `/front-door/${id}/decision`, { csrf_token: theirs.token, seenVersion: theirs.seenVersion, ...decisionFor(allocated.id, 'advice_given') }),
    ]);
    expect([a.status, b.status].sort()).toEqual([303, 409]);
    const loser = a.status === 409 ? a : b;
    const winnerName = a.status === 409 ? COLLEAGUE : 'Nadia Hussain';
    const html = await loser.text();
    expect(html).toContain(`Someone else has changed this concern since you opened it: ${winnerName} decided it:`);
    expect(html).toContain('Check it, then decide again.');

    const [row] = await db().sql`select status, decision from concerns where id = ${id}`;
    expect(row!.status).toBe('decided');
    expect(row!.decision).toBe(a.status === 303 ? 'early_help' : 'advice_given');
    expect(await db().sql`select 1 from access_log where action = 'decide_concern' and reason like ${'%' + reference + '%'}`).toHaveLength(1);
    expect(await db().sql`select 1 from chronology_events where event_type = 'Front door decision' and summary like ${'%' + reference + '%'}`).toHaveLength(1);
    expect(await db().sql`select 1 from outbox where dedupe_key = ${'concern-decided:' + id}`).toHaveLength(1);
    expect(await db().sql`select 1 from social_worker_notifications where kind = 'decision' and message like ${'%' + reference + '%'}`).toHaveLength(1);

    // The winner's own double click lands on the decision that stands.
    const winner = a.status === 303 ? { client: await as('front-door'), form: mine, decision: 'early_help' } : { client: colleague, form: theirs, decision: 'advice_given' };
    const again = await postForm(winner.client, app, `/front-door/${id}/decision`, { csrf_token: winner.form.token, seenVersion: winner.form.seenVersion, ...decisionFor(allocated.id, winner.decision) });
    expect(again.status).toBe(303);
    expect(await db().sql`select 1 from access_log where action = 'decide_concern' and reason like ${'%' + reference + '%'}`).toHaveLength(1);
  });

  it('the check is in the UPDATE itself: two decisions at the same version, straight to the write, make one', async () => {
    const reference = await raiseConcern(await as('dsl-riverside'), app, { childForename: 'Race', childSurname: 'Direct', childNhsNumber: allocated.nhs });
    const id = await concernId(reference);
    const [{ version }] = await db().sql`select version from concerns where id = ${id}` as never as [{ version: number }];
    const users = await db().sql<{ id: string; name: string; organisationId: string }[]>`
      select u.id, u.name, (u.role_assignments->0->>'organisationId') as "organisationId" from users u
      where u.role_assignments @> '[{"role": "council.front_door"}]' order by u.name limit 2`;
    expect(users).toHaveLength(2);
    const actor = (u: (typeof users)[number]): Actor => ({
      userId: u.id, issuer: 'test', subject: u.id, name: u.name, email: null, role: 'council.front_door', agency: 'council',
      organisationId: u.organisationId, organisationName: 'Northbridge', requestId: 'test',
    } as unknown as Actor);
    const input = { concernId: id, reason: 'r', feedback: 'f', childId: allocated.id, seenVersion: version };
    const results = await Promise.all([
      decideConcern(db().sql, { ...input, decision: 'early_help' }, actor(users[0]!), { publicUrl: app.baseUrl }),
      decideConcern(db().sql, { ...input, decision: 'advice_given' }, actor(users[1]!), { publicUrl: app.baseUrl }),
    ]);
    expect(results.filter((r) => r?.recorded)).toHaveLength(1);
    const refused = results.find((r) => !r?.recorded)!;
    expect(refused.stale).toMatch(/ decided it: (Early help|Advice given)$/);
    expect(await db().sql`select 1 from chronology_events where event_type = 'Front door decision' and summary like ${'%' + reference + '%'}`).toHaveLength(1);
    expect(await db().sql`select 1 from outbox where dedupe_key = ${'concern-decided:' + id}`).toHaveLength(1);
  });

  it('refuses a decision made on a page from before the concern was reassigned, and writes nothing', async () => {
    const reference = await raiseConcern(await as('dsl-riverside'), app, { childSurname: 'Reassigned-Meanwhile' });
    const id = await concernId(reference);
    const mine = await open(await as('front-door'), id);
    const theirs = await open(colleague, id);
    const assigned = await postForm(colleague, app, `/front-door/${id}/assign`, { csrf_token: theirs.token, assignee: colleagueId });
    expect(assigned.status).toBe(303);

    const late = await postForm(await as('front-door'), app, `/front-door/${id}/decision`, { csrf_token: mine.token, seenVersion: mine.seenVersion, ...decisionFor('unmatched') });
    expect(late.status).toBe(409);
    expect(await late.text()).toContain(`Someone else has changed this concern since you opened it: it was assigned to ${COLLEAGUE}. Check it, then decide again.`);
    expect((await db().sql`select status from concerns where id = ${id}`)[0]!.status).toBe('received');

    // With the page opened again, the decision goes through.
    const fresh = await open(await as('front-door'), id);
    const ok = await postForm(await as('front-door'), app, `/front-door/${id}/decision`, { csrf_token: fresh.token, seenVersion: fresh.seenVersion, ...decisionFor('unmatched') });
    expect(ok.status).toBe(303);
  });
});

describe('assignment', () => {
  it('a worker takes a concern or gives it to a colleague; the queue shows who has it', async () => {
    const reference = await raiseConcern(await as('dsl-riverside'), app, { childSurname: 'Assign-Me' });
    const id = await concernId(reference);
    const client = await as('front-door');
    const form = await open(client, id);
    expect(form.html).toContain('data-testid="assigned-to">Not assigned');
    // The select offers the front-door staff who have signed in, and nobody else.
    expect(form.html).toContain(COLLEAGUE);
    expect(form.html).not.toContain('Priya Desai</option>');
    const rowOf = (html: string) => { const at = html.slice(html.indexOf(`data-reference="${reference}"`)); return at.slice(0, at.indexOf('</tr>')); };
    expect(rowOf((await page(client, '/front-door')).html)).toContain('Not assigned');

    expect((await postForm(client, app, `/front-door/${id}/assign`, { csrf_token: form.token, assignee: colleagueId })).status).toBe(303);
    expect(rowOf((await page(client, '/front-door')).html)).toContain(COLLEAGUE);
    const [row] = await db().sql`select assigned_to_user_id, assigned_at from concerns where id = ${id}`;
    expect(row!.assigned_to_user_id).toBe(colleagueId);
    expect(row!.assigned_at).toBeTruthy();

    // Not to someone who is not front-door staff; not by anyone else.
    const [partner] = await db().sql`select id from users where name = 'Sarah Collins'`;
    expect((await postForm(client, app, `/front-door/${id}/assign`, { csrf_token: form.token, assignee: partner!.id })).status).toBe(404);
    expect((await postForm(client, app, `/front-door/${id}/assign`, { csrf_token: form.token, assignee: 'not-a-uuid' })).status).toBe(404);
    for (const sub of ['dsl-riverside', 'sw-priya-desai', 'info-governance']) {
      const other = await as(sub);
      const token = hiddenField((await page(other, '/children')).html, 'csrf_token') ?? '';
      expect((await postForm(other, app, `/front-door/${id}/assign`, { csrf_token: token, assignee: colleagueId })).status, sub).toBe(404);
    }
    expect((await db().sql`select assigned_to_user_id from concerns where id = ${id}`)[0]!.assigned_to_user_id).toBe(colleagueId);
    // The partner never sees who has it.
    expect((await page(await as('dsl-riverside'), `/concerns/${reference}`)).html).not.toContain(COLLEAGUE);

    // Back to nobody.
    expect((await postForm(client, app, `/front-door/${id}/assign`, { csrf_token: form.token, assignee: '' })).status).toBe(303);
    expect(rowOf((await page(client, '/front-door')).html)).toContain('Not assigned');
  });
});

describe('context beside the decision', () => {
  it('shows the matched child’s status, worker, team, last ten chronology events and earlier concerns, logged as a look', async () => {
    const earlier = await raiseConcern(await as('gp-canal-wharf'), app, { childSurname: 'Earlier-Context' });
    const reference = await raiseConcern(await as('dsl-riverside'), app, { childSurname: 'Context-Now' });
    const [earlierId, id] = [await concernId(earlier), await concernId(reference)];
    // As if each had been raised from the child's record.
    await db().sql`update concerns set child_id = ${allocated.id} where id in ${db().sql([earlierId, id])}`;
    const before = (await db().sql`select count(*)::int as n from access_log where action = 'view_summary' and child_id = ${allocated.id}`)[0]!.n as number;

    const { html } = await open(await as('front-door'), id);
    const context = html.slice(html.indexOf('data-testid="child-context"'));
    expect(context).toContain(`About ${allocated.forename} ${allocated.surname}`);
    expect(context).toContain('Allocated worker');
    expect(context).toContain('Priya Desai');
    expect(context).toMatch(/Team/);
    const events = (context.slice(context.indexOf('data-testid="context-chronology"')).split('</ul>')[0]!.match(/<li/g) ?? []).length;
    const total = (await db().sql`select count(*)::int as n from chronology_events where child_id = ${allocated.id}`)[0]!.n as number;
    expect(events).toBe(Math.min(10, total));
    expect(context).toContain(earlier);
    expect(context.slice(context.indexOf('data-testid="earlier-concerns"')).split('</ul>')[0]).not.toContain(reference);
    const after = (await db().sql`select count(*)::int as n from access_log where action = 'view_summary' and child_id = ${allocated.id}`)[0]!.n as number;
    expect(after).toBe(before + 1);
    // The child is open and allocated: the front door may pass it to the social worker.
    expect(html).toContain('value="passed_to_allocated_worker"');
  });

  it('shows nothing of a child the front door’s policy does not release (a sealed record)', async () => {
    const reference = await raiseConcern(await as('dsl-riverside'), app, { childSurname: 'Sealed-Context' });
    const id = await concernId(reference);
    await db().sql`update concerns set child_id = ${sealed.id} where id = ${id}`;
    const { html } = await open(await as('front-door'), id);
    expect(html).not.toContain('data-testid="child-context"');
    expect(html).not.toContain(sealed.surname);
    expect(html).not.toContain('value="passed_to_allocated_worker"');
  });
});

describe('passing to the allocated social worker', () => {
  it('is offered only for an open, allocated child, and tells the worker', async () => {
    const unmatched = await raiseConcern(await as('dsl-riverside'), app, { childSurname: 'Nobody-Allocated-Xyz' });
    const unmatchedId = await concernId(unmatched);
    const form = await open(await as('front-door'), unmatchedId);
    expect(form.html).not.toContain('value="passed_to_allocated_worker"');
    // Sent anyway: refused, nothing written.
    const refused = await postForm(await as('front-door'), app, `/front-door/${unmatchedId}/decision`, { csrf_token: form.token, seenVersion: form.seenVersion, ...decisionFor('unmatched', 'passed_to_allocated_worker') });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('only for a child who is open and has one');
    expect((await db().sql`select status from concerns where id = ${unmatchedId}`)[0]!.status).toBe('received');

    const reference = await raiseConcern(await as('dsl-riverside'), app, { childForename: 'Pass', childSurname: 'Along', childNhsNumber: allocated.nhs });
    const id = await concernId(reference);
    const page2 = await open(await as('front-door'), id);
    expect(page2.html).toContain('Passed to the allocated social worker');
    const sent = await postForm(await as('front-door'), app, `/front-door/${id}/decision`, { csrf_token: page2.token, seenVersion: page2.seenVersion, ...decisionFor(allocated.id, 'passed_to_allocated_worker') });
    expect(sent.status).toBe(303);
    expect((await db().sql`select decision from concerns where id = ${id}`)[0]!.decision).toBe('passed_to_allocated_worker');
    expect(await db().sql`select 1 from social_worker_notifications where kind = 'decision' and message like ${'%' + reference + ': Passed to the allocated social worker%'}`).toHaveLength(1);
  });
});

describe('back and next', () => {
  it('links back to the front door and on to the next open concern in queue order', async () => {
    const first = await concernId(await raiseConcern(await as('dsl-riverside'), app, { childSurname: 'Next-One' }));
    await raiseConcern(await as('dsl-riverside'), app, { childSurname: 'Next-Two' });
    const { html } = await open(await as('front-door'), first);
    expect(html).toMatch(/<a href="\/front-door" class="govuk-back-link"[^>]*>Back to the front door<\/a>/);
    const next = html.match(/href="\/front-door\/([0-9a-f-]{36})" data-testid="next-concern"/)?.[1];
    expect(next).toBeTruthy();
    expect(next).not.toBe(first);
    expect((await db().sql`select status from concerns where id = ${next!}`)[0]!.status).toBe('received');
  });
});
