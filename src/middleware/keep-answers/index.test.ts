// keepAnswersOnTimeOut() keeps the concern form's answers as a draft when they arrive with the
// cookie of a session that has timed out, and only then: a live session, another path or method,
// no cookie, an unknown session, a wrong or missing CSRF token, or another site all go on to the
// next handler untouched (in the app, requireSession). A small app around it, a real database.
import { Hono } from 'hono';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../test/support/database.ts';
import { createSession } from '../../auth/sessions.ts';
import type { AuthSettings } from '../../auth/settings.ts';
import type { AppEnv } from '../../web/env.ts';
import { keepAnswersOnTimeOut, SIGN_IN_AGAIN } from './index.ts';

const db = useTestDatabase();
const settings = { publicUrl: 'http://portal.test', secureCookies: false } as AuthSettings;
let cookie: string;
let csrfToken: string;
let userId: string;

beforeAll(async () => {
  const sql = db().sql;
  [{ id: userId }] = (await sql`insert into users (issuer, subject, name) values ('https://idp.test', 'keep', 'Kay Keep') returning id`) as never as [{ id: string }];
  cookie = await createSession(sql, { userId, providerId: 'dev-schools', idToken: null, assignment: null });
  [{ csrf_token: csrfToken }] = (await sql`update sessions set last_seen_at = now() - interval '2 hours' where user_id = ${userId} returning csrf_token`) as never as [{ csrf_token: string }];
});

function app(live = false) {
  const hono = new Hono<AppEnv>();
  hono.use(async (c, next) => {
    c.set('session', live ? ({ userId } as never) : undefined);
    await next();
  });
  hono.use(keepAnswersOnTimeOut(db().sql, settings));
  hono.all('*', (c) => c.text('next', 418));
  return hono;
}

const post = (path: string, fields: Record<string, string>, headers: Record<string, string> = {}, hono = app()) =>
  hono.request(`http://portal.test${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: `portal_session=${cookie}`, Origin: 'http://portal.test', 'Sec-Fetch-Site': 'same-origin', ...headers },
    body: new URLSearchParams(fields).toString(),
  });
const draft = async () => (await db().sql`select answers, notice from concern_drafts where user_id = ${userId}`)[0];
const clear = () => db().sql`delete from concern_drafts where user_id = ${userId}`;

describe('keepAnswersOnTimeOut()', () => {
  it('keeps the answers of an expired session with its own token, and sends the browser to sign in', async () => {
    await clear();
    const res = await post('/concerns/check', { csrf_token: csrfToken, whatHappened: 'Kept across the time-out', categories: 'neglect' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(SIGN_IN_AGAIN);
    expect(await draft()).toMatchObject({ notice: 'timed_out', answers: { whatHappened: 'Kept across the time-out', categories: 'neglect' } });
  });

  it('htmx gets a 401 with HX-Redirect, the token from its header', async () => {
    await clear();
    const res = await post('/concerns/new', { whatHappened: 'From htmx' }, { 'HX-Request': 'true', 'X-CSRF-Token': csrfToken });
    expect(res.status).toBe(401);
    expect(res.headers.get('HX-Redirect')).toBe(SIGN_IN_AGAIN);
    expect((await draft())!.answers.whatHappened).toBe('From htmx');
  });

  it.each([
    ['a wrong token', '/concerns/check', { csrf_token: 'wrong' }, {}],
    ['no token', '/concerns/check', {}, {}],
    ['another site', '/concerns/check', { csrf_token: 'TOKEN' }, { 'Sec-Fetch-Site': 'cross-site', Origin: 'https://elsewhere.example' }],
    ['another path', '/lookup', { csrf_token: 'TOKEN' }, {}],
    ['an unknown session', '/concerns', { csrf_token: 'TOKEN' }, { Cookie: 'portal_session=not-a-session' }],
    ['no cookie', '/concerns', { csrf_token: 'TOKEN' }, { Cookie: '' }],
  ] as const)('leaves %s alone', async (_name, path, fields, headers) => {
    await clear();
    const withToken = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v === 'TOKEN' ? csrfToken : v]));
    const res = await post(path, { ...withToken, whatHappened: 'Planted?' }, headers);
    expect(res.status).toBe(418);
    expect(await draft()).toBeUndefined();
  });

  it('leaves a live session to the route (which keeps the draft itself)', async () => {
    await clear();
    const res = await post('/concerns/check', { csrf_token: csrfToken, whatHappened: 'Live' }, {}, app(true));
    expect(res.status).toBe(418);
    expect(await draft()).toBeUndefined();
  });
});
