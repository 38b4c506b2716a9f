// Training recorded by the council (issue 5, point 7): a new starter whose sign-in does not say
// their safeguarding training is complete may view but not raise concerns, is told why and whom
// to ask; information governance records the training and the new starter can raise at once.
// Through the real app in process with sessions from test/support/demo-session.ts, except the
// last step, which is about signing in again and so goes through the real OIDC flow.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoData } from '../src/seed/insert.ts';
import { startTestApp, type RunningApp } from './support/app.ts';
import { postForm } from './support/concerns.ts';
import { useTestDatabase } from './support/database.ts';
import { demoClients } from './support/demo-session.ts';
import { hiddenField } from './support/http-client.ts';
import { buildTestApp, type InProcessApp } from './support/in-process-app.ts';
import { signIn } from './support/sign-in.ts';

const db = useTestDatabase();
/** For the one real sign-in; the in-process app trusts its provider, so both name the same users. */
let real: RunningApp;
let app: InProcessApp;
const as = demoClients(() => app);
const NEW_STARTER = 'new-deputy-dsl-northbridge-high';

beforeAll(async () => {
  await seedDemoData(db().sql, { children: 30, referenceDate: '2026-11-23' });
  real = await startTestApp(db().sql);
  app = await buildTestApp(db().sql, { sharedSettingsWith: real });
  // Both sign in once, so both are known to the portal.
  await as(NEW_STARTER);
  await as('dsl-riverside');
});
afterAll(async () => {
  await app?.close();
  await real?.close();
});

const get = async (sub: string, path: string) => {
  const res = await (await as(sub)).request(`${app.baseUrl}${path}`);
  return { status: res.status, html: await res.text() };
};
const userId = async (sub: string) => (await db().sql`select id from users where subject = ${sub}`)[0]!.id as string;

describe('training records', () => {
  it('a new starter is told why they cannot raise, and whom to ask', async () => {
    const page = await get(NEW_STARTER, '/concerns/new');
    expect(page.status).toBe(403);
    expect(page.html).toContain('Your safeguarding training is not recorded as complete');
    expect(page.html).toMatch(/information governance team at <a class="govuk-link" href="mailto:[^"]+">/);
    expect((await get(NEW_STARTER, '/children')).status).toBe(200);
  });

  it('only information governance sees or changes training records', async () => {
    const id = await userId(NEW_STARTER);
    for (const sub of ['dsl-riverside', 'front-door', 'sw-priya-desai', NEW_STARTER]) {
      expect((await get(sub, '/training')).status, sub).toBe(404);
      expect((await get(sub, `/training/${id}`)).status, sub).toBe(404);
      const token = hiddenField((await get(sub, '/')).html, 'csrf_token')!;
      const res = await postForm(await as(sub), app, `/training/${id}`, { csrf_token: token, 'completed-day': '1', 'completed-month': '9', 'completed-year': '2026' });
      expect(res.status, sub).toBe(404);
    }
    expect((await db().sql`select training_completed_on from users where id = ${id}`)[0]!.training_completed_on).toBeNull();
  });

  it('lists partners without training first; council staff are not listed', async () => {
    await as('front-door');
    const page = await get('info-governance', '/training');
    expect(page.status).toBe(200);
    const rows = [...page.html.matchAll(/data-user="([0-9a-f-]{36})"/g)].map((m) => m[1]);
    expect(rows[0]).toBe(await userId(NEW_STARTER));
    expect(rows).toContain(await userId('dsl-riverside'));
    expect(rows).not.toContain(await userId('front-door'));
    expect(page.html).toContain('Not recorded');
  });

  it('a bad date gets a message by the field and keeps what was typed; nothing changes', async () => {
    const id = await userId(NEW_STARTER);
    const form = await get('info-governance', `/training/${id}`);
    const token = hiddenField(form.html, 'csrf_token')!;
    for (const [day, month, year, message] of [
      ['31', '2', '2026', 'must be a real date'],
      ['1', '1', '2099', 'must be today or in the past'],
      ['', '', '', 'Enter the date the training was completed'],
      ['1', '1', '1999', 'must be between 1 January 2000 and today'],
      ['<b>', '1', '2026', 'must be a real date'],
    ] as const) {
      const res = await postForm(await as('info-governance'), app, `/training/${id}`, { csrf_token: token, 'completed-day': day, 'completed-month': month, 'completed-year': year });
      expect(res.status).toBe(400);
      const html = await res.text();
      expect(html).toContain('govuk-error-summary');
      expect(html).toContain(message);
      expect(html).toContain(`class="govuk-input govuk-date-input__input govuk-input--error govuk-input--width-4" id="completed-year" name="completed-year" type="text" value="${year}" inputmode="numeric"`);
      expect(html).not.toContain('<b>');
    }
    expect((await db().sql`select training_completed_on from users where id = ${id}`)[0]!.training_completed_on).toBeNull();
  });

  it('once recorded, the new starter can raise concerns straight away, and the record says who recorded it', async () => {
    const id = await userId(NEW_STARTER);
    const form = await get('info-governance', `/training/${id}`);
    const res = await postForm(await as('info-governance'), app, `/training/${id}`, {
      csrf_token: hiddenField(form.html, 'csrf_token')!, 'completed-day': '14', 'completed-month': '9', 'completed-year': '2026',
    });
    expect(res.status).toBe(303);
    const list = await get('info-governance', res.headers.get('location')!);
    expect(list.html).toContain('Training recorded for Ollie Grant');
    expect(list.html).toContain('Completed 14 September 2026');
    expect(list.html).toContain('Recorded by Martin Shaw');
    // The same session, no new sign-in.
    const page = await get(NEW_STARTER, '/concerns/new');
    expect(page.status).toBe(200);
    expect(page.html).toContain('name="idempotencyKey"');
    // Signing in again, with a claim that does not say trained, keeps the council's record.
    const again = (await signIn(real, NEW_STARTER)).client;
    expect((await again.request(`${real.baseUrl}/concerns/new`)).status).toBe(200);
    // The same user the seam signed in, refreshed: not a second one under another issuer.
    expect(await db().sql`select 1 from users where subject = ${NEW_STARTER}`).toHaveLength(1);
    const [user] = await db().sql`select training_completed_on::text as on, training_recorded_by_user_id from users where id = ${id}`;
    expect(user!.on).toBe('2026-09-14');
    expect(user!.training_recorded_by_user_id).toBe(await userId('info-governance'));
  });
});
