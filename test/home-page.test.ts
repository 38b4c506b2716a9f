// The home page per role and the navigation (issue 11, point 5): the front door's counts and a
// partner's new decisions move as concerns are raised and decided, in the panels and in the
// navigation's counts; the navigation marks exactly the current page. Which panels each role
// sees is the page matrix's "home" column (page-matrix.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoData } from '../src/seed/insert.ts';
import { raiseConcern } from './support/concerns.ts';
import { useTestDatabase } from './support/database.ts';
import { demoClients } from './support/demo-session.ts';
import { hiddenField } from './support/http-client.ts';
import { buildTestApp, type InProcessApp } from './support/in-process-app.ts';

const db = useTestDatabase();
let app: InProcessApp;
const as = demoClients(() => app);

beforeAll(async () => {
  await seedDemoData(db().sql, { children: 40, referenceDate: '2026-11-23' });
  app = await buildTestApp(db().sql);
});
afterAll(async () => {
  await app?.close();
});

const navigation = (html: string) => /<ul class="govuk-service-navigation__list">([\s\S]*?)<\/ul>/.exec(html)?.[1] ?? '';
/** A navigation link's text, by its href. */
const navText = (html: string, href: string) =>
  new RegExp(`href="${href}"[^>]*>(?:<strong[^>]*>)?([^<]*)<`).exec(navigation(html))?.[1];
/** One of the front door's counts on its home page. */
const frontDoorCount = (html: string, key: string) => Number(new RegExp(`data-count="${key}">(\\d+) `).exec(html)?.[1] ?? Number.NaN);
const panel = (html: string, name: string) => new RegExp(`data-panel="${name}"[\\s\\S]*?</section>`).exec(html)?.[0] ?? '';

describe('counts', () => {
  it('the front door’s counts and a partner’s new decisions follow raising and deciding a concern', async () => {
    const frontDoor = await as('front-door');
    const dsl = await as('dsl-riverside');
    const before = (await frontDoor.get('/')).html;
    const [waiting, overdue, immediate] = ['waiting', 'overdue', 'immediate-risk'].map((key) => frontDoorCount(before, key));
    expect(Number.isInteger(waiting)).toBe(true);
    const newBefore = Number(/\((\d+) new\)/.exec(navText((await dsl.get('/')).html, '/submissions') ?? '')?.[1] ?? 0);

    const reference = await raiseConcern(dsl, app, { childSurname: 'Homepage', immediateRisk: 'yes' });
    // Its decision was due an hour ago: overdue.
    await db().sql`update concerns set decision_due_at = now() - interval '1 hour' where reference = ${reference}`;
    const raised = (await frontDoor.get('/')).html;
    expect(frontDoorCount(raised, 'waiting')).toBe(waiting! + 1);
    expect(frontDoorCount(raised, 'overdue')).toBe(overdue! + 1);
    expect(frontDoorCount(raised, 'immediate-risk')).toBe(immediate! + 1);
    expect(navText(raised, '/front-door')).toBe(`Front door (${waiting! + 1})`);
    // The partner's home lists it among the latest submissions, linking to its receipt.
    const dslHome = (await dsl.get('/')).html;
    expect(panel(dslHome, 'submissions')).toContain(`href="/concerns/${reference}"`);
    expect(panel(dslHome, 'decisions')).not.toContain(reference);

    const [{ id }] = await db().sql<[{ id: string }]>`select id from concerns where reference = ${reference}`;
    const form = await frontDoor.get(`/front-door/${id}`);
    const sent = await frontDoor.post(`/front-door/${id}/decision`, {
      csrf_token: hiddenField(form.html, 'csrf_token')!, match: 'unmatched', decision: 'advice_given', reason: 'Known to the MASH', feedback: 'Thank you.',
    });
    expect(sent.status).toBe(303);

    const decided = (await frontDoor.get('/')).html;
    expect(frontDoorCount(decided, 'waiting')).toBe(waiting);
    expect(frontDoorCount(decided, 'overdue')).toBe(overdue);
    expect(frontDoorCount(decided, 'immediate-risk')).toBe(immediate);
    expect(navText(decided, '/front-door')).toBe(waiting ? `Front door (${waiting})` : 'Front door');
    const dslAfter = (await dsl.get('/')).html;
    expect(navText(dslAfter, '/submissions')).toBe(`Your submissions (${newBefore + 1} new)`);
    expect(panel(dslAfter, 'decisions')).toContain(`href="/concerns/${reference}"`);
    // Another school's DSL sees neither the concern nor its decision.
    const other = (await (await as('dsl-northbridge-high')).get('/')).html;
    expect(other).not.toContain(reference);
  });
});

describe('the current page', () => {
  it.each([
    ['front-door', '/children', '/children'],
    ['front-door', '/front-door', '/front-door'],
    ['ed-clinician', '/lookup', '/lookup'],
    ['dsl-riverside', '/submissions', '/submissions'],
  ])('%s on %s: exactly one item is the current page', async (sub, path, href) => {
    const html = (await (await as(sub)).get(path)).html;
    const nav = navigation(html);
    expect(nav.match(/aria-current="page"/g)).toHaveLength(1);
    expect(nav.match(/govuk-service-navigation__item--active/g)).toHaveLength(1);
    expect(nav).toMatch(new RegExp(`<li class="govuk-service-navigation__item govuk-service-navigation__item--active"><a class="govuk-service-navigation__link" href="${href}" aria-current="page">`));
  });
});

describe('panels', () => {
  it('the lookup panel is the lookup form, posting to /lookup with the session’s token', async () => {
    const html = (await (await as('police-ppu')).get('/')).html;
    const lookup = panel(html, 'lookup');
    expect(lookup).toContain('<form method="post" action="/lookup" novalidate>');
    for (const name of ['method', 'nhsNumber', 'surname', 'dob-day', 'postcode', 'reason']) expect(lookup).toContain(`name="${name}"`);
    expect(hiddenField(lookup, 'csrf_token')).toBeTruthy();
  });

  it('information governance’s panel links to the unusual activity page', async () => {
    const html = (await (await as('info-governance')).get('/')).html;
    expect(panel(html, 'unusual-activity')).toContain('href="/governance/unusual-activity"');
  });

  it('a visitor who is not signed in gets the public start page', async () => {
    const res = await app.app.request(`${app.baseUrl}/`);
    const html = await res.text();
    expect(html).toContain('href="/sign-in"');
    expect(html).not.toContain('data-panel=');
  });
});
