// Sign-in over real HTTP: the portal, the real development identity provider (oidc-provider)
// and a real PostgreSQL with the demo organisations. No part of OIDC is mocked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS } from '../src/auth/dev-provider/demo-accounts.ts';
import { roleNames, roles } from '../src/auth/roles.ts';
import { purgeExpired } from '../src/auth/sessions.ts';
import { seedDemoData } from '../src/seed/insert.ts';
import { startTestApp, type RunningApp } from './support/app.ts';
import { useTestDatabase } from './support/database.ts';
import { hiddenField, TestClient } from './support/http-client.ts';
import { demoAccount, signIn, signInUntilCallback, startSignIn } from './support/sign-in.ts';

const db = useTestDatabase();
let app: RunningApp;
beforeAll(async () => {
  await seedDemoData(db().sql, { children: 20 });
  app = await startTestApp(db().sql);
});
afterAll(() => app?.close());

const sessionCookie = (client: TestClient) => client.cookie('127.0.0.1', 'portal_session');
const sessionCount = async () => (await db().sql<{ n: number }[]>`select count(*)::int as n from sessions`)[0]!.n;
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('signing in', () => {
  const allowed = DEMO_ACCOUNTS.filter((a) => !a.label.startsWith('Refused'));

  it('works for every demo account that has a role, and together they cover every role', async () => {
    const reached = new Set<string>();
    for (const account of allowed) {
      const { client, html, url } = await signIn(app, account.sub);
      let page = html;
      if (url.pathname === '/choose-role') {
        // Several roles: the user picks one before anything else.
        expect(page).toContain('Which role are you working in today?');
        const chosen = await client.submit(url, '/choose-role', { csrf_token: hiddenField(page, 'csrf_token')!, assignment: '1' });
        page = await chosen.response.text();
      }
      expect(page, account.sub).toContain(`data-testid="user-name">${String(account.claims.name).replace(/'/g, '&#39;')}<`);
      const role = /data-testid="user-role">([^<]+)</.exec(page)?.[1];
      const entry = Object.entries(roles).find(([, r]) => r.title === role);
      expect(entry, `${account.sub} shows a role`).toBeDefined();
      reached.add(entry![0]);
      expect(page).toContain('data-testid="user-organisation"');
      const cookie = sessionCookie(client)!;
      expect(cookie.value).toMatch(/^[A-Za-z0-9_-]{43}$/); // 256 bits, base64url
      expect(cookie.attributes).toMatch(/HttpOnly/i);
      expect(cookie.attributes).toMatch(/SameSite=Lax/i);
      expect(cookie.attributes).toMatch(/Path=\//i);
    }
    expect([...reached].sort()).toEqual([...roleNames].sort());
  });

  it('keys the user on issuer and subject and refreshes them at each sign-in', async () => {
    await signIn(app, 'dsl-riverside');
    await signIn(app, 'dsl-riverside');
    const users = await db().sql`select issuer, subject, name, email, role_assignments from users where subject = 'dsl-riverside'`;
    expect(users).toHaveLength(1);
    expect(users[0]).toMatchObject({ subject: 'dsl-riverside', name: 'Sarah Collins' });
    expect(users[0]!.role_assignments).toEqual([expect.objectContaining({ role: 'education.dsl', organisationName: 'Riverside Primary School' })]);
  });

  it('gives a new session id at every sign-in, even over an existing session', async () => {
    const { client } = await signIn(app, 'gp-canal-wharf');
    const first = sessionCookie(client)!.value;
    await signIn(app, 'gp-canal-wharf', client);
    const second = sessionCookie(client)!.value;
    expect(second).not.toBe(first);
    const old = await new TestClient().request(`${app.baseUrl}/choose-role`, { headers: { Cookie: `portal_session=${first}` } });
    expect(old.status).toBe(302);
    expect(old.headers.get('location')).toMatch(/^\/sign-in/);
  });

  it('goes straight to the provider when only one is configured, and offers a choice otherwise', async () => {
    const res = await fetch(`${app.baseUrl}/sign-in`);
    expect(res.status).toBe(200);
    const html = await res.text();
    for (const provider of app.auth.providers) expect(html).toContain(`href="/sign-in/${provider.id}"`);
    const single = await startTestApp(db().sql, { sharedIdentityWith: app, providerIds: ['dev-police'] });
    try {
      const res = await fetch(`${single.baseUrl}/sign-in?return_to=%2Flookup`, { redirect: 'manual' });
      expect(res.status).toBe(302);
      expect(res.headers.get('location')).toBe('/sign-in/dev-police?return_to=%2Flookup');
    } finally {
      await single.close();
    }
  });

  it('ignores a return path the database could not store, instead of failing', async () => {
    for (const returnTo of ['%2F%00', '%2Fchildren%0A', '%2F%ED%A0%80']) {
      const res = await fetch(`${app.baseUrl}/sign-in/dev-schools?return_to=${returnTo}`, { redirect: 'manual' });
      expect(res.status, returnTo).toBe(302);
      expect(new URL(res.headers.get('location')!).origin).not.toBe(app.baseUrl);
    }
  });
});

describe('in production', () => {
  it('the session cookie is Secure with the __Host- prefix', async () => {
    const production = await startTestApp(db().sql, { secureCookies: true });
    try {
      const { callbackUrl, client } = await signInUntilCallback(production, 'dsl-riverside');
      // The sign-in cookie was set Secure; a browser would send it back over https.
      expect(client.cookie('127.0.0.1', '__Secure-portal_sign_in')?.attributes).toMatch(/Secure/);
      const done = await client.request(callbackUrl);
      expect(done.status).toBe(303);
      const set = done.headers.getSetCookie().find((c) => c.startsWith('__Host-portal_session='));
      expect(set).toMatch(/; Path=\/; HttpOnly; Secure; SameSite=Lax$/);
      expect(set).not.toMatch(/Domain=/i);
    } finally {
      await production.close();
    }
  });
});

describe('refusals', () => {
  it.each([
    ['dsl-unregistered-school', /not registered with the Safeguarding Partner Portal/],
    ['dsl-lapsed-agreement', /does not have an active information-sharing agreement/],
    ['office-manager-riverside', /does not give you a role/],
  ])('%s gets a plain refusal page with whom to contact, and no session', async (sub, reason) => {
    const before = await sessionCount();
    const { client, response, html } = await signIn(app, sub);
    expect(response.status).toBe(403);
    expect(html).toMatch(reason);
    expect(html).toContain('information governance');
    expect(sessionCookie(client)).toBeUndefined();
    expect(await sessionCount()).toBe(before);
  });
});

describe('the flow refuses tampering', () => {
  it('refuses a tampered state', async () => {
    const { client, callbackUrl } = await signInUntilCallback(app, 'dsl-riverside');
    callbackUrl.searchParams.set('state', 'forged-state');
    const res = await client.request(callbackUrl);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('Sign-in did not work');
    expect(sessionCookie(client)).toBeUndefined();
  });

  it('refuses a replayed callback (code used twice)', async () => {
    const { client, callbackUrl } = await signInUntilCallback(app, 'dsl-riverside');
    const attemptCookie = client.cookie('127.0.0.1', 'portal_sign_in')!.value;
    const first = await client.request(callbackUrl);
    expect(first.status).toBe(303);
    // The attacker replays the same callback, with the same sign-in cookie.
    const replay = await new TestClient().request(callbackUrl, { headers: { Cookie: `portal_sign_in=${attemptCookie}` } });
    expect(replay.status).toBe(400);
    expect(replay.headers.getSetCookie().join()).not.toContain('portal_session=');
  });

  it('refuses an ID token whose nonce is not the one sent', async () => {
    const { client, callbackUrl } = await signInUntilCallback(app, 'dsl-riverside');
    // The ID token will carry the nonce sent to the provider; the portal now expects another.
    await db().sql`update sign_in_attempts set nonce = 'a-different-nonce'`;
    const res = await client.request(callbackUrl);
    expect(res.status).toBe(400);
    expect(sessionCookie(client)).toBeUndefined();
    expect(app.logLines.some((l) => l.includes('sign-in refused by checks'))).toBe(true);
  });

  it('refuses a callback without the sign-in cookie (a code injected from elsewhere)', async () => {
    const { callbackUrl } = await signInUntilCallback(app, 'dsl-riverside');
    const res = await new TestClient().request(callbackUrl);
    expect(res.status).toBe(400);
  });
});

describe('sessions', () => {
  it('are honoured by a second app instance on the same database', async () => {
    const { client } = await signIn(app, 'police-ppu');
    const second = await startTestApp(db().sql, { sharedIdentityWith: app });
    try {
      const res = await client.request(`${second.baseUrl}/`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('data-testid="user-name">DC Sam Reid<');
    } finally {
      await second.close();
    }
  });

  it('expire after the idle time-out, and activity keeps them alive', async () => {
    const shortIdle = await startTestApp(db().sql, { sharedIdentityWith: app, timeouts: { idleMs: 1_000, absoluteMs: 60_000 } });
    try {
      const { client } = await signIn(app, 'health-visitor');
      const at = (path: string) => client.request(`${shortIdle.baseUrl}${path}`);
      for (let i = 0; i < 4; i++) {
        await wait(400);
        expect((await at('/choose-role')).status, `active after ${(i + 1) * 400} ms`).toBe(200);
      }
      await wait(1_300);
      const res = await at('/choose-role');
      expect(res.status).toBe(302);
      expect(res.headers.get('location')).toBe('/sign-in?return_to=%2Fchoose-role');
    } finally {
      await shortIdle.close();
    }
  });

  it('expire after the absolute time-out however active', async () => {
    const shortAbsolute = await startTestApp(db().sql, { sharedIdentityWith: app, timeouts: { idleMs: 60_000, absoluteMs: 1_500 } });
    try {
      const { client } = await signIn(app, 'school-nurse');
      const at = () => client.request(`${shortAbsolute.baseUrl}/choose-role`);
      expect((await at()).status).toBe(200);
      const deadline = Date.now() + 3_000;
      let status = 200;
      while (status === 200 && Date.now() < deadline) {
        await wait(250);
        status = (await at()).status;
      }
      expect(status).toBe(302);
    } finally {
      await shortAbsolute.close();
    }
  });

  it('expired sessions are purged once the hours they are kept for, to keep a late form’s answers, have passed', async () => {
    await signIn(app, 'front-door');
    await db().sql`update sessions set last_seen_at = now() - interval '31 minutes' where user_id in (select id from users where subject = 'front-door')`;
    await purgeExpired(db().sql, app.auth.timeouts);
    expect((await db().sql`select 1 from sessions s join users u on u.id = s.user_id where u.subject = 'front-door'`).length).toBeGreaterThanOrEqual(1);
    await db().sql`update sessions set last_seen_at = now() - interval '12 hours 31 minutes' where user_id in (select id from users where subject = 'front-door')`;
    const { sessions } = await purgeExpired(db().sql, app.auth.timeouts);
    expect(sessions).toBeGreaterThanOrEqual(1);
    const left = await db().sql`select 1 from sessions s join users u on u.id = s.user_id where u.subject = 'front-door'`;
    expect(left).toHaveLength(0);
  });
});

describe('signing out', () => {
  it('ends the session here and at the provider', async () => {
    const { client, html, url } = await signIn(app, 'sw-priya-desai');
    const old = sessionCookie(client)!.value;
    const out = await client.submit(url, '/sign-out', { csrf_token: hiddenField(html, 'csrf_token')! });
    // Via the provider's end-session endpoint, back to the portal's signed-out page.
    expect(out.trail.some((u) => u.pathname.includes('session/end') || u.pathname.includes('logout'))).toBe(true);
    expect(out.url.toString()).toBe(`${app.baseUrl}/signed-out`);
    expect(await out.response.text()).toContain('You have signed out');
    expect(sessionCookie(client)).toBeUndefined();
    const reuse = await new TestClient().request(`${app.baseUrl}/choose-role`, { headers: { Cookie: `portal_session=${old}` } });
    expect(reuse.status).toBe(302);
    // The provider's session is gone too: signing in again shows the account list.
    const again = await startSignIn(app, 'sw-priya-desai', client);
    expect(again.html).toContain(demoAccount('sw-priya-desai').label);
  });
});

describe('cross-site requests', () => {
  it('are refused, and the session is untouched', async () => {
    const { client, html } = await signIn(app, 'dsl-northbridge-high');
    const token = hiddenField(html, 'csrf_token')!;
    const post = (headers: Record<string, string>, body: Record<string, string>) =>
      client.request(`${app.baseUrl}/sign-out`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
        body: new URLSearchParams(body).toString(),
      });
    expect((await post({ Origin: 'https://evil.example', 'Sec-Fetch-Site': 'cross-site' }, { csrf_token: token })).status).toBe(403);
    expect((await post({ Origin: 'https://evil.example' }, { csrf_token: token })).status).toBe(403);
    expect((await post({ 'Sec-Fetch-Site': 'same-site' }, { csrf_token: token })).status).toBe(403);
    expect((await post({ Origin: app.baseUrl, 'Sec-Fetch-Site': 'same-origin' }, {})).status).toBe(403);
    expect((await post({ Origin: app.baseUrl, 'Sec-Fetch-Site': 'same-origin' }, { csrf_token: 'x'.repeat(43) })).status).toBe(403);
    // Still signed in.
    expect((await client.request(`${app.baseUrl}/choose-role`)).status).toBe(200);
    // htmx sends the token as a header instead of a field.
    const viaHeader = await post({ Origin: app.baseUrl, 'Sec-Fetch-Site': 'same-origin', 'X-CSRF-Token': token }, {});
    expect(viaHeader.status).toBe(303);
  });
});

describe('rate limiting', () => {
  it('limits sign-in attempts per client address, with the count in PostgreSQL', async () => {
    const limited = await startTestApp(db().sql, { sharedIdentityWith: app, signInRateLimit: { limit: 3, windowSeconds: 600 } });
    try {
      await db().sql`delete from rate_limit_counters`;
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await fetch(`${limited.baseUrl}/sign-in/dev-schools`, { redirect: 'manual' })).status);
      expect(statuses).toEqual([302, 302, 302, 429]);
      const refused = await fetch(`${limited.baseUrl}/sign-in/dev-schools`, { redirect: 'manual' });
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await refused.text()).toContain('Too many sign-in attempts');
      const [row] = await db().sql`select count from rate_limit_counters where key = 'sign-in:127.0.0.1'`;
      expect(row!.count).toBe(5);
    } finally {
      await db().sql`delete from rate_limit_counters`;
      await limited.close();
    }
  });
});
