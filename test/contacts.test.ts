// Who to call (issue 12, point 1), through the real app in process: the contact strip on every
// page a signed-in partner sees and on no council page; the contact card at the top of a child's
// summary, with only the fields the role's policy releases and numbers as tel: links; and the
// numbers on the start page, the refusal, "no record", lookup-limit and error pages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReleasedChild } from '../src/access/index.ts';
import { presentContactCard } from '../src/children/summary.ts';
import { presentChild } from '../src/children/summary.ts';
import { NORTHBRIDGE_COUNCIL } from '../src/seed/demo-organisations.ts';
import { seedDemoData } from '../src/seed/insert.ts';
import { dialableNumber, phoneLink } from '../src/web/phone.ts';
import { AppClient } from './support/app-client.ts';
import { useTestDatabase } from './support/database.ts';
import { demoClients } from './support/demo-session.ts';
import { buildTestApp, type InProcessApp } from './support/in-process-app.ts';

const db = useTestDatabase();
let app: InProcessApp;
const as = demoClients(() => app);

const FRONT_DOOR = { text: NORTHBRIDGE_COUNCIL.duty_phone, href: 'tel:+441134960000' };
const OUT_OF_HOURS = { text: NORTHBRIDGE_COUNCIL.out_of_hours_phone, href: 'tel:+441134960999' };
const link = (phone: { text: string; href: string }) => `href="${phone.href}"`;

/** The contact strip's markup, or undefined when the page has none. */
const strip = (html: string) => /<aside class="app-contact-strip"[\s\S]*?<\/aside>/.exec(html)?.[0];
/** The summary's contact card, or undefined. */
const card = (html: string) => /<div class="govuk-summary-card" data-testid="contact-card">[\s\S]*?<\/dl>/.exec(html)?.[0];
/** The numbers list of a refusal or "no record" page. */
const numbers = (html: string) => /<ul class="govuk-list govuk-list--bullet" data-testid="phone-numbers">[\s\S]*?<\/ul>/.exec(html)?.[0];

let pupil: { id: string; worker_name: string; worker_phone: string; team_name: string; team_phone: string };

beforeAll(async () => {
  await seedDemoData(db().sql, { children: 120, referenceDate: '2026-11-23' });
  app = await buildTestApp(db().sql);
  [pupil] = await db().sql<[typeof pupil]>`
    select c.id, w.name as worker_name, w.phone as worker_phone, t.name as team_name, t.phone as team_phone
    from children c
    join child_organisation_relationships r on r.child_id = c.id and r.end_date is null and r.kind = 'enrolled'
    join allocations a on a.child_id = c.id and a.end_date is null
    join social_workers w on w.id = a.social_worker_id
    join teams t on t.id = w.team_id
    join organisations o on o.id = r.organisation_id and o.name = 'Riverside Primary School'
    where not c.sealed and w.phone is not null and t.phone is not null
      and exists (select 1 from involvements i where i.child_id = c.id and i.end_date is null)
    order by c.surname, c.id limit 1`;
});
afterAll(() => app?.close());

describe('phone numbers for tel: links', () => {
  it('are dialled in international form and shown as written', () => {
    expect(dialableNumber('01632 960001')).toBe('+441632960001');
    expect(dialableNumber('0113 496 0000')).toBe('+441134960000');
    expect(dialableNumber('07700 900600')).toBe('+447700900600');
    expect(dialableNumber('+44 (0)113 496 0000')).toBe('+441134960000');
    expect(dialableNumber('+44 113 496 0000')).toBe('+441134960000');
    expect(dialableNumber('0044 113 496 0000')).toBe('+441134960000');
    expect(dialableNumber('999')).toBe('999');
    expect(dialableNumber('ask at reception')).toBe(null);
    expect(phoneLink('0113 496 0000')).toEqual({ text: '0113 496 0000', href: 'tel:+441134960000' });
    expect(phoneLink('ask at reception')).toEqual({ text: 'ask at reception', href: null });
    expect(phoneLink(null)).toBe(null);
  });
});

describe('the contact strip', () => {
  it('is on every page a signed-in partner sees, with both numbers as tel: links', async () => {
    const pages: Array<[string, string]> = [
      ['dsl-riverside', '/'], ['dsl-riverside', '/children'], ['dsl-riverside', `/children/${pupil.id}`], ['dsl-riverside', '/concerns/new'],
      ['dsl-riverside', '/submissions'], ['dsl-riverside', '/no-such-page'], ['health-visitor', '/'], ['police-ppu', '/children'],
      ['ed-clinician', '/lookup'],
    ];
    for (const [sub, path] of pages) {
      const { html } = await (await as(sub)).get(path);
      const shown = strip(html);
      expect(shown, `${sub} ${path}`).toBeDefined();
      expect(shown).toContain(`${link(FRONT_DOOR)} data-testid="front-door-phone">${FRONT_DOOR.text}</a>`);
      expect(shown).toContain(`${link(OUT_OF_HOURS)} data-testid="out-of-hours-phone">${OUT_OF_HOURS.text}</a>`);
      expect(shown).toContain(NORTHBRIDGE_COUNCIL.name);
      // Exactly once, in its own landmark.
      expect(html.match(/class="app-contact-strip"/g)).toHaveLength(1);
      expect(shown).toMatch(/^<aside class="app-contact-strip" aria-label="Who to call"/);
    }
  });

  it('is not on council staff’s pages, nor for anyone not signed in', async () => {
    for (const [sub, path] of [['front-door', '/'], ['front-door', '/front-door'], ['sw-priya-desai', '/children'], ['info-governance', '/']] as const) {
      const { html } = await (await as(sub)).get(path);
      expect(strip(html), `${sub} ${path}`).toBeUndefined();
    }
    expect(strip((await new AppClient(app).get('/')).html)).toBeUndefined();
  });

  it('follows the council’s record', async () => {
    const other = await buildTestApp(db().sql);
    try {
      await db().sql`update organisations set duty_phone = '01632 960001' where id = ${NORTHBRIDGE_COUNCIL.id}`;
      const client = await as('dsl-riverside', other);
      expect(strip((await client.get('/')).html)).toContain('href="tel:+441632960001" data-testid="front-door-phone">01632 960001</a>');
    } finally {
      await db().sql`update organisations set duty_phone = ${NORTHBRIDGE_COUNCIL.duty_phone} where id = ${NORTHBRIDGE_COUNCIL.id}`;
      await other.close();
    }
  });
});

describe('the contact card on a summary', () => {
  it('is at the top, with the allocated worker, team, duty and out-of-hours numbers as tel: links', async () => {
    const { status, html } = await (await as('dsl-riverside')).get(`/children/${pupil.id}`);
    expect(status).toBe(200);
    const shown = card(html)!;
    expect(shown).toBeDefined();
    // Before the summary's own rows.
    expect(html.indexOf('data-testid="contact-card"')).toBeLessThan(html.indexOf('data-field="forename"'));
    const row = (key: string) => new RegExp(`data-contact="${key}">[\\s\\S]*?</dd>`).exec(shown)?.[0] ?? '';
    expect(row('worker')).toContain(pupil.worker_name);
    expect(row('worker')).toContain(`href="tel:${dialableNumber(pupil.worker_phone)}">${pupil.worker_phone}</a>`);
    expect(row('team')).toContain(pupil.team_name);
    expect(row('team')).toContain(`href="tel:${dialableNumber(pupil.team_phone)}">${pupil.team_phone}</a>`);
    expect(row('dutyPhone')).toContain(`${link(FRONT_DOOR)}>${FRONT_DOOR.text}</a>`);
    expect(row('outOfHoursPhone')).toContain(`${link(OUT_OF_HOURS)}>${OUT_OF_HOURS.text}</a>`);
  });

  it('shows only what the policy releases', () => {
    // The CP-IS set (an emergency department's lookup): the council's numbers, no worker or team.
    const cpis: ReleasedChild = {
      id: 'c', fields: ['cpisStatus', 'councilName', 'dutyPhone', 'outOfHoursPhone'],
      councilName: 'Northbridge City Council', dutyPhone: '0113 496 0000', outOfHoursPhone: '0113 496 0999',
    } as ReleasedChild;
    const view = presentContactCard(presentChild(cpis))!;
    expect(view.rows.map((r) => r.key)).toEqual(['dutyPhone', 'outOfHoursPhone']);
    expect(JSON.stringify(view)).not.toMatch(/worker|team/i);
    // The worker's name released but not their phone: the name alone.
    const nameOnly = { id: 'c', fields: ['workerName'], workerName: 'Sam Worker' } as ReleasedChild;
    expect(presentContactCard(presentChild(nameOnly))).toEqual({ rows: [{ key: 'worker', label: 'Allocated social worker', name: 'Sam Worker', phone: null }] });
    // Nothing to contact released: no card at all.
    expect(presentContactCard(presentChild({ id: 'c', fields: ['forename'], forename: 'A' } as ReleasedChild))).toBeNull();
  });
});

describe('the numbers on pages that say "phone the council"', () => {
  const expectNumbers = (html: string, where: string) => {
    const list = numbers(html);
    expect(list, where).toBeDefined();
    expect(list).toContain(`${link(FRONT_DOOR)}>${FRONT_DOOR.text}</a>`);
    expect(list).toContain(`${link(OUT_OF_HOURS)}>${OUT_OF_HOURS.text}</a>`);
    expect(html).toContain('call 999');
  };

  it('the start page', async () => {
    expectNumbers((await new AppClient(app).get('/')).html, 'start page');
  });

  it('not found (and so a record the role may not see) and other errors', async () => {
    const client = await as('dsl-riverside');
    const missing = await client.get('/no-such-page');
    expect(missing.status).toBe(404);
    expectNumbers(missing.html, 'not found');
    // A child the school may not see is answered as one that does not exist, numbers and all.
    const [other] = await db().sql<[{ id: string }]>`
      select c.id from children c where not exists (select 1 from child_organisation_relationships r
        join organisations o on o.id = r.organisation_id where r.child_id = c.id and o.name = 'Riverside Primary School') limit 1`;
    const notPermitted = await client.get(`/children/${other.id}`);
    const unknown = await client.get('/children/00000000-0000-4000-8000-000000000000');
    expect(notPermitted.status).toBe(404);
    expectNumbers(notPermitted.html, 'a child not permitted');
    expect(notPermitted.html.replace(/\/children\/[0-9a-f-]{36}/g, '')).toBe(unknown.html.replace(/\/children\/[0-9a-f-]{36}/g, ''));
    const refused = await (await as('dsl-riverside')).post('/sign-out', { csrf_token: 'x'.repeat(43) });
    expect(refused.status).toBe(403);
    expectNumbers(refused.html, 'CSRF refusal');
  });

  it('the lookup’s “no record” page, inside the page as well as in the strip', async () => {
    const client = await as('ed-clinician');
    const unknown = '4857773457'; // a valid NHS number that no seeded child has
    expect(await db().sql`select 1 from children where nhs_number = ${unknown}`).toHaveLength(0);
    const none = await client.post('/lookup', { method: 'nhs', nhsNumber: unknown, reason: 'Child attending the emergency department' });
    expect(none.status).toBe(200);
    expect(none.html).toContain('data-testid="no-record"');
    const main = none.html.slice(none.html.indexOf('<main'));
    expectNumbers(main, 'no record');
  });

  it('the lookup’s limit page', async () => {
    const limited = await buildTestApp(db().sql, { lookupRateLimit: { limit: 0, windowSeconds: 3600 } });
    try {
      const client = await as('ed-clinician', limited);
      const refused = await client.post('/lookup', { method: 'nhs', nhsNumber: '9434765919', reason: 'Child attending the emergency department' });
      expect(refused.status).toBe(429);
      expectNumbers(refused.html, 'lookup limit');
    } finally {
      await limited.close();
    }
  });
});
