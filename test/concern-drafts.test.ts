// Nothing typed is lost (issue 12, point 3): the concern form is kept as its user's draft each
// time it is posted, shown again on /concerns/new, kept when it arrives just after a time-out
// (and only then with the expired session's own CSRF token, from the portal's own page), seen by
// no one else, deleted in the transaction that sends it, and purged 7 days after it was last
// saved. Also the lookup's hand-off (point 2): POST /concerns/from-lookup. Through the real app
// (in process) and a real PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { purgeOldDrafts } from '../src/concerns/drafts.ts';
import { seedDemoData } from '../src/seed/insert.ts';
import { SIGN_IN_AGAIN } from '../src/middleware/keep-answers/index.ts';
import { goodAnswers } from './support/concerns.ts';
import type { AppClient } from './support/app-client.ts';
import { useTestDatabase } from './support/database.ts';
import { signedInAs } from './support/demo-session.ts';
import { hiddenField } from './support/http-client.ts';
import { buildTestApp, type InProcessApp } from './support/in-process-app.ts';

const db = useTestDatabase();
let app: InProcessApp;
let failing: InProcessApp;

beforeAll(async () => {
  await seedDemoData(db().sql, { children: 40, referenceDate: '2026-11-23' });
  app = await buildTestApp(db().sql);
  failing = await buildTestApp(db().sql, {
    sharedSettingsWith: app,
    concernHooks: { beforeCommit: async () => { throw new Error('injected failure after every write, before commit'); } },
  });
});
afterAll(async () => {
  await failing?.close();
  await app?.close();
});

const userId = async (sub: string) => (await db().sql`select id from users where subject = ${sub}`)[0]!.id as string;
const draftOf = async (sub: string) => (await db().sql`select answers, notice, updated_at from concern_drafts where user_id in (select id from users where subject = ${sub})`)[0];
const clearDraft = async (sub: string) => db().sql`delete from concern_drafts where user_id in (select id from users where subject = ${sub})`;

/** Words no other test uses, so that finding them on a page means this draft. */
const unsent = {
  ...goodAnswers,
  categories: 'neglect,domestic_abuse',
  category: 'domestic_abuse',
  childForename: 'Maisie',
  childSurname: 'Thornbury',
  whatHappened: 'Bruise on her wrist; said her mum’s boyfriend shouted at them both all weekend.',
  childWords: 'He said he would come back tonight.',
  parentsAware: 'no',
  parentsNotAwareReason: 'Telling her mother could put them both at greater risk.',
  referrerPhone: '01632 960 001 extension 12',
};

async function openForm(client: AppClient) {
  const page = await client.get('/concerns/new');
  expect(page.status).toBe(200);
  return { ...page, key: hiddenField(page.html, 'idempotencyKey')! };
}

/** Every answer of `unsent` on the form, as typed. */
function expectEveryAnswer(html: string) {
  for (const name of ['childForename', 'childSurname', 'referrerPhone', 'when-day', 'when-month', 'when-year']) {
    expect(html).toMatch(new RegExp(`name="${name}"[^>]*value="${(unsent as Record<string, string>)[name]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"`));
  }
  for (const text of [unsent.whatHappened, unsent.childWords, unsent.parentsNotAwareReason, unsent.actionsTaken]) {
    expect(html).toContain(text.replace(/’/g, '’'));
  }
  expect(html).toMatch(/id="categories"[^>]*value="neglect" checked/);
  expect(html).toMatch(/value="domestic_abuse" checked/); // the checkbox and the main-kind radio
  expect(html).toMatch(/id="parentsAware-no"[^>]*value="no" checked/);
}

describe('a draft is kept as the form is posted', () => {
  it('Continue to check answers saves it; the form opens on it again, with a banner', async () => {
    await clearDraft('dsl-riverside');
    const client = await signedInAs(app, 'dsl-riverside');
    const form = await openForm(client);
    expect(form.html).not.toContain('data-testid="draft-banner"');
    const check = await client.post('/concerns/check', { ...unsent, idempotencyKey: form.key, childId: '' });
    expect(check.status).toBe(200);
    expect(check.html).toContain('Domestic abuse (main concern), Neglect');

    const again = await openForm(client);
    expectEveryAnswer(again.html);
    expect(again.key).toBe(form.key);
    expect(again.html).toContain('You have not sent this concern yet');
  });

  it('a form with errors is saved as typed too', async () => {
    await clearDraft('dsl-riverside');
    const client = await signedInAs(app, 'dsl-riverside');
    const form = await openForm(client);
    const check = await client.post('/concerns/check', { ...unsent, referrerPhone: 'call the office', idempotencyKey: form.key, childId: '' });
    expect(check.status).toBe(400);
    const draft = await draftOf('dsl-riverside');
    expect(draft!.answers).toMatchObject({ referrerPhone: 'call the office', whatHappened: unsent.whatHappened, categories: 'neglect,domestic_abuse' });
  });

  it('no one else sees it: another user of the same school gets a new form', async () => {
    const owner = await signedInAs(app, 'dsl-riverside');
    const form = await openForm(owner);
    await owner.post('/concerns/check', { ...unsent, idempotencyKey: form.key, childId: '' });
    const colleague = await signedInAs(app, 'deputy-dsl-riverside');
    const theirs = await openForm(colleague);
    expect(theirs.html).not.toContain(unsent.whatHappened);
    expect(theirs.html).not.toContain('Thornbury');
    expect(theirs.key).not.toBe(form.key);
    // Their own post does not touch the owner's draft.
    await colleague.post('/concerns/check', { ...goodAnswers, childForename: 'Other', idempotencyKey: theirs.key, childId: '' });
    expect((await draftOf('dsl-riverside'))!.answers.whatHappened).toBe(unsent.whatHappened);
  });
});

describe('a draft ends when its concern is sent, or after 7 days', () => {
  it('is deleted in the transaction that sends it, and kept when the send fails', async () => {
    await clearDraft('dsl-riverside');
    const client = await signedInAs(app, 'dsl-riverside');
    const form = await openForm(client);
    const fields = { ...unsent, idempotencyKey: form.key, childId: '' };
    await client.post('/concerns/check', fields);

    // The send fails after every write: nothing was sent, so the draft stays.
    const onFailing = await signedInAs(failing, 'dsl-riverside');
    const failed = await onFailing.post('/concerns', fields);
    expect(failed.status).toBe(503);
    expect(await draftOf('dsl-riverside')).toBeDefined();

    const sent = await client.post('/concerns', fields);
    expect(sent.status).toBe(303);
    expect(await draftOf('dsl-riverside')).toBeUndefined();
    const reference = sent.res.headers.get('location')!.replace('/concerns/', '').replace(/\?sent=1$/, '');
    const kinds = await db().sql`
      select k.category, k.main from concern_categories k join concerns c on c.id = k.concern_id
      where c.reference = ${reference} order by k.main desc`;
    expect(kinds).toEqual([{ category: 'domestic_abuse', main: true }, { category: 'neglect', main: false }]);
    expect((await db().sql`select category from concerns where reference = ${reference}`)[0]!.category).toBe('domestic_abuse');

    const fresh = await openForm(client);
    expect(fresh.html).not.toContain(unsent.whatHappened);
    expect(fresh.key).not.toBe(form.key);
  });

  it('a draft of another concern (another key) is not deleted by sending this one', async () => {
    await clearDraft('dsl-riverside');
    const client = await signedInAs(app, 'dsl-riverside');
    const first = await openForm(client);
    await client.post('/concerns/check', { ...unsent, idempotencyKey: first.key, childId: '' });
    const other = { ...goodAnswers, childForename: 'Lenny', idempotencyKey: crypto.randomUUID(), childId: '' };
    expect((await client.post('/concerns', other)).status).toBe(303);
    expect((await draftOf('dsl-riverside'))!.answers.idempotencyKey).toBe(first.key);
  });

  it('is not shown after 7 days, and the purge removes it', async () => {
    const client = await signedInAs(app, 'dsl-riverside');
    const form = await openForm(client);
    await client.post('/concerns/check', { ...unsent, idempotencyKey: form.key, childId: '' });
    const id = await userId('dsl-riverside');

    await db().sql`update concern_drafts set updated_at = now() - interval '6 days 23 hours' where user_id = ${id}`;
    expect((await purgeOldDrafts(db().sql)).drafts).toBe(0);
    expect((await openForm(client)).html).toContain(unsent.whatHappened);

    await db().sql`update concern_drafts set updated_at = now() - interval '7 days 1 minute' where user_id = ${id}`;
    expect((await openForm(client)).html).not.toContain(unsent.whatHappened);
    expect((await purgeOldDrafts(db().sql)).drafts).toBeGreaterThanOrEqual(1);
    expect(await draftOf('dsl-riverside')).toBeUndefined();
  });
});

describe('a time-out loses nothing', () => {
  /** Ends the client's session as the idle (or absolute) time-out does; the row stays until the purge. */
  const expire = async (client: AppClient, how: 'idle' | 'absolute') => {
    expect(await db().sql`select 1 from sessions where csrf_token = ${client.csrfToken!}`).toHaveLength(1);
    if (how === 'idle') await db().sql`update sessions set last_seen_at = now() - interval '31 minutes' where csrf_token = ${client.csrfToken!}`;
    else await db().sql`update sessions set created_at = now() - interval '11 hours' where csrf_token = ${client.csrfToken!}`;
  };

  it.each(['idle', 'absolute'] as const)('after an %s time-out, sending keeps the answers; signing in again brings them back', async (how) => {
    await clearDraft('dsl-riverside');
    const client = await signedInAs(app, 'dsl-riverside');
    const form = await openForm(client);
    await expire(client, how);
    const late = await client.post('/concerns/check', { ...unsent, idempotencyKey: form.key, childId: '' });
    expect(late.status).toBe(303);
    expect(late.res.headers.get('location')).toBe(SIGN_IN_AGAIN);
    expect(SIGN_IN_AGAIN).toBe('/sign-in?return_to=%2Fconcerns%2Fnew');
    expect((await draftOf('dsl-riverside'))!.notice).toBe('timed_out');
    // The old session still signs no one in.
    expect((await client.get('/concerns/new')).status).toBe(302);

    const again = await signedInAs(app, 'dsl-riverside');
    const back = await openForm(again);
    expectEveryAnswer(back.html);
    expect(back.key).toBe(form.key);
    expect(back.html).toContain('Your answers were kept');
    // And it can be sent from there, as one concern.
    const check = await again.post('/concerns/check', { ...unsent, idempotencyKey: back.key, childId: '' });
    expect(check.status).toBe(200);
    expect((await draftOf('dsl-riverside'))!.notice).toBeNull();
  });

  it('the send itself (POST /concerns) and htmx’s field check are kept too, and nothing is sent', async () => {
    const before = (await db().sql`select count(*)::int as n from concerns`)[0]!.n;
    for (const [path, headers] of [['/concerns', {}], ['/concerns/new?check=whatHappened', { 'HX-Request': 'true' }]] as const) {
      await clearDraft('dsl-riverside');
      const client = await signedInAs(app, 'dsl-riverside');
      const form = await openForm(client);
      await expire(client, 'idle');
      const late = await client.post(path, { ...unsent, idempotencyKey: form.key, childId: '' }, headers);
      if (headers['HX-Request' as keyof typeof headers]) {
        expect(late.status).toBe(401);
        expect(late.res.headers.get('HX-Redirect')).toBe(SIGN_IN_AGAIN);
      } else {
        expect(late.res.headers.get('location')).toBe(SIGN_IN_AGAIN);
      }
      expect((await draftOf('dsl-riverside'))!.answers.whatHappened).toBe(unsent.whatHappened);
    }
    expect((await db().sql`select count(*)::int as n from concerns`)[0]!.n).toBe(before);
  });

  it('a post without the expired session’s CSRF token, or from another site, plants no draft', async () => {
    await clearDraft('dsl-riverside');
    const client = await signedInAs(app, 'dsl-riverside');
    const form = await openForm(client);
    await expire(client, 'idle');
    const fields = { ...unsent, idempotencyKey: form.key, childId: '' };

    const wrongToken = await client.post('/concerns/check', { ...fields, csrf_token: 'not-the-token' });
    expect(wrongToken.res.headers.get('location')).toBe('/sign-in');
    const noToken = await client.request(client.url('/concerns/check'), {
      method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: app.baseUrl, 'Sec-Fetch-Site': 'same-origin' },
      body: new URLSearchParams(fields).toString(),
    });
    expect(noToken.headers.get('location')).toBe('/sign-in');
    const crossSite = await client.post('/concerns/check', fields, { Origin: 'https://evil.example', 'Sec-Fetch-Site': 'cross-site' });
    expect(crossSite.res.headers.get('location')).toBe('/sign-in');
    expect(await draftOf('dsl-riverside')).toBeUndefined();

    // A session signed out of is gone: nothing is kept for it either.
    await db().sql`delete from sessions where csrf_token = ${client.csrfToken!}`;
    expect((await client.post('/concerns/check', fields)).res.headers.get('location')).toBe('/sign-in');
    expect(await draftOf('dsl-riverside')).toBeUndefined();
  });
});

describe('raise a concern after a lookup (POST /concerns/from-lookup)', () => {
  it('puts the lookup’s details into the draft as the child’s identifiers and opens the form', async () => {
    await clearDraft('police-ppu');
    const client = await signedInAs(app, 'police-ppu');
    const handed = await client.post('/concerns/from-lookup', {
      method: 'details', surname: 'Thornbury', 'dob-day': '4', 'dob-month': '5', 'dob-year': '2016', postcode: 'NB1 2AB', reason: 'Domestic abuse incident where a child is present',
    });
    expect(handed.status).toBe(303);
    expect(handed.res.headers.get('location')).toBe('/concerns/new');
    const form = await client.get('/concerns/new');
    expect(form.html).toMatch(/name="childSurname"[^>]*value="Thornbury"/);
    expect(form.html).toMatch(/name="dob-day"[^>]*value="4"/);
    expect(form.html).toMatch(/name="dob-year"[^>]*value="2016"/);
    expect(form.html).toMatch(/name="childPostcode"[^>]*value="NB1 2AB"/);
    expect(form.html).toContain('The child’s details from your lookup are below.');
    expect(form.html).not.toContain('Domestic abuse incident where a child is present'); // the reason is the lookup's, not the concern's
  });

  it('by NHS number; a draft’s own answers are kept, and the form says to check them', async () => {
    await clearDraft('police-ppu');
    const client = await signedInAs(app, 'police-ppu');
    const form = await openForm(client);
    await client.post('/concerns/check', { ...unsent, idempotencyKey: form.key, childId: '' });
    await client.post('/concerns/from-lookup', { method: 'nhs', nhsNumber: '943 476 5919', reason: 'Missing child enquiry' });
    const page = await client.get('/concerns/new');
    expect(page.html).toMatch(/name="childNhsNumber"[^>]*value="943 476 5919"/);
    expect(page.html).not.toMatch(/name="childSurname"[^>]*value="Thornbury"/);
    expect(page.html).toContain(unsent.whatHappened);
    expect(page.html).toContain('Check every answer is about this child');
  });

  it('needs the permission to raise a concern', async () => {
    const frontDoor = await signedInAs(app, 'front-door');
    expect((await frontDoor.post('/concerns/from-lookup', { method: 'nhs', nhsNumber: '943 476 5919' })).status).toBe(404);
    const newStarter = await signedInAs(app, 'new-deputy-dsl-northbridge-high');
    expect((await newStarter.post('/concerns/from-lookup', { method: 'nhs', nhsNumber: '943 476 5919' })).status).toBe(403);
    expect(await draftOf('front-door')).toBeUndefined();
    expect(await draftOf('new-deputy-dsl-northbridge-high')).toBeUndefined();
  });
});
