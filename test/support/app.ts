// Runs the real Hono app on a real HTTP port (127.0.0.1), with the real development identity
// provider on another, for tests that talk HTTP.
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { createApp } from '../../src/app.ts';
import { startDevelopmentIdentity, type DevelopmentIdentity } from '../../src/auth/dev-provider/setup.ts';
import type { AuthSettings } from '../../src/auth/settings.ts';
import type { Sql } from '../../src/db/connect.ts';
import { createLogger } from '../../src/log.ts';
import { paths } from '../../src/paths.ts';
import { loadPolicies } from '../../src/policy/load.ts';
import { ensureStylesheet } from '../../src/web/stylesheet.ts';
import { freePort } from '../../tools/http/free-port.ts';

export interface RunningApp {
  baseUrl: string;
  app: ReturnType<typeof createApp>;
  logLines: string[];
  auth: AuthSettings;
  close(): Promise<void>;
}

export interface TestAppOptions {
  timeouts?: AuthSettings['timeouts'];
  signInRateLimit?: AuthSettings['signInRateLimit'];
  /** Trust the providers of an app already running (a second node of the same portal). */
  sharedIdentityWith?: RunningApp;
  /** With sharedIdentityWith: trust only these of its providers. */
  providerIds?: string[];
  /** Production cookies (Secure, __Host- prefix). */
  secureCookies?: boolean;
  /** To inject a failure into a concern's transaction. */
  concernHooks?: import('../../src/app.ts').AppDeps['concernHooks'];
}

export async function startTestApp(sql: Sql, options: TestAppOptions = {}): Promise<RunningApp> {
  await ensureStylesheet();
  const logLines: string[] = [];
  const log = createLogger('debug', (line) => logLines.push(line));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  let identity: DevelopmentIdentity | undefined;
  let auth: AuthSettings;
  if (options.sharedIdentityWith) {
    auth = { ...options.sharedIdentityWith.auth, publicUrl: baseUrl, ...pick(options) };
  } else {
    identity = await startDevelopmentIdentity({ port: 0, host: '127.0.0.1', publicUrl: baseUrl, log });
    auth = {
      publicUrl: baseUrl,
      providers: identity.providers,
      timeouts: options.timeouts ?? { idleMs: 30 * 60_000, absoluteMs: 10 * 3_600_000 },
      signInRateLimit: options.signInRateLimit ?? { limit: 1000, windowSeconds: 600 },
      secureCookies: options.secureCookies ?? false,
    };
  }
  const app = createApp({ sql, log, config: { NODE_ENV: 'test' }, auth, policies: await loadPolicies(paths.policies), concernHooks: options.concernHooks, lookupRateLimit: { limit: 10_000, windowSeconds: 3600 }, development: true });
  const server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => resolve(s as Server));
  });
  return {
    baseUrl,
    app,
    logLines,
    auth,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      await identity?.close();
    },
  };
}

function pick(options: TestAppOptions): Partial<AuthSettings> {
  const chosen: Partial<AuthSettings> = {};
  if (options.timeouts) chosen.timeouts = options.timeouts;
  if (options.providerIds) chosen.providers = options.sharedIdentityWith!.auth.providers.filter((p) => options.providerIds!.includes(p.id));
  if (options.signInRateLimit) chosen.signInRateLimit = options.signInRateLimit;
  return chosen;
}
