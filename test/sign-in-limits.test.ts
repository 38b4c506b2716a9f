// Sign-in limits that do not lock out a building (issue 12, point 4), over real HTTP with the
// real development identity provider: one account is limited at the callback (issuer and
// subject) without locking out a colleague at the same address, and the address's own limit,
// much higher, trips only at its threshold. The refusal page says when to try again (a time)
// and gives the council's front-door and out-of-hours numbers.
import { beforeAll, describe, expect, it } from 'vitest';
import type { AuthSettings } from '../src/auth/settings.ts';
import { NORTHBRIDGE_COUNCIL } from '../src/seed/demo-organisations.ts';
import { seedDemoData } from '../src/seed/insert.ts';
import { formatTime } from '../src/web/format-time.ts';
import { startTestApp, type RunningApp } from './support/app.ts';
import { useTestDatabase } from './support/database.ts';
import { TestClient } from './support/http-client.ts';
import { signIn } from './support/sign-in.ts';

const db = useTestDatabase();
beforeAll(async () => {
  await seedDemoData(db().sql, { children: 10 });
});

const WINDOW_SECONDS = 600;

/**
 * A portal with its own development identity provider (which accepts only its own callback
 * address) and these limits. test/support/app.ts takes no per-account limit, so it is put on
 * the settings the app reads at each sign-in.
 */
async function portalWith(limits: Required<Pick<AuthSettings, 'signInRateLimit' | 'signInAccountRateLimit'>>): Promise<RunningApp> {
  const portal = await startTestApp(db().sql, { signInRateLimit: limits.signInRateLimit });
  portal.auth.signInAccountRateLimit = limits.signInAccountRateLimit;
  return portal;
}

/** The counters are fixed windows: start a test well inside one, so it cannot straddle two. */
async function awayFromWindowEdge() {
  const into = (Date.now() / 1000) % WINDOW_SECONDS;
  if (into > WINDOW_SECONDS - 45) await new Promise((r) => setTimeout(r, (WINDOW_SECONDS - into + 1) * 1000));
  await db().sql`delete from rate_limit_counters`;
}

/** Checks a refusal page: 429, Retry-After, "after HH:MM" within the window, both numbers. */
function expectRefusal(response: Response, html: string, before: number, reason: RegExp) {
  expect(response.status).toBe(429);
  const retryAfter = Number(response.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(WINDOW_SECONDS);
  expect(html).toMatch(reason);
  const shown = /You can try again after <strong>(\d\d:\d\d)<\/strong>/.exec(html)?.[1];
  // The end of the window, rounded up to a whole minute, in England's time.
  const at = (now: number) => formatTime(new Date(Math.ceil((now + retryAfter * 1000) / 60_000) * 60_000));
  expect([at(before), at(Date.now())]).toContain(shown);
  expect(html).toContain(`href="tel:+441134960000">${NORTHBRIDGE_COUNCIL.duty_phone}</a>`);
  expect(html).toContain(`href="tel:+441134960999">${NORTHBRIDGE_COUNCIL.out_of_hours_phone}</a>`);
  expect(html).toContain('call 999');
}

describe('sign-in limits', () => {
  it('limit one account without locking out a colleague at the same address; the address trips only at its own, higher, threshold', async () => {
    // Each sign-in here counts three times against the address: the helper (tools/http/sign-in.ts)
    // opens /sign-in/:provider twice (once to see if the provider signs straight in), then the callback.
    const addressHits = async () => (await db().sql<{ count: number }[]>`select count from rate_limit_counters where key = 'sign-in:127.0.0.1'`)[0]?.count ?? 0;
    const portal = await portalWith({ signInRateLimit: { limit: 12, windowSeconds: WINDOW_SECONDS }, signInAccountRateLimit: { limit: 2, windowSeconds: WINDOW_SECONDS } });
    try {
      await awayFromWindowEdge();
      for (let i = 0; i < 2; i++) {
        const { url } = await signIn(portal, 'dsl-riverside', new TestClient());
        expect(url.toString(), `sign-in ${i + 1}`).toBe(`${portal.baseUrl}/`);
      }
      // The third for the same account is refused at the callback, with no session.
      const before = Date.now();
      const third = await signIn(portal, 'dsl-riverside', new TestClient());
      expect(third.url.pathname).toBe('/auth/callback');
      expectRefusal(third.response, third.html, before, /too many attempts to sign in to your account/);
      expect(third.client.cookie('127.0.0.1', 'portal_session')).toBeUndefined();

      // A colleague at the same address is not locked out (9 of the address's 12 used so far).
      expect(await addressHits()).toBe(9);
      const colleague = await signIn(portal, 'deputy-dsl-riverside', new TestClient());
      expect(colleague.url.toString()).toBe(`${portal.baseUrl}/`);
      expect(colleague.html).toContain('data-testid="user-name">Emma Lodge<');

      // Its 12 used, the address's next attempt is refused, whoever it is.
      expect(await addressHits()).toBe(12);
      const beforeAddress = Date.now();
      const flooded = await fetch(`${portal.baseUrl}/sign-in/dev-nhs`, { redirect: 'manual' });
      expectRefusal(flooded, await flooded.text(), beforeAddress, /a very large number of attempts to sign in from your organisation’s network/);
    } finally {
      await portal.close();
    }
  });

  it('keep the account counters free of who the account is', async () => {
    const keys = await db().sql<{ key: string }[]>`select key from rate_limit_counters where key like 'sign-in-account:%'`;
    expect(keys.length).toBeGreaterThan(0);
    for (const { key } of keys) expect(key).toMatch(/^sign-in-account:[A-Za-z0-9_-]{43}$/);
  });

  it('allow many people behind one address by default', async () => {
    const { DEFAULT_ADDRESS_SIGN_IN_LIMIT, DEFAULT_ACCOUNT_SIGN_IN_LIMIT } = await import('../src/auth/settings.ts');
    expect(DEFAULT_ADDRESS_SIGN_IN_LIMIT).toBeGreaterThanOrEqual(20 * DEFAULT_ACCOUNT_SIGN_IN_LIMIT.limit);
  });
});
