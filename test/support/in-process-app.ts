// The real Hono app, wired exactly as startTestApp (./app.ts) wires it, but never listening:
// tests hand it Requests through hono's app.request() and read the Responses. No port, and no
// identity provider server: it trusts the development provider entries worked out once in
// global-setup.ts, whose issuer is never contacted because nothing here signs in through OIDC
// (sessions come from ./demo-session.ts). Tests of the sign-in flow itself, of real sockets or
// of server processes use startTestApp instead.
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { inject } from 'vitest';
import { createApp } from '../../src/app.ts';
import type { AppDeps } from '../../src/app.ts';
import type { AuthSettings } from '../../src/auth/settings.ts';
import type { Sql } from '../../src/db/connect.ts';
import { createLogger } from '../../src/log.ts';
import { paths } from '../../src/paths.ts';
import { loadPolicies } from '../../src/policy/load.ts';
import { ensureStylesheet } from '../../src/web/stylesheet.ts';
import type { Transport } from './http-client.ts';
import { freePort } from './process.ts';

export interface InProcessApp {
  /** The app's public URL. Never dialled: requests to it are handed to `app` in this process. */
  baseUrl: string;
  app: ReturnType<typeof createApp>;
  sql: Sql;
  logLines: string[];
  auth: AuthSettings;
  close(): Promise<void>;
}

export interface InProcessAppOptions {
  timeouts?: AuthSettings['timeouts'];
  /**
   * Another node of the same portal (in process, or one from startTestApp): the same settings,
   * so the same providers and sessions, at its own URL.
   */
  sharedSettingsWith?: { auth: AuthSettings };
  /** To inject a failure into a concern's transaction. */
  concernHooks?: AppDeps['concernHooks'];
  /** To inject a failure into a police notification's transaction. */
  encompassHooks?: AppDeps['encompassHooks'];
  /** ENCOMPASS_SHARED_ITEMS, as the environment would give it. */
  encompassSharedItems?: string;
  lookupRateLimit?: AppDeps['lookupRateLimit'];
  /** Months safeguarding training stays current (default 24). */
  trainingValidMonths?: AppDeps['trainingValidMonths'];
  /** Settings beyond NODE_ENV (the import pages' limit and staleness, say). */
  config?: Omit<AppDeps['config'], 'NODE_ENV'>;
  /** The import parsers and merge to use (src/imports/routes.ts). */
  importHooks?: AppDeps['importHooks'];
  /** The forms to use (a test's own folder of versions); the portal's forms/ when not given. */
  forms?: AppDeps['forms'];
}

/** The in-process apps of this test file, by origin, so one client can talk to several nodes. */
const apps = new Map<string, InProcessApp['app']>();
let nextPort = 1;

export async function buildTestApp(sql: Sql, options: InProcessAppOptions = {}): Promise<InProcessApp> {
  await ensureStylesheet();
  const logLines: string[] = [];
  const log = createLogger('debug', (line) => logLines.push(line));
  // A loopback URL whose port is only a label: it tells this file's apps apart and is never
  // listened on. Cookies, like a browser's, are shared by host, as two real nodes' would be.
  const baseUrl = `http://127.0.0.1:${nextPort++}`;
  const auth: AuthSettings = options.sharedSettingsWith
    ? { ...options.sharedSettingsWith.auth, publicUrl: baseUrl }
    : {
        publicUrl: baseUrl,
        providers: inject('developmentProviders'),
        timeouts: options.timeouts ?? { idleMs: 30 * 60_000, absoluteMs: 10 * 3_600_000 },
        signInRateLimit: { limit: 1000, windowSeconds: 600 },
        secureCookies: false,
      };
  const app = createApp({ sql, log, config: { ENCOMPASS_SHARED_ITEMS: options.encompassSharedItems, ...options.config, NODE_ENV: 'test' }, auth, policies: await loadPolicies(paths.policies), concernHooks: options.concernHooks, encompassHooks: options.encompassHooks, lookupRateLimit: options.lookupRateLimit ?? { limit: 10_000, windowSeconds: 3600 }, development: true, trainingValidMonths: options.trainingValidMonths, importHooks: options.importHooks, forms: options.forms });
  apps.set(baseUrl, app);
  return { baseUrl, app, sql, logLines, auth, close: async () => void apps.delete(baseUrl) };
}

/**
 * Hands a request to the in-process app that owns its origin. Anything else is refused rather
 * than sent over the network, so a test cannot quietly leave the process.
 */
export const inProcess: Transport = async (url, init) => {
  const app = apps.get(url.origin);
  if (!app) throw new Error(`no in-process app at ${url.origin} (was it closed, or is this a real URL?)`);
  return app.request(url, init);
};

/**
 * For the few checks that are about real sockets (an early answer to a body still being sent):
 * serves the same in-process app on a real port of 127.0.0.1 until closed.
 */
export async function listenOnPort(inProcessApp: InProcessApp): Promise<{ url: string; close(): Promise<void> }> {
  const port = await freePort();
  const server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: inProcessApp.app.fetch, port, hostname: '127.0.0.1' }, () => resolve(s as Server));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
