// Wires the capabilities into one Hono app. Everything the app needs comes in as arguments,
// so tests build it against their own database and several instances can share one.
//
// Order matters: Hono runs handlers in the order they are registered. Assets, health checks
// and the sign-in journey come before `requireSession`; everything registered after it is
// for signed-in users only — deny by default.
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { requestId } from 'hono/request-id';
import { checkCsrf, loadSession, requireSession } from './auth/access.ts';
import { authRoutes } from './auth/routes.ts';
import { childrenRoutes } from './children/routes.ts';
import { concernRoutes } from './concerns/routes.ts';
import type { Db } from './db/connect.ts';
import { frontDoorRoutes } from './front-door/routes.ts';
import { trainingRoutes } from './training/routes.ts';
import type { RateLimit } from './auth/rate-limit.ts';
import type { AuthSettings } from './auth/settings.ts';
import type { Config } from './config/config.ts';
import type { Sql } from './db/connect.ts';
import { healthRoutes } from './health/routes.ts';
import { governanceRoutes } from './governance/routes.ts';
import type { Logger } from './log.ts';
import { lookupRoutes } from './lookup/routes.ts';
import type { Policies } from './policy/load.ts';
import { actor } from './middleware/actor/index.ts';
import { sentMessagesRoutes } from './notifications/routes.ts';
import { messagesRoutes } from './notifications/messages-page.ts';
import { alertRoutes, startRoutes } from './start/routes.ts';
import { registerAssets } from './web/assets.ts';
import type { AppEnv } from './web/env.ts';
import { errorPage, notFoundPage } from './web/errors.ts';
import { requestLog } from './web/request-log.ts';
import { securityHeaders } from './web/security-headers.ts';
import { createViews } from './web/views.ts';

export interface AppDeps {
  sql: Sql;
  log: Logger;
  config: Pick<Config, 'NODE_ENV'>;
  auth: AuthSettings;
  policies: Policies;
  /** Only tests set these (to inject a failure into a concern's transaction). */
  concernHooks?: { beforeCommit?: (tx: Db) => Promise<void> };
  /** The development sign-in is in use: also show the development-only pages. */
  development?: boolean;
  /** Lookups one person may make in a window (default 60 an hour). */
  lookupRateLimit?: RateLimit;
  /** Hours within which the front door should decide on an immediate-risk concern (default 2). */
  immediateRiskTargetHours?: number;
}

export function createApp({ sql, log, config, auth, policies, concernHooks, development = false, lookupRateLimit = { limit: 60, windowSeconds: 3600 }, immediateRiskTargetHours = 2 }: AppDeps) {
  const app = new Hono<AppEnv>();
  const views = createViews({ cache: config.NODE_ENV !== 'development' });
  const providerOrigins = [...new Set(auth.providers.map((p) => new URL(p.issuer).origin))];

  app.use(requestId());
  app.use(requestLog(log));
  app.use(securityHeaders(providerOrigins));
  app.use(async (c, next) => {
    c.set('viewData', {});
    await next();
  });
  // Forms are small: a concern is a few thousand characters. Anything far larger is refused.
  app.use(bodyLimit({
    maxSize: 256 * 1024,
    onError: (c) => views.render(c, 'errors/error', { heading: 'What you sent is too large', message: 'Shorten your answers and try again.' }, 413),
  }));

  // Open to anyone, without a session lookup.
  registerAssets(app);
  app.route('/', healthRoutes(sql));

  // Open to anyone; shows who is signed in where there is a session.
  app.use(loadSession(sql, auth));
  app.use(actor({ sql, policies, publicUrl: auth.publicUrl, beforeConcernCommits: concernHooks?.beforeCommit, navigationCounts: true }));
  const signIn = authRoutes(sql, auth, views, log);
  app.route('/', startRoutes(views, { sql, lookupRateLimit }));
  app.route('/', signIn.anyone);

  // Deny by default: signed-in users with a chosen role only, from here on.
  app.use(requireSession());
  app.use(checkCsrf(auth, views));
  app.route('/', signIn.signedIn);
  app.route('/', childrenRoutes(views));
  app.route('/', lookupRoutes(sql, views, lookupRateLimit));
  app.route('/', governanceRoutes(sql, views, lookupRateLimit));
  app.route('/', messagesRoutes(sql, views, log));
  app.route('/', concernRoutes(sql, views, log, immediateRiskTargetHours));
  app.route('/', frontDoorRoutes(views, log));
  app.route('/', trainingRoutes(sql, views, log));
  app.route('/', alertRoutes());
  if (development) app.route('/', sentMessagesRoutes(sql, views));

  app.notFound(notFoundPage(views));
  app.onError(errorPage(views, log));
  return app;
}
