// Police notifications (Operation Encompass, issue 14) from the officer's side, through the real
// app (in process, hono's app.request(); sessions as a real sign-in makes them) on real
// PostgreSQL: the form keeps answers by the field, each child is routed by the lookup's exact
// match (logged), one notification per destination carrying only its own child, one transaction,
// one incident per form, e-mails without details, the chronology and the social worker's alert,
// and nobody else (another school's lead, a GP, an emergency department, another force) sees any.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SCHOOLS, NORTHBRIDGE_COUNCIL } from '../src/seed/demo-organisations.ts';
import { seedDemoData } from '../src/seed/insert.ts';
import { loadConfig } from '../src/config/config.ts';
import { parseSharedItems } from '../src/encompass/shared-items.ts';
import { accessAs as supportAccessAs, addOtherForce, OTHER_FORCE_OFFICER, signedInAsOfficer } from './support/encompass.ts';
import type { AppClient } from './support/app-client.ts';
import { useTestDatabase } from './support/database.ts';
import { demoClients } from './support/demo-session.ts';
import { hiddenField } from './support/http-client.ts';
import { buildTestApp, type InProcessApp } from './support/in-process-app.ts';

const db = useTestDatabase();
let app: InProcessApp;
let failing: InProcessApp;
const as = demoClients(() => app);
const riverside = DEMO_SCHOOLS[0]!;
const northbridgeHigh = DEMO_SCHOOLS[6]!;

// A household: two siblings at different schools, a pre-school child, and one the council has no record of.
const household = {
  older: { forename: 'Maya', surname: 'Encombe', dob: ['4', '5', '2012'], postcode: 'NB1 4XY' },
  younger: { forename: 'Leo', surname: 'Encombe', dob: ['9', '9', '2017'], postcode: 'NB1 4XY' },
  baby: { forename: 'Isla', surname: 'Encombe', dob: ['2', '2', '2024'], postcode: 'NB1 4XY' },
};
const ids: Record<string, string> = {};
let workerId: string;

async function addChild(name: { forename: string; surname: string; dob: string[]; postcode: string }, schoolId: string | null) {
  const sql = db().sql;
  const [day, month, year] = name.dob;
  const [row] = await sql<{ id: string }[]>`
    insert into children (local_authority_id, forename, surname, date_of_birth, gender, address, postcode)
    values (${NORTHBRIDGE_COUNCIL.id}, ${name.forename}, ${name.surname}, ${`${year}-${month!.padStart(2, '0')}-${day!.padStart(2, '0')}`}, 'not_known', '1 Canal Row', ${name.postcode})
    returning id`;
  if (schoolId) await sql`insert into child_organisation_relationships (child_id, organisation_id, kind, start_date) values (${row!.id}, ${schoolId}, 'enrolled', '2024-09-01')`;
  return row!.id;
}

const incident = (key: string, overrides: Record<string, string> = {}) => ({
  idempotencyKey: key, policeReference: 'NB-20261201-0412', 'incident-day': '1', 'incident-month': '12', 'incident-year': '2026',
  incidentTime: '21:40', account: 'Officers attended a report of a domestic argument. The mother had a facial injury; her partner was arrested.',
  'shared-location': 'The family home', contactName: 'DC Sam Reid', contactPhone: '01632 960 777', contactEmail: 'sam.reid@police.northbridge.example',
  childCount: '3', ...overrides,
});
const child = (n: number, c: { forename: string; surname: string; dob: string[]; postcode: string }, extra: Record<string, string> = {}) => ({
  [`child-${n}-forename`]: c.forename, [`child-${n}-surname`]: c.surname,
  [`child-${n}-dob-day`]: c.dob[0]!, [`child-${n}-dob-month`]: c.dob[1]!, [`child-${n}-dob-year`]: c.dob[2]!,
  [`child-${n}-postcode`]: c.postcode, [`child-${n}-present`]: 'yes', [`child-${n}-spokenTo`]: 'no', ...extra,
});
const wholeHousehold = (key: string) => ({
  ...incident(key),
  ...child(1, household.older, { [`child-1-spokenTo`]: 'yes', [`child-1-words`]: 'I hid in my room with Leo.' }),
  ...child(2, household.younger),
  ...child(3, household.baby, { [`child-3-present`]: 'no' }),
});

beforeAll(async () => {
  await seedDemoData(db().sql, { children: 20, referenceDate: '2026-11-23' });
  app = await buildTestApp(db().sql, { encompassSharedItems: JSON.stringify({ 99: ['location'] }) });
  failing = await buildTestApp(db().sql, {
    sharedSettingsWith: app, encompassSharedItems: JSON.stringify({ 99: ['location'] }),
    encompassHooks: { beforeCommit: async () => { throw new Error('injected failure after every write, before commit'); } },
  });
  ids.older = await addChild(household.older, riverside.id);
  ids.younger = await addChild(household.younger, northbridgeHigh.id);
  ids.baby = await addChild(household.baby, null);
  // The older child has an open involvement and an allocated social worker.
  const [worker] = await db().sql<{ id: string }[]>`select id from social_workers where name = 'Priya Desai'`;
  workerId = worker!.id;
  await db().sql`insert into involvements (child_id, kind, start_date) values (${ids.older!}, 'child_in_need', '2026-01-10')`;
  await db().sql`insert into allocations (child_id, social_worker_id, start_date) values (${ids.older!}, ${workerId}, '2026-01-10')`;
  // The schools' leads have signed in, so the portal knows whom to e-mail.
  await as('dsl-riverside');
  await as('deputy-dsl-riverside');
  await as('dsl-northbridge-high');
});
afterAll(async () => {
  await failing?.close();
  await app?.close();
});

const accessAs = (sub: string, options?: { recordLooks: boolean }) => supportAccessAs(app, sub, options);

const newKey = async (client: AppClient) => hiddenField((await client.get('/encompass/new')).html, 'idempotencyKey')!;

describe('the officer’s form', () => {
  it('asks for the items the force shares by local agreement, and only those', async () => {
    const officer = await as('police-ppu');
    const { status, html } = await officer.get('/encompass/new');
    expect(status).toBe(200);
    expect(html).toContain('name="shared-location"');
    expect(html).not.toContain('name="shared-whoWasInvolved"');
  });

  it('says what is wrong by each field and keeps every answer as typed', async () => {
    const officer = await as('police-ppu');
    const key = await newKey(officer);
    const page = await officer.post('/encompass/check', {
      ...incident(key, { policeReference: '', incidentTime: '25:99', childCount: '1' }),
      ...child(1, household.older, { 'child-1-postcode': '', 'child-1-spokenTo': 'no', 'child-1-words': 'Words kept as typed' }),
    });
    expect(page.status).toBe(400);
    expect(page.html).toContain('govuk-error-summary');
    expect(page.html).toContain('href="#policeReference"');
    expect(page.html).toContain('Enter the police reference for the incident');
    expect(page.html).toContain('Enter the time of the incident as hours and minutes');
    expect(page.html).toContain('Enter the NHS number, unique pupil number or postcode of child 1');
    expect(page.html).toContain('You said child 1 was not spoken to');
    expect(page.html).toContain('value="25:99"');
    expect(page.html).toContain('Words kept as typed');
    expect(page.html).toContain('value="Maya"');
    expect(page.html).toContain('The family home');
    expect(await count('encompass_incidents')).toBe(0);
  });

  it('adds another child without losing what was typed', async () => {
    const officer = await as('police-ppu');
    const key = await newKey(officer);
    const page = await officer.post('/encompass/new', { ...incident(key, { childCount: '1' }), ...child(1, household.older), addChild: 'yes' });
    expect(page.status).toBe(200);
    expect(page.html).toContain('name="child-2-forename"');
    expect(page.html).toContain('value="Maya"');
    expect(page.html).toContain('name="childCount" value="2"');
  });
});

const count = async (table: string) => (await db().sql`select count(*)::int as n from ${db().sql(table)}`)[0]!.n as number;

describe('sending a notification about a household', () => {
  let reference: string;

  it('says on the check page where each child will go, and logs each lookup', async () => {
    const officer = await as('police-ppu');
    const key = await newKey(officer);
    const before = await count('access_log');
    const page = await officer.post('/encompass/check', { ...wholeHousehold(key), 'child-4-forename': '' });
    expect(page.status).toBe(200);
    expect(page.html).toContain(`${riverside.name}: the school the child is on roll at now`);
    expect(page.html).toContain(`${northbridgeHigh.name}: the school the child is on roll at now`);
    expect(page.html).toContain('Not on a school roll: goes to the council’s front door');
    // Each part has its Change, which takes every answer back to the form.
    expect(page.html).toContain('formaction="/encompass/new#child-2-forename"');
    expect(page.html).toContain('Change<span class="govuk-visually-hidden"> the incident</span>');
    const back = await officer.post('/encompass/new', Object.fromEntries([...page.html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1]!, m[2]!.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&')])));
    expect(back.status).toBe(200);
    expect(back.html).toContain('value="Leo"');
    expect(back.html).toContain('I hid in my room with Leo.');
    const lookups = await db().sql`select child_id, reason, incident_reference, fields_released from access_log where action = 'lookup' order by id desc limit 3`;
    expect(await count('access_log')).toBe(before + 3);
    expect(lookups.map((l) => l.reason)).toEqual(['Operation Encompass', 'Operation Encompass', 'Operation Encompass']);
    expect(new Set(lookups.map((l) => l.child_id))).toEqual(new Set([ids.older, ids.younger, ids.baby]));
    expect(lookups[0]!.incident_reference).toBe('NB-20261201-0412');
    // Nothing is stored before sending.
    expect(await count('encompass_incidents')).toBe(0);
  });

  it('a child with no record goes to the front door, and the page says only that', async () => {
    const officer = await as('police-ppu');
    const key = await newKey(officer);
    const page = await officer.post('/encompass/check', { ...incident(key, { childCount: '1' }), ...child(1, { forename: 'Nobody', surname: 'Unknown', dob: ['1', '1', '2015'], postcode: 'NB9 9ZZ' }) });
    expect(page.html).toContain('No record found: goes to the council’s front door');
  });

  it('a restricted or sealed child’s school is not told to the officer: it goes to the front door, as a child with no record', async () => {
    const officer = await as('police-ppu');
    const hidden = { forename: 'Rue', surname: 'Encombe', dob: ['5', '5', '2013'], postcode: 'NB1 4XY' };
    const sealed = { forename: 'Sol', surname: 'Encombe', dob: ['6', '6', '2014'], postcode: 'NB1 4XY' };
    const hiddenId = await addChild(hidden, riverside.id);
    const sealedId = await addChild(sealed, riverside.id);
    await db().sql`update children set restricted = true where id = ${hiddenId}`;
    await db().sql`update children set sealed = true where id = ${sealedId}`;
    try {
      const key = await newKey(officer);
      const page = await officer.post('/encompass/check', { ...incident(key, { childCount: '2' }), ...child(1, hidden), ...child(2, sealed) });
      expect(page.status).toBe(200);
      expect(page.html).not.toContain(riverside.name);
      expect(page.html.match(/No record found: goes to the council’s front door/g)).toHaveLength(2);
    } finally {
      await db().sql`delete from child_organisation_relationships where child_id in ${db().sql([hiddenId, sealedId])}`;
      await db().sql`update children set surname = 'Elsewhere' where id in ${db().sql([hiddenId, sealedId])}`;
    }
  });

  it('a failure inside the transaction leaves nothing behind', async () => {
    const officer = await as('police-ppu');
    const key = await newKey(officer);
    const onFailing = await as('police-ppu', failing);
    const page = await onFailing.post('/encompass', wholeHousehold(key));
    expect(page.status).toBe(500);
    expect(page.html).toContain('Your notification has not been sent');
    expect(page.html).toContain('I hid in my room with Leo.');
    for (const table of ['encompass_incidents', 'encompass_notifications', 'encompass_children', 'encompass_child_words', 'encompass_events']) {
      expect(await count(table)).toBe(0);
    }
    expect(await db().sql`select 1 from outbox where kind like 'encompass%'`).toHaveLength(0);
    expect(await db().sql`select 1 from chronology_events where encompass_notification_id is not null`).toHaveLength(0);
  });

  it('makes three notifications (two schools and the front door), each with only its own child', async () => {
    const officer = await as('police-ppu');
    const key = await newKey(officer);
    const sent = await officer.post('/encompass', wholeHousehold(key));
    expect(sent.status).toBe(303);
    reference = sent.res.headers.get('location')!.replace('/encompass/sent/', '');
    expect(reference).toMatch(/^OE-\d{4}-\d{6}$/);
    const confirmation = await officer.get(`/encompass/sent/${reference}`);
    expect(confirmation.html).toContain('govuk-panel--confirmation');
    expect(confirmation.html).toContain(`data-testid="reference">${reference}<`);

    const rows = await db().sql`
      select n.reference, n.school_id, n.local_authority_id, array_agg(c.child_id order by c.position) as children
      from encompass_notifications n join encompass_children c on c.notification_id = n.id
      group by n.id order by n.reference`;
    expect(rows).toHaveLength(3);
    const bySchool = new Map(rows.map((r) => [r.school_id ?? 'front door', r.children]));
    expect(bySchool.get(riverside.id)).toEqual([ids.older]);
    expect(bySchool.get(northbridgeHigh.id)).toEqual([ids.younger]);
    expect(bySchool.get('front door')).toEqual([ids.baby]);
    expect(rows.find((r) => r.school_id === null)!.local_authority_id).toBe(NORTHBRIDGE_COUNCIL.id);
    // The child's words are kept apart, with that child only.
    const words = await db().sql`select c.forename, w.words from encompass_child_words w join encompass_children c on c.id = w.encompass_child_id`;
    expect(words).toEqual([{ forename: 'Maya', words: 'I hid in my room with Leo.' }]);
    // Only the items switched on for the force are stored.
    const [stored] = await db().sql`select shared_items from encompass_incidents where reference = ${reference}`;
    expect(stored!.shared_items).toEqual({ location: 'The family home' });
    // Due at the start of the next school day, after it was sent.
    const [due] = await db().sql`select bool_and(due_at > created_at) as later from encompass_notifications`;
    expect(due!.later).toBe(true);
    // Every step recorded: sent for each, e-mailed to each lead and to the front door.
    const steps = await db().sql`select kind, count(*)::int as n from encompass_events group by kind order by kind`;
    expect(steps).toEqual([{ kind: 'emailed', n: 4 }, { kind: 'sent', n: 3 }]);
    expect(await db().sql`select 1 from access_log where action = 'send_encompass' and reason like ${'%' + reference + '%'}`).toHaveLength(1);
  });

  it('sending the same form again makes no second incident', async () => {
    const officer = await as('police-ppu');
    const key = (await db().sql`select idempotency_key from encompass_incidents where reference = ${reference}`)[0]!.idempotency_key as string;
    const again = await officer.post('/encompass', wholeHousehold(key));
    expect(again.status).toBe(303);
    expect(again.res.headers.get('location')).toBe(`/encompass/sent/${reference}`);
    const changed = await officer.post('/encompass', { ...wholeHousehold(key), account: 'Something else' });
    expect(changed.res.headers.get('location')).toBe(`/encompass/sent/${reference}?changed=1`);
    expect(await count('encompass_incidents')).toBe(1);
    expect(await count('encompass_notifications')).toBe(3);
    expect(await db().sql`select 1 from outbox where kind like 'encompass%'`).toHaveLength(5);
  });

  it('e-mails the schools’ leads and the front door, saying nothing of the incident or the children', async () => {
    const mail = await db().sql<{ kind: string; recipient: string; subject: string; body: string }[]>`
      select kind, recipient, subject, body from outbox where kind like 'encompass%' order by kind, recipient`;
    expect(mail.map((m) => [m.kind, m.recipient])).toEqual([
      ['encompass_for_allocated_worker', (await db().sql`select email from social_workers where id = ${workerId}`)[0]!.email],
      ['encompass_for_front_door', 'front.door@northbridge.example'],
      ['encompass_for_school', 'deputy-dsl-riverside@schools.northbridge.example'],
      ['encompass_for_school', 'dsl-northbridge-high@schools.northbridge.example'],
      ['encompass_for_school', 'dsl-riverside@schools.northbridge.example'],
    ]);
    for (const m of mail) {
      const text = `${m.subject}\n${m.body}`;
      for (const detail of ['Maya', 'Leo', 'Isla', 'Encombe', 'NB-20261201-0412', 'NB1', 'family home', 'arrested', reference, riverside.name, northbridgeHigh.name]) {
        expect(text).not.toContain(detail);
      }
    }
  });

  it('puts the notification in each matched child’s chronology, tagged police, and alerts the allocated worker', async () => {
    const entries = await db().sql`select child_id, source_agency, occurred_on::text as on, summary from chronology_events where encompass_notification_id is not null order by child_id`;
    expect(new Set(entries.map((e) => e.child_id))).toEqual(new Set([ids.older, ids.younger, ids.baby]));
    expect(entries.every((e) => e.source_agency === 'police' && e.on === '2026-12-01')).toBe(true);
    const alerts = await db().sql`select child_id, kind from social_worker_notifications where kind = 'encompass'`;
    expect(alerts).toEqual([{ child_id: ids.older, kind: 'encompass' }]);
    const worker = await as('sw-priya-desai');
    const summary = await worker.get(`/children/${ids.older}`);
    expect(summary.status).toBe(200);
    expect(summary.html).toContain('Police notification of a domestic abuse incident (Operation Encompass)');
    const home = await worker.get('/');
    expect(home.html).toContain('sent a police notification of domestic abuse about this child');
  });

  it('shows the officer each destination and its outcome', async () => {
    const officer = await as('police-ppu');
    const [riversideNotification] = await db().sql`select id from encompass_notifications where school_id = ${riverside.id}`;
    const [dsl] = await db().sql`select id, name from users where email = 'dsl-riverside@schools.northbridge.example'`;
    await db().sql`update encompass_notifications set acknowledged_at = '2026-12-02T07:55:00Z', acknowledged_by_user_id = ${dsl!.id},
                   acknowledged_by_name = ${dsl!.name}, school_action = 'key_adult_informed' where id = ${riversideNotification!.id}`;
    const list = await officer.get('/encompass');
    expect(list.status).toBe(200);
    expect(list.html).toContain(reference);
    expect(list.html).toContain(riverside.name);
    expect(list.html).toContain(northbridgeHigh.name);
    expect(list.html).toContain(`${NORTHBRIDGE_COUNCIL.name} front door`);
    expect(list.html).toContain(`By ${dsl!.name} on 2 December 2026, 07:55. The school will do: Key adult informed.`);
    expect(list.html).toContain('Waiting');
  });
});

describe('who sees a notification', () => {
  const paths = async () => {
    const [incidentRow] = await db().sql`select reference from encompass_incidents limit 1`;
    return [`/encompass/sent/${incidentRow!.reference}`, '/encompass', '/encompass/new'];
  };

  it('the officer’s pages are the same 404 as a missing one for a school’s lead, a GP and an emergency department clinician', async () => {
    for (const sub of ['gp-canal-wharf', 'ed-clinician', 'dsl-riverside']) {
      const client = await as(sub);
      for (const path of await paths()) {
        const page = await client.get(path);
        expect(page.status, `${sub} ${path}`).toBe(404);
        expect(page.html).not.toContain('Encombe');
      }
      const missing = await client.get('/encompass/sent/OE-2026-999999');
      expect(missing.status).toBe(404);
    }
  });

  it('the gateway releases each notification to its own school’s leads, the front door and the force; to nobody else', async () => {
    const sql = db().sql;
    const notes = await sql<{ id: string; school_id: string | null }[]>`select id, school_id from encompass_notifications`;
    const byDestination = (schoolId: string | null) => notes.find((n) => n.school_id === schoolId)!.id;
    const readable = async (sub: string) => {
      const access = await accessAs(sub);
      const seen = [];
      for (const n of notes) if (await access.visibleEncompassNotification(n.id)) seen.push(n.id);
      const listed = (await access.visibleEncompassNotifications({ limit: 50, offset: 0 })).notifications;
      expect(listed.map((n) => n.id).sort(), sub).toEqual([...seen].sort());
      return { seen, listed };
    };
    const riversideLead = await readable('dsl-riverside');
    expect(riversideLead.seen).toEqual([byDestination(riverside.id)]);
    expect(riversideLead.listed[0]!.children!.map((c) => c.forename)).toEqual(['Maya']);
    expect(riversideLead.listed[0]!.children![0]!.words).toBe('I hid in my room with Leo.');
    expect((await readable('dsl-northbridge-high')).seen).toEqual([byDestination(northbridgeHigh.id)]);
    expect((await readable('front-door')).seen).toHaveLength(3);
    expect((await readable('police-ppu')).seen).toHaveLength(3);
    for (const sub of ['gp-canal-wharf', 'ed-clinician', 'health-visitor', 'sw-priya-desai', 'info-governance']) {
      expect((await readable(sub)).seen, sub).toEqual([]);
    }
    // Acknowledging is the school's own (and the front door's own) to do.
    const lead = await accessAs('dsl-riverside');
    const own = (await lead.visibleEncompassNotification(byDestination(riverside.id)))!;
    expect(lead.mayAcknowledgeEncompass(own)).toBe(true);
    const frontDoor = await accessAs('front-door');
    expect(frontDoor.mayAcknowledgeEncompass((await frontDoor.visibleEncompassNotification(byDestination(null)))!)).toBe(true);
    expect(frontDoor.mayAcknowledgeEncompass((await frontDoor.visibleEncompassNotification(byDestination(riverside.id)))!)).toBe(false);
  });

  it('another force’s officer sees none of it: the same 404 as a missing one', async () => {
    const sql = db().sql;
    await addOtherForce(sql);
    const otherForce = await signedInAsOfficer(app, OTHER_FORCE_OFFICER);
    const [incidentRow] = await sql`select reference from encompass_incidents limit 1`;
    const sent = await otherForce.get(`/encompass/sent/${incidentRow!.reference}`);
    const missing = await otherForce.get('/encompass/sent/OE-2026-999999');
    expect(sent.status).toBe(404);
    expect(sent.html).toBe(missing.html);
    const list = await otherForce.get('/encompass');
    expect(list.status).toBe(200);
    expect(list.html).not.toContain(incidentRow!.reference);
    expect(list.html).toContain('Your force has sent no notifications yet.');
  });
});

describe('limits and logs', () => {
  it('a school lead’s read is logged against each matched child it names', async () => {
    const [riversideNotification] = await db().sql`select id, reference from encompass_notifications where school_id = ${riverside.id}`;
    const lead = await accessAs('dsl-riverside', { recordLooks: true });
    expect(await lead.visibleEncompassNotification(riversideNotification!.id)).toBeDefined();
    const logged = await db().sql`select child_id, reason from access_log where action = 'read_encompass' and subject = 'dsl-riverside'`;
    expect(logged).toEqual([{ child_id: ids.older, reason: riversideNotification!.reference }]);
  });

  it('routing children counts against the lookup limit, and a refusal is logged', async () => {
    const limited = await buildTestApp(db().sql, { sharedSettingsWith: app, lookupRateLimit: { limit: 2, windowSeconds: 3600 } });
    try {
      const officer = await as('police-ppu', limited);
      const key = await newKey(officer);
      const page = await officer.post('/encompass/check', wholeHousehold(key));
      expect(page.status).toBe(429);
      expect(page.html).toContain('You have looked up too many children');
      expect(page.html).not.toContain('on roll');
      expect(await db().sql`select 1 from access_log where action = 'lookup' and reason = 'Refused: more than 2 lookups in an hour (Operation Encompass)'`).toHaveLength(1);
    } finally {
      await limited.close();
    }
  });
});

describe('ENCOMPASS_SHARED_ITEMS', () => {
  it('stops the start with a message naming what is wrong, and reads a good setting in the catalogue’s order', () => {
    const env = { NODE_ENV: 'test' } as NodeJS.ProcessEnv;
    expect(() => loadConfig({ ...env, ENCOMPASS_SHARED_ITEMS: '{"99": ["location", "shoeSize"]}' })).toThrow(/ENCOMPASS_SHARED_ITEMS.*"shoeSize" is not one of/s);
    expect(() => loadConfig({ ...env, ENCOMPASS_SHARED_ITEMS: '{"A1": []}' })).toThrow(/"A1" is not a force code/);
    expect(() => loadConfig({ ...env, ENCOMPASS_SHARED_ITEMS: 'location' })).toThrow(/must be JSON/);
    const config = loadConfig({ ...env, ENCOMPASS_SHARED_ITEMS: '{"99": ["previousIncidents", "location"]}' });
    expect(parseSharedItems(config.ENCOMPASS_SHARED_ITEMS).get('99')).toEqual(['location', 'previousIncidents']);
    expect(parseSharedItems(undefined).get('99')).toBeUndefined();
  });
});
