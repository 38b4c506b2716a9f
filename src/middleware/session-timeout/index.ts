// What the time-out warning needs (GOV.UK's pattern, in assets/portal.js): the idle limit and
// how long before it to warn. Put on <body> by views/layouts/main.eta for a signed-in user with
// a role. Both are settings, the same on every page, so a page says nothing about the session
// beyond "there is one" (two answers to the same question stay byte for byte the same).
//
// Every request is activity (src/auth/sessions.ts findSession), so the page counts the idle
// limit from when it loaded. Every answer to a signed-in user carries X-Session-Expires-In (the
// idle limit again), so an htmx request moves the page's count-down too; "Stay signed in" says
// its own, exact, time. Without the script nothing of this is used.
import type { MiddlewareHandler } from 'hono';
import type { SessionTimeouts } from '../../auth/sessions.ts';
import type { AppEnv } from '../../web/env.ts';

/** GOV.UK warns two minutes before the end; a shorter idle limit (a test's) warns halfway. */
export const warningSecondsFor = (timeouts: SessionTimeouts) => Math.min(120, Math.floor(timeouts.idleMs / 2000));

export const SESSION_EXPIRES_HEADER = 'X-Session-Expires-In';

export function sessionTimeout(timeouts: SessionTimeouts): MiddlewareHandler<AppEnv> {
  const idleSeconds = Math.floor(timeouts.idleMs / 1000);
  const warnSeconds = warningSecondsFor(timeouts);
  return async function exposeSessionTimeout(c, next) {
    if (!c.get('session') || !c.get('actor')) return next();
    c.set('viewData', { ...c.get('viewData'), sessionTimeout: { idleSeconds, warnSeconds } });
    await next();
    if (!c.res.headers.has(SESSION_EXPIRES_HEADER)) c.header(SESSION_EXPIRES_HEADER, String(idleSeconds));
  };
}
