// Behind a council's TLS-terminating proxy (issue 18, point 4), the real server process in
// production configuration, over real HTTP. The proxy speaks https to browsers and plain http to
// the portal, and adds X-Forwarded-For (and often X-Forwarded-Host and -Proto). Here the test is
// the proxy: it sends what one would, and what a client might forge through it.
//
// - TRUST_PROXY=1: the sign-in rate limit counts the address the proxy added, not the socket's
//   (the proxy's), and not what the client wrote before it; the request log shows its network.
// - TRUST_PROXY unset: X-Forwarded-For changes nothing.
// - Either way: the Secure cookie, its __Secure- name and the redirect URI given to the identity
//   provider come from PUBLIC_URL, never from Host, X-Forwarded-Host or X-Forwarded-Proto.
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevelopmentIdentity, type DevelopmentIdentity } from '../src/auth/dev-provider/setup.ts';
import { createLogger } from '../src/log.ts';
import { useTestDatabase } from './support/database.ts';
import { spawnServer, type ServerProcess } from './support/process.ts';

const PUBLIC_URL = 'https://portal.council.example';
const METRICS_TOKEN = 'metrics-token-0123456789abcdef';
const db = useTestDatabase();

let identity: DevelopmentIdentity;
let providersFile: string;
beforeAll(async () => {
  // A real identity provider for the production configuration to discover (over http on
  // loopback, which the providers file allows only with allowInsecureHttp).
  identity = await startDevelopmentIdentity({ port: 0, host: '127.0.0.1', publicUrl: PUBLIC_URL, log: createLogger('silent') });
  providersFile = path.join(mkdtempSync(path.join(tmpdir(), 'portal-proxy-')), 'providers.json');
  writeFileSync(providersFile, JSON.stringify({ providers: identity.providers.map(({ clientSecretValue: _, ...provider }) => provider) }));
});
afterAll(() => identity?.close());

interface Answer { status: number; headers: IncomingHttpHeaders; body: string }

/** One request as a proxy would send it: any Host and headers, no redirects followed. */
function viaProxy(baseUrl: string, pathname: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(new URL(pathname, baseUrl), { headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** What a proxy adds, plus forged host and scheme headers the portal must not believe. */
const forwarded = (forwardedFor: string) => ({
  Host: 'attacker.example',
  'X-Forwarded-For': forwardedFor,
  'X-Forwarded-Host': 'attacker.example',
  'X-Forwarded-Proto': 'http',
});

/** Waits, if need be, so that the next few seconds stay in one 10-minute rate-limit window. */
async function awayFromWindowEdge(): Promise<void> {
  const [row] = await db().sql<{ left: number }[]>`select 600 - mod(extract(epoch from now())::numeric, 600)::float8 as left`;
  if (row!.left < 10) await new Promise((r) => setTimeout(r, (row!.left + 1) * 1000));
}

async function startPortal(env: Record<string, string>): Promise<ServerProcess> {
  const server = await spawnServer({
    DATABASE_URL: db().url, NODE_ENV: 'production', PUBLIC_URL, OIDC_PROVIDERS_FILE: providersFile, SIGN_IN_ADDRESS_RATE_LIMIT: '2',
    // Production needs a real mail transport to start; nothing here sends mail.
    SMTP_URL: 'smtps://portal:not-used@127.0.0.1:9', SMTP_FROM: 'portal@council.example', ...env,
  });
  await server.waitUntilReady();
  return server;
}

async function stop(server: ServerProcess | undefined): Promise<void> {
  if (!server || server.child.exitCode !== null) return;
  server.child.kill('SIGTERM');
  await server.exited;
}

function expectPublicUrlOnly(answer: Answer): void {
  expect(answer.status).toBe(302);
  const location = new URL(answer.headers.location!);
  expect(location.origin).toBe(new URL(identity.issuer).origin);
  expect(location.searchParams.get('redirect_uri')).toBe(`${PUBLIC_URL}/auth/callback`);
  const cookies = answer.headers['set-cookie'] ?? [];
  expect(cookies).toHaveLength(1);
  // The portal sees plain http; the browser sees https: the cookie is Secure all the same.
  expect(cookies[0]).toMatch(/^__Secure-portal_sign_in=[^;]+;/);
  expect(cookies[0]).toMatch(/; Secure(;|$)/);
  expect(cookies[0]).not.toMatch(/attacker|Domain=/i);
  expect(JSON.stringify(answer.headers)).not.toContain('attacker.example');
}

describe('with TRUST_PROXY=1 (one load balancer in front)', () => {
  let server: ServerProcess | undefined;
  beforeAll(async () => {
    server = await startPortal({ TRUST_PROXY: '1', METRICS_TOKEN });
  });
  afterAll(() => stop(server));

  it('counts sign-in attempts by the address the proxy added, not by the proxy or what the client wrote', async () => {
    await awayFromWindowEdge();
    const attempt = (forwardedFor: string) => viaProxy(server!.baseUrl, '/auth/callback?code=x&state=y', forwarded(forwardedFor)).then((a) => a.status);
    // Two attempts allowed per address: the third from 198.51.100.10 is refused, however the
    // client dresses up the left of the header…
    expect(await attempt('198.51.100.10')).toBe(400);
    expect(await attempt('203.0.113.1, 198.51.100.10')).toBe(400);
    expect(await attempt('203.0.113.2, 198.51.100.10')).toBe(429);
    // …while another client behind the same proxy (the same socket address) is not.
    expect(await attempt('198.51.100.11')).toBe(400);
    expect(await attempt('198.51.100.10, 198.51.100.12')).toBe(400);
  });

  it('logs the client\'s network from X-Forwarded-For, never the address itself', async () => {
    await viaProxy(server!.baseUrl, '/healthz', forwarded('192.0.2.77'));
    const line = await server!.waitForOutput(/"msg":"request".*"route":"\/healthz".*"client":"192\.0\.2\.0\/24"/);
    expect(JSON.parse(line)).toMatchObject({ status: 200, client: '192.0.2.0/24' });
    expect(server!.output.join('\n')).not.toMatch(/192\.0\.2\.77|198\.51\.100\.1[0-2]\b/);
  });

  it('builds the redirect URI and the Secure cookie from PUBLIC_URL, not the forwarded host or scheme', async () => {
    expectPublicUrlOnly(await viaProxy(server!.baseUrl, '/sign-in/dev-schools', forwarded('192.0.2.80')));
  });

  it('serves /metrics to the bearer of METRICS_TOKEN only, and answers anyone else as not found', async () => {
    const withToken = await viaProxy(server!.baseUrl, '/metrics', { Authorization: `Bearer ${METRICS_TOKEN}` });
    expect(withToken.status).toBe(200);
    expect(withToken.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(withToken.body).toMatch(/^portal_up 1$/m);
    expect(withToken.body).toMatch(/^portal_database_up 1$/m);
    for (const authorization of [undefined, 'Bearer wrong', `Bearer ${METRICS_TOKEN}x`, METRICS_TOKEN, `Basic ${METRICS_TOKEN}`]) {
      const answer = await viaProxy(server!.baseUrl, '/metrics', authorization ? { Authorization: authorization } : {});
      expect(answer.status, String(authorization)).toBe(404);
      expect(answer.body).toContain('Page not found');
      expect(answer.body).not.toContain('portal_');
    }
  });
});

describe('without TRUST_PROXY', () => {
  let server: ServerProcess | undefined;
  beforeAll(async () => {
    server = await startPortal({});
  });
  afterAll(() => stop(server));

  it('believes no X-Forwarded-For: every client behind the proxy shares the proxy\'s count', async () => {
    await db().sql`delete from rate_limit_counters`;
    await awayFromWindowEdge();
    const attempt = (forwardedFor: string) => viaProxy(server!.baseUrl, '/auth/callback?code=x&state=y', forwarded(forwardedFor)).then((a) => a.status);
    expect(await attempt('198.51.100.20')).toBe(400);
    expect(await attempt('198.51.100.21')).toBe(400);
    expect(await attempt('198.51.100.22')).toBe(429);
    await viaProxy(server!.baseUrl, '/healthz', forwarded('192.0.2.90'));
    await server!.waitForOutput(/"msg":"request".*"route":"\/healthz".*"client":"127\.0\.0\.0\/24"/);
    expect(server!.output.join('\n')).not.toMatch(/192\.0\.2\.|198\.51\.100\./);
  });

  it('still builds the redirect URI and the Secure cookie from PUBLIC_URL', async () => {
    await db().sql`delete from rate_limit_counters`;
    expectPublicUrlOnly(await viaProxy(server!.baseUrl, '/sign-in/dev-schools', forwarded('192.0.2.91')));
  });

  it('does not serve /metrics in production without METRICS_TOKEN', async () => {
    expect((await viaProxy(server!.baseUrl, '/metrics')).status).toBe(404);
    expect((await viaProxy(server!.baseUrl, '/metrics', { Authorization: 'Bearer anything-at-all-0123456789' })).status).toBe(404);
  });
});

it('refuses to start with a TRUST_PROXY that is neither a hop count nor addresses, naming it', async () => {
  const server = await spawnServer({ DATABASE_URL: db().url, TRUST_PROXY: 'yes' });
  try {
    expect(await server.exited).toBe(1);
    expect(server.output.join('\n')).toMatch(/TRUST_PROXY: "yes" is not an IP address, a CIDR range \(10\.0\.0\.0\/8\) or a hop count/);
  } finally {
    if (server.child.exitCode === null) server.child.kill('SIGKILL');
  }
});
