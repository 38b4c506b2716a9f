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
import { portalForms, type FormCatalogue } from './forms/load.ts';
import { formRoutes } from './forms/routes.ts';
import { concernRoutes } from './concerns/routes.ts';
import type { Db } from './db/connect.ts';
import { frontDoorRoutes } from './front-door/routes.ts';
import { caseAuditRoutes } from './case-audits/routes.ts';
import { trainingRoutes } from './training/routes.ts';
import { DEFAULT_TRAINING_VALID_MONTHS } from './training/renewal.ts';
import type { RateLimit } from './auth/rate-limit.ts';
import type { AuthSettings } from './auth/settings.ts';
import type { Config } from './config/config.ts';
import { unusualActivitySettings } from './audit/unusual-activity.ts';
import type { Sql } from './db/connect.ts';
import { healthRoutes } from './health/routes.ts';
import { governanceRoutes } from './governance/routes.ts';
import { importRoutes, importUploadRoute, type ImportPageOptions } from './imports/routes.ts';
import { caseSystemOf } from './imports/run.ts';
import type { Logger } from './log.ts';
import { lookupRoutes } from './lookup/routes.ts';
import type { Policies } from './policy/load.ts';
import { batchedAccessLog } from './audit/access-log-batch.ts';
import { actor } from './middleware/actor/index.ts';
import { clientAddress } from './middleware/client-address/index.ts';
import type { MetricsOptions } from './health/metrics.ts';
import { trustNothing, type TrustProxy } from './web/client-address.ts';
import { councilContacts } from './middleware/contacts/index.ts';
import { sessionTimeout } from './middleware/session-timeout/index.ts';
import { keepAnswersOnTimeOut } from './middleware/keep-answers/index.ts';
import { sentMessagesRoutes } from './notifications/routes.ts';
import { messagesRoutes } from './notifications/messages-page.ts';
import { alertRoutes, startRoutes } from './start/routes.ts';
import { encompassInboxRoutes } from './encompass/inbox-routes.ts';
import { encompassFigureRoutes } from './encompass/figures-routes.ts';
import { figureRoutes } from './figures/routes.ts';
import { registerAssets } from './web/assets.ts';
import type { AppEnv } from './web/env.ts';
import { errorPage, notFoundPage } from './web/errors.ts';
import { requestLog } from './web/request-log.ts';
import { securityHeaders } from './web/security-headers.ts';
import { encompassRoutes } from './encompass/routes.ts';
import { documentRoutes } from './documents/routes.ts';
import { parseSharedItems } from './encompass/shared-items.ts';
import { createViews } from './web/views.ts';

export interface AppDeps {
  sql: Sql;
  log: Logger;
  config: Pick<Config, 'NODE_ENV'>
    // Unusual activity's thresholds; each has a default (src/audit/unusual-activity.ts).
    & Partial<Pick<Config, 'UNUSUAL_SUMMARIES_PER_WINDOW' | 'UNUSUAL_WINDOW_MINUTES' | 'WORKING_HOURS' | 'UNUSUAL_NO_MATCH_LOOKUPS' | 'UNUSUAL_NO_MATCH_WINDOW_MINUTES'>>
    // Imports: the upload limit, when the case system's extract is stale, the case system's name.
    & Partial<Pick<Config, 'IMPORT_UPLOAD_LIMIT_MB' | 'IMPORT_STALE_HOURS' | 'IMPORT_CASE_SYSTEM'>>
    // What each police force shares by local agreement in a notification (src/encompass/shared-items.ts).
    & Partial<Pick<Config, 'ENCOMPASS_SHARED_ITEMS'>>
    // The figures: small numbers suppressed in what is shared (src/figures/).
    & Partial<Pick<Config, 'FIGURES_SUPPRESS_BELOW'>>;
  auth: AuthSettings;
  policies: Policies;
  /** Every version of every form (forms/, checked at start-up); the portal's own when not given. */
  forms?: FormCatalogue;
  /** Only tests set these (to inject a failure into a concern's transaction). */
  concernHooks?: { beforeCommit?: (tx: Db) => Promise<void> };
  /** Only tests set these (to inject a failure into a police notification's transaction). */
  encompassHooks?: { beforeCommit?: (tx: Db) => Promise<void> };
  /** The development sign-in is in use: also show the development-only pages. */
  development?: boolean;
  /** Lookups one person may make in a window (default 60 an hour). */
  lookupRateLimit?: RateLimit;
  /** Hours within which the front door should decide on an immediate-risk concern (default 2). */
  immediateRiskTargetHours?: number;
  /** The proxies whose X-Forwarded-For gives the client's address (TRUST_PROXY); default none. */
  trustProxy?: TrustProxy;
  /** Who may read GET /metrics (METRICS_TOKEN), and the witness file whose age it reports. */
  metrics?: MetricsOptions;
  /** Months safeguarding training stays current (default 24: src/training/renewal.ts). */
  trainingValidMonths?: number;
  /** Only tests set these: the import parsers and merge to use (src/imports/routes.ts). */
  importHooks?: ImportPageOptions['hooks'];
  /** The time now for police notifications' pages (overdue or not, figures); tests fake it. Default: the real clock. */
  clock?: () => Date;
}

export function createApp({ sql, log, config, auth, policies, forms = portalForms(), concernHooks, encompassHooks, development = false, lookupRateLimit = { limit: 60, windowSeconds: 3600 }, immediateRiskTargetHours = 2, trustProxy = trustNothing, metrics = {}, trainingValidMonths = DEFAULT_TRAINING_VALID_MONTHS, importHooks, clock = () => new Date() }: AppDeps) {
  const app = new Hono<AppEnv>();
  const views = createViews({ cache: config.NODE_ENV !== 'development' });
  const unusualActivity = unusualActivitySettings(config);
  const providerOrigins = [...new Set(auth.providers.map((p) => new URL(p.issuer).origin))];
  const imports: ImportPageOptions = {
    uploadLimitMb: config.IMPORT_UPLOAD_LIMIT_MB ?? 500, system: caseSystemOf(config), publicUrl: auth.publicUrl, hooks: importHooks,
  };

  app.use(requestId());
  app.use(clientAddress(trustProxy));
  app.use(requestLog(log));
  app.use(securityHeaders(providerOrigins));
  app.use(async (c, next) => {
    c.set('viewData', {});
    await next();
  });
  // Forms are small: a concern is a few thousand characters. Anything far larger is refused.
  // Except the data officer's upload of an extract, which counts its own bytes as they arrive
  // against IMPORT_UPLOAD_LIMIT_MB (src/imports/upload.ts): bodyLimit would copy it into memory.
  const formLimit = bodyLimit({
    maxSize: 256 * 1024,
    onError: (c) => views.render(c, 'errors/error', { heading: 'What you sent is too large', message: 'Shorten your answers and try again.' }, 413),
  });
  app.use(async (c, next) => (c.req.method === 'POST' && c.req.path === '/imports' ? next() : formLimit(c, next)));

  // Open to anyone, without a session lookup.
  registerAssets(app);
  app.route('/', healthRoutes(sql, { production: config.NODE_ENV === 'production', ...metrics }));

  // Open to anyone; shows who is signed in where there is a session.
  app.use(loadSession(sql, auth));
  // One writer for the whole app, so that looks arriving together share a commit.
  const accessLog = batchedAccessLog(sql);
  app.use(actor({ sql, accessLog, policies, publicUrl: auth.publicUrl, beforeConcernCommits: concernHooks?.beforeCommit, beforeEncompassCommits: encompassHooks?.beforeCommit, navigationCounts: true, trainingValidMonths }));
  // Who to call (the council's numbers) for every page, and the time-out warning's timings.
  app.use(councilContacts({ sql, log }));
  app.use(sessionTimeout(auth.timeouts));
  const signIn = authRoutes(sql, auth, views, log);
  app.route('/', startRoutes(views, { sql, lookupRateLimit, unusualActivity, importStaleHours: config.IMPORT_STALE_HOURS ?? 24 }));
  app.route('/', signIn.anyone);

  // The concern form posted just after a time-out: its answers become a draft (point 3, issue 12).
  app.use(keepAnswersOnTimeOut(sql, auth));
  // Deny by default: signed-in users with a chosen role only, from here on.
  app.use(requireSession());
  // The upload reads its body as it arrives and checks the origin and CSRF token itself, first.
  app.route('/', importUploadRoute(sql, views, log, imports));
  app.use(checkCsrf(auth, views));
  app.route('/', signIn.signedIn);
  // Operation Encompass, the school's side and the figures: before any `/encompass/:id` route, whose
  // parameter would otherwise take "inbox" and "figures".
  app.route('/', encompassInboxRoutes(views, clock, forms));
  app.route('/', encompassFigureRoutes(views, clock));
  app.route('/', figureRoutes(views, { suppressBelow: config.FIGURES_SUPPRESS_BELOW ?? 5, immediateRiskHours: immediateRiskTargetHours }, clock));
  app.route('/', childrenRoutes(views));
  app.route('/', lookupRoutes(sql, views, lookupRateLimit));
  app.route('/', governanceRoutes(sql, views, lookupRateLimit, unusualActivity));
  app.route('/', messagesRoutes(sql, views, log));
  app.route('/', concernRoutes(sql, views, log, immediateRiskTargetHours, forms));
  app.route('/', frontDoorRoutes(views, log, forms, sql));
  app.route('/', formRoutes(views, forms));
  app.route('/', documentRoutes(sql, views, log));
  app.route('/', trainingRoutes(sql, views, log, { trainingValidMonths }));
  app.route('/', alertRoutes());
  app.route('/', caseAuditRoutes(views, log, clock));
  app.route('/', importRoutes(sql, views, log, imports));
  app.route('/', encompassRoutes(sql, views, log, parseSharedItems(config.ENCOMPASS_SHARED_ITEMS), lookupRateLimit, forms));
  if (development) app.route('/', sentMessagesRoutes(sql, views));

  app.notFound(notFoundPage(views));
  app.onError(errorPage(views, log));
  return app;
}
