// A child's summary as the social worker reads it through the real app (in process; sessions
// from test/support/demo-session.ts), issue 11 point 6: no raw codes, a partner concern's live
// status, the chronology filtered by agency without JavaScript, and "Viewed by" paged with the
// partners' looks apart from the council's own. The presenters alone: chronology-labels.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAccess } from '../src/audit/access-log.ts';
import { agencyLabels, eventTypeLabels, genderLabels } from '../src/children/labels.ts';
import { DEMO_SCHOOLS } from '../src/seed/demo-organisations.ts';
import { seedDemoData } from '../src/seed/insert.ts';
import { CHRONOLOGY_SUMMARIES } from '../src/seed/names.ts';
import { accessEntry } from './support/access-entries.ts';
import { postForm, raiseConcern } from './support/concerns.ts';
import { useTestDatabase } from './support/database.ts';
import { demoClients } from './support/demo-session.ts';
import { hiddenField } from './support/http-client.ts';
import { buildTestApp, type InProcessApp } from './support/in-process-app.ts';

const db = useTestDatabase();
let app: InProcessApp;
const as = demoClients(() => app);
const get = async (sub: string, path: string) => {
  const res = await (await as(sub)).request(`${app.baseUrl}${path}`);
  return { status: res.status, html: await res.text() };
};

/** Gives the child to Priya Desai (sw-priya-desai), so her summary shows everything. */
async function allocateToPriya(childId: string) {
  const sql = db().sql;
  await sql`update allocations set end_date = current_date where child_id = ${childId} and end_date is null`;
  await sql`insert into allocations (child_id, social_worker_id, start_date)
            select ${childId}, id, current_date from social_workers where email = 'priya.desai@northbridge.example'`;
}

const pupilsAtRiverside = () => db().sql<{ id: string }[]>`
  select c.id from children c
  join child_organisation_relationships r on r.child_id = c.id and r.end_date is null and r.kind = 'enrolled'
  where r.organisation_id = ${DEMO_SCHOOLS[0]!.id} and not c.sealed
    and exists (select 1 from involvements i where i.child_id = c.id and i.end_date is null)
  order by c.id limit 2`;

/** The chronology table's cells, column by column. */
function chronologyCells(html: string) {
  const table = /<table class="govuk-table" data-field="chronology">[\s\S]*?<\/table>/.exec(html)?.[0] ?? '';
  const rows = [...table.matchAll(/<tr class="govuk-table__row"><td class="govuk-table__cell">([^<]*)<\/td><td class="govuk-table__cell">([^<]*)<\/td><td class="govuk-table__cell">([^<]*)<\/td>/g)];
  return rows.map((m) => ({ date: m[1]!, event: m[2]!, from: m[3]! }));
}
const viewedByTable = (html: string) => /data-field="viewedBy"[\s\S]*?<\/table>/.exec(html)?.[0] ?? '';
const unescape = (text: string) => text.replaceAll('&#39;', '’').replaceAll('&amp;', '&');

let pupil: string;
let watched: string;

beforeAll(async () => {
  await seedDemoData(db().sql, { children: 150, referenceDate: '2026-11-23' });
  app = await buildTestApp(db().sql);
  [{ id: pupil }, { id: watched }] = (await pupilsAtRiverside()) as unknown as [{ id: string }, { id: string }];
  await allocateToPriya(pupil);
  await allocateToPriya(watched);
});
afterAll(() => app?.close());

describe('plain labels', () => {
  it('shows no raw code from the seed: every event type, agency and gender in words', async () => {
    const sql = db().sql;
    // One child for each event type and each gender the seed wrote, given to Priya Desai.
    const byType = await sql<{ event_type: string; child_id: string }[]>`
      select distinct on (e.event_type) e.event_type, e.child_id from chronology_events e join children c on c.id = e.child_id
      where not c.sealed order by e.event_type, e.child_id`;
    const byGender = await sql<{ gender: string; id: string }[]>`
      select distinct on (gender) gender, id from children where not sealed order by gender, id`;
    expect(byType.map((r) => r.event_type).sort()).toEqual(expect.arrayContaining(Object.keys(CHRONOLOGY_SUMMARIES).sort()));
    const children = [...new Set([...byType.map((r) => r.child_id), ...byGender.map((r) => r.id)])];
    for (const id of children) await allocateToPriya(id);

    const eventTypes = new Set<string>();
    const genders = new Set<string>();
    for (const id of children) {
      const { status, html } = await get('sw-priya-desai', `/children/${id}`);
      expect(status).toBe(200);
      for (const code of Object.keys(CHRONOLOGY_SUMMARIES).filter((c) => c.includes('_'))) expect(html, `${id} shows ${code}`).not.toContain(code);
      for (const cell of chronologyCells(html)) {
        expect(Object.values(eventTypeLabels), cell.event).toContain(unescape(cell.event));
        expect(Object.values(agencyLabels), cell.from).toContain(unescape(cell.from));
        eventTypes.add(unescape(cell.event));
      }
      const gender = /data-field="gender">\s*<dt[^>]*>[^<]*<\/dt>\s*<dd[^>]*>([^<]*)<\/dd>/.exec(html)?.[1];
      expect(Object.values(genderLabels), `${id}'s gender`).toContain(gender);
      genders.add(gender!);
    }
    // Every event type the seed wrote was seen, in words.
    for (const type of byType.map((r) => r.event_type)) expect([...eventTypes], type).toContain(eventTypeLabels[type]);
    expect(genders.size).toBe(byGender.length);
  });
});

describe('a partner concern in the chronology', () => {
  it('says it is waiting for the front door, then shows the decision and no longer says it is awaited', async () => {
    const riverside = await as('dsl-riverside');
    const reference = await raiseConcern(riverside, app, { childId: pupil });
    const [{ id }] = await db().sql<[{ id: string }]>`select id from concerns where reference = ${reference}`;

    const before = await get('sw-priya-desai', `/children/${pupil}`);
    expect(before.html).toContain(reference);
    expect(before.html).toContain('Concern raised by a partner');
    expect(unescape(before.html)).toContain('Waiting for the front door’s decision');
    expect(before.html).not.toContain('Awaiting front-door decision');

    const frontDoor = await as('front-door');
    const form = await get('front-door', `/front-door/${id}`);
    const decided = await postForm(frontDoor, app, `/front-door/${id}/decision`, {
      csrf_token: hiddenField(form.html, 'csrf_token')!, match: pupil, decision: 'early_help', reason: 'Family agree to early help.', feedback: 'Early help offered.',
    });
    expect(decided.status).toBe(303);

    const after = await get('sw-priya-desai', `/children/${pupil}`);
    const status = [...after.html.matchAll(/data-testid="concern-status"><strong>([^<]*)</g)].map((m) => unescape(m[1]!));
    expect(status).toEqual([expect.stringMatching(/^Decided: Early help on \d{1,2} [A-Z][a-z]+ \d{4}$/)]);
    expect(after.html).not.toContain('Awaiting front-door decision');
    expect(unescape(after.html)).not.toContain('Waiting for the front door’s decision');
    expect(after.html).toContain('Front-door decision');
  });
});

describe('the chronology filtered by agency', () => {
  it('shows one agency’s entries with plain links, and all of them for a bad value', async () => {
    const all = chronologyCells((await get('sw-priya-desai', `/children/${pupil}`)).html);
    expect(new Set(all.map((c) => c.from)).size).toBeGreaterThan(1);
    const page = await get('sw-priya-desai', `/children/${pupil}?agency=education`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('data-testid="chronology-filter"');
    expect(page.html).toContain(`href="/children/${pupil}?agency=police#chronology"`);
    expect(page.html).toContain(`href="/children/${pupil}#chronology"`);
    expect(page.html).toContain('<strong aria-current="true">Education</strong>');
    const education = chronologyCells(page.html);
    expect(education.length).toBe(all.filter((c) => c.from === 'Education').length);
    expect(education.every((c) => c.from === 'Education')).toBe(true);
    for (const bad of ['%3Cscript%3E', 'Health', 'council%00', '']) {
      const res = await get('sw-priya-desai', `/children/${pupil}?agency=${bad}`);
      expect(res.status, bad).toBe(200);
      expect(chronologyCells(res.html), bad).toHaveLength(all.length);
    }
  });
});

describe('the chronology paged', () => {
  it('shows the newest 20 entries, then older ones a link away, the filter kept and the page reset by it', async () => {
    const sql = db().sql;
    // A child known for years: 30 more entries from the case system, one a day, the last two from health.
    await sql`
      insert into chronology_events (child_id, occurred_on, event_type, source_agency, summary)
      select ${watched}, date '2020-01-01' + g, 'home_visit', case when g > 28 then 'health' else 'council' end, 'Visit ' || g
      from generate_series(1, 30) g`;
    const [{ total }] = await sql<[{ total: number }]>`select count(*)::int as total from chronology_events where child_id = ${watched}`;
    const first = await get('sw-priya-desai', `/children/${watched}`);
    expect(chronologyCells(first.html)).toHaveLength(20);
    expect(first.html).toContain(`href="/children/${watched}?chronology=2#chronology"`);
    const pages = [chronologyCells(first.html)];
    for (let page = 2; page <= Math.ceil(total / 20); page++) pages.push(chronologyCells((await get('sw-priya-desai', `/children/${watched}?chronology=${page}`)).html));
    expect(pages.flat()).toHaveLength(total);
    expect(pages.at(-1)!.length).toBe(total - 20 * (pages.length - 1));
    expect(pages.at(-1)!.at(-1)!.date).toBe('2 January 2020');
    const beyond = await get('sw-priya-desai', `/children/${watched}?chronology=${pages.length + 1}`);
    expect(beyond.status).toBe(200);
    expect(beyond.html).toContain('There are no more entries.');

    const health = await get('sw-priya-desai', `/children/${watched}?agency=health&chronology=1`);
    expect(chronologyCells(health.html).every((c) => c.from === 'Health')).toBe(true);
    expect(chronologyCells(health.html).length).toBeGreaterThanOrEqual(2);
    const later = await get('sw-priya-desai', `/children/${watched}?agency=health&chronology=2`);
    expect(later.html).toContain(`href="/children/${watched}?agency=police#chronology"`);
    expect(later.html).toContain(`href="/children/${watched}?agency=health#chronology"`);
    for (const bad of ['abc', '-1', '0', '99999999999']) expect(chronologyCells((await get('sw-priya-desai', `/children/${watched}?chronology=${bad}`)).html), bad).toHaveLength(20);
  });
});

describe('Viewed by', () => {
  beforeAll(async () => {
    const sql = db().sql;
    for (let i = 1; i <= 25; i++) {
      await recordAccess(sql, accessEntry({ childId: watched, userName: `Partner ${String(i).padStart(2, '0')}`, role: 'health.emergency_department', action: 'lookup' }));
    }
    await recordAccess(sql, accessEntry({ childId: watched, userName: 'Gwen Governance', role: 'council.information_governance', organisationName: 'Northbridge Council', action: 'view_summary', reason: 'Audit sample 7' }));
  });

  const names = (html: string) => [...viewedByTable(html).matchAll(/>(Partner \d\d|Gwen Governance|Priya Desai)</g)].map((m) => m[1]!);

  it('lists partners only, newest first, 20 a page, with the next page a link away', async () => {
    const first = await get('sw-priya-desai', `/children/${watched}`);
    expect(first.status).toBe(200);
    expect(names(first.html)).toEqual(Array.from({ length: 20 }, (_, i) => `Partner ${String(25 - i).padStart(2, '0')}`));
    expect(first.html).toContain(`href="/children/${watched}?viewed=2#viewed-by"`);
    expect(first.html).not.toContain('Gwen Governance');
    const second = await get('sw-priya-desai', `/children/${watched}?viewed=2`);
    expect(names(second.html)).toEqual(['Partner 05', 'Partner 04', 'Partner 03', 'Partner 02', 'Partner 01']);
    expect(second.html).toContain(`href="/children/${watched}#viewed-by"`);
    const beyond = await get('sw-priya-desai', `/children/${watched}?viewed=9`);
    expect(beyond.status).toBe(200);
    expect(beyond.html).toContain('There are no more views.');
    for (const bad of ['abc', '-1', '0', '99999999999']) expect(names((await get('sw-priya-desai', `/children/${watched}?viewed=${bad}`)).html), bad).toHaveLength(20);
  });

  it('has the council’s own looks, governance previews among them, one click away', async () => {
    const partners = await get('sw-priya-desai', `/children/${watched}`);
    expect(partners.html).toContain(`href="/children/${watched}?views=all#viewed-by"`);
    const everyone = await get('sw-priya-desai', `/children/${watched}?views=all`);
    const shown = names(everyone.html);
    expect(shown.slice(0, 2)).toEqual(['Priya Desai', 'Priya Desai']);
    expect(shown).toContain('Gwen Governance');
    expect(everyone.html).toContain('Audit sample 7');
    expect(shown).toHaveLength(20);
    expect(everyone.html).toContain(`href="/children/${watched}?views=all&amp;viewed=2#viewed-by"`);
  });

  it('is still withheld from a role the policy does not release it to', async () => {
    const dsl = await get('dsl-riverside', `/children/${watched}?views=all&viewed=2`);
    expect(dsl.status).toBe(200);
    expect(dsl.html).not.toContain('data-field="viewedBy"');
    expect(dsl.html).not.toContain('Partner 0');
    expect(dsl.html).not.toContain('Gwen Governance');
  });
});
