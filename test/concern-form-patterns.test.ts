// The concern form in GOV.UK Design System patterns (issue 12, point 5): error styles on the
// field in error, "Why have they not been told?" revealed by "No", several kinds of concern with
// one main (the CIN census code is the main one's), UK phone numbers with extensions, a Change
// link per check-answers row back to its question, and labels that say what they hold. Through
// the real app (in process) and a real PostgreSQL; the migration of single-kind concerns on an
// empty database of its own.
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answersDigest } from '../src/access/concern-writes.ts';
import { concernCategories } from '../src/concerns/categories.ts';
import { isPhoneNumber } from '../src/concerns/form.ts';
import { defaultMigrationsDir, migrate } from '../src/db/migrate.ts';
import { DEMO_SCHOOLS } from '../src/seed/demo-organisations.ts';
import { seedDemoData } from '../src/seed/insert.ts';
import { goodAnswers } from './support/concerns.ts';
import type { AppClient } from './support/app-client.ts';
import { createTestDatabase, dropTestDatabase, useTestDatabase } from './support/database.ts';
import { signedInAs } from './support/demo-session.ts';
import { hiddenField } from './support/http-client.ts';
import { buildTestApp, type InProcessApp } from './support/in-process-app.ts';

const db = useTestDatabase();
let app: InProcessApp;
let client: AppClient;

beforeAll(async () => {
  await seedDemoData(db().sql, { children: 40, referenceDate: '2026-11-23' });
  app = await buildTestApp(db().sql);
  client = await signedInAs(app, 'dsl-riverside');
});
afterAll(async () => {
  await app?.close();
});

/** The start tag of the element with this id. */
const tagWithId = (html: string, id: string) => html.match(new RegExp(`<[a-z]+[^>]*\\sid="${id}"[^>]*>`))?.[0] ?? '';
/** The form group (div) that holds the element with this id, up to that element. */
const groupOf = (html: string, id: string) => {
  const at = html.indexOf(` id="${id}"`);
  return html.slice(html.lastIndexOf('<div class="govuk-form-group', at), at);
};

async function check(fields: Record<string, string>) {
  const form = await client.get('/concerns/new');
  const key = hiddenField(form.html, 'idempotencyKey')!;
  return client.post('/concerns/check', { ...goodAnswers, childForename: 'Ann', childId: '', idempotencyKey: key, ...fields });
}

describe('UK phone numbers, with extensions', () => {
  it.each(['101', '101 ext 4455', '01632 960 001 extension 12', '+44 1632 960001 x4455', '07700 900 982', '(01632) 960001', '+44 (0)1632 960001', '0163-296-0001 ext. 7', '111', '+353 1 234 5678'])('accepts %s', (number) => {
    expect(isPhoneNumber(number)).toBe(true);
  });

  it.each(['call me', '123', '0163', '+44 12', '01632 960 001 ext', 'ext 12', '01632 960 001 ext 1234567', '0163296000111', '01632 960 001; DROP'])('refuses %s', (number) => {
    expect(isPhoneNumber(number)).toBe(false);
  });

  it('the form takes "101 ext 4455" and shows it on check answers', async () => {
    const page = await check({ referrerPhone: '101 ext 4455' });
    expect(page.status).toBe(200);
    expect(page.html).toContain('101 ext 4455');
  });
});

describe('error styles', () => {
  it('a text input, a textarea and a date in error have the error classes on the field and its group', async () => {
    const page = await check({ referrerPhone: 'call me', whatHappened: '', 'when-day': '31', 'when-month': '2' });
    expect(page.status).toBe(400);
    expect(tagWithId(page.html, 'referrerPhone')).toContain('govuk-input--error');
    expect(groupOf(page.html, 'referrerPhone')).toContain('govuk-form-group--error');
    expect(tagWithId(page.html, 'whatHappened')).toContain('govuk-textarea--error');
    expect(groupOf(page.html, 'whatHappened')).toContain('govuk-form-group--error');
    expect(tagWithId(page.html, 'when-day')).toContain('govuk-input--error');
    // Fields without an error have none.
    expect(tagWithId(page.html, 'childWords')).not.toContain('govuk-textarea--error');
    expect(tagWithId(page.html, 'referrerEmail')).not.toContain('govuk-input--error');
  });
});

describe('"Why have they not been told?" is revealed by "No"', () => {
  it('sits inside the "No" radio’s conditional, hidden until "No" is chosen', async () => {
    const form = await client.get('/concerns/new');
    expect(tagWithId(form.html, 'parentsAware-no')).toContain('data-aria-controls="conditional-parentsAware-no"');
    const conditional = tagWithId(form.html, 'conditional-parentsAware-no');
    expect(conditional).toContain('govuk-radios__conditional');
    // Hidden by CSS while "No" is not chosen (app-radios--reveal), not by GOV.UK's script, which
    // would mark the radio aria-expanded: an attribute a radio may not have.
    expect(form.html).toMatch(/class="govuk-radios app-radios--reveal[^"]*"(?![^>]*data-module)/);
    const inside = form.html.slice(form.html.indexOf('id="conditional-parentsAware-no"'));
    expect(inside.indexOf('id="parentsNotAwareReason"')).toBeLessThan(inside.indexOf('</div>\n  </div>'));
    // Not inline: GOV.UK's conditional reveal is for stacked radios.
    expect(form.html).not.toMatch(/govuk-radios--inline[^>]*>\s*<div class="govuk-radios__item">\s*<input[^>]*name="parentsAware"/);
  });

  it('is shown, with its error, when "No" was chosen without a reason', async () => {
    const page = await check({ parentsAware: 'no', parentsNotAwareReason: '' });
    expect(page.status).toBe(400);
    expect(tagWithId(page.html, 'conditional-parentsAware-no')).not.toContain('--hidden');
    expect(page.html).toContain('Say why the parents or carers have not been told');
    expect(tagWithId(page.html, 'parentsNotAwareReason')).toContain('govuk-textarea--error');
  });
});

describe('several kinds of concern, one main', () => {
  it('offers every kind as a checkbox; asks which is main only once several are ticked, among those', async () => {
    const form = await client.get('/concerns/new');
    for (const kind of Object.keys(concernCategories)) expect(form.html).toMatch(new RegExp(`name="categories" type="checkbox" value="${kind}"`));
    expect(form.html).toContain('Select all that apply.');
    expect(form.html).not.toContain('Which is the main concern?');

    // The first time, a follow-up question (with a banner linking to it), not an error.
    const several = await check({ categories: 'neglect,self_harm', category: '' });
    expect(several.status).toBe(200);
    expect(several.html).toContain('Which is the main concern?');
    expect(several.html).toContain('<a class="govuk-notification-banner__link" href="#category">Choose the main concern</a>');
    expect(several.html).not.toContain('govuk-error-summary');
    const mainRadios = [...several.html.matchAll(/name="category" type="radio" value="([a-z_]+)"/g)].map((m) => m[1]);
    expect(mainRadios).toEqual(['neglect', 'self_harm']);
    expect(tagWithId(several.html, 'categories')).toContain('checked');
  });

  it('with one kind ticked it is the main one', async () => {
    const page = await check({ categories: 'self_harm', category: '' });
    expect(page.status).toBe(200);
    expect(page.html).toMatch(/Kind of concern<\/dt>\s*<dd[^>]*>Self-harm<\/dd>/);
  });

  it('with several it asks which is main, which must be one of them', async () => {
    const none = await check({ categories: 'neglect,self_harm', category: '', mainAsked: 'yes' });
    expect(none.status).toBe(400);
    expect(none.html).toContain('<a href="#category">Select which of the kinds you selected is the main concern</a>');
    const outside = await check({ categories: 'neglect,self_harm', category: 'missing', mainAsked: 'yes' });
    expect(outside.status).toBe(400);
    expect(outside.html).toContain('Select which of the kinds you selected is the main concern');
    const chosen = await check({ categories: 'neglect,self_harm', category: 'self_harm' });
    expect(chosen.status).toBe(200);
    expect(chosen.html).toMatch(/Kinds of concern<\/dt>\s*<dd[^>]*>Self-harm \(main concern\), Neglect<\/dd>/);
    const nothing = await check({ categories: '', category: '' });
    expect(nothing.html).toContain('<a href="#categories">Select the kind of concern</a>');
    expect(tagWithId(nothing.html, 'categories')).toContain('govuk-checkboxes__input');
  });

  it('the checkboxes (one field per kind) are sent with the main kind; the concern keeps the main kind’s CIN census code', async () => {
    const form = await client.get('/concerns/new');
    const key = hiddenField(form.html, 'idempotencyKey')!;
    const body = new URLSearchParams({ ...goodAnswers, childForename: 'Ann', childId: '', idempotencyKey: key, csrf_token: client.csrfToken!, category: 'self_harm' });
    body.delete('categories');
    for (const kind of ['neglect', 'self_harm', 'missing']) body.append('categories', kind);
    const sent = await client.request(client.url('/concerns'), {
      method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: app.baseUrl, 'Sec-Fetch-Site': 'same-origin' }, body: body.toString(),
    });
    expect(sent.status).toBe(303);
    const reference = sent.headers.get('location')!.replace('/concerns/', '').replace(/\?sent=1$/, '');
    const [concern] = await db().sql`select id, category from concerns where reference = ${reference}`;
    expect(concern!.category).toBe('self_harm');
    expect(concernCategories[concern!.category as 'self_harm']!.cinCensusCode).toBe('15A');
    const kinds = await db().sql`select category, main from concern_categories where concern_id = ${concern!.id} order by category`;
    expect(kinds).toEqual([{ category: 'missing', main: false }, { category: 'neglect', main: false }, { category: 'self_harm', main: true }]);
    // The receipt and the front door show every kind, the main one first and said to be main.
    const kindsText = /Self-harm \(main concern\), [^<]*Missing[^<]*Neglect|Self-harm \(main concern\), [^<]*Neglect[^<]*Missing/;
    expect((await client.get(`/concerns/${reference}`)).html).toMatch(kindsText);
    const frontDoor = await signedInAs(app, 'front-door');
    expect((await frontDoor.get(`/front-door/${concern!.id}`)).html).toMatch(kindsText);
  });

  it('a retry with other kinds is a changed concern; one kind hashes as before kinds could be several', () => {
    const one = {
      idempotencyKey: crypto.randomUUID(), childId: null,
      child: { forename: 'Ann', surname: null, dateOfBirth: null, nhsNumber: null, upn: null, address: null, postcode: null },
      category: 'neglect' as const, whatHappened: 'No coat.', happenedOn: '2026-11-20', childWords: null, immediateRisk: false,
      actionsTaken: null, parentsAware: true, parentsNotAwareReason: null, referrerPhone: '101', referrerEmail: null,
    };
    expect(answersDigest({ ...one, otherCategories: [] })).toBe(answersDigest(one));
    expect(answersDigest({ ...one, otherCategories: ['missing'] })).not.toBe(answersDigest(one));
  });

  it('migration 015 makes every single-kind concern’s kind its main one', async () => {
    const own = await createTestDatabase({ migrate: false });
    const dir = await mkdtemp(path.join(tmpdir(), 'portal-migrations-'));
    try {
      await cp(defaultMigrationsDir, dir, { recursive: true });
      const later = (await readdir(dir)).filter((file) => file >= '015');
      for (const file of later) await rm(path.join(dir, file));
      await migrate(own.sql, dir);
      await seedDemoData(own.sql, { children: 5, referenceDate: '2026-11-23' });
      const [user] = await own.sql`insert into users (issuer, subject, name) values ('https://idp.example', 'old', 'Old User') returning id`;
      await own.sql`
        insert into concerns (reference, idempotency_key, submitted_by_user_id, submitted_by_name, submitted_by_role, organisation_id,
                              category, what_happened, happened_on, immediate_risk, parents_aware, referrer_phone, decision_due_at)
        values ('SPP-2026-000001', gen_random_uuid()::text, ${user!.id}, 'Old User', 'education.dsl', ${DEMO_SCHOOLS[0]!.id},
                'emotional_abuse', 'Before several kinds', '2026-11-01', false, true, '01632 960 001', now())`;
      await cp(defaultMigrationsDir, dir, { recursive: true });
      const result = await migrate(own.sql, dir);
      expect(result.applied).toEqual(expect.arrayContaining(['015_concern_drafts_and_kinds.sql']));
      expect(await own.sql`select k.category, k.main from concern_categories k join concerns c on c.id = k.concern_id`).toEqual([{ category: 'emotional_abuse', main: true }]);
    } finally {
      await rm(dir, { recursive: true, force: true });
      await dropTestDatabase(own);
    }
  });
});

describe('check your answers: a Change link per row, back to its question', () => {
  it('every row of a child not known, and of the concern, links to its own field', async () => {
    const page = await check({ childAddress: '4 Mill Lane, Northbridge', childPostcode: 'nb1 2ab' });
    expect(page.status).toBe(200);
    const links = [...page.html.matchAll(/<a class="govuk-link" href="\/concerns\/new#([^"]+)">Change<span class="govuk-visually-hidden"> ([^<]+)<\/span><\/a>/g)]
      .map((m) => [m[1], m[2]]);
    expect(links).toEqual([
      ['childForename', 'name'], ['dob-day', 'date of birth'], ['childNhsNumber', 'nhs number'], ['childUpn', 'unique pupil number'],
      ['childAddress', 'address'], ['childPostcode', 'postcode'],
      ['categories', 'kind of concern'], ['whatHappened', 'what happened'], ['when-day', 'when'], ['childWords', 'the child’s own words'],
      ['immediateRisk', 'immediate risk of harm'], ['actionsTaken', 'actions already taken'], ['parentsAware', 'parents or carers know'],
      ['referrerPhone', 'your phone number'], ['referrerEmail', 'your email address'],
    ]);
    expect(page.html).not.toContain('Change your answers');
    // The postcode is labelled as a postcode, the address as an address.
    expect(page.html).toMatch(/Postcode<\/dt>\s*<dd[^>]*>NB1 2AB<\/dd>/);
    expect(page.html).toMatch(/Address<\/dt>\s*<dd[^>]*>4 Mill Lane, Northbridge<\/dd>/);

    // Following a link: the form, every answer in it, the question the link names there to land on.
    const form = await client.get('/concerns/new');
    expect(tagWithId(form.html, 'whatHappened')).toContain('<textarea');
    expect(form.html).toContain(goodAnswers.whatHappened);
    expect(tagWithId(form.html, 'childAddress')).toContain('value="4 Mill Lane, Northbridge"');
    for (const id of links.map(([id]) => id!)) expect(tagWithId(form.html, id), id).not.toBe('');
  });
});
