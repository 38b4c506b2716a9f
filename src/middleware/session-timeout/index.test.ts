// sessionTimeout() tells the page of a signed-in user with a role the idle limit and when to
// warn, and puts the idle limit on the answer for htmx; nothing for anyone else.
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { Actor } from '../../auth/actor.ts';
import type { Session } from '../../auth/sessions.ts';
import type { AppEnv } from '../../web/env.ts';
import { sessionTimeout, warningSecondsFor } from './index.ts';

function appFor(who: 'actor' | 'session only' | 'nobody', idleMs = 30 * 60_000) {
  const app = new Hono<AppEnv>();
  app.use(async (c, next) => {
    c.set('viewData', {});
    c.set('session', who === 'nobody' ? undefined : ({} as Session));
    c.set('actor', who === 'actor' ? ({} as Actor) : undefined);
    await next();
  });
  app.use(sessionTimeout({ idleMs, absoluteMs: 10 * 3_600_000 }));
  app.get('/', (c) => c.json(c.get('viewData')));
  app.post('/keep', (c) => {
    c.header('X-Session-Expires-In', '42');
    return c.json({});
  });
  return app;
}

describe('sessionTimeout()', () => {
  it('gives a signed-in user with a role the idle limit and a warning two minutes before', async () => {
    const response = await appFor('actor').request('/');
    expect(await response.json()).toEqual({ sessionTimeout: { idleSeconds: 1800, warnSeconds: 120 } });
    expect(response.headers.get('X-Session-Expires-In')).toBe('1800');
  });

  it('leaves a route’s own time alone', async () => {
    expect((await appFor('actor').request('/keep', { method: 'POST' })).headers.get('X-Session-Expires-In')).toBe('42');
  });

  it('says nothing before a role is chosen or to anyone not signed in', async () => {
    for (const who of ['session only', 'nobody'] as const) {
      const response = await appFor(who).request('/');
      expect(await response.json(), who).toEqual({});
      expect(response.headers.get('X-Session-Expires-In'), who).toBeNull();
    }
  });

  it('warns halfway through an idle limit shorter than four minutes', () => {
    expect(warningSecondsFor({ idleMs: 30 * 60_000, absoluteMs: 1 })).toBe(120);
    expect(warningSecondsFor({ idleMs: 240_000, absoluteMs: 1 })).toBe(120);
    expect(warningSecondsFor({ idleMs: 24_000, absoluteMs: 1 })).toBe(12);
  });
});
