// A development OpenID Connect provider, run in-process when no real identity provider is
// configured. It listens on its own port (its own origin, like a real IdP) so the portal signs in
// through it with exactly the openid-client code it uses in production. Partners pick a demo
// account on a plain sign-in page; there is no password and no consent screen.
//
// Never use this for real people: it has no authentication at all and issues tokens over plain
// http. It keeps its sign-ins in PostgreSQL when given a database (./store.ts), so every worker of
// `npm start` serves the same ones.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { interactionPolicy } from 'oidc-provider';
import type { Configuration, KoaContextWithOIDC } from 'oidc-provider';
import type { Sql } from '../../db/connect.ts';
import { errorFields } from '../../log.ts';
import { newDevIdentitySecrets, type DevIdentitySecrets } from './keys.ts';
import { memoryStore, postgresStore } from './store.ts';

export type Agency = 'council' | 'education' | 'health' | 'police';

export interface DevAccount {
  sub: string;
  agency: Agency;
  label: string;
  claims: Record<string, unknown>;
}

export interface DevClient {
  client_id: string;
  client_secret: string;
  agency: Agency;
  redirect_uris: string[];
  post_logout_redirect_uris: string[];
}

export interface DevProviderOptions {
  port: number;
  host?: string;
  clients: DevClient[];
  accounts: DevAccount[];
  log?: { info(msg: string, f?: Record<string, unknown>): void; warn(msg: string, f?: Record<string, unknown>): void };
  /** Where to keep interactions, sessions, grants and codes: PostgreSQL, shared by every worker; memory without it. */
  sql?: Sql;
  /** Cookie and signing keys shared by every worker (./keys.ts); made here without them. */
  secrets?: Pick<DevIdentitySecrets, 'cookieKey' | 'signingKey'>;
}

export interface DevProvider {
  issuer: string;
  close(): Promise<void>;
}

// Claims that belong to the standard `profile` and `email` scopes. Every other claim an account
// has (urn, roles, nhsid_nrbac_roles...) is released with `openid`, so the portal gets it whatever
// else it asks for — as a real agency IdP configured for the portal would.
const PROFILE_CLAIMS = [
  'name', 'family_name', 'given_name', 'middle_name', 'nickname', 'preferred_username', 'profile',
  'picture', 'website', 'gender', 'birthdate', 'zoneinfo', 'locale', 'updated_at',
];
const EMAIL_CLAIMS = ['email', 'email_verified'];

const MAX_FORM_BYTES = 4096;

export async function startDevIdentityProvider(options: DevProviderOptions): Promise<DevProvider> {
  const host = options.host ?? 'localhost';
  const accounts = new Map(options.accounts.map((account) => [account.sub, account]));
  const clients = new Map(options.clients.map((client) => [client.client_id, client]));
  const agencyOfClient = (clientId: unknown): Agency | undefined =>
    typeof clientId === 'string' ? clients.get(clientId)?.agency : undefined;

  // Browsers enforce form-action on the redirects that follow a form post too, so the sign-in and
  // sign-out forms must be allowed to end up at the clients' redirect URIs.
  const formTargets = new Set<string>();
  for (const client of options.clients) {
    for (const uri of [...client.redirect_uris, ...client.post_logout_redirect_uris]) {
      formTargets.add(new URL(uri).origin);
    }
  }
  const csp = [
    "default-src 'none'",
    "style-src 'none'",
    "script-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    `form-action 'self' ${[...formTargets].join(' ')}`.trim(),
  ].join('; ');

  const postLogoutUris = new Set(options.clients.flatMap((client) => client.post_logout_redirect_uris));

  const customClaims = new Set<string>();
  for (const account of options.accounts) {
    for (const name of Object.keys(account.claims)) {
      if (name !== 'sub' && !PROFILE_CLAIMS.includes(name) && !EMAIL_CLAIMS.includes(name)) customClaims.add(name);
    }
  }

  const { signingKey, cookieKey } = options.secrets ?? newDevIdentitySecrets();

  const policy = interactionPolicy.base();
  // One provider serves every agency, but a real deployment has one IdP per agency: never let a
  // session signed in for one agency's client answer another agency's client silently.
  policy.get('login')?.checks.add(
    new interactionPolicy.Check('other_agency', 'account belongs to another agency', (ctx) => {
      const accountId = ctx.oidc.session?.accountId;
      if (!accountId) return interactionPolicy.Check.NO_NEED_TO_PROMPT;
      return accounts.get(accountId)?.agency === agencyOfClient(ctx.oidc.client?.clientId)
        ? interactionPolicy.Check.NO_NEED_TO_PROMPT
        : interactionPolicy.Check.REQUEST_PROMPT;
    }),
  );

  // The port must be known before the issuer (and so the Provider) exists: listen first, and
  // answer 503 until the provider is ready.
  let handle: http.RequestListener = (_req, res) => {
    res.statusCode = 503;
    res.end();
  };
  const server = http.createServer((req, res) => handle(req, res));
  // 'localhost' resolves to ::1 or 127.0.0.1 depending on the machine; bind the IPv4 loopback
  // explicitly (browsers and Node's fetch try both address families).
  const bindAddress = host === 'localhost' ? '127.0.0.1' : host;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, bindAddress, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const issuer = `http://${host}:${port}`;

  const store = options.sql ? postgresStore(options.sql) : memoryStore();
  const cookieOptions = { httpOnly: true, sameSite: 'lax' as const };

  const configuration: Configuration = {
    adapter: store.adapter,
    clients: options.clients.map((client) => ({
      client_id: client.client_id,
      client_secret: client.client_secret,
      redirect_uris: client.redirect_uris,
      post_logout_redirect_uris: client.post_logout_redirect_uris,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      // Either method is accepted at the token endpoint for a client registered with a secret.
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: 'RS256',
    })),
    clientAuthMethods: ['client_secret_basic', 'client_secret_post'],
    responseTypes: ['code'],
    pkce: { required: () => true },
    jwks: { keys: [signingKey as never] },
    claims: {
      openid: ['sub', ...customClaims],
      profile: PROFILE_CLAIMS,
      email: EMAIL_CLAIMS,
    },
    scopes: ['openid', 'profile', 'email'],
    // The portal reads the ID token, so every released claim must be in it (not only in userinfo).
    conformIdTokenClaims: false,
    findAccount(_ctx, sub) {
      const account = accounts.get(sub);
      if (!account) return undefined;
      return { accountId: sub, claims: () => ({ ...account.claims, sub }) };
    },
    interactions: {
      policy,
      url: (_ctx, interaction) => `/interaction/${interaction.uid}`,
    },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: { enabled: true, logoutSource, postLogoutSuccessSource },
    },
    // Distinct names: cookies ignore ports, and the portal runs on the same host name.
    cookies: {
      names: { session: 'dev_idp_session', interaction: 'dev_idp_interaction', resume: 'dev_idp_resume' },
      long: cookieOptions,
      short: cookieOptions,
      keys: [cookieKey],
    },
    ttl: {
      Session: 60 * 60,
      Interaction: 10 * 60,
      Grant: 60 * 60,
      AuthorizationCode: 60,
      AccessToken: 60 * 60,
      IdToken: 60 * 60,
    },
    clientBasedCORS: () => false,
    renderError(ctx, out) {
      // After a restart the signing key is new, so a portal session from before it signs out with
      // an id_token_hint this provider cannot verify (and there is no provider session left to
      // end): send the user back to the portal rather than strand them on an error page.
      const back = ctx.oidc?.route === 'end_session' ? ctx.oidc.params?.post_logout_redirect_uri : undefined;
      if (typeof back === 'string' && postLogoutUris.has(back)) {
        options.log?.warn('development identity provider: sign-out request refused, returning to the portal', { error: out.error_description });
        ctx.status = 303;
        ctx.redirect(back);
        return;
      }
      ctx.type = 'html';
      ctx.set('Content-Security-Policy', csp);
      ctx.body = page('Sorry, there is a problem', `
<p>The development sign-in service could not complete the request.</p>
<p>${escapeHtml(out.error)}${out.error_description ? `: ${escapeHtml(out.error_description)}` : ''}</p>`);
    },
  };

  let provider: Provider;
  try {
    provider = new Provider(issuer, configuration);
  } catch (error) {
    server.close(); // bad configuration (e.g. an invalid redirect URI): don't leave the port open
    throw error;
  }
  provider.on('server_error', (_ctx: KoaContextWithOIDC, error: Error) => {
    options.log?.warn('development identity provider error', errorFields(error));
  });
  const providerHandler = provider.callback();

  // RP-initiated logout. oidc-provider always asks the user to confirm; the OpenID spec only
  // requires that when the id_token_hint does not match the current session. When it does (the
  // portal's own sign-out), end the session here and redirect straight back.
  async function logoutSource(ctx: KoaContextWithOIDC, form: string): Promise<void> {
    const { session } = ctx.oidc;
    const hint = ctx.oidc.entities.IdTokenHint?.payload;
    const clientId = ctx.oidc.client?.clientId;
    if (session && hint && clientId && hint.sub === session.accountId && session.authorizations?.[clientId]) {
      const state = session.state ?? {};
      for (const { grantId } of Object.values(session.authorizations)) {
        if (grantId) await store.revokeGrant(grantId);
      }
      await session.destroy();
      ctx.cookies.set(provider.cookieName('session'), null, cookieOptions);
      const target = typeof state.postLogoutRedirectUri === 'string'
        ? new URL(state.postLogoutRedirectUri)
        : new URL(ctx.oidc.urlFor('end_session_success'));
      if (typeof state.postLogoutRedirectUri === 'string' && typeof state.state === 'string') {
        target.searchParams.set('state', state.state);
      }
      options.log?.info('development identity provider: signed out', { sub: hint.sub });
      ctx.status = 303;
      ctx.redirect(target.href);
      return;
    }
    // Otherwise a single button: no script, so it works under the strict CSP.
    ctx.set('Content-Security-Policy', csp);
    ctx.body = page('Sign out of development sign-in', `
${form}
<p>Do you want to sign out of the development sign-in service?</p>
<button type="submit" form="op.logoutForm" name="logout" value="yes">Sign out</button>`);
  }

  async function postLogoutSuccessSource(ctx: KoaContextWithOIDC): Promise<void> {
    ctx.set('Content-Security-Policy', csp);
    ctx.body = page('You have signed out', '<p>You have signed out of the development sign-in service.</p>');
  }

  async function interaction(req: http.IncomingMessage, res: http.ServerResponse, path: string): Promise<void> {
    const match = /^\/interaction\/([\w-]+)(\/login)?$/.exec(path);
    if (!match) return sendPage(res, 404, 'Page not found', '<p>There is nothing here.</p>');
    const isLogin = match[2] !== undefined;
    if (isLogin !== (req.method === 'POST') || !['GET', 'POST'].includes(req.method ?? '')) {
      res.setHeader('Allow', isLogin ? 'POST' : 'GET');
      return sendPage(res, 405, 'Not allowed', '<p>That method is not allowed here.</p>');
    }

    let details;
    try {
      details = await provider.interactionDetails(req, res);
    } catch {
      // Missing or expired interaction cookie (it is SameSite=Lax, which also stops cross-site posts).
      return sendPage(res, 400, 'Your sign-in has expired', '<p>Go back to the portal and sign in again.</p>');
    }
    if (details.uid !== match[1]) {
      return sendPage(res, 400, 'Your sign-in has expired', '<p>Go back to the portal and sign in again.</p>');
    }
    const agency = agencyOfClient(details.params.client_id);
    if (!agency) return sendPage(res, 400, 'Unknown service', '<p>The service asking you to sign in is not known here.</p>');

    if (details.prompt.name === 'consent') {
      // Every client is part of the portal, so grant what the provider says is missing without
      // asking, exactly as oidc-provider's devInteractions consent handler does once the user agrees.
      // (The first sign-in comes here straight after the login post; later ones only if the
      // portal asks for more scopes or claims.)
      const grant = details.grantId
        ? await provider.Grant.find(details.grantId)
        : new provider.Grant({ accountId: details.session?.accountId, clientId: String(details.params.client_id) });
      if (!grant) return sendPage(res, 400, 'Your sign-in has expired', '<p>Go back to the portal and sign in again.</p>');
      const { missingOIDCScope, missingOIDCClaims } = details.prompt.details;
      if (Array.isArray(missingOIDCScope)) grant.addOIDCScope(missingOIDCScope.join(' '));
      if (Array.isArray(missingOIDCClaims)) grant.addOIDCClaims(missingOIDCClaims);
      const grantId = await grant.save();
      return provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
    }
    if (details.prompt.name !== 'login') {
      return sendPage(res, 400, 'Sorry, there is a problem', '<p>This sign-in step is not supported.</p>');
    }

    if (!isLogin) {
      const choices = options.accounts
        .filter((account) => account.agency === agency)
        .map((account) => `<li><button type="submit" name="sub" value="${escapeHtml(account.sub)}">${escapeHtml(account.label)}</button></li>`)
        .join('\n');
      return sendPage(res, 200, 'Development sign-in — not for real use', `
<p>This sign-in service is for local development only. Never use it with real people's information.</p>
<p>Choose a demo ${escapeHtml(agency)} account to sign in as.</p>
<form method="post" action="/interaction/${escapeHtml(details.uid)}/login">
<ul>
${choices || '<li>There are no demo accounts for this agency.</li>'}
</ul>
</form>`);
    }

    const sub = new URLSearchParams(await readBody(req)).get('sub') ?? '';
    const account = accounts.get(sub);
    if (!account || account.agency !== agency) {
      return sendPage(res, 400, 'Choose a demo account', '<p>That account cannot sign in to this service. Go back and choose one from the list.</p>');
    }
    options.log?.info('development identity provider: signed in', { sub, agency });
    await provider.interactionFinished(req, res, { login: { accountId: sub } }, { mergeWithLastSubmission: false });
  }

  function sendPage(res: http.ServerResponse, status: number, title: string, body: string): void {
    res.writeHead(status, {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': csp,
      'Cache-Control': 'no-store',
      'Referrer-Policy': 'no-referrer',
      'X-Content-Type-Options': 'nosniff',
    });
    res.end(page(title, body));
  }

  handle = (req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (!path.startsWith('/interaction/')) return void providerHandler(req, res);
    interaction(req, res, path).catch((error: unknown) => {
      options.log?.warn('development identity provider interaction failed', { error: String(error) });
      if (!res.headersSent) sendPage(res, 500, 'Sorry, there is a problem', '<p>Try signing in again.</p>');
      else res.end();
    });
  };

  options.log?.info('development identity provider started — not for real use', { issuer });

  return {
    issuer,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Browsers keep connections alive; don't wait for them to go idle.
        server.closeAllConnections();
      }),
  };
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
      if (body.length > MAX_FORM_BYTES) req.destroy(new Error('form too large'));
    });
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
${body}
</main>
</body>
</html>
`;
}

function escapeHtml(value: unknown): string {
  return String(value)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}
