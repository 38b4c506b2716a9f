// The development OpenID Connect provider, driven end to end by openid-client exactly as the
// portal drives a real IdP. The "browser" is fetch with manual redirects and a tiny cookie jar.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as oidc from 'openid-client';
import { startDevIdentityProvider, type DevProvider } from '../src/auth/dev-provider/provider.ts';
import { purgeExpiredProviderEntries } from '../src/auth/dev-provider/store.ts';
import { useTestDatabase } from './support/database.ts';

const PORTAL = 'http://localhost:39999'; // nothing listens here: we only read the Location
const REDIRECT_URI = `${PORTAL}/auth/callback`;
const POST_LOGOUT_URI = `${PORTAL}/signed-out`;

const schoolDsl = {
  sub: 'dev-education-dsl',
  agency: 'education' as const,
  label: 'Designated safeguarding lead — Northbridge Academy <b>x</b>',
  claims: { name: 'Dana Sloane', email: 'dana.sloane@northbridge.example', urn: '990101', roles: ['dsl'] },
};
const schoolTeacher = {
  sub: 'dev-education-teacher',
  agency: 'education' as const,
  label: 'Class teacher — Northbridge Academy',
  claims: { name: 'Tom Teach', email: 'tom.teach@northbridge.example', urn: '990101', roles: ['teacher'] },
};
const edNurse = {
  sub: 'dev-health-ed-nurse',
  agency: 'health' as const,
  label: 'Emergency department nurse — Riverside Hospital',
  claims: {
    name: 'Nia Nurse',
    email: 'nia.nurse@nhs.example',
    nhsid_nrbac_roles: [{ org_code: 'Y99001', role_code: 'R8000' }],
  },
};

// Sign-ins kept in PostgreSQL, as `npm start` keeps them (every worker reads the same).
const db = useTestDatabase();
let idp: DevProvider;
let education: oidc.Configuration;
let health: oidc.Configuration;
const logged: string[] = [];

beforeAll(async () => {
  idp = await startDevIdentityProvider({
    port: 0,
    sql: db().sql,
    clients: [
      { client_id: 'portal-education', client_secret: 'education-secret', agency: 'education', redirect_uris: [REDIRECT_URI], post_logout_redirect_uris: [POST_LOGOUT_URI] },
      { client_id: 'portal-health', client_secret: 'health-secret', agency: 'health', redirect_uris: [REDIRECT_URI], post_logout_redirect_uris: [POST_LOGOUT_URI] },
    ],
    accounts: [schoolDsl, edNurse, schoolTeacher],
    log: { info: (msg) => logged.push(msg), warn: (msg) => logged.push(`WARN ${msg}`) },
  });
  const execute = [oidc.allowInsecureRequests];
  // The portal's call (client_secret_post by default) and the other method the provider accepts.
  education = await oidc.discovery(new URL(idp.issuer), 'portal-education', 'education-secret', undefined, { execute });
  health = await oidc.discovery(new URL(idp.issuer), 'portal-health', 'health-secret', oidc.ClientSecretBasic('health-secret'), { execute });
});

afterAll(async () => {
  await idp?.close();
});

class CookieJar {
  private readonly cookies = new Map<string, string>();

  store(response: Response): void {
    for (const header of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = header.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const expired = attributes.some((a) => /^\s*expires=Thu, 01 Jan 1970/i.test(a) || /^\s*max-age=0\s*$/i.test(a));
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, pair.slice(at + 1).trim());
    }
  }

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

interface Visit {
  status: number;
  url: string;
  body: string;
  headers: Headers;
  /** Set when the provider redirected away from itself (to the portal). */
  leftFor?: string;
}

/** Fetch like a browser would: follow the provider's redirects, stop at the first one off it. */
async function browse(jar: CookieJar, start: string, init: { method?: string; form?: Record<string, string> } = {}): Promise<Visit> {
  let url = start;
  let method = init.method ?? 'GET';
  let body: string | undefined = init.form ? new URLSearchParams(init.form).toString() : undefined;
  for (let hops = 0; hops < 10; hops++) {
    const headers: Record<string, string> = { cookie: jar.header(), accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.8' };
    if (body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
    const response = await fetch(url, { method, headers, body, redirect: 'manual' });
    jar.store(response);
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      const next = new URL(location, url);
      if (next.origin !== new URL(idp.issuer).origin) {
        return { status: response.status, url, body: await response.text(), headers: response.headers, leftFor: next.href };
      }
      url = next.href;
      method = 'GET';
      body = undefined;
      continue;
    }
    return { status: response.status, url, body: await response.text(), headers: response.headers };
  }
  throw new Error('too many redirects');
}

async function startSignIn(config: oidc.Configuration, jar: CookieJar, scope = 'openid profile email') {
  const pkceCodeVerifier = oidc.randomPKCECodeVerifier();
  const expectedState = oidc.randomState();
  const expectedNonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: REDIRECT_URI,
    scope,
    code_challenge: await oidc.calculatePKCECodeChallenge(pkceCodeVerifier),
    code_challenge_method: 'S256',
    state: expectedState,
    nonce: expectedNonce,
  });
  const page = await browse(jar, url.href);
  return { page, checks: { pkceCodeVerifier, expectedState, expectedNonce } };
}

function accountChoices(page: Visit): { action: string; subs: string[] } {
  const action = /<form method="post" action="([^"]+)">/.exec(page.body)?.[1];
  if (!action) throw new Error(`no sign-in form in:\n${page.body}`);
  const subs = [...page.body.matchAll(/<button type="submit" name="sub" value="([^"]+)">/g)].map((m) => m[1] ?? '');
  return { action: new URL(action, page.url).href, subs };
}

async function signIn(config: oidc.Configuration, jar: CookieJar, sub: string) {
  const { page, checks } = await startSignIn(config, jar);
  const { action } = accountChoices(page);
  const done = await browse(jar, action, { method: 'POST', form: { sub } });
  expect(done.leftFor).toBeDefined();
  const tokens = await oidc.authorizationCodeGrant(config, new URL(done.leftFor ?? ''), checks);
  return tokens;
}

describe('development identity provider', () => {
  it('publishes discovery with code flow, PKCE S256 and an end-session endpoint', () => {
    const server = education.serverMetadata();
    expect(server.issuer).toBe(idp.issuer);
    expect(server.response_types_supported).toEqual(['code']);
    expect(server.code_challenge_methods_supported).toEqual(['S256']);
    expect(server.end_session_endpoint).toBe(`${idp.issuer}/session/end`);
    expect(server.id_token_signing_alg_values_supported).toContain('RS256');
  });

  it('signs a school DSL in through the education client, with every claim in the ID token', async () => {
    const jar = new CookieJar();
    const { page, checks } = await startSignIn(education, jar);

    expect(page.status).toBe(200);
    expect(page.body).toContain('Development sign-in — not for real use');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(page.headers.get('content-security-policy')).toContain(PORTAL);
    expect(page.body).not.toMatch(/<script|style=/);
    const { action, subs } = accountChoices(page);
    expect(subs).toEqual([schoolDsl.sub, schoolTeacher.sub]);
    expect(page.body).toContain('Northbridge Academy &lt;b&gt;x&lt;/b&gt;');
    expect(page.body).not.toContain('<b>x</b>');
    expect(page.body).not.toContain(edNurse.label);

    const done = await browse(jar, action, { method: 'POST', form: { sub: schoolDsl.sub } });
    expect(done.leftFor?.startsWith(`${REDIRECT_URI}?`)).toBe(true);
    const tokens = await oidc.authorizationCodeGrant(education, new URL(done.leftFor ?? ''), checks);

    const claims = tokens.claims();
    expect(claims).toMatchObject({
      iss: idp.issuer,
      aud: 'portal-education',
      sub: schoolDsl.sub,
      nonce: checks.expectedNonce,
      name: 'Dana Sloane',
      email: 'dana.sloane@northbridge.example',
      urn: '990101',
      roles: ['dsl'],
    });
    const userinfo = await oidc.fetchUserInfo(education, tokens.access_token, schoolDsl.sub);
    expect(userinfo).toMatchObject({ sub: schoolDsl.sub, name: 'Dana Sloane', urn: '990101', roles: ['dsl'] });
    expect(tokens.id_token).toBeDefined();
    expect(JSON.parse(Buffer.from(tokens.id_token?.split('.')[0] ?? '', 'base64url').toString())).toMatchObject({ alg: 'RS256' });

    // The provider session stays: a second sign-in through the same client needs no page.
    const again = await startSignIn(education, jar);
    expect(again.page.leftFor?.startsWith(`${REDIRECT_URI}?`)).toBe(true);
    const second = await oidc.authorizationCodeGrant(education, new URL(again.page.leftFor ?? ''), again.checks);
    expect(second.claims()?.sub).toBe(schoolDsl.sub);
  });

  it('releases a CIS2-style array of objects intact, with client_secret_basic', async () => {
    const jar = new CookieJar();
    const { page } = await startSignIn(health, jar);
    expect(accountChoices(page).subs).toEqual([edNurse.sub]);

    const tokens = await signIn(health, new CookieJar(), edNurse.sub);
    expect(tokens.claims()).toMatchObject({
      sub: edNurse.sub,
      name: 'Nia Nurse',
      email: 'nia.nurse@nhs.example',
      nhsid_nrbac_roles: [{ org_code: 'Y99001', role_code: 'R8000' }],
    });
    expect(tokens.claims()).not.toHaveProperty('urn');
  });

  it('refuses an unknown account and an account of another agency', async () => {
    const jar = new CookieJar();
    const { page } = await startSignIn(education, jar);
    const { action } = accountChoices(page);

    const unknown = await browse(jar, action, { method: 'POST', form: { sub: 'nobody' } });
    expect(unknown.status).toBe(400);
    expect(unknown.leftFor).toBeUndefined();

    const otherAgency = await browse(jar, action, { method: 'POST', form: { sub: edNurse.sub } });
    expect(otherAgency.status).toBe(400);

    const missing = await browse(jar, action, { method: 'POST', form: {} });
    expect(missing.status).toBe(400);

    // The interaction is still usable after the refusals.
    const fine = await browse(jar, action, { method: 'POST', form: { sub: schoolTeacher.sub } });
    expect(fine.leftFor?.startsWith(`${REDIRECT_URI}?`)).toBe(true);
  });

  it("does not let one agency's session sign in to another agency's client", async () => {
    const jar = new CookieJar();
    await signIn(education, jar, schoolDsl.sub);
    const { page } = await startSignIn(health, jar);
    expect(page.status).toBe(200);
    expect(accountChoices(page).subs).toEqual([edNurse.sub]);
  });

  it('signs out with id_token_hint straight back to the portal, ending the provider session', async () => {
    const jar = new CookieJar();
    const tokens = await signIn(education, jar, schoolDsl.sub);

    const url = oidc.buildEndSessionUrl(education, {
      id_token_hint: tokens.id_token ?? '',
      post_logout_redirect_uri: POST_LOGOUT_URI,
      state: 'after-sign-out',
    });
    const out = await browse(jar, url.href);
    expect(out.status).toBe(303);
    expect(out.leftFor).toBe(`${POST_LOGOUT_URI}?state=after-sign-out`);

    const { page } = await startSignIn(education, jar);
    expect(page.status).toBe(200);
    expect(accountChoices(page).subs).toEqual([schoolDsl.sub, schoolTeacher.sub]);
  });

  it('returns to the portal when the id_token_hint cannot be verified (as after a restart)', async () => {
    const jar = new CookieJar();
    const tokens = await signIn(education, jar, schoolDsl.sub);
    const [header, payload] = (tokens.id_token ?? '').split('.');
    const forged = `${header}.${payload}.${Buffer.from('not the signature').toString('base64url')}`;

    const url = oidc.buildEndSessionUrl(education, { id_token_hint: forged, post_logout_redirect_uri: POST_LOGOUT_URI });
    const out = await browse(jar, url.href);
    expect(out.leftFor).toBe(POST_LOGOUT_URI);
    expect(logged.pop()).toMatch(/^WARN .*sign-out request refused/);

    // Not a registered address: a plain error page, no redirect.
    const elsewhere = new URL(url);
    elsewhere.searchParams.set('post_logout_redirect_uri', 'https://attacker.example/');
    const refused = await browse(jar, elsewhere.href);
    expect(refused.status).toBe(400);
    expect(refused.leftFor).toBeUndefined();
    expect(refused.body).toContain('Sorry, there is a problem');
    expect(refused.body).not.toMatch(/<script|style=/);
  });

  it('asks once, with a plain form, when sign-out comes without an id_token_hint', async () => {
    const jar = new CookieJar();
    await signIn(education, jar, schoolTeacher.sub);

    const url = oidc.buildEndSessionUrl(education, { client_id: 'portal-education', post_logout_redirect_uri: POST_LOGOUT_URI });
    const confirm = await browse(jar, url.href);
    expect(confirm.status).toBe(200);
    expect(confirm.body).not.toMatch(/<script|style=/);
    const action = /<form id="op.logoutForm" method="post" action="([^"]+)">/.exec(confirm.body)?.[1];
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(confirm.body)?.[1];
    expect(action && xsrf).toBeTruthy();

    const out = await browse(jar, action ?? '', { method: 'POST', form: { xsrf: xsrf ?? '', logout: 'yes' } });
    expect(out.leftFor).toBe(POST_LOGOUT_URI);

    const { page } = await startSignIn(education, jar);
    expect(accountChoices(page).subs).toEqual([schoolDsl.sub, schoolTeacher.sub]);
  });

  it('reports an expired or forged interaction plainly', async () => {
    const response = await fetch(`${idp.issuer}/interaction/abc/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'sub=dev-education-dsl',
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('Your sign-in has expired');
    expect(logged.filter((line) => line.startsWith('WARN'))).toEqual([]);
  });

  it('keeps its sign-ins in PostgreSQL, never returns an expired one, and purges them', async () => {
    const jar = new CookieJar();
    await signIn(education, jar, 'dev-education-dsl');
    const models = await db().sql<{ model: string }[]>`select distinct model from identity_provider_store order by model`;
    expect(models.map((row) => row.model)).toEqual(expect.arrayContaining(['AuthorizationCode', 'Grant', 'Interaction', 'Session']));
    // The code was consumed by the token exchange: recorded in the stored payload.
    const [code] = await db().sql<{ consumed: unknown }[]>`
      select payload->'consumed' as consumed from identity_provider_store where model = 'AuthorizationCode' order by expires_at desc limit 1`;
    expect(typeof code!.consumed).toBe('number');

    // Expired: the provider no longer finds the session (the user is asked to sign in again), and the purge removes it.
    await db().sql`update identity_provider_store set expires_at = now() - interval '1 second'`;
    const { page } = await startSignIn(education, jar);
    expect(accountChoices(page).subs).toContain('dev-education-dsl');
    expect(await purgeExpiredProviderEntries(db().sql)).toBeGreaterThan(0);
    const [left] = await db().sql<{ n: number }[]>`select count(*)::int as n from identity_provider_store where expires_at <= now()`;
    expect(left!.n).toBe(0);
  });
});
