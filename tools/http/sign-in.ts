// Signs in as a demo account through the real flow: portal → development identity provider's
// page → choose the account → provider → portal callback. For the tests and the benchmark: all
// it needs of the portal is where it listens.
import { DEMO_ACCOUNTS } from '../../src/auth/dev-provider/demo-accounts.ts';
import type { Agency } from '../../src/auth/roles.ts';
import { CookieClient } from './cookie-client.ts';

/** A running portal, as far as signing in is concerned. */
export interface Portal {
  baseUrl: string;
}

export const providerFor: Record<Agency, string> = {
  education: 'dev-schools',
  health: 'dev-nhs',
  police: 'dev-police',
  council: 'dev-council',
};

export function demoAccount(sub: string) {
  const account = DEMO_ACCOUNTS.find((a) => a.sub === sub);
  if (!account) throw new Error(`no demo account ${sub}`);
  return account;
}

/** Goes as far as the provider's account list; returns the page's URL and its form action. */
export async function startSignIn(app: Portal, sub: string, client: CookieClient) {
  const start = await client.follow(`${app.baseUrl}/sign-in/${providerFor[demoAccount(sub).agency]}`);
  const html = await start.response.text();
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  if (!action) throw new Error(`no account list at ${start.url}: ${start.response.status} ${html.slice(0, 300)}`);
  return { pageUrl: start.url, action, html };
}

/** Chooses the account on the provider's page, but stops at the redirect back to the portal. */
export async function signInUntilCallback(app: Portal, sub: string, client = new CookieClient()) {
  const { pageUrl, action } = await startSignIn(app, sub, client);
  let response = await client.request(new URL(action, pageUrl), {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ sub }).toString(),
  });
  let url = new URL(action, pageUrl);
  for (let hop = 0; hop < 10; hop++) {
    const location = response.headers.get('location');
    if (!location) throw new Error(`provider stopped at ${url} with ${response.status}`);
    url = new URL(location, url);
    if (url.origin === app.baseUrl && url.pathname === '/auth/callback') return { client, callbackUrl: url };
    await response.arrayBuffer();
    response = await client.request(url);
  }
  throw new Error('never reached the callback');
}

export async function signIn(app: Portal, sub: string, client = new CookieClient()) {
  // Signed in at the provider already (single sign-on): it sends the user straight back.
  const start = await client.follow(`${app.baseUrl}/sign-in/${providerFor[demoAccount(sub).agency]}`);
  if (start.url.origin === app.baseUrl) return { client, ...start, html: await start.response.text() };
  await start.response.arrayBuffer();
  const { callbackUrl } = await signInUntilCallback(app, sub, client);
  const result = await client.follow(callbackUrl);
  return { client, ...result, html: await result.response.text() };
}
