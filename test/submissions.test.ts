// "Your submissions" and the receipt as partners follow them (issue 12, point 2), through the
// real app in process: the child each concern is about (the name on the record only where the
// policy lets the partner read the matched child, otherwise only what they typed), a GOV.UK tag
// for where it is (sent, being considered, decided) with the decision, the confirmation panel only
// right after sending, newest first, 25 a page well beyond 200, filtered by status and by who sent
// it. Bad query values fall back to the defaults; another organisation sees none of it.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SCHOOLS } from '../src/seed/demo-organisations.ts';
import { seedDemoData } from '../src/seed/insert.ts';
import { goodAnswers, openConcernForm, postForm } from './support/concerns.ts';
import { useTestDatabase } from './support/database.ts';
import { demoClients } from './support/demo-session.ts';
import { buildTestApp, type InProcessApp } from './support/in-process-app.ts';

const db = useTestDatabase();
let app: InProcessApp;
const as = demoClients(() => app);
const RIVERSIDE = DEMO_SCHOOLS[0]!.id;

/** The concerns put straight into the table, oldest first (index 0 received longest ago). */
const MANY = 230;
interface Made { id: string; reference: string; by: 'dsl' | 'deputy'; stage: 'sent' | 'being_considered' | 'decided' }
const made: Made[] = [];
let pupil: { id: string; forename: string; surname: string };
let stranger: { id: string; forename: string; surname: string };
/** Special concerns about a child: by reference. */
const about: Record<'readable' | 'unreadableTyped' | 'unreadableUntyped' | 'typedOnly', string> = { readable: '', unreadableTyped: '', unreadableUntyped: '', typedOnly: '' };

const userId = async (name: string) => (await db().sql<{ id: string }[]>`select id from users where name = ${name}`)[0]!.id;

beforeAll(async () => {
  const sql = db().sql;
  await seedDemoData(sql, { children: 120, referenceDate: '2026-11-23' });
  app = await buildTestApp(sql);
  // Signing in records the users the concerns name.
  await Promise.all(['dsl-riverside', 'deputy-dsl-riverside', 'front-door', 'dsl-northbridge-high'].map((sub) => as(sub)));
  const dsl = await userId('Sarah Collins');
  const deputy = await userId('Emma Lodge');
  const frontDoor = await userId('Nadia Hussain');
  pupil = (await sql`
    select c.id, c.forename, c.surname from children c
    join child_organisation_relationships r on r.child_id = c.id and r.end_date is null and r.kind = 'enrolled'
    where r.organisation_id = ${RIVERSIDE} and not c.sealed
      and exists (select 1 from involvements i where i.child_id = c.id and i.end_date is null)
    order by c.surname limit 1`)[0] as never;
  // Open, and never on Riverside's roll: the DSL may not read this child.
  stranger = (await sql`
    select c.id, c.forename, c.surname from children c
    where not exists (select 1 from child_organisation_relationships r where r.child_id = c.id and r.organisation_id = ${RIVERSIDE})
      and exists (select 1 from involvements i where i.child_id = c.id and i.end_date is null)
    order by c.surname limit 1`)[0] as never;

  const start = Date.parse('2026-10-01T08:00:00Z');
  const rows = Array.from({ length: MANY }, (_, i) => {
    const by = i % 3 === 0 ? 'deputy' : 'dsl';
    const stage = i % 5 === 0 ? 'decided' : i % 5 === 1 ? 'being_considered' : 'sent';
    const reference = `SPP-2026-${String(900_000 + i)}`;
    made.push({ id: '', reference, by, stage });
    const receivedAt = new Date(start + i * 3_600_000);
    return {
      reference, idempotency_key: randomUUID(),
      submitted_by_user_id: by === 'dsl' ? dsl : deputy, submitted_by_name: by === 'dsl' ? 'Sarah Collins' : 'Emma Lodge', submitted_by_role: by === 'dsl' ? 'education.dsl' : 'education.deputy_dsl',
      organisation_id: RIVERSIDE, child_id: null, child_forename: `Typedname${i}`, child_surname: 'Pupil',
      category: 'neglect', what_happened: `Concern number ${i}`, happened_on: '2026-09-30', immediate_risk: false, parents_aware: true,
      referrer_phone: '01632 960 001', received_at: receivedAt, decision_due_at: new Date(receivedAt.getTime() + 86_400_000),
      status: stage === 'decided' ? 'decided' : 'received',
      decision: stage === 'decided' ? 'early_help' : null, decided_at: stage === 'decided' ? new Date(receivedAt.getTime() + 7_200_000) : null,
      decided_by_user_id: stage === 'decided' ? frontDoor : null, feedback: stage === 'decided' ? `Feedback ${i}` : null, decision_reason: stage === 'decided' ? `Internal reason ${i}` : null,
      assigned_to_user_id: stage === 'being_considered' ? frontDoor : null, assigned_at: stage === 'being_considered' ? receivedAt : null,
    };
  });
  // The concerns about a child: matched to one the DSL may read, or may not (with and without a typed name).
  rows[MANY - 1]!.child_id = pupil.id as never;
  rows[MANY - 1]!.child_forename = null as never;
  rows[MANY - 1]!.child_surname = null as never;
  rows[MANY - 2]!.child_id = stranger.id as never;
  rows[MANY - 2]!.child_forename = 'Whatwetyped';
  rows[MANY - 2]!.child_surname = 'Asnamed';
  rows[MANY - 3]!.child_id = stranger.id as never;
  rows[MANY - 3]!.child_forename = null as never;
  rows[MANY - 3]!.child_surname = null as never;
  about.readable = rows[MANY - 1]!.reference;
  about.unreadableTyped = rows[MANY - 2]!.reference;
  about.unreadableUntyped = rows[MANY - 3]!.reference;
  about.typedOnly = rows[MANY - 4]!.reference;
  const inserted = await sql<{ id: string; reference: string }[]>`insert into concerns ${sql(rows as never[])} returning id, reference`;
  for (const row of inserted) made.find((m) => m.reference === row.reference)!.id = row.id;
});
afterAll(() => app?.close());

/** The references listed on a submissions page, in order. */
const listed = (html: string) => [...html.matchAll(/<tr class="govuk-table__row" data-reference="([^"]+)">/g)].map((m) => m[1]!);
/** One row's markup. */
const rowOf = (html: string, reference: string) => {
  const at = html.indexOf(`data-reference="${reference}"`);
  return at < 0 ? '' : html.slice(at, html.indexOf('</tr>', at));
};
const newestFirst = () => [...made].reverse().map((m) => m.reference);

describe('the list', () => {
  it('shows 25 a page, newest first, and every concern can be reached, well beyond 200', async () => {
    const dsl = await as('dsl-riverside');
    const first = await dsl.get('/submissions');
    expect(first.status).toBe(200);
    expect(first.html).toContain(`data-testid="submission-count">${MANY} concerns<`);
    expect(listed(first.html)).toEqual(newestFirst().slice(0, 25));
    const pages = Math.ceil(MANY / 25);
    expect(first.html).toContain('<nav class="govuk-pagination" aria-label="Pages of submissions">');
    expect(first.html).toContain('href="/submissions?page=2" rel="next"');
    expect(first.html).toContain(`href="/submissions?page=${pages}" aria-label="Page ${pages}">${pages}</a>`);
    const seen: string[] = [];
    for (let page = 1; page <= pages; page++) seen.push(...listed((await dsl.get(`/submissions?page=${page}`)).html));
    expect(seen).toEqual(newestFirst());
    // The oldest, more than 200 concerns back, on the last page.
    const last = await dsl.get(`/submissions?page=${pages}`);
    expect(listed(last.html).at(-1)).toBe(made[0]!.reference);
    expect(last.html).toContain('aria-current="page">10</a>');
    expect(last.html).not.toContain('rel="next"');
  });

  it('gives each concern a status tag, and the decision with the feedback once decided (not the internal reason)', async () => {
    const { html } = await (await as('dsl-riverside')).get('/submissions');
    expect(listed(html)).toHaveLength(25);
    for (const reference of listed(html)) {
      const m = made.find((x) => x.reference === reference)!;
      const row = rowOf(html, reference);
      const tag = { sent: '<strong class="govuk-tag govuk-tag--blue">Sent</strong>', being_considered: '<strong class="govuk-tag govuk-tag--yellow">Being considered</strong>', decided: '<strong class="govuk-tag govuk-tag--green">Decided</strong>' }[m.stage];
      expect(row, reference).toContain(tag);
      if (m.stage === 'decided') {
        expect(row).toContain('<strong data-testid="decision">Early help</strong>');
        expect(row).toMatch(/Feedback \d+/);
      }
    }
    expect(html).not.toContain('Internal reason');
  });

  it('filters by status and by who sent it, keeping the filters in the page links', async () => {
    const deputy = await as('deputy-dsl-riverside');
    for (const stage of ['sent', 'being_considered', 'decided'] as const) {
      const wanted = newestFirst().filter((r) => made.find((m) => m.reference === r)!.stage === stage);
      const { status, html } = await deputy.get(`/submissions?status=${stage}`);
      expect(status).toBe(200);
      expect(html).toContain(`data-testid="submission-count">${wanted.length} concerns<`);
      expect(listed(html)).toEqual(wanted.slice(0, 25));
      expect(html).toContain(`<option value="${stage}" selected>`);
      if (wanted.length > 25) expect(html).toContain(`href="/submissions?status=${stage}&amp;page=2"`);
    }
    const mine = newestFirst().filter((r) => made.find((m) => m.reference === r)!.by === 'deputy');
    const byMe = await deputy.get('/submissions?sentBy=me');
    expect(byMe.html).toContain(`data-testid="submission-count">${mine.length} concerns<`);
    expect(listed(byMe.html)).toEqual(mine.slice(0, 25));
    expect([...byMe.html.matchAll(/data-testid="sent-by">([^<]*)</g)].every((m) => m[1] === 'Emma Lodge')).toBe(true);
    expect(byMe.html).toMatch(/<input class="govuk-radios__input" id="sentBy-me" name="sentBy" type="radio" value="me" checked>/);
    expect(byMe.html).toContain('href="/submissions?sentBy=me&amp;page=2"');
    // Both at once; and "me" is whoever is signed in.
    const both = await deputy.get('/submissions?status=decided&sentBy=me');
    expect(listed(both.html)).toEqual(newestFirst().filter((r) => { const m = made.find((x) => x.reference === r)!; return m.by === 'deputy' && m.stage === 'decided'; }).slice(0, 25));
    const dslMine = await (await as('dsl-riverside')).get('/submissions?sentBy=me');
    expect(listed(dslMine.html)).toEqual(newestFirst().filter((r) => made.find((m) => m.reference === r)!.by === 'dsl').slice(0, 25));
  });

  it('falls back to the defaults for anything else in the address, never an error', async () => {
    const dsl = await as('dsl-riverside');
    const plain = listed((await dsl.get('/submissions')).html);
    for (const query of ['status=%3Cscript%3E&sentBy=everyone', 'page=-1', 'page=abc', 'page=1e3', 'page=99999999999999999999', 'status=decided%00', "sentBy=me'--", 'page=0&status=']) {
      const { status, html } = await dsl.get(`/submissions?${query}`);
      expect(status, query).toBe(200);
      expect(listed(html), query).toEqual(plain);
      expect(html).not.toContain('<script>');
    }
    const beyond = await dsl.get('/submissions?page=500');
    expect(beyond.status).toBe(200);
    expect(listed(beyond.html)).toEqual([]);
    expect(beyond.html).toContain('There are no concerns on this page.');
    expect(beyond.html).toContain('rel="prev"');
  });

  it('another organisation sees none of them', async () => {
    const { status, html } = await (await as('dsl-northbridge-high')).get('/submissions?page=1');
    expect(status).toBe(200);
    expect(html).toContain('Nobody at your organisation has raised a concern through the portal yet.');
    expect(listed(html)).toEqual([]);
    for (const m of made.slice(-30)) expect(html).not.toContain(m.reference);
  });
});

describe('the child each concern is about', () => {
  it('is the name on the record where the partner may read the matched child, with a link to it', async () => {
    const { html } = await (await as('dsl-riverside')).get('/submissions');
    const row = rowOf(html, about.readable);
    expect(row).toContain(`<a class="govuk-link" href="/children/${pupil.id}">${pupil.forename} ${pupil.surname}</a>`);
    const receipt = await (await as('dsl-riverside')).get(`/concerns/${about.readable}`);
    expect(receipt.html).toContain(`About <a class="govuk-link" href="/children/${pupil.id}">${pupil.forename} ${pupil.surname}</a>`);
  });

  it('is only what they typed where they may not read the matched child: never the record’s name, nor its id', async () => {
    const dsl = await as('dsl-riverside');
    const { html } = await dsl.get('/submissions');
    expect(rowOf(html, about.unreadableTyped)).toContain('Whatwetyped Asnamed<br><span class="govuk-body-s">as you named them</span>');
    expect(rowOf(html, about.unreadableUntyped)).toContain('<td class="govuk-table__cell" data-testid="child">Not named</td>');
    expect(rowOf(html, about.typedOnly)).toContain('as you named them');
    for (const page of [html, (await dsl.get(`/concerns/${about.unreadableTyped}`)).html, (await dsl.get(`/concerns/${about.unreadableUntyped}`)).html]) {
      expect(page).not.toContain(stranger.surname);
      expect(page).not.toContain(stranger.id);
    }
    expect((await dsl.get(`/concerns/${about.unreadableTyped}`)).html).toContain('About Whatwetyped Asnamed (as you named them).');
    expect((await dsl.get(`/concerns/${about.unreadableUntyped}`)).html).toContain('About Not named.');
  });
});

describe('the receipt', () => {
  it('shows the confirmation panel right after sending, and afterwards a status tag instead', async () => {
    const dsl = await as('dsl-riverside');
    const form = await openConcernForm(dsl, app);
    const sent = await postForm(dsl, app, '/concerns', { csrf_token: form.token, idempotencyKey: form.key, childId: '', childForename: 'Newly', childSurname: 'Sent', ...goodAnswers });
    expect(sent.status).toBe(303);
    const reference = /\/concerns\/(SPP-\d{4}-\d{6,})/.exec(sent.headers.get('location')!)![1]!;

    const justSent = await dsl.get(`/concerns/${reference}?sent=1`);
    expect(justSent.status).toBe(200);
    expect(justSent.html).toContain('<h1 class="govuk-panel__title">Concern sent</h1>');
    expect(justSent.html).toContain(`data-testid="reference">${reference}<`);
    expect(justSent.html).toContain('About Newly Sent (as you named them).');

    const later = await dsl.get(`/concerns/${reference}`);
    expect(later.html).not.toContain('govuk-panel');
    expect(later.html).toContain(`<h1 class="govuk-heading-l"><span data-testid="reference">${reference}</span></h1>`);
    expect(later.html).toContain('<strong class="govuk-tag govuk-tag--blue">Sent</strong>');
    // The newest of all, on the first page of the list.
    expect(listed((await dsl.get('/submissions')).html)[0]).toBe(reference);
  });

  it('never shows the panel for a decided concern, nor for one sent long ago, whatever the address says', async () => {
    const dsl = await as('dsl-riverside');
    const decided = made.filter((m) => m.stage === 'decided').at(-1)!;
    const page = await dsl.get(`/concerns/${decided.reference}?sent=1`);
    expect(page.status).toBe(200);
    expect(page.html).not.toContain('govuk-panel');
    expect(page.html).toContain('<strong class="govuk-tag govuk-tag--green">Decided</strong>');
    expect(page.html).toMatch(/<dt class="govuk-summary-list__key">Decision<\/dt>\s*<dd class="govuk-summary-list__value">Early help<\/dd>/);
    expect(page.html).toMatch(/Feedback \d+/);
    expect(page.html).not.toContain('Internal reason');
    const old = made.find((m) => m.stage === 'sent')!;
    const oldPage = await dsl.get(`/concerns/${old.reference}?sent=1`);
    expect(oldPage.html).not.toContain('govuk-panel');
    expect(oldPage.html).toContain('<strong class="govuk-tag govuk-tag--blue">Sent</strong>');
  });

  it('says when the front door has taken it', async () => {
    const considered = made.find((m) => m.stage === 'being_considered')!;
    const { html } = await (await as('dsl-riverside')).get(`/concerns/${considered.reference}`);
    expect(html).toContain('<strong class="govuk-tag govuk-tag--yellow">Being considered</strong>');
    // Not who has it: that is the front door's business.
    expect(html).not.toContain('Nadia Hussain');
  });
});
