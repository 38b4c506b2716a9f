// Starts the portal. `npm start` runs this file twice over: as the supervising process
// (src/supervisor.ts: configuration, the embedded database, migrations, first-start demo data,
// then one worker, restarted if it dies) and, forked by it with node:cluster, as the worker
// that serves HTTP. The worker is given DATABASE_URL by the supervisor, and needs no database
// to start: while the database is away it answers /readyz with 503 and pages with "try again".
//
// On SIGTERM or SIGINT the worker stops accepting connections, lets in-flight requests finish,
// closes its pool and exits 0; the supervisor then stops the embedded database and exits 0.
import cluster from 'node:cluster';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { createApp } from './app.ts';
import { startChainWorker } from './audit/chain.ts';
import { startWitness, witnessSettings } from './audit/witness.ts';
import { startNotificationWorker } from './notifications/worker.ts';
import { startEscalationWorker } from './encompass/escalation.ts';
import { encompassSettings } from './encompass/settings.ts';
import { startCaseSystemWebhook } from './case-system-export/webhook.ts';
import { startDropFolderWorker } from './imports/drop-folder.ts';
import { caseSystemOf } from './imports/run.ts';
import { mailFor, mailSettingsOrExit } from './notifications/mail-settings.ts';
import { purgeExpired } from './auth/sessions.ts';
import { purgeOldDrafts } from './concerns/drafts.ts';
import { startIdentity } from './auth/start.ts';
import { loadConfigOrExit } from './config/config.ts';
import type { Sql } from './db/connect.ts';
import { servingPool } from './db/pool.ts';
import { guardPostgresWriteDefect } from './db/postgres-defect.ts';
import { createLogger, errorFields, type Logger } from './log.ts';
import { paths } from './paths.ts';
import { loadPolicies } from './policy/load.ts';
import { DRAINING, runSupervisor } from './supervisor.ts';
import { RETRY_AFTER_S, unavailableHtml } from './web/errors.ts';
import { parseTrustProxy } from './web/client-address.ts';

const DRAIN_LIMIT_MS = 10_000;
/**
 * Longest a request may take before it is answered "try again" (503). A request waiting on the
 * database is normally released sooner: a connection attempt gives up after 5 s and a statement
 * after 10 s (src/db/pool.ts); this bounds the rest (several statements in a row).
 */
const REQUEST_LIMIT_MS = 15_000;

type Fetch = (request: Request, env?: unknown) => Response | Promise<Response>;

function withTimeLimit(fetch: Fetch, log: Logger): Fetch {
  return (request, env) => {
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<Response>((resolve) => {
      timer = setTimeout(() => {
        // The method only: a path can hold a reference or a record's id.
        log.warn('request time limit reached', { method: request.method, limitMs: REQUEST_LIMIT_MS });
        resolve(new Response(unavailableHtml(), {
          status: 503,
          headers: {
            'Content-Type': 'text/html; charset=UTF-8',
            'Cache-Control': 'no-store',
            'Retry-After': String(RETRY_AFTER_S),
            'X-Content-Type-Options': 'nosniff',
          },
        }));
      }, REQUEST_LIMIT_MS);
    });
    return Promise.race([Promise.resolve(fetch(request, env)), limit]).finally(() => clearTimeout(timer));
  };
}

/** What bench/server.ts adds to a worker: its floor route, never registered by `npm start`. */
export interface WorkerExtras {
  routes?: (app: ReturnType<typeof createApp>, sql: Sql) => void;
}

export async function runWorker(extras: WorkerExtras = {}): Promise<void> {
  const startedAt = performance.now();
  const config = loadConfigOrExit();
  const mailSettings = mailSettingsOrExit(config);
  const log = createLogger(config.LOG_LEVEL);
  if (!config.DATABASE_URL) throw new Error('the supervisor gives each worker DATABASE_URL');

  const pool = servingPool(config.DATABASE_URL);
  const sql = pool.sql;
  // The one uncaughtException handler: contains the postgres.js defect by replacing the pool,
  // exits 1 on anything else (the supervisor starts a new worker). See db/postgres-defect.ts.
  guardPostgresWriteDefect(log, () => pool.recycle());

  let identity;
  let policies;
  try {
    // A policy file that fails validation stops the server here, naming the file and place.
    policies = await loadPolicies(paths.policies);
    identity = await startIdentity(config, log);
  } catch (error) {
    log.error('start-up failed', errorFields(error));
    process.stderr.write(`${(error as Error).message}\n`);
    await pool.end({ timeout: 5 });
    process.exit(1);
  }

  const app = createApp({
    sql, log, config, auth: identity.auth, policies, development: identity.development,
    lookupRateLimit: { limit: config.LOOKUP_RATE_LIMIT, windowSeconds: 3600 },
    immediateRiskTargetHours: config.IMMEDIATE_RISK_TARGET_HOURS,
    // Checked by loadConfig: a malformed TRUST_PROXY has already stopped the start.
    trustProxy: parseTrustProxy(config.TRUST_PROXY),
    metrics: { token: config.METRICS_TOKEN, witnessFile: witnessSettings(config).file },
    trainingValidMonths: config.TRAINING_VALID_MONTHS,
  });
  extras.routes?.(app, sql);
  const server = serve({ fetch: withTimeLimit(app.fetch, log), port: config.PORT }, (info) => {
    log.info('portal listening', {
      url: `http://localhost:${info.port}`,
      database: process.env.PORTAL_DATABASE ?? 'DATABASE_URL',
      startMs: Math.round(performance.now() - startedAt),
    });
  }) as Server;

  // Expired sessions are removed in the background; any node may do it.
  const purge = setInterval(() => {
    purgeExpired(sql, identity.auth.timeouts).catch((error) => log.warn('session purge failed', errorFields(error)));
    // Unsent concern drafts are kept for 7 days after they were last saved.
    purgeOldDrafts(sql).catch((error) => log.warn('concern draft purge failed', errorFields(error)));
  }, 5 * 60_000);
  purge.unref();
  // Seals new access-log rows into the hash chain, off the request path (any node may run it).
  const chain = startChainWorker(sql, log);
  // Writes the chain's head outside the database (a file, and a daily e-mail to information
  // governance), so rows cut from the log's end are noticed.
  const witness = startWitness(sql, log, witnessSettings(config));
  // Delivers queued notifications through GOV.UK Notify or the council's SMTP relay; without
  // either (never in production: mailSettingsOrExit refuses), the development transport records
  // them for /dev/sent-messages and e-mails no one (docs/notifications.md).
  const mail = mailFor(mailSettings, sql);
  log.info('notifications transport', { transport: mail.name });
  const notifications = startNotificationWorker(sql, log, mail.send, { statusCheck: mail.statusCheck });
  // Police notifications not acknowledged by the start of the school day: the school's other
  // safeguarding leads, then the front door, are alerted (src/encompass/escalation.ts; once
  // across any number of processes).
  const escalation = startEscalationWorker(sql, log, { frontDoorAfterMinutes: encompassSettings(config).frontDoorAfterMinutes, publicUrl: identity.auth.publicUrl });
  // Posts concern events to the council's case system, signed, in order (docs/case-system-export.md).
  const caseSystem = config.CASE_SYSTEM_WEBHOOK_URL && config.CASE_SYSTEM_WEBHOOK_SECRET
    ? startCaseSystemWebhook(sql, log, { url: config.CASE_SYSTEM_WEBHOOK_URL, secret: config.CASE_SYSTEM_WEBHOOK_SECRET })
    : undefined;
  // Scheduled imports from the folder the council's nightly job writes to (docs/imports.md),
  // only when IMPORT_DROP_DIR is set; one node imports each set (the import lock).
  const dropFolder = config.IMPORT_DROP_DIR
    ? startDropFolderWorker(sql, log, { dir: config.IMPORT_DROP_DIR, system: caseSystemOf(config) })
    : undefined;

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    // close() stops accepting and resolves once in-flight requests have been answered;
    // keep-alive connections with nothing in flight are closed straight away.
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    // Tell the supervisor after close(): cluster's own "stop listening" message goes first on
    // the same channel, so by the time the supervisor hears this it has closed the port.
    process.send?.(DRAINING);
    log.info('worker draining', { signal });
    const force = setTimeout(() => server.closeAllConnections(), DRAIN_LIMIT_MS);
    force.unref();
    await closed;
    clearInterval(purge);
    await chain.stop();
    await witness.stop();
    await notifications.stop();
    await escalation.stop();
    await caseSystem?.stop();
    await dropFolder?.stop();
    mail.close();
    await identity.stop();
    await pool.end({ timeout: 5 });
    log.info('worker stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

// Only when run as `npm start` (this file is the entry point, in the supervisor and, forked by it,
// each worker); bench/server.ts imports runWorker and runs the same start with its floor route.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
// Production without a real mail transport stops here, before the database is touched.
if (cluster.isPrimary) mailSettingsOrExit(loadConfigOrExit());
if (cluster.isPrimary) await runSupervisor();
else await runWorker();
}
