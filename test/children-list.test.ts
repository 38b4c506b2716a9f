// The children list as people use it (issue 12, point 10), through the real app in process:
// sorting by name and by next review date with links that work without JavaScript (aria-sort on
// the sorted column), columns only where the role's policy has the field (a GP's list has no next
// review date, and cannot be sorted by it), legal status as GOV.UK tags, and GOV.UK numbered
// pagination whose pages neither overlap nor leave anyone out. Bad query values fall back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpCategoryInWords } from '../src/children/labels.ts';
import { seedDemoData } from '../src/seed/insert.ts';
import { useTestDatabase } from './support/database.ts';
import { demoClients } from './support/demo-session.ts';
import { buildTestApp, type InProcessApp } from './support/in-process-app.ts';

const db = useTestDatabase();
let app: InProcessApp;
const as = demoClients(() => app);

beforeAll(async () => {
  await seedDemoData(db().sql, { children: 120, referenceDate: '2026-11-23' });
  app = await buildTestApp(db().sql);
});
afterAll(() => app?.close());

interface Row { id: string; name: string; cells: Map<string, string> }

/** The list's rows: each child's id, the name link's text, and its cells by data-column. */
function rows(html: string): Row[] {
  const pattern = /<tr class="govuk-table__row">\s*<td class="govuk-table__cell" data-column="name"><a class="govuk-link" href="\/children\/([0-9a-f-]{36})">([^<]*)<\/a><\/td>([\s\S]*?)<\/tr>/g;
  return [...html.matchAll(pattern)].map((m) => ({
    id: m[1]!,
    name: m[2]!,
    cells: new Map([...m[3]!.matchAll(/data-column="([A-Za-z]+)">([\s\S]*?)<\/td>/g)].map((c) => [c[1]!, c[2]!.trim()])),
  }));
}

const headers = (html: string) => [...html.matchAll(/<th scope="col" class="govuk-table__header" data-column="([A-Za-z]+)"(?: aria-sort="([a-z]+)")?>/g)]
  .map((m) => ({ column: m[1]!, ariaSort: m[2] ?? null }));
const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
/** "3 March 2027" as 2027-03-03, or null for an empty cell. */
function isoOf(shown: string): string | null {
  const m = /^(\d{1,2}) ([A-Za-z]+) (\d{4})$/.exec(shown);
  if (!shown) return null;
  if (!m) throw new Error(`not a date: ${shown}`);
  return `${m[3]}-${String(months.indexOf(m[2]!) + 1).padStart(2, '0')}-${m[1]!.padStart(2, '0')}`;
}

/** Whether PostgreSQL (the collation the list is sorted in) puts these last names in this order. */
async function inOrder(surnames: string[], direction: 'asc' | 'desc'): Promise<boolean> {
  const [row] = await db().sql<{ sorted: string[] }[]>`
    select coalesce(array_agg(s order by s ${direction === 'asc' ? db().sql`asc` : db().sql`desc`}), '{}') as sorted from unnest(${surnames}::text[]) s`;
  return JSON.stringify(row!.sorted) === JSON.stringify(surnames);
}

describe('the front door (every field)', () => {
  it('shows every column, with the legal status as tags, sorted by name A to Z by default', async () => {
    const { status, html } = await (await as('front-door')).get('/children');
    expect(status).toBe(200);
    expect(headers(html)).toEqual([
      { column: 'name', ariaSort: 'ascending' }, { column: 'dateOfBirth', ariaSort: null },
      { column: 'legalStatus', ariaSort: null }, { column: 'nextReviewDate', ariaSort: 'none' },
    ]);
    const list = rows(html);
    expect(list).toHaveLength(25);
    for (const row of list) {
      expect(row.cells.get('legalStatus')).toMatch(/^(<strong class="govuk-tag govuk-tag--(red|purple|blue|grey)">[A-Za-z -]+<\/strong>\s*)+$/);
    }
    expect(await inOrder(list.map((r) => r.name.split(' ').at(-1)!), 'asc')).toBe(true);
    // The headers are links: name the other way round, next review from the soonest.
    expect(html).toContain('<a class="govuk-link app-sort-link" href="/children?sort=name&amp;order=descending" data-testid="sort-name">Name</a>');
    expect(html).toContain('<a class="govuk-link app-sort-link" href="/children?sort=nextReviewDate&amp;order=ascending" data-testid="sort-nextReviewDate">Next review or conference</a>');
  });

  it('sorts by next review date, soonest or latest first, children with none last either way', async () => {
    const client = await as('front-door');
    for (const order of ['ascending', 'descending'] as const) {
      const { html } = await client.get(`/children?sort=nextReviewDate&order=${order}`);
      expect(headers(html).find((h) => h.column === 'nextReviewDate')!.ariaSort).toBe(order);
      expect(headers(html).find((h) => h.column === 'name')!.ariaSort).toBe('none');
      const dates = rows(html).map((r) => isoOf(r.cells.get('nextReviewDate')!));
      expect(dates.filter(Boolean).length).toBeGreaterThan(10);
      const known = dates.filter((d): d is string => d !== null);
      expect(known).toEqual([...known].sort((a, b) => (order === 'ascending' ? a.localeCompare(b) : b.localeCompare(a))));
      // None comes after every dated child.
      const firstNone = dates.indexOf(null);
      if (firstNone >= 0) expect(dates.slice(firstNone).every((d) => d === null)).toBe(true);
      // The sorted header's link turns it round; the pagination keeps the sort.
      expect(html).toContain(`href="/children?sort=nextReviewDate&amp;order=${order === 'ascending' ? 'descending' : 'ascending'}"`);
      expect(html).toContain(`href="/children?sort=nextReviewDate&amp;order=${order}&amp;page=2"`);
    }
    const earliest = (await db().sql<{ d: string }[]>`
      select min(next_review_date)::text as d from involvements i join children c on c.id = i.child_id
      where i.end_date is null and not c.sealed`)[0]!.d;
    expect(isoOf(rows((await client.get('/children?sort=nextReviewDate')).html)[0]!.cells.get('nextReviewDate')!)).toBe(earliest);
  });

  it('sorts by name Z to A', async () => {
    const { html } = await (await as('front-door')).get('/children?sort=name&order=descending');
    expect(headers(html)[0]).toEqual({ column: 'name', ariaSort: 'descending' });
    expect(await inOrder(rows(html).map((r) => r.name.split(' ').at(-1)!), 'desc')).toBe(true);
  });

  it('pages with GOV.UK numbered pagination; the pages together list everyone once', async () => {
    const client = await as('front-door');
    const first = await client.get('/children?sort=nextReviewDate');
    const total = Number(/data-testid="result-count">(\d+) children/.exec(first.html)![1]);
    const pages = Math.ceil(total / 25);
    expect(pages).toBeGreaterThan(2);
    expect(first.html).not.toMatch(/\d+ of \d+/);
    expect(first.html).toContain('<nav class="govuk-pagination" aria-label="Pages of results">');
    expect(first.html).toContain('aria-label="Page 1" aria-current="page">1</a>');
    expect(first.html).toContain(`aria-label="Page ${pages}">${pages}</a>`);
    expect(first.html).not.toContain('rel="prev"');
    const ids: string[] = [];
    for (let page = 1; page <= pages; page++) {
      const { html } = await client.get(`/children?sort=nextReviewDate&page=${page}`);
      ids.push(...rows(html).map((r) => r.id));
      if (page === pages) expect(html).not.toContain('rel="next"');
    }
    expect(ids).toHaveLength(total);
    expect(new Set(ids).size).toBe(total);
    // Beyond the last page: nobody listed, and a way back.
    const beyond = await client.get(`/children?page=${pages + 3}`);
    expect(beyond.status).toBe(200);
    expect(rows(beyond.html)).toHaveLength(0);
    expect(beyond.html).toContain(`rel="prev"`);
  });

  it('falls back to the defaults for anything else in the address', async () => {
    const client = await as('front-door');
    const plain = rows((await client.get('/children')).html).map((r) => r.id);
    for (const query of ['sort=surname%3Bdrop%20table%20children&order=sideways', 'sort=id&order=descending%00', 'sort=dateOfBirth', 'page=-3&sort=', 'sort[]=name']) {
      const { status, html } = await client.get(`/children?${query}`);
      expect(status, query).toBe(200);
      const ids = rows(html).map((r) => r.id);
      if (!query.includes('order=descending')) expect(ids, query).toEqual(plain);
    }
  });

  it('the htmx results keep the sort and carry their own pagination', async () => {
    const { status, html } = await (await as('front-door')).get('/children?sort=nextReviewDate&order=descending', { 'HX-Request': 'true', 'HX-Target': 'children-results' });
    expect(status).toBe(200);
    expect(html).not.toContain('<html');
    expect(headers(html).find((h) => h.column === 'nextReviewDate')!.ariaSort).toBe('descending');
    expect(html).toContain('class="govuk-pagination"');
  });
});

describe('a GP (no next review date in the policy)', () => {
  it('has no next review column, and asking to sort by it sorts by name', async () => {
    const client = await as('gp-canal-wharf');
    const plain = await client.get('/children');
    expect(plain.status).toBe(200);
    expect(rows(plain.html).length).toBeGreaterThan(0);
    expect(headers(plain.html).map((h) => h.column)).toEqual(['name', 'dateOfBirth', 'legalStatus']);
    expect(plain.html).not.toContain('Next review');
    expect(plain.html).not.toContain('nextReviewDate');
    const asked = await client.get('/children?sort=nextReviewDate&order=ascending');
    expect(asked.status).toBe(200);
    // The order is the name order: the review dates the GP may not see tell nothing.
    expect(rows(asked.html).map((r) => r.id)).toEqual(rows(plain.html).map((r) => r.id));
    expect(headers(asked.html)[0]).toEqual({ column: 'name', ariaSort: 'ascending' });
    expect(asked.html).not.toContain('nextReviewDate');
  });

  it('the access module says which list columns the policy gives each role', async () => {
    // A school's DSL has the next review date (education's policy releases it); a GP does not.
    const dsl = await (await as('dsl-riverside')).get('/children');
    expect(headers(dsl.html).map((h) => h.column)).toEqual(['name', 'dateOfBirth', 'legalStatus', 'nextReviewDate']);
  });
});

describe('child protection categories', () => {
  it('are words, without the census code', () => {
    expect(['NEG', 'PHY', 'SAB', 'EMO', 'MUL'].map((code) => cpCategoryInWords(code))).toEqual(['Neglect', 'Physical abuse', 'Sexual abuse', 'Emotional abuse', 'Multiple categories']);
    expect(cpCategoryInWords(null)).toBe('Not on a child protection plan');
    expect(cpCategoryInWords('NEW_CODE')).toBe('New code');
  });
});
