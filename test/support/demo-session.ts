// A session for a demo account, made without the OIDC round trip. The account's claims, as the
// development provider puts them in its ID token (every claim the account has, with `sub` and
// the provider's `iss`), go through the same steps as GET /auth/callback in src/auth/routes.ts
// once the token has been checked: identityFromClaims, decideAccess, recordUser, createSession.
// So the user, organisation, role and training are what a real sign-in of that account gives;
// test/demo-session.test.ts holds the two side by side for every demo account.
//
// Test-only: it lives under test/support and nothing in src imports it.
import { identityFromClaims } from '../../src/auth/claims.ts';
import { DEMO_ACCOUNTS } from '../../src/auth/dev-provider/demo-accounts.ts';
import { createSession, findSession, type Session } from '../../src/auth/sessions.ts';
import { sessionCookieName } from '../../src/auth/settings.ts';
import { decideAccess, recordUser } from '../../src/auth/users.ts';
import { AppClient } from './app-client.ts';
import type { InProcessApp } from './in-process-app.ts';
import { providerFor } from './sign-in.ts';

export interface DemoSession {
  /** The session cookie's value, as the callback would have set it. */
  cookieValue: string;
  /** The session as the app loads it from that cookie (its CSRF token included). */
  session: Session;
  /** Where the callback would send the browser next: home, or to choose a role first. */
  landing: '/' | '/choose-role';
}

/** The claims the development provider's ID token carries for this account. */
export function demoClaims(sub: string, issuer: string): Record<string, unknown> {
  const account = DEMO_ACCOUNTS.find((a) => a.sub === sub);
  if (!account) throw new Error(`no demo account ${sub}`);
  return { ...account.claims, sub: account.sub, iss: issuer };
}

/**
 * Signs `sub` in as the callback would. An account with several roles gets a session with no
 * role yet, as at a real sign-in (its next page is /choose-role). A refused account throws: the
 * refusal pages are tested through the real flow in auth.test.ts.
 */
export async function createDemoSession(on: InProcessApp, sub: string): Promise<DemoSession> {
  const account = DEMO_ACCOUNTS.find((a) => a.sub === sub);
  if (!account) throw new Error(`no demo account ${sub}`);
  const provider = on.auth.providers.find((p) => p.id === providerFor[account.agency]);
  if (!provider) throw new Error(`the app does not trust ${providerFor[account.agency]}, ${sub}'s provider`);

  const identity = identityFromClaims(provider, demoClaims(sub, provider.issuer));
  const decision = await decideAccess(on.sql, identity);
  if (!decision.allowed) throw new Error(`${sub} is refused at sign-in (${decision.refusal}): only accounts the portal lets in get a session`);
  const userId = await recordUser(on.sql, identity, decision.assignments);
  const only = decision.assignments.length === 1 ? decision.assignments[0]! : null;
  // No ID token: nothing was issued. Only signing out at the provider would want one.
  const cookieValue = await createSession(on.sql, { userId, providerId: provider.id, idToken: null, assignment: only });
  const session = await findSession(on.sql, cookieValue, on.auth.timeouts);
  if (!session) throw new Error(`the session just made for ${sub} was not found`);
  return { cookieValue, session, landing: only ? '/' : '/choose-role' };
}

/** A client holding a fresh session of `sub` on `on` (cookie and CSRF token), ready to browse. */
export async function signedInAs(on: InProcessApp, sub: string): Promise<AppClient> {
  const { cookieValue, session, landing } = await createDemoSession(on, sub);
  const client = new AppClient(on, session.csrfToken, landing);
  client.setCookie(new URL(on.baseUrl), sessionCookieName(on.auth), cookieValue);
  return client;
}

/**
 * One signed-in client per demo account and app, made on first use (as signedInClients in
 * ./sign-in.ts, without the flow). `app` is a getter because test files build their app in
 * beforeAll.
 */
export function demoClients(app: () => InProcessApp) {
  const clients = new Map<string, AppClient>();
  return async function as(sub: string, on: InProcessApp = app()): Promise<AppClient> {
    const key = `${on.baseUrl} ${sub}`;
    if (!clients.has(key)) clients.set(key, await signedInAs(on, sub));
    return clients.get(key)!;
  };
}
