// A school's side of a police notification (issue 14, point 3), through the real app in process
// (app.request()) on a real database: the DSL's home page and navigation show it first, the
// inbox and the page show only the school's own, opening it is recorded, the acknowledgement is
// checked by the field, made once however often it is sent, and the officer sees it; a DSL at
// another school, a GP and an emergency department clinician get the page a missing one gets;
// the front door has the same for notifications sent to it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccess } from '../src/access/index.ts';
import { actorFrom } from '../src/auth/actor.ts';
import { findSession } from '../src/auth/sessions.ts';
import { paths } from '../src/paths.ts';
import { buildAbility } from '../src/policy/ability.ts';
import { loadPolicies } from '../src/policy/load.ts';
import { DEMO_SCHOOLS, NORTHBRIDGE_COUNCIL, NORTHBRIDGE_POLICE } from '../src/seed/demo-organisations.ts';
import { seedDemoData } from '../src/seed/insert.ts';
import { useTestDatabase } from './support/database.ts';
import { createDemoSession, demoClients } from './support/demo-session.ts';
import { insertNotification } from './support/encompass-fixtures.ts';
import { buildTestApp, type InProcessApp } from './support/in-process-app.ts';

const db = useTestDatabase();
let app: InProcessApp;
const as = demoClients(() => app);
const riverside = DEMO_SCHOOLS[0]!;
const northbridgeHigh = DEMO_SCHOOLS[6]!;
const users: Record<string, string> = {};
let policeCookie: string;
let ours: { id: string; reference: string };
let theirs: { id: string; reference: string };
let frontDoors: { id: string; reference: string };
let escalated: { id: string; reference: string };

// Far ahead, so none is overdue whatever day the test runs.
const sentAt = new Date(Date.now() - 60_000);
const dueAt = new Date(Date.now() + 30 * 86_400_000);

beforeAll(async () => {
  await seedDemoData(db().sql, { children: 10, referenceDate: '2026-11-23' });
  app = await buildTestApp(db().sql);
  for (const sub of ['dsl-riverside', 'deputy-dsl-riverside', 'dsl-northbridge-high', 'front-door']) users[sub] = (await createDemoSession(app, sub)).session.userId;
  const police = await createDemoSession(app, 'police-ppu');
  users['police-ppu'] = police.session.userId;
  policeCookie = police.cookieValue;
  const base = { forceId: NORTHBRIDGE_POLICE.id, councilId: NORTHBRIDGE_COUNCIL.id, sentByUserId: users['police-ppu']!, sentAt, dueAt };
  ours = await insertNotification(db().sql, { ...base, schoolId: riverside.id });
  theirs = await insertNotification(db().sql, { ...base, schoolId: northbridgeHigh.id });
  frontDoors = await insertNotification(db().sql, { ...base, schoolId: null });
  escalated = await insertNotification(db().sql, { ...base, schoolId: northbridgeHigh.id });
  await db().sql`update encompass_notifications set escalated_to_dsls_at = now(), escalated_to_front_door_at = now() where id = ${escalated.id}`;
});
afterAll(async () => {
  await app?.close();
});

const eventsOf = (id: string, kind: string) =>
  db().sql<{ userId: string | null }[]>`select user_id as "userId" from encompass_events where notification_id = ${id} and kind = ${kind} order by id`;

describe('a DSL', () => {
  it('sees the school’s waiting notifications first on the home page, and a count in the navigation', async () => {
    const home = await (await as('dsl-riverside')).get('/');
    expect(home.status).toBe(200);
    expect(home.html).toMatch(/href="\/encompass\/inbox"[^>]*>\s*Police notifications \(1\)/);
    const panel = home.html.indexOf('data-panel="encompass"');
    expect(panel).toBeGreaterThan(0);
    // Before every other panel.
    for (const other of ['data-panel="decisions"', 'data-panel="submissions"', 'data-panel="lookup"']) {
      const at = home.html.indexOf(other);
      if (at >= 0) expect(panel).toBeLessThan(at);
    }
    expect(home.html).toContain(ours.reference);
    expect(home.html).not.toContain(theirs.reference);
    expect(home.html).not.toContain(frontDoors.reference);
  });

  it('lists only its own school’s in the inbox', async () => {
    const inbox = await (await as('dsl-riverside')).get('/encompass/inbox');
    expect(inbox.status).toBe(200);
    expect(inbox.html).toContain(ours.reference);
    for (const other of [theirs, frontDoors, escalated]) expect(inbox.html).not.toContain(other.reference);
  });

  it('reads its own: what the policy releases and the police contact; opening is recorded once per person', async () => {
    const dsl = await as('dsl-riverside');
    const page = await dsl.get(`/encompass/inbox/${ours.id}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('A short factual account.');
    expect(page.html).toMatch(/data-testid="police-contact"[\s\S]*01632 960001/);
    expect(page.html).toContain('Test Child');
    await dsl.get(`/encompass/inbox/${ours.id}`);
    expect(await eventsOf(ours.id, 'opened')).toEqual([{ userId: users['dsl-riverside'] }]);
    const [row] = await db().sql`select first_opened_at from encompass_notifications where id = ${ours.id}`;
    expect(row!.first_opened_at).not.toBeNull();
  });

  it('gets the missing page for another school’s, as do a GP and an emergency department clinician', async () => {
    const missing = await (await as('dsl-riverside')).get('/encompass/inbox/00000000-0000-4000-8000-000000000000');
    expect(missing.status).toBe(404);
    for (const [sub, id] of [['dsl-riverside', theirs.id], ['dsl-northbridge-high', ours.id], ['gp-canal-wharf', ours.id], ['ed-clinician', ours.id], ['sw-priya-desai', ours.id]] as const) {
      const page = await (await as(sub)).get(`/encompass/inbox/${id}`);
      expect(page.status, `${sub} ${id}`).toBe(404);
      expect(page.html.replace(/csrf_token" value="[^"]*"/, '')).not.toContain('Test Child');
      const post = await (await as(sub)).post(`/encompass/inbox/${id}/acknowledge`, { action: 'no_action' });
      expect(post.status, `${sub} POST`).toBe(404);
    }
    // Nothing was recorded for them.
    expect((await eventsOf(theirs.id, 'opened')).length).toBe(0);
    const [row] = await db().sql`select acknowledged_at from encompass_notifications where id = ${theirs.id}`;
    expect(row!.acknowledged_at).toBeNull();
  });

  it('is told by the field what is missing, and keeps what was typed', async () => {
    const dsl = await as('dsl-riverside');
    const none = await dsl.post(`/encompass/inbox/${ours.id}/acknowledge`, { detail: 'typed words' });
    expect(none.status).toBe(400);
    expect(none.html).toContain('There is a problem');
    expect(none.html).toMatch(/href="#action">Select what the school will do/);
    expect(none.html).toMatch(/id="action-error"[\s\S]*Select what the school will do/);
    expect(none.html).toContain('typed words');
    const other = await dsl.post(`/encompass/inbox/${ours.id}/acknowledge`, { action: 'other' });
    expect(other.status).toBe(400);
    expect(other.html).toMatch(/href="#detail">Enter what the school will do/);
    expect(other.html).toMatch(/value="other" checked/);
    const tooLong = await dsl.post(`/encompass/inbox/${ours.id}/acknowledge`, { action: 'other', detail: 'x'.repeat(2001) });
    expect(tooLong.status).toBe(400);
    expect(tooLong.html).toContain('must be 2,000 characters or fewer');
  });

  it('acknowledges once, however often the form is sent, and the deputy and the officer see the answer', async () => {
    const dsl = await as('dsl-riverside');
    const [first, again] = await Promise.all([
      dsl.post(`/encompass/inbox/${ours.id}/acknowledge`, { action: 'key_adult_informed', detail: 'Class teacher told at 08:05.' }),
      dsl.post(`/encompass/inbox/${ours.id}/acknowledge`, { action: 'key_adult_informed', detail: 'Class teacher told at 08:05.' }),
    ]);
    expect([first.status, again.status]).toEqual([303, 303]);
    const deputy = await as('deputy-dsl-riverside');
    const late = await deputy.post(`/encompass/inbox/${ours.id}/acknowledge`, { action: 'no_action' });
    expect(late.status).toBe(303);
    expect(late.res.headers.get('location')).toBe(`/encompass/inbox/${ours.id}`);
    expect((await eventsOf(ours.id, 'acknowledged'))).toEqual([{ userId: users['dsl-riverside'] }]);
    const [row] = await db().sql`select acknowledged_by_name, school_action, school_action_detail from encompass_notifications where id = ${ours.id}`;
    expect(row).toEqual({ acknowledged_by_name: 'Sarah Collins', school_action: 'key_adult_informed', school_action_detail: 'Class teacher told at 08:05.' });
    const logged = await db().sql`select count(*)::int as n from access_log where action = 'acknowledge_encompass' and reason = ${ours.reference}`;
    expect(logged[0]!.n).toBe(1);

    const seen = await deputy.get(`/encompass/inbox/${ours.id}`);
    expect(seen.html).toMatch(/data-testid="acknowledgement"[\s\S]*Key adult informed[\s\S]*Class teacher told at 08:05\./);
    expect(seen.html).not.toContain('/acknowledge"');
    const banner = await dsl.get(`/encompass/inbox/${ours.id}?acknowledged=1`);
    expect(banner.html).toContain('data-testid="acknowledged-banner"');
    // The count in the navigation is gone.
    expect((await dsl.get('/')).html).not.toContain('Police notifications (1)');

    // The officer, through the gateway the officer's pages read with.
    const session = (await findSession(db().sql, policeCookie, app.auth.timeouts))!;
    const officer = actorFrom(session, 'test')!;
    const access = createAccess(db().sql, officer, buildAbility(await loadPolicies(paths.policies), officer), { policies: await loadPolicies(paths.policies), publicUrl: app.baseUrl });
    const forOfficer = await access.visibleEncompassNotification(ours.id);
    expect(forOfficer).toMatchObject({ acknowledgedByName: 'Sarah Collins', schoolAction: 'key_adult_informed', schoolActionDetail: 'Class teacher told at 08:05.' });
  });
});

describe('the front door', () => {
  it('has its own notifications to acknowledge, and sees schools’ escalated ones without acknowledging them', async () => {
    const fd = await as('front-door');
    const inbox = await fd.get('/encompass/inbox');
    expect(inbox.status).toBe(200);
    const waiting = inbox.html.slice(inbox.html.indexOf('data-testid="waiting"'), inbox.html.indexOf('</ul>', inbox.html.indexOf('data-testid="waiting"')));
    expect(waiting).toContain(frontDoors.reference);
    expect(waiting).not.toContain(theirs.reference);
    expect(inbox.html).toMatch(new RegExp(`data-testid="escalated"[\\s\\S]*${escalated.reference}`));
    expect(inbox.html).not.toContain(`data-notification="${theirs.reference}"`);

    const read = await fd.get(`/encompass/inbox/${escalated.id}`);
    expect(read.status).toBe(200);
    expect(read.html).not.toContain('/acknowledge"');
    expect((await fd.post(`/encompass/inbox/${escalated.id}/acknowledge`, { action: 'no_action' })).status).toBe(404);
    expect((await eventsOf(escalated.id, 'opened')).length).toBe(0);

    const own = await fd.post(`/encompass/inbox/${frontDoors.id}/acknowledge`, { action: 'support_in_place' });
    expect(own.status).toBe(303);
    const [row] = await db().sql`select acknowledged_by_name from encompass_notifications where id = ${frontDoors.id}`;
    expect(row!.acknowledged_by_name).toBe('Nadia Hussain');
  });

  it('is not open to a GP, an emergency department clinician or a police officer', async () => {
    for (const sub of ['gp-canal-wharf', 'ed-clinician', 'police-ppu', 'info-governance']) {
      expect((await (await as(sub)).get('/encompass/inbox')).status, sub).toBe(404);
    }
  });
});
