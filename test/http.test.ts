// The foundation's HTTP surface, over real HTTP against the real app and database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../src/db/connect.ts';
import { seedDemoData } from '../src/seed/insert.ts';
import { startTestApp, type RunningApp } from './support/app.ts';
import { useTestDatabase } from './support/database.ts';
import { signIn } from './support/sign-in.ts';

const db = useTestDatabase();
let app: RunningApp;
beforeAll(async () => {
  await seedDemoData(db().sql, { children: 5 });
  app = await startTestApp(db().sql);
});
afterAll(() => app?.close());

describe('start page', () => {
  it('explains the portal and offers sign-in', async () => {
    const res = await fetch(`${app.baseUrl}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain('<h1 class="govuk-heading-xl">Safeguarding Partner Portal</h1>');
    expect(html).toContain('href="/sign-in"');
    expect(html).toContain('lang="en-GB"');
  });

  it('has no inline script or style for the CSP to block', async () => {
    const html = await (await fetch(`${app.baseUrl}/`)).text();
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/src="\/assets\//);
      expect(body!.trim()).toBe('');
    }
    expect(html).not.toMatch(/<style|style="|\son[a-z]+="/i);
  });
});

describe('security headers', () => {
  it('are on every response, with a strict Content-Security-Policy', async () => {
    for (const path of ['/', '/readyz', '/no-such-page', '/assets/portal.css']) {
      const res = await fetch(`${app.baseUrl}${path}`);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp, path).toContain("default-src 'self'");
      expect(csp, path).toContain("script-src 'self'");
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(csp, path).not.toMatch(/unsafe-inline|unsafe-eval/);
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
      expect(res.headers.get('referrer-policy'), path).toBe('same-origin');
      expect(res.headers.get('strict-transport-security'), path).toMatch(/max-age=\d+/);
    }
  });
});

describe('health', () => {
  it('/healthz answers while the process is up', async () => {
    const res = await fetch(`${app.baseUrl}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('/readyz answers 200 when the database answers', async () => {
    const res = await fetch(`${app.baseUrl}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ready' });
  });

  it('/readyz answers 503 when the database is unreachable', async () => {
    // Port 1 on loopback: nothing listens there, so every connection is refused.
    const unreachable = connect('postgres://postgres@127.0.0.1:1/portal', { connect_timeout: 1, max: 1 });
    const broken = await startTestApp(unreachable);
    try {
      const res = await fetch(`${broken.baseUrl}/readyz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ status: 'unavailable' });
      // The process itself is still up.
      expect((await fetch(`${broken.baseUrl}/healthz`)).status).toBe(200);
    } finally {
      await broken.close();
      await unreachable.end({ timeout: 1 });
    }
  });
});

describe('not found', () => {
  it('gives a signed-in user a styled 404 page', async () => {
    const { client } = await signIn(app, 'dsl-riverside');
    const res = await client.request(`${app.baseUrl}/no-such-page`);
    expect(res.status).toBe(404);
    const html = await res.text();
    expect(html).toContain('Page not found');
    expect(html).toContain('/assets/portal.css');
  });
});

describe('assets', () => {
  it('serves GOV.UK Frontend styles built with the system font, never GDS Transport', async () => {
    const res = await fetch(`${app.baseUrl}/assets/portal.css`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/css/);
    const css = await res.text();
    expect(css).toContain('.govuk-button');
    expect(css).toContain('system-ui');
    expect(css).not.toMatch(/GDS Transport|@font-face/);
    const font = await fetch(`${app.baseUrl}/assets/fonts/light-94a07e06a1-v2.woff2`, { redirect: 'manual' });
    expect(font.status).not.toBe(200);
    expect(font.headers.get('content-type') ?? '').not.toMatch(/font/);
  });

  it('serves htmx and GOV.UK Frontend locally', async () => {
    const htmx = await fetch(`${app.baseUrl}/assets/htmx.min.js`);
    expect(htmx.status).toBe(200);
    expect(await htmx.text()).toContain('htmx');
    const govuk = await fetch(`${app.baseUrl}/assets/govuk-frontend.min.js`);
    expect(govuk.status).toBe(200);
    expect(await govuk.text()).toContain('initAll');
  });
});

describe('request log', () => {
  it('records the route pattern and status but not the query string', async () => {
    await fetch(`${app.baseUrl}/?surname=Smith&nhs=9434765919`);
    const line = app.logLines.map((l) => JSON.parse(l)).find((l) => l.msg === 'request' && l.route === '/');
    expect(line).toMatchObject({ method: 'GET', status: 200 });
    expect(typeof line.requestId).toBe('string');
    expect(app.logLines.join('\n')).not.toMatch(/Smith|9434765919/);
  });
});

describe('errors', () => {
  it('show a styled "try again" page with a reference while the database is away, and log the fault without the request', async () => {
    // A database that refuses connections makes the session lookup fail mid-request: nothing is
    // wrong with the request, so the answer is 503 with Retry-After, not 500 (issue 10, point 1).
    const unreachable = connect('postgres://postgres@127.0.0.1:1/portal', { connect_timeout: 1, max: 1 });
    const broken = await startTestApp(unreachable);
    try {
      const res = await fetch(`${broken.baseUrl}/?nhs=9434765919`, { headers: { Cookie: 'portal_session=abc' } });
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
      const html = await res.text();
      expect(html).toContain('Sorry, the service is unavailable');
      expect(html).toContain('/assets/portal.css');
      const reference = /quote reference <strong>([^<]+)<\/strong>/.exec(html)?.[1];
      expect(reference).toMatch(/^[0-9a-f-]{36}$/);
      const logged = broken.logLines.map((l) => JSON.parse(l)).find((l) => l.msg === 'database unavailable');
      expect(logged).toMatchObject({ requestId: reference });
      expect(broken.logLines.join('\n')).not.toMatch(/9434765919|portal_session=abc/);
      expect(html).not.toMatch(/ECONNREFUSED|at .*\.ts/);
    } finally {
      await broken.close();
      await unreachable.end({ timeout: 1 });
    }
  });
});
