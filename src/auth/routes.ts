// Sign-in through the user's own organisation's identity provider, role choice and sign-out.
//   GET  /sign-in            choose a provider (or go straight to the only one)
//   GET  /sign-in/:provider  start the authorization code flow (PKCE, state, nonce)
//   GET  /auth/callback      finish it: check everything, decide access, start a session
//   GET  /choose-role, POST /choose-role   for users whose claims give several roles
//   POST /sign-out           end the session here and at the provider
//   GET  /signed-out         where the provider sends the user back to
//   GET  /timed-out          where the time-out warning sends a page whose session has ended
//   POST /session/keep-alive "Stay signed in": the session's idle time starts again
//
// Sign-in is limited twice (src/auth/rate-limit.ts): per client address, a high ceiling against
// floods (a school trust or an emergency department may share one address), and per account
// (issuer and subject) at the callback, the brake on one person that locks out no one else.
import { createHash } from 'node:crypto';
import { normaliseText } from '../validation/text.ts';
import { Hono, type Context } from 'hono';
import type {} from '../middleware/client-address/index.ts';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Sql } from '../db/connect.ts';
import { errorFields, type Logger } from '../log.ts';
import { contactFor, theCouncil } from '../organisations/council.ts';
import { SESSION_EXPIRES_HEADER } from '../middleware/session-timeout/index.ts';
import { formatTime } from '../web/format-time.ts';
import type { AppEnv } from '../web/env.ts';
import type { Views } from '../web/views.ts';
import { identityFromClaims } from './claims.ts';
import { OidcClients } from './oidc.ts';
import { hit, type RateLimit } from './rate-limit.ts';
import { presentChooseRole } from './presenter.ts';
import { chooseRole, createSession, deleteSession, keepSessionAlive } from './sessions.ts';
import { DEFAULT_ACCOUNT_SIGN_IN_LIMIT, sessionCookieName, signInCookieName, type AuthSettings } from './settings.ts';
import { SIGN_IN_ATTEMPT_MAX_AGE_SECONDS, startSignInAttempt, takeSignInAttempt } from './sign-in-attempts.ts';
import { decideAccess, recordUser } from './users.ts';

/** Only a path on this site: never another origin (an open redirect). */
function safeReturnPath(value: string | undefined | null): string | null {
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return null;
  // It is stored with the sign-in attempt: a path the database cannot store (a NUL, a control
  // character, a lone surrogate) or an absurdly long one is no path of ours; start at home.
  if (value.length > 2000 || normaliseText(value) !== value) return null;
  return value;
}

/**
 * Two sets of routes: `anyone` for the sign-in journey itself (registered before the
 * deny-by-default middleware in app.ts) and `signedIn` for the rest (registered after it).
 */
export function authRoutes(sql: Sql, settings: AuthSettings, views: Views, log: Logger) {
  const routes = new Hono<AppEnv>();
  const callbackUri = new URL('/auth/callback', settings.publicUrl);
  const signedOutUri = new URL('/signed-out', settings.publicUrl).toString();
  const oidc = new OidcClients(settings.providers, callbackUri.toString());
  const cookieOptions = { httpOnly: true, secure: settings.secureCookies, sameSite: 'Lax' as const, path: '/' };

  const failed = (c: Context<AppEnv>, status: 400 | 502 = 400) =>
    views.render(c, 'auth/sign-in-failed', { title: 'Sign-in did not work' }, status);

  /** Counts one attempt under `key`; null while within the limit, else the refusal page. */
  async function limited(c: Context<AppEnv>, key: string, limit: RateLimit, from: 'network' | 'account'): Promise<Response | null> {
    const { allowed, retryAfterSeconds } = await hit(sql, key, limit);
    if (allowed) return null;
    c.header('Retry-After', String(retryAfterSeconds));
    c.header('Cache-Control', 'no-store');
    // "after 14:05": the window ends within that minute, so the next whole minute is safe.
    const retryAt = new Date(Math.ceil((Date.now() + retryAfterSeconds * 1000) / 60_000) * 60_000);
    return views.render(c, 'auth/too-many-attempts', { title: 'Too many sign-in attempts', from, retryAfter: formatTime(retryAt) }, 429);
  }

  function withinRateLimit(c: Context<AppEnv>): Promise<Response | null> {
    const address = c.get('clientAddress') ?? 'unknown';
    return limited(c, `sign-in:${address}`, settings.signInRateLimit, 'network');
  }

  /** The account's own limit. Keyed on a digest, so the counters hold no one's identifiers. */
  function withinAccountLimit(c: Context<AppEnv>, issuer: string, subject: string): Promise<Response | null> {
    const account = createHash('sha256').update(`${issuer}\n${subject}`).digest('base64url');
    return limited(c, `sign-in-account:${account}`, settings.signInAccountRateLimit ?? DEFAULT_ACCOUNT_SIGN_IN_LIMIT, 'account');
  }

  routes.get('/sign-in', (c) => {
    const returnTo = safeReturnPath(c.req.query('return_to'));
    const query = returnTo ? `?return_to=${encodeURIComponent(returnTo)}` : '';
    if (settings.providers.length === 1) return c.redirect(`/sign-in/${settings.providers[0]!.id}${query}`, 302);
    return views.render(c, 'auth/choose-provider', { title: 'Sign in', providers: settings.providers, query });
  });

  routes.get('/sign-in/:provider', async (c) => {
    const provider = oidc.provider(c.req.param('provider'));
    if (!provider) return c.notFound();
    const limited = await withinRateLimit(c);
    if (limited) return limited;
    let started;
    try {
      started = await oidc.start(provider);
    } catch (error) {
      log.warn('identity provider unreachable', { provider: provider.id, ...errorFields(error) });
      return views.render(c, 'auth/provider-unavailable', { title: 'Sign-in is not available', provider }, 502);
    }
    const attempt = await startSignInAttempt(sql, {
      providerId: provider.id,
      state: started.state,
      nonce: started.nonce,
      codeVerifier: started.codeVerifier,
      returnTo: safeReturnPath(c.req.query('return_to')),
    });
    setCookie(c, signInCookieName(settings), attempt, { ...cookieOptions, path: '/auth/callback', maxAge: SIGN_IN_ATTEMPT_MAX_AGE_SECONDS });
    c.header('Cache-Control', 'no-store');
    return c.redirect(started.url.toString(), 302);
  });

  routes.get('/auth/callback', async (c) => {
    const limited = await withinRateLimit(c);
    if (limited) return limited;
    const cookie = getCookie(c, signInCookieName(settings));
    deleteCookie(c, signInCookieName(settings), { ...cookieOptions, path: '/auth/callback' });
    if (!cookie) return failed(c);
    // Taking the attempt out of the table makes this callback usable once only.
    const attempt = await takeSignInAttempt(sql, cookie);
    const provider = attempt && oidc.provider(attempt.providerId);
    if (!attempt || !provider) return failed(c);

    // The provider checks the redirect URI it was given, which is the public one (the app may
    // sit behind a proxy that sees another host).
    const callbackUrl = new URL(callbackUri);
    callbackUrl.search = new URL(c.req.url).search;
    let result;
    try {
      result = await oidc.finish(provider, callbackUrl, {
        state: attempt.state,
        nonce: attempt.nonce,
        codeVerifier: attempt.codeVerifier,
      });
    } catch (error) {
      // The reason (bad state, nonce, code, signature...) is logged; tokens and codes are not.
      log.warn('sign-in refused by checks', { provider: provider.id, error: (error as Error).name, code: (error as { code?: string }).code });
      return failed(c);
    }

    const identity = identityFromClaims(provider, result.claims);
    const accountLimited = await withinAccountLimit(c, identity.issuer, identity.subject);
    if (accountLimited) {
      log.info('sign-in refused', { provider: provider.id, refusal: 'account_rate_limit' });
      return accountLimited;
    }
    const decision = await decideAccess(sql, identity);
    if (!decision.allowed) {
      log.info('sign-in refused', { provider: provider.id, refusal: decision.refusal });
      const contact = contactFor(await theCouncil(sql));
      return views.render(c, 'auth/refused', { title: 'You cannot use this service yet', refusal: decision.refusal, contact }, 403);
    }

    const userId = await recordUser(sql, identity, decision.assignments);
    const only = decision.assignments.length === 1 ? decision.assignments[0]! : null;
    // Always a new session id at sign-in, and the old one (if any) ended.
    const previous = c.get('session');
    if (previous) await deleteSession(sql, previous.idHash);
    const sessionValue = await createSession(sql, { userId, providerId: provider.id, idToken: result.idToken, assignment: only });
    setCookie(c, sessionCookieName(settings), sessionValue, cookieOptions);
    log.info('signed in', { provider: provider.id, role: only?.role ?? 'to choose' });
    return c.redirect(only ? (attempt.returnTo ?? '/') : '/choose-role', 303);
  });

  routes.get('/signed-out', (c) => views.render(c, 'auth/signed-out', { title: 'You have signed out' }));

  // Where the time-out warning (assets/portal.js) sends a page once its session has ended. If
  // the session is still alive after all (the person was busy in another tab), back to the page.
  routes.get('/timed-out', (c) => {
    const returnTo = safeReturnPath(c.req.query('return_to'));
    if (c.get('session')) return c.redirect(returnTo ?? '/', 303);
    c.header('Cache-Control', 'no-store');
    const signInHref = returnTo ? `/sign-in?return_to=${encodeURIComponent(returnTo)}` : '/sign-in';
    return views.render(c, 'auth/timed-out', { title: 'You have been signed out', signInHref });
  });

  const signedIn = new Hono<AppEnv>();

  signedIn.get('/choose-role', (c) => {
    const session = c.get('session')!;
    return views.render(c, 'auth/choose-role', presentChooseRole(session.roleAssignments));
  });

  signedIn.post('/choose-role', async (c) => {
    const session = c.get('session')!;
    const chosen = (await c.req.parseBody()).assignment;
    const assignment = typeof chosen === 'string' ? session.roleAssignments[Number(chosen)] : undefined;
    if (!assignment || !/^\d+$/.test(String(chosen))) {
      return views.render(c, 'auth/choose-role', presentChooseRole(session.roleAssignments, 'Select the role you are working in today'), 400);
    }
    await chooseRole(sql, session.idHash, assignment);
    return c.redirect('/', 303);
  });

  // "Stay signed in" on the time-out warning: the script asks for JSON and learns how long the
  // session now has; a form sent without the script (it never shows then, but just in case)
  // goes back to the page it came from.
  signedIn.post('/session/keep-alive', async (c) => {
    const session = c.get('session')!;
    const expiresInMs = await keepSessionAlive(sql, session.idHash, settings.timeouts);
    c.header('Cache-Control', 'no-store');
    if (expiresInMs === undefined) return c.json({ signedIn: false }, 401);
    c.header(SESSION_EXPIRES_HEADER, String(Math.floor(expiresInMs / 1000)));
    if ((c.req.header('Accept') ?? '').includes('application/json')) return c.json({ signedIn: true, expiresInSeconds: Math.floor(expiresInMs / 1000) });
    const referer = c.req.header('Referer');
    const back = referer && URL.canParse(referer) && new URL(referer).origin === new URL(settings.publicUrl).origin ? safeReturnPath(new URL(referer).pathname) : null;
    return c.redirect(back ?? '/', 303);
  });

  signedIn.post('/sign-out', async (c) => {
    const session = c.get('session')!;
    await deleteSession(sql, session.idHash);
    deleteCookie(c, sessionCookieName(settings), { path: '/', secure: settings.secureCookies });
    const provider = oidc.provider(session.providerId);
    const endSession = provider ? await oidc.endSessionUrl(provider, session.idToken, signedOutUri).catch(() => undefined) : undefined;
    return c.redirect(endSession?.toString() ?? '/signed-out', 303);
  });

  return { anyone: routes, signedIn };
}
