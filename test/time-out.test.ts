// The server's side of the time-out warning (issue 12, point 3), through the real app in
// process: the page learns the idle limit and the warning from <body>; "Stay signed in"
// (POST /session/keep-alive) needs the CSRF token and starts the idle time again; and
// GET /timed-out says the person has been signed out, or sends a person still signed in back.
// The dialog itself is tested in Chromium (test/browser/time-out-warning.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoData } from '../src/seed/insert.ts';
import { AppClient } from './support/app-client.ts';
import { useTestDatabase } from './support/database.ts';
import { signedInAs } from './support/demo-session.ts';
import { buildTestApp, type InProcessApp } from './support/in-process-app.ts';

const db = useTestDatabase();
let app: InProcessApp;
beforeAll(async () => {
  await seedDemoData(db().sql, { children: 10, referenceDate: '2026-11-23' });
  app = await buildTestApp(db().sql, { timeouts: { idleMs: 30 * 60_000, absoluteMs: 10 * 3_600_000 } });
});
afterAll(() => app?.close());

const lastSeen = async (subject: string) =>
  (await db().sql<{ at: Date }[]>`select s.last_seen_at as at from sessions s join users u on u.id = s.user_id where u.subject = ${subject}`)[0]!.at;

describe('the page', () => {
  it('carries the idle limit and the warning on <body>, and the same on every load', async () => {
    const client = await signedInAs(app, 'dsl-riverside');
    const first = await client.get('/children');
    expect(first.html).toMatch(/<body [^>]*data-session-idle="1800" data-session-warning="120">/);
    expect(first.html).toContain('<dialog class="app-timeout-warning" id="timeout-warning"');
    expect(first.html).toContain('action="/session/keep-alive"');
    expect(first.res.headers.get('x-session-expires-in')).toBe('1800');
    // Nothing in it changes with the session's age: two answers to one question are alike.
    await db().sql`update sessions set last_seen_at = now() - interval '10 minutes'`;
    expect((await client.get('/children')).html).toBe(first.html);
  });

  it('has no warning for anyone not signed in', async () => {
    const { html, res } = await new AppClient(app).get('/');
    expect(html).not.toContain('data-session-idle');
    expect(html).not.toContain('timeout-warning');
    expect(res.headers.get('x-session-expires-in')).toBeNull();
  });
});

describe('"Stay signed in"', () => {
  it('starts the idle time again and says how long there is now', async () => {
    const client = await signedInAs(app, 'health-visitor');
    await db().sql`update sessions s set last_seen_at = now() - interval '28 minutes' from users u where u.id = s.user_id and u.subject = 'health-visitor'`;
    const before = await lastSeen('health-visitor');
    const { status, html, res } = await client.post('/session/keep-alive', {}, { Accept: 'application/json' });
    expect(status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const answer = JSON.parse(html) as { signedIn: boolean; expiresInSeconds: number };
    expect(answer.signedIn).toBe(true);
    expect(answer.expiresInSeconds).toBeGreaterThan(1790);
    expect(answer.expiresInSeconds).toBeLessThanOrEqual(1800);
    expect(res.headers.get('x-session-expires-in')).toBe(String(answer.expiresInSeconds));
    expect((await lastSeen('health-visitor')).getTime() - before.getTime()).toBeGreaterThan(27 * 60_000);
  });

  it('never moves the absolute time-out', async () => {
    const client = await signedInAs(app, 'school-nurse');
    await db().sql`update sessions s set created_at = now() - interval '9 hours 55 minutes' from users u where u.id = s.user_id and u.subject = 'school-nurse'`;
    const answer = JSON.parse((await client.post('/session/keep-alive', {}, { Accept: 'application/json' })).html) as { expiresInSeconds: number };
    expect(answer.expiresInSeconds).toBeGreaterThan(290);
    expect(answer.expiresInSeconds).toBeLessThanOrEqual(300);
  });

  it('needs the session’s CSRF token', async () => {
    const client = await signedInAs(app, 'police-ppu');
    // Seen 30 seconds ago: recent enough that a request alone does not record activity
    // (src/auth/sessions.ts), so only "Stay signed in" itself would move it.
    await db().sql`update sessions s set last_seen_at = now() - interval '30 seconds' from users u where u.id = s.user_id and u.subject = 'police-ppu'`;
    const before = await lastSeen('police-ppu');
    expect((await client.post('/session/keep-alive', { csrf_token: 'x'.repeat(43) }, { Accept: 'application/json' })).status).toBe(403);
    expect((await lastSeen('police-ppu')).getTime()).toBe(before.getTime());
    expect((await client.post('/session/keep-alive', {}, { Accept: 'application/json' })).status).toBe(200);
    expect((await lastSeen('police-ppu')).getTime()).toBeGreaterThan(before.getTime() + 25_000);
  });

  it('sent as a plain form (no script), goes back to the page it came from', async () => {
    const client = await signedInAs(app, 'gp-canal-wharf');
    const sent = await client.post('/session/keep-alive', {}, { Referer: `${app.baseUrl}/children?name=a` });
    expect(sent.status).toBe(303);
    expect(sent.res.headers.get('location')).toBe('/children');
    const elsewhere = await client.post('/session/keep-alive', {}, { Referer: 'https://evil.example/x' });
    expect(elsewhere.res.headers.get('location')).toBe('/');
  });

  it('is for signed-in people only', async () => {
    const anonymous = await new AppClient(app).post('/session/keep-alive', {}, { Accept: 'application/json' });
    expect(anonymous.status).toBe(303);
    expect(anonymous.res.headers.get('location')).toBe('/sign-in');
  });
});

describe('"You have been signed out"', () => {
  it('says so, that concern answers are kept, and gives the numbers', async () => {
    const { status, html, res } = await new AppClient(app).get('/timed-out?return_to=%2Fconcerns%2Fnew');
    expect(status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(html).toContain('<h1 class="govuk-heading-l">You have been signed out</h1>');
    expect(html).toContain('Answers you had given in a concern form have been kept');
    expect(html).toContain('href="/sign-in?return_to=%2Fconcerns%2Fnew"');
    expect(html).toContain('href="tel:+441134960000"');
    expect(html).toContain('href="tel:+441134960999"');
  });

  it('sends someone still signed in (busy in another tab) back, and only to this site', async () => {
    const client = await signedInAs(app, 'dsl-northbridge-high');
    const back = await client.get('/timed-out?return_to=%2Fchildren');
    expect(back.status).toBe(303);
    expect(back.res.headers.get('location')).toBe('/children');
    for (const evil of ['//evil.example', 'https://evil.example', '/\\evil.example']) {
      expect((await client.get(`/timed-out?return_to=${encodeURIComponent(evil)}`)).res.headers.get('location')).toBe('/');
      expect((await new AppClient(app).get(`/timed-out?return_to=${encodeURIComponent(evil)}`)).html).toContain('href="/sign-in"');
    }
  });
});
