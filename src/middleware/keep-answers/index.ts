// Nothing typed is lost to a time-out (issue 12, point 3). When the concern form is posted with
// the cookie of a session that has timed out but is still known, the answers become that user's
// draft (src/concerns/drafts.ts) and the browser goes to sign in, coming back to /concerns/new,
// which shows the draft with every answer and says they were kept.
//
// It runs before requireSession (src/app.ts), so it does the CSRF check itself, as strictly as
// checkCsrf: the request must come from the portal's own pages (Origin / Sec-Fetch-Site) and
// carry the expired session's own CSRF token. A page on another site knows neither the cookie's
// session nor its token, so it cannot plant a draft in anyone's name. Anything else (no cookie,
// an unknown session, a wrong token, another path) goes on to requireSession as before.
import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { CSRF_FIELD, fromThisSite, sameToken } from '../../auth/access.ts';
import { findKnownSession } from '../../auth/expired-sessions.ts';
import { sessionCookieName, type AuthSettings } from '../../auth/settings.ts';
import { saveDraft } from '../../concerns/drafts.ts';
import { addedAnswerNames, readAnswers } from '../../concerns/form.ts';
import { portalForms } from '../../forms/load.ts';
import type { Sql } from '../../db/connect.ts';
import type { AppEnv } from '../../web/env.ts';

/** The concern form's posts: check answers, send, and the form again (Change; htmx's field check). */
const FORM_POSTS = new Set(['/concerns/check', '/concerns', '/concerns/new']);
export const SIGN_IN_AGAIN = `/sign-in?return_to=${encodeURIComponent('/concerns/new')}`;

export function keepAnswersOnTimeOut(sql: Sql, settings: AuthSettings): MiddlewareHandler<AppEnv> {
  const cookieName = sessionCookieName(settings);
  const publicOrigin = new URL(settings.publicUrl).origin;
  return async function keepConcernAnswersOnTimeOut(c, next) {
    if (c.req.method !== 'POST' || !FORM_POSTS.has(c.req.path) || c.get('session')) return next();
    const cookie = getCookie(c, cookieName);
    const type = c.req.header('Content-Type') ?? '';
    const isForm = type.startsWith('application/x-www-form-urlencoded') || type.startsWith('multipart/form-data');
    if (!cookie || !isForm || !fromThisSite(c, publicOrigin)) return next();
    let body: Record<string, unknown>;
    try {
      body = await c.req.parseBody({ all: true });
    } catch {
      return next(); // unreadable: answered as any other request without a session
    }
    const expired = await findKnownSession(sql, cookie);
    const sent = c.req.header('X-CSRF-Token') ?? [body[CSRF_FIELD]].flat()[0];
    if (!expired || typeof sent !== 'string' || !sameToken(sent, expired.csrfToken)) return next();
    // With the answers to the questions a council added to its form (any version's).
    await saveDraft(sql, expired.userId, readAnswers(body, addedAnswerNames(portalForms())), 'timed_out');
    if (c.req.header('HX-Request')) {
      c.header('HX-Redirect', SIGN_IN_AGAIN);
      return c.body(null, 401);
    }
    return c.redirect(SIGN_IN_AGAIN, 303);
  };
}
