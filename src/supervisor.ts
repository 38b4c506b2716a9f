// The supervising process that `npm start` (src/server.ts) runs first, with node:cluster.
//
// It owns what must outlive a worker: the embedded database (started or adopted here, kept
// running, stopped here last) and the one-off start-up work (migrations, first-start demo data,
// the stylesheet). Then it forks WEB_CONCURRENCY workers that serve HTTP (src/server.ts, worker
// branch; node:cluster hands each new connection to one of them in turn) and starts a new one
// whenever one dies: the backstop for any crash we have not contained (the known postgres.js
// defect is contained inside the worker, src/db/postgres-defect.ts). A worker needs no database
// to start, so a new one comes up and answers "try again" even while the database is away.
//
// Several workers share everything a request relies on through PostgreSQL (sessions, sign-in
// attempts, rate limits, the development identity provider's sign-ins), and background work runs
// once across them (docs/architecture.md, "Several workers"). The supervisor works out each
// worker's pool size from max_connections (src/db/pool-size.ts) and, for the development identity
// provider, makes the secrets every worker's copy of it must share (src/auth/dev-provider/keys.ts).
//
// SIGTERM or SIGINT (to this process, or to the whole process group as Ctrl-C and .ci/run do):
// every worker stops accepting and finishes its requests; once all have stopped accepting, we log
// "shutting down"; once all have exited, we stop the embedded database, log "stopped" and exit 0.
import cluster, { type Worker } from 'node:cluster';
import { loadConfigOrExit } from './config/config.ts';
import { connect, type Sql } from './db/connect.ts';
import { migrate } from './db/migrate.ts';
import { connectionLimits, poolSizeFor } from './db/pool-size.ts';
import { openDatabase, type OpenedDatabase } from './db/open.ts';
import { createLogger, errorFields, type Logger } from './log.ts';
import { hasCaseRecordData, seedDemoData } from './seed/insert.ts';
import { ensureStylesheet } from './web/stylesheet.ts';

/** The worker drains for at most 10 s (src/server.ts); after this long it is killed. */
const WORKER_STOP_LIMIT_MS = 25_000;
/** Crashes closer together than this double the wait before the next start, up to the maximum. */
const CRASH_WINDOW_MS = 10_000;
const MAX_RESTART_DELAY_MS = 5_000;

/** Messages between supervisor and worker. */
export const DRAINING = 'portal:draining';

async function prepareDatabase(sql: Sql, embedded: boolean, log: Logger): Promise<void> {
  const { applied } = await migrate(sql);
  if (applied.length > 0) log.info('migrations applied', { applied });
  // The embedded default is for trying the portal: give it demo data the first time.
  if (embedded && !(await hasCaseRecordData(sql))) {
    const { counts, ms } = await seedDemoData(sql);
    log.info('demo data loaded', { children: counts.children, ms });
  }
}

/** What start-up says on standard error: our own messages, but never a database's. */
function startUpFailed(log: Logger, error: unknown): void {
  log.error('start-up failed', errorFields(error));
  if (error instanceof Error && error.name !== 'PostgresError') process.stderr.write(`${error.message}\n`);
}

export async function runSupervisor(): Promise<void> {
  const config = loadConfigOrExit();
  const log = createLogger(config.LOG_LEVEL);

  let database: OpenedDatabase;
  try {
    database = await openDatabase(config, log);
  } catch (error) {
    startUpFailed(log, error);
    process.exit(1);
  }
  const sql = connect(database.url, { max: 2 });
  try {
    await Promise.all([prepareDatabase(sql, database.embedded, log), ensureStylesheet()]);
  } catch (error) {
    startUpFailed(log, error);
    await sql.end({ timeout: 5 });
    await database.stop();
    process.exit(1);
  }
  const workers = config.WEB_CONCURRENCY;
  let poolMax = config.DATABASE_POOL_MAX;
  if (!poolMax) {
    try {
      const limits = await connectionLimits(sql);
      const size = poolSizeFor(workers, limits.maxConnections, limits.reserved);
      poolMax = size.perWorker;
      if (!size.fits) log.warn('WEB_CONCURRENCY workers may need more connections than PostgreSQL allows: raise max_connections or lower WEB_CONCURRENCY', { workers, poolMax, maxConnections: limits.maxConnections });
    } catch (error) {
      startUpFailed(log, error);
      await sql.end({ timeout: 5 });
      await database.stop();
      process.exit(1);
    }
  }
  await sql.end({ timeout: 5 });
  // Development sign-in only: the secrets every worker's identity provider must share.
  const devIdentity = config.OIDC_PROVIDERS_FILE
    ? undefined
    : await import('./auth/dev-provider/keys.ts').then((keys) => ({ [keys.DEV_IDENTITY_ENV]: JSON.stringify(keys.newDevIdentitySecrets()) }));
  log.info('starting workers', { workers, poolMax });

  let stopping: string | undefined;
  let everListened = false;
  let restarts = 0;
  let lastCrash = 0;
  let restartDelay = 0;
  const restartTimers = new Set<NodeJS.Timeout>();
  const draining = new Set<number>();
  let saidShuttingDown = false;

  function fork(): Worker {
    const worker = cluster.fork({
      DATABASE_URL: database.url,
      PORTAL_DATABASE: database.embedded ? 'embedded' : 'DATABASE_URL',
      PORTAL_POOL_MAX: String(poolMax),
      ...devIdentity,
    });
    worker.on('listening', () => {
      everListened = true;
      if (stopping) worker.process.kill('SIGTERM');
    });
    worker.on('message', (message: unknown) => {
      if (message === DRAINING) {
        draining.add(worker.id);
        sayShuttingDown();
      }
    });
    return worker;
  }

  const alive = () => Object.values(cluster.workers ?? {}).filter((w): w is Worker => Boolean(w) && !w!.isDead());

  // Logged once every worker has stopped accepting: from then on a new connection is refused.
  function sayShuttingDown(): void {
    if (!stopping || saidShuttingDown) return;
    if (alive().some((w) => !draining.has(w.id))) return;
    saidShuttingDown = true;
    log.info('shutting down', { signal: stopping });
  }

  let finishing = false;
  async function finish(code: number): Promise<void> {
    if (finishing) return;
    finishing = true;
    for (const timer of restartTimers) clearTimeout(timer);
    await database.stop().catch((error) => log.error('embedded database not stopped', errorFields(error)));
    log.info(code === 0 ? 'stopped' : 'stopped after a failure', { restarts });
    process.exit(code);
  }

  function shutdown(signal: string): void {
    if (stopping) return;
    stopping = signal;
    for (const timer of restartTimers) clearTimeout(timer);
    database.holdRestarts();
    const workers = alive();
    for (const worker of workers) worker.process.kill('SIGTERM');
    sayShuttingDown();
    if (workers.length === 0) void finish(0);
    const force = setTimeout(() => {
      for (const worker of alive()) worker.process.kill('SIGKILL');
    }, WORKER_STOP_LIMIT_MS);
    force.unref();
  }

  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      sayShuttingDown();
      if (alive().length === 0) void finish(0);
      return;
    }
    if (!everListened) {
      // No worker has started yet and one could not (a bad policy file, a port in use): it has
      // said why, and the others would fail alike.
      log.error('worker did not start', { code, signal });
      stopping = 'worker did not start';
      for (const other of alive()) other.process.kill('SIGKILL');
      void finish(1);
      return;
    }
    if (code === 0 && !signal) {
      // Stopped cleanly on its own (someone sent it SIGTERM): stop with it.
      shutdown('worker stopped');
      return;
    }
    restarts += 1;
    const now = Date.now();
    restartDelay = now - lastCrash < CRASH_WINDOW_MS ? Math.min(Math.max(restartDelay * 2, 250), MAX_RESTART_DELAY_MS) : 0;
    lastCrash = now;
    log.error('worker exited; starting a new one', { code, signal, restarts, inMs: restartDelay });
    const timer = setTimeout(() => {
      restartTimers.delete(timer);
      fork();
    }, restartDelay);
    restartTimers.add(timer);
  });

  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  for (let i = 0; i < workers; i++) fork();
}
