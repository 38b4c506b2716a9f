// Who is asking, and may they? Three middleware, in this order in app.ts:
//  loadSession  — every request: the session from the cookie, if it is still valid;
//  requireSession — deny by default: every route registered after it needs a signed-in user
//                   with a chosen role (anonymous pages get a redirect to sign-in, htmx
//                   partials a 401 with HX-Redirect);
//  checkCsrf    — every state change: same origin (Origin / Sec-Fetch-Site) and the session's
//                 token, from a form field or htmx's header.
import { timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { Sql } from '../db/connect.ts';
import type { AppEnv } from '../web/env.ts';
import type { Views } from '../web/views.ts';
import { roles } from './roles.ts';
import { findSession } from './sessions.ts';
import { sessionCookieName, type AuthSettings } from './settings.ts';

export const CSRF_FIELD = 'csrf_token';
export const CSRF_HEADER = 'X-CSRF-Token';

export function loadSession(sql: Sql, settings: AuthSettings): MiddlewareHandler<AppEnv> {
  const cookieName = sessionCookieName(settings);
  return async function loadSessionFromCookie(c, next) {
    const cookie = getCookie(c, cookieName);
    const session = cookie ? await findSession(sql, cookie, settings.timeouts) : undefined;
    c.set('session', session);
    if (session) {
      c.set('viewData', {
        ...c.get('viewData'),
        csrfToken: session.csrfToken,
        user: {
          name: session.userName,
          organisationName: session.organisationName,
          roleTitle: session.role ? roles[session.role].title : null,
          canChangeRole: session.roleAssignments.length > 1,
        },
      });
    }
    await next();
  };
}

/** Paths a signed-in user who has not yet chosen a role may still use. */
const beforeRoleChosen = new Set(['/choose-role', '/sign-out']);

export function requireSession(): MiddlewareHandler<AppEnv> {
  return async function denyUnlessSignedIn(c, next) {
    const session = c.get('session');
    if (!session) {
      if (c.req.header('HX-Request')) {
        c.header('HX-Redirect', '/sign-in');
        return c.body(null, 401);
      }
      if (c.req.method !== 'GET') return c.redirect('/sign-in', 303);
      return c.redirect(`/sign-in?return_to=${encodeURIComponent(c.req.path)}`, 302);
    }
    if (!session.role && !beforeRoleChosen.has(c.req.path)) return c.redirect('/choose-role', 303);
    await next();
  };
}

/** Compares a sent CSRF token with a session's in constant time (also for src/middleware/keep-answers/). */
export function sameToken(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** The browser says the request comes from the portal's own pages (or says nothing, as non-browsers do). */
export function fromThisSite(c: Context<AppEnv>, publicOrigin: string): boolean {
  const origin = c.req.header('Origin');
  const site = c.req.header('Sec-Fetch-Site');
  return !((site && site !== 'same-origin') || (origin && origin !== publicOrigin));
}

export function checkCsrf(settings: AuthSettings, views: Views): MiddlewareHandler<AppEnv> {
  const publicOrigin = new URL(settings.publicUrl).origin;
  return async function checkStateChange(c, next) {
    if (['GET', 'HEAD', 'OPTIONS'].includes(c.req.method)) return next();
    const refuse = () =>
      views.render(c, 'errors/error', { heading: 'Sorry, that did not work', message: 'Your session may have changed. Go back, reload the page and try again.' }, 403);
    // Browsers say where a request comes from; a state change from another site is refused
    // whatever its content type (hono's csrf() looks at form submissions only).
    if (!fromThisSite(c, publicOrigin)) return refuse();
    let sent = c.req.header(CSRF_HEADER);
    const type = c.req.header('Content-Type') ?? '';
    if (type.startsWith('application/x-www-form-urlencoded') || type.startsWith('multipart/form-data')) {
      let body;
      try {
        // Every form body is parsed here, once, so a malformed one is a 400 and never reaches
        // a route; routes reuse Hono's cached copy.
        body = await c.req.parseBody();
      } catch {
        return views.render(c, 'errors/error', { heading: 'Sorry, there is a problem with that request', message: 'What was sent could not be read. Go back and try again.' }, 400);
      }
      const field = body[CSRF_FIELD];
      if (!sent && typeof field === 'string') sent = field;
    }
    const session = c.get('session');
    if (!session || !sent || !sameToken(sent, session.csrfToken)) return refuse();
    await next();
  };
}
