// Starts the portal. `npm start` runs this file over and over: as the supervising process
// (src/supervisor.ts: configuration, the embedded database, migrations, first-start demo data,
// then WEB_CONCURRENCY workers, each restarted if it dies) and, forked by it with node:cluster,
// as each worker that serves HTTP. A worker is given DATABASE_URL by the supervisor, and needs no
// database to start: while the database is away it answers /readyz with 503 and pages with "try
// again". Workers share nothing but PostgreSQL; background work that must run once across them
// runs in whichever holds its lock (src/background/leader.ts), or claims its rows.
//
// On SIGTERM or SIGINT a worker stops accepting connections, lets in-flight requests finish,
// closes its pool and exits 0; once every worker has, the supervisor stops the embedded database
// and exits 0.
import cluster from 'node:cluster';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { hostname } from 'node:os';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { createApp } from './app.ts';
import { startChainWorker } from './audit/chain.ts';
import { runAsLeader } from './background/leader.ts';
import { repeatEvery } from './background/repeat.ts';
import { startPartitionKeeper } from './audit/partitions.ts';
import { startWitness, witnessSettings } from './audit/witness.ts';
import { startNotificationWorker } from './notifications/worker.ts';
import { startFilingWorker } from './documents/worker.ts';
import { postgresStorage } from './documents/storage/postgres.ts';
import { startEscalationWorker } from './encompass/escalation.ts';
import { startActionReminders } from './case-audits/reminders.ts';
import { startAccessLogDailyCount } from './audit/access-log-daily.ts';
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
import { portalForms } from './forms/load.ts';
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

  // Sized by the supervisor so that every worker together stays within max_connections (src/db/pool-size.ts).
  const poolMax = Number(process.env.PORTAL_POOL_MAX) || undefined;
  const pool = servingPool(config.DATABASE_URL, poolMax ? { max: poolMax } : {});
  const sql = pool.sql;
  // The one uncaughtException handler: contains the postgres.js defect by replacing the pool,
  // exits 1 on anything else (the supervisor starts a new worker). See db/postgres-defect.ts.
  guardPostgresWriteDefect(log, () => pool.recycle());

  let identity;
  let policies;
  try {
    // A policy file that fails validation stops the server here, naming the file and place.
    policies = await loadPolicies(paths.policies);
    // So does a form file (forms/): every version is checked before the first request.
    portalForms();
    identity = await startIdentity(config, log, sql);
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
      pid: process.pid,
      database: process.env.PORTAL_DATABASE ?? 'DATABASE_URL',
      startMs: Math.round(performance.now() - startedAt),
    });
  }) as Server;

  // Background work, once across every worker and machine. Which mechanism holds for each:
  // - leadership (src/background/leader.ts: one process holds a PostgreSQL advisory lock and runs
  //   it) for the purge, the chain and the witness, each also safe should two runs meet;
  // - claims of their own for the rest, which any number of processes may run at once: the
  //   notifications and escalations claim rows FOR UPDATE SKIP LOCKED, the case-system webhook
  //   leases its cursor, the drop folder renames READY and takes the import lock.
  //
  // Expired sessions, sign-in attempts, rate-limit windows and development sign-ins are removed
  // every 5 minutes (deletes: harmless twice). Unsent concern drafts are kept for 7 days after
  // they were last saved.
  const purge = runAsLeader(config.DATABASE_URL, log, 'purge', () => repeatEvery(5 * 60_000, async () => {
    await purgeExpired(sql, identity.auth.timeouts).catch((error) => log.warn('session purge failed', errorFields(error)));
    await purgeOldDrafts(sql).catch((error) => log.warn('concern draft purge failed', errorFields(error)));
  }));
  // Seals new access-log rows into the hash chain, off the request path. The chain's own
  // transaction lock (audit/chain.ts) keeps it correct if two runs meet.
  const chain = runAsLeader(config.DATABASE_URL, log, 'access-log chain', () => startChainWorker(sql, log));
  // Keeps the access log's partitions made for this month and the next three (any node may run
  // it: an advisory lock and `if not exists` make it once). Retiring old months is never done
  // here: it is `npm run audit:retire`, run by hand (docs/operations.md).
  const partitions = startPartitionKeeper(sql, log);
  // Writes the chain's head outside the database (a file, and a daily e-mail to information
  // governance), so rows cut from the log's end are noticed. The file is on each machine's own
  // disk, so one worker per machine writes it (the lock's name carries the host name); the
  // digest is once a day across machines (its own lock and dedupe key).
  const witness = runAsLeader(config.DATABASE_URL, log, `access-log witness on ${hostname()}`, () => startWitness(sql, log, witnessSettings(config)));
  // Delivers queued notifications through GOV.UK Notify or the council's SMTP relay; without
  // either (never in production: mailSettingsOrExit refuses), the development transport records
  // them for /dev/sent-messages and e-mails no one (docs/notifications.md).
  const mail = mailFor(mailSettings, sql);
  log.info('notifications transport', { transport: mail.name });
  const notifications = startNotificationWorker(sql, log, mail.send, { statusCheck: mail.statusCheck });
  // Renders and files the PDFs that sends, decisions and acknowledgements asked for (docs/documents.md; once across any number of processes).
  const filing = startFilingWorker(sql, log, postgresStorage(sql));
  // Police notifications not acknowledged by the start of the school day: the school's other
  // safeguarding leads, then the front door, are alerted (src/encompass/escalation.ts; once
  // across any number of processes).
  const escalation = startEscalationWorker(sql, log, { frontDoorAfterMinutes: encompassSettings(config).frontDoorAfterMinutes, publicUrl: identity.auth.publicUrl });
  // Actions agreed in case-file audits: a reminder before the due date and one when overdue, each
  // once across any number of processes (src/case-audits/reminders.ts).
  const actionReminders = startActionReminders(sql, log, { publicUrl: identity.auth.publicUrl });
  // The figures' partners' looks: whole past days of the access log counted once, hourly (one
  // node at a time, under an advisory lock: src/audit/access-log-daily.ts).
  const accessLogDays = startAccessLogDailyCount(sql, log);
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
    await purge.stop();
    await chain.stop();
    await partitions.stop();
    await witness.stop();
    await notifications.stop();
    await filing.stop();
    await escalation.stop();
    await actionReminders.stop();
    await accessLogDays.stop();
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
