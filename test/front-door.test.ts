// The front door through the real app (in process, hono's app.request(); sessions from
// test/support/demo-session.ts): the queue (immediate risk first, time left, filters, htmx),
// one concern with suggested matches and why, the decision in one idempotent transaction, and
// what the partner and the child's social worker then see.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SCHOOLS } from '../src/seed/demo-organisations.ts';
import { seedDemoData } from '../src/seed/insert.ts';
import { postForm, raiseConcern } from './support/concerns.ts';
import { useTestDatabase } from './support/database.ts';
import { demoClients } from './support/demo-session.ts';
import { hiddenField, type TestClient } from './support/http-client.ts';
import { buildTestApp, type InProcessApp } from './support/in-process-app.ts';

const db = useTestDatabase();
let app: InProcessApp;
const as = demoClients(() => app);

interface Child { id: string; forename: string; surname: string; dob: string; nhs: string; upn: string }
let allocated: Child; // open, allocated to Priya Desai
let other: Child; // open, a different child
let sealed: Child;
const childColumns = 'c.id, c.forename, c.surname, c.date_of_birth::text as dob, c.nhs_number as nhs, c.upn';
const dobFields = (child: Child) => {
  const [year, month, day] = child.dob.split('-');
  return { 'dob-day': String(Number(day)), 'dob-month': String(Number(month)), 'dob-year': year! };
};

beforeAll(async () => {
  await seedDemoData(db().sql, { children: 150, referenceDate: '2026-11-23' });
  app = await buildTestApp(db().sql);
  const open = db().sql`not c.sealed and c.nhs_number is not null and c.upn is not null
    and exists (select 1 from involvements i where i.child_id = c.id and i.end_date is null)`;
  [allocated] = await db().sql<Child[]>`
    select ${db().sql.unsafe(childColumns)} from children c
    join allocations a on a.child_id = c.id and a.end_date is null
    join social_workers w on w.id = a.social_worker_id and w.name = 'Priya Desai'
    where ${open} order by c.id limit 1` as never as [Child];
  [other] = await db().sql<Child[]>`select ${db().sql.unsafe(childColumns)} from children c where ${open} and c.id <> ${allocated!.id} order by c.id desc limit 1` as never as [Child];
  [sealed] = await db().sql<Child[]>`select ${db().sql.unsafe(childColumns)} from children c where c.sealed and c.nhs_number is not null limit 1` as never as [Child];
  expect(allocated && other && sealed).toBeTruthy();
});
afterAll(async () => {
  await app?.close();
});

const concernId = async (reference: string) => (await db().sql`select id from concerns where reference = ${reference}`)[0]!.id as string;
const page = async (client: TestClient, path: string, headers: Record<string, string> = {}) => {
  const res = await client.request(`${app.baseUrl}${path}`, { headers });
  return { status: res.status, html: await res.text(), res };
};
const rowOrder = (html: string) => [...html.matchAll(/data-reference="(SPP-\d{4}-\d{6})"/g)].map((m) => m[1]!);

async function decide(id: string, fields: Record<string, string>) {
  const client = await as('front-door');
  const form = await page(client, `/front-door/${id}`);
  return postForm(client, app, `/front-door/${id}/decision`, { csrf_token: hiddenField(form.html, 'csrf_token')!, ...fields });
}

describe('only the front door triages', () => {
  it('everyone else gets the page an unknown address gets, for the queue, a concern and a decision', async () => {
    const reference = await raiseConcern(await as('dsl-riverside'), app, { childSurname: 'Nobody-Known' });
    const id = await concernId(reference);
    const unknown = await page(await as('dsl-riverside'), '/no-such-page');
    for (const sub of ['dsl-riverside', 'gp-canal-wharf', 'police-ppu', 'sw-priya-desai', 'tm-helen-whitaker', 'info-governance']) {
      const client = await as(sub);
      for (const path of ['/front-door', `/front-door/${id}`]) {
        const res = await page(client, path);
        expect(res.status, `${sub} ${path}`).toBe(404);
        expect(res.html).not.toContain(reference);
        expect(res.html).not.toContain('Nobody-Known');
      }
      const list = await page(client, '/children');
      const token = hiddenField(list.html, 'csrf_token') ?? '';
      const post = await postForm(client, app, `/front-door/${id}/decision`, { csrf_token: token, match: 'unmatched', decision: 'no_further_action', reason: 'x', feedback: 'y' });
      expect(post.status, `${sub} POST`).toBe(404);
    }
    expect(unknown.status).toBe(404);
    expect((await db().sql`select status from concerns where id = ${id}`)[0]!.status).toBe('received');
    expect((await page(await as('front-door'), '/front-door')).status).toBe(200);
  });
});

describe('the queue', () => {
  let routine: string, urgent: string, fromPolice: string;
  beforeAll(async () => {
    routine = await raiseConcern(await as('dsl-riverside'), app, { childSurname: 'Routine-Queue' });
    urgent = await raiseConcern(await as('gp-canal-wharf'), app, { childSurname: 'Urgent-Queue', immediateRisk: 'yes', category: 'physical_abuse', referrerEmail: 'gp@canal.example' });
    fromPolice = await raiseConcern(await as('police-ppu'), app, { childSurname: 'Police-Queue', category: 'domestic_abuse', referrerEmail: 'ppu@police.example' });
  });

  it('puts immediate risk first and shows the time left to decide', async () => {
    const { status, html, res } = await page(await as('front-door'), '/front-door');
    expect(status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const order = rowOrder(html);
    expect(order.indexOf(urgent)).toBeGreaterThanOrEqual(0);
    expect(order.indexOf(urgent)).toBeLessThan(order.indexOf(routine));
    // Every immediate-risk row comes before every other row.
    const risky = new Set((await db().sql`select reference from concerns where immediate_risk`).map((r) => r.reference as string));
    const firstCalm = order.findIndex((r) => !risky.has(r));
    expect(order.slice(firstCalm).some((r) => risky.has(r))).toBe(false);
    const row = html.slice(html.indexOf(`data-reference="${urgent}"`));
    expect(row.slice(0, row.indexOf('</tr>'))).toMatch(/data-testid="time-left">[^<]*(left|Due in)/);
    expect(row.slice(0, row.indexOf('</tr>'))).toContain('Immediate risk');
  });

  it('filters by agency, category and status; htmx gets the results alone; bad filters fall back', async () => {
    const client = await as('front-door');
    const health = rowOrder((await page(client, '/front-door?agency=health')).html);
    expect(health).toContain(urgent);
    expect(health).not.toContain(routine);
    expect(health).not.toContain(fromPolice);
    const police = rowOrder((await page(client, '/front-door?agency=police&category=domestic_abuse')).html);
    expect(police).toEqual([fromPolice]);
    expect(rowOrder((await page(client, '/front-door?agency=police&category=neglect')).html)).toEqual([]);
    expect(rowOrder((await page(client, '/front-door?status=decided')).html)).not.toContain(routine);

    const partial = await page(client, '/front-door?agency=education', { 'HX-Request': 'true', 'HX-Target': 'front-door-results' });
    expect(partial.status).toBe(200);
    expect(partial.html).not.toContain('<html');
    expect(rowOrder(partial.html)).toContain(routine);
    expect(rowOrder(partial.html)).not.toContain(urgent);

    const hostile = await page(client, `/front-door?status=<script>&agency='or 1=1--&category=x&page=-4`);
    expect(hostile.status).toBe(200);
    expect(hostile.html).not.toContain('<script>&');
    expect(rowOrder(hostile.html)).toContain(routine);
  });
});

describe('one concern', () => {
  it('shows the child’s words apart from the professional’s account, and suggests children with why', async () => {
    const reference = await raiseConcern(await as('dsl-riverside'), app, {
      childForename: other.forename, childSurname: 'Differently-Spelt', childNhsNumber: allocated.nhs, childUpn: other.upn,
      childWords: 'Mum said not to tell.',
    });
    const { status, html } = await page(await as('front-door'), `/front-door/${await concernId(reference)}`);
    expect(status).toBe(200);
    const words = html.slice(html.indexOf('data-testid="child-words"'));
    expect(words.slice(0, 200)).toContain('Mum said not to tell.');
    const account = html.slice(html.indexOf('data-testid="account"'), html.indexOf('data-testid="child-words"'));
    expect(account).toContain('without a coat');
    expect(account).not.toContain('Mum said not to tell.');

    const suggestions = html.slice(html.indexOf('data-testid="suggestions"'));
    expect(suggestions).toContain(`value="${allocated.id}"`);
    expect(suggestions).toContain(`value="${other.id}"`);
    // Strongest first: the NHS number before the UPN.
    expect(suggestions.indexOf(allocated.id)).toBeLessThan(suggestions.indexOf(other.id));
    const reasons = [...suggestions.matchAll(/data-testid="match-reason">([^<]+)</g)].map((m) => m[1]);
    expect(reasons.slice(0, 2)).toEqual(['Same NHS number', 'Same unique pupil number']);
    expect(suggestions).toContain('None of these – keep unmatched');
  });

  it('matches on last name and date of birth, and never suggests a sealed record', async () => {
    const reference = await raiseConcern(await as('dsl-riverside'), app, {
      childSurname: allocated.surname.toUpperCase(), ...dobFields(allocated), childNhsNumber: sealed.nhs,
    });
    const { html } = await page(await as('front-door'), `/front-door/${await concernId(reference)}`);
    const suggestions = html.slice(html.indexOf('data-testid="suggestions"'));
    expect(suggestions).toContain(`value="${allocated.id}"`);
    expect(suggestions).toContain('Same last name and date of birth');
    expect(html).not.toContain(sealed.id);
    expect(html).not.toContain(sealed.forename);
  });

  it('an id that is not a concern, or not an id at all, is not found', async () => {
    const client = await as('front-door');
    expect((await page(client, '/front-door/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await page(client, `/front-door/x'%20or%201=1`)).status).toBe(404);
  });
});

describe('deciding', () => {
  it('bad input gets messages next to each field and keeps what was typed', async () => {
    const reference = await raiseConcern(await as('dsl-riverside'), app, { childSurname: 'Bad-Input' });
    const id = await concernId(reference);
    const res = await decide(id, { match: '', decision: 'shrug', reason: 'Typed with care.', feedback: '' });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('govuk-error-summary');
    for (const message of ['Select the child this concern is about, or ‘None of these’', 'Select the decision', 'Enter feedback for the person who raised the concern']) expect(html).toContain(message);
    expect(html).toContain('>Typed with care.</textarea>');
    // A child the front door may not read (sealed), or no child at all, cannot be chosen.
    for (const match of [sealed.id, '00000000-0000-4000-8000-000000000000', 'not-an-id']) {
      const wrongChild = await decide(id, { match, decision: 'early_help', reason: 'r', feedback: 'f' });
      expect(wrongChild.status).toBe(400);
      const text = await wrongChild.text();
      expect(text).toContain('Select one of the children listed, or ‘None of these’');
      expect(text).not.toContain(sealed.id);
    }
    expect((await db().sql`select status from concerns where id = ${id}`)[0]!.status).toBe('received');
  });

  it('matches, decides and feeds back in one go; retries make one decision; the partner and the social worker see it', async () => {
    const riverside = await as('dsl-riverside');
    const nasty = '<script>alert(1)</script>';
    const reference = await raiseConcern(riverside, app, {
      childForename: 'Unsure', childSurname: 'Spelling', childNhsNumber: allocated.nhs, referrerEmail: 'dsl@riverside.example',
      childWords: `There’s nothing in the cupboards. ${nasty}`,
    });
    const id = await concernId(reference);
    expect(await db().sql`select 1 from chronology_events where child_id = ${allocated.id} and summary like ${'%' + reference + '%'}`).toHaveLength(0);

    const fields = { match: allocated.id, decision: 'referral_to_social_care', reason: `Pattern of neglect across agencies. ${nasty}`, feedback: `Thank you: referred for assessment; the social worker will call. ${nasty}` };
    const client = await as('front-door');
    const form = await page(client, `/front-door/${id}`);
    const token = hiddenField(form.html, 'csrf_token')!;
    const results = await Promise.all(Array.from({ length: 10 }, () => postForm(client, app, `/front-door/${id}/decision`, { csrf_token: token, ...fields })));
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(303));
    expect(results[0]!.headers.get('location')).toBe(`/front-door/${id}?recorded=1`);

    const [concern] = await db().sql`select status, decision, child_id, decision_reason, feedback from concerns where id = ${id}`;
    expect(concern).toMatchObject({ status: 'decided', decision: 'referral_to_social_care', child_id: allocated.id });
    const entries = await db().sql`select event_type, summary from chronology_events where child_id = ${allocated.id} and summary like ${'%' + reference + '%'} order by event_type`;
    expect(entries.map((e) => e.event_type)).toEqual(['Front door decision', 'Partner concern']);
    expect(entries[0]!.summary).toContain('Referral to children’s social care');
    expect(await db().sql`select 1 from access_log where action = 'decide_concern' and reason like ${'%' + reference + '%'}`).toHaveLength(1);
    const mail = await db().sql`select recipient, subject, body from outbox where dedupe_key = ${'concern-decided:' + id}`;
    expect(mail).toHaveLength(1);
    expect(mail[0]!.recipient).toBe('dsl@riverside.example');
    for (const secret of [allocated.forename, allocated.surname, 'Spelling', 'neglect', 'Referral']) expect(mail[0]!.body + mail[0]!.subject).not.toContain(secret);

    const shown = await page(client, `/front-door/${id}?recorded=1`);
    expect(shown.html).toContain('Decision recorded');
    expect(shown.html).toContain(`${allocated.forename} ${allocated.surname}`);
    expect(shown.html).not.toContain(nasty);
    expect(shown.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    // A later attempt changes nothing and lands on the decision that stands.
    const late = await postForm(client, app, `/front-door/${id}/decision`, { csrf_token: token, ...fields, decision: 'no_further_action' });
    expect(late.status).toBe(303);
    expect((await db().sql`select decision from concerns where id = ${id}`)[0]!.decision).toBe('referral_to_social_care');

    // The partner: decision and feedback on their submissions and on the receipt, escaped.
    for (const path of ['/submissions', `/concerns/${reference}`]) {
      const partner = await page(riverside, path);
      expect(partner.html).toContain('Referral to children’s social care');
      expect(partner.html).toContain('Thank you: referred for assessment');
      expect(partner.html).not.toContain(nasty);
      // The front door's internal reason is not for the partner.
      expect(partner.html).not.toContain('Pattern of neglect across agencies');
    }
    // Another school never sees it.
    const northbridge = await as('dsl-northbridge-high');
    expect((await page(northbridge, `/concerns/${reference}`)).status).toBe(404);
    expect((await page(northbridge, '/submissions')).html).not.toContain(reference);

    // The allocated social worker sees the partner's concern and the decision in the chronology.
    const sw = await page(await as('sw-priya-desai'), `/children/${allocated.id}`);
    expect(sw.status).toBe(200);
    expect(sw.html).toContain(`Front door decision on ${reference}: Referral to children’s social care`);
    expect(sw.html).toMatch(new RegExp(`Neglect concern raised by ${DEMO_SCHOOLS[0]!.name}[^<]*\\(${reference}\\)`));
    expect(sw.html).not.toContain(nasty);
    // …and can read what the partner wrote, with the child's words, from the chronology entry.
    const entry = sw.html.slice(sw.html.indexOf('data-testid="partner-concern"'));
    expect(entry.slice(0, entry.indexOf('</details>'))).toContain('Arrived without a coat for the third day running');
    expect(entry.slice(0, entry.indexOf('</details>'))).toContain('There’s nothing in the cupboards.');
  });

  it('a concern kept unmatched is decided without touching any child’s chronology', async () => {
    const reference = await raiseConcern(await as('police-ppu'), app, { childSurname: 'Unmatched-Person', category: 'missing', referrerEmail: '' });
    const id = await concernId(reference);
    const before = (await db().sql`select count(*)::int as n from chronology_events`)[0]!.n;
    const res = await decide(id, { match: 'unmatched', decision: 'advice_given', reason: 'Not known to us; advice given by phone.', feedback: 'Advice given by phone.' });
    expect(res.status).toBe(303);
    expect((await db().sql`select status, child_id from concerns where id = ${id}`)[0]).toEqual({ status: 'decided', child_id: null });
    expect((await db().sql`select count(*)::int as n from chronology_events`)[0]!.n).toBe(before);
    // No e-mail address was given, so there is no e-mail; the decision waits under their submissions.
    expect(await db().sql`select 1 from outbox where dedupe_key = ${'concern-decided:' + id}`).toHaveLength(0);
    expect((await page(await as('police-ppu'), '/submissions')).html).toContain('Advice given by phone.');
  });
});

describe('the access log', () => {
  it('names concerns raised and decided, and information governance can filter for each', async () => {
    const ig = await as('info-governance');
    for (const [action, label] of [['submit_concern', 'Raised a concern'], ['decide_concern', 'Decided on a concern']] as const) {
      const { status, html } = await page(ig, `/governance/access-log?action=${action}`);
      expect(status, action).toBe(200);
      const rows = html.slice(html.indexOf('data-testid="access-log"'));
      expect(rows, action).toContain(label);
      expect(rows, action).not.toContain('Viewed a list');
      expect(html).toContain(`<option value="${action}" selected>${label}</option>`);
    }
  });
});
