// Deny by default: every route registered on the app needs a session, except an explicit
// public list. New routes are covered automatically: this test reads the app's route table.
// Anonymous requests only, so the app runs in process (hono's app.request()), without a port.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { useTestDatabase } from './support/database.ts';
import { buildTestApp, inProcess, type InProcessApp } from './support/in-process-app.ts';

// Reviewed by hand: each of these is meant to be open to anyone.
const PUBLIC = new Set([
  'GET /',
  'GET /sign-in',
  'GET /sign-in/:provider',
  'GET /auth/callback',
  'GET /signed-out',
  'GET /timed-out',
  'GET /healthz',
  'GET /readyz',
  'GET /metrics', // counts and ages only; in production only with METRICS_TOKEN (test/metrics.test.ts, test/proxy.test.ts)
  'GET /assets/portal.css',
  'GET /assets/portal.js',
  'GET /assets/favicon.svg',
  'GET /assets/govuk-frontend.min.js',
  'GET /assets/htmx.min.js',
  'GET /assets/images/*',
]);

const db = useTestDatabase();
let app: InProcessApp;
beforeAll(async () => {
  app = await buildTestApp(db().sql);
});
/** An anonymous request to the app, redirects not followed. */
const anonymous = (url: string, init: RequestInit = {}) => inProcess(new URL(url), init);
afterAll(() => app?.close());

function concretePath(pattern: string): string {
  return pattern.replace(/:[^/]+/g, '00000000-0000-4000-8000-000000000000').replace(/\*/g, 'anything');
}

it('refuses anonymous requests to every route that is not on the public list', async () => {
  // Route handlers, not middleware (which Hono lists with method ALL).
  const routes = [...new Set(app.app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`))];
  expect(routes.length).toBeGreaterThan(PUBLIC.size);
  const protectedRoutes = routes.filter((route) => !PUBLIC.has(route));
  expect(protectedRoutes).toEqual(expect.arrayContaining(['GET /choose-role', 'POST /choose-role', 'POST /sign-out']));

  for (const route of protectedRoutes) {
    const [method, pattern] = route.split(' ') as [string, string];
    const url = `${app.baseUrl}${concretePath(pattern)}`;
    const page = await anonymous(url, { method, redirect: 'manual' });
    expect([302, 303], `${route} as a page`).toContain(page.status);
    expect(page.headers.get('location'), route).toMatch(/^\/sign-in/);
    const partial = await anonymous(url, { method, redirect: 'manual', headers: { 'HX-Request': 'true' } });
    expect(partial.status, `${route} as an htmx partial`).toBe(401);
    expect(partial.headers.get('hx-redirect'), route).toBe('/sign-in');
  }
});

it('answers public routes without a session', async () => {
  for (const route of PUBLIC) {
    const [method, pattern] = route.split(' ') as [string, string];
    if (pattern.includes(':') || pattern.includes('*') || pattern === '/auth/callback') continue;
    const res = await anonymous(`${app.baseUrl}${pattern}`, { method, redirect: 'manual' });
    expect(res.status, route).toBeLessThan(400);
  }
});

it('treats an unknown address like any other protected page when signed out', async () => {
  const res = await anonymous(`${app.baseUrl}/children/not-a-real-page`, { redirect: 'manual' });
  expect(res.status).toBe(302);
  expect(res.headers.get('location')).toBe('/sign-in?return_to=%2Fchildren%2Fnot-a-real-page');
});
