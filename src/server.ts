// Starts the portal: configuration, database (DATABASE_URL or the embedded default),
// migrations, first-start demo data, then HTTP. On SIGTERM or SIGINT it stops accepting
// connections, lets in-flight requests finish, closes the pool, stops the embedded database
// and exits 0.
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { createApp } from './app.ts';
import { startChainWorker } from './audit/chain.ts';
import { startWitness, witnessSettings } from './audit/witness.ts';
import { developmentTransport, startNotificationWorker } from './notifications/worker.ts';
import { purgeExpired } from './auth/sessions.ts';
import { startIdentity } from './auth/start.ts';
import { loadConfigOrExit } from './config/config.ts';
import { connect, type Sql } from './db/connect.ts';
import { migrate } from './db/migrate.ts';
import { openDatabase } from './db/open.ts';
import { createLogger, type Logger } from './log.ts';
import { paths } from './paths.ts';
import { loadPolicies } from './policy/load.ts';
import { hasCaseRecordData, seedDemoData } from './seed/insert.ts';
import { ensureStylesheet } from './web/stylesheet.ts';

const DRAIN_LIMIT_MS = 10_000;

async function prepareDatabase(sql: Sql, embedded: boolean, log: Logger): Promise<void> {
  const { applied } = await migrate(sql);
  if (applied.length > 0) log.info('migrations applied', { applied });
  // The embedded default is for trying the portal: give it demo data the first time.
  if (embedded && !(await hasCaseRecordData(sql))) {
    const { counts, ms } = await seedDemoData(sql);
    log.info('demo data loaded', { children: counts.children, ms });
  }
}

async function main(): Promise<void> {
  const startedAt = performance.now();
  const config = loadConfigOrExit();
  const log = createLogger(config.LOG_LEVEL);

  const database = await openDatabase(config, log).catch((error: Error) => {
    log.error('start-up failed', { error: error.message });
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  });
  const sql = connect(database.url);
  try {
    await Promise.all([prepareDatabase(sql, database.embedded, log), ensureStylesheet()]);
  } catch (error) {
    log.error('start-up failed', { error: (error as Error).message });
    await sql.end({ timeout: 5 });
    await database.stop();
    process.exit(1);
  }

  let identity;
  let policies;
  try {
    // A policy file that fails validation stops the server here, naming the file and place.
    policies = await loadPolicies(paths.policies);
    identity = await startIdentity(config, log);
  } catch (error) {
    log.error('start-up failed', { error: (error as Error).message });
    process.stderr.write(`${(error as Error).message}\n`);
    await sql.end({ timeout: 5 });
    await database.stop();
    process.exit(1);
  }

  const app = createApp({
    sql, log, config, auth: identity.auth, policies, development: identity.development,
    lookupRateLimit: { limit: config.LOOKUP_RATE_LIMIT, windowSeconds: 3600 },
  });
  const server = serve({ fetch: app.fetch, port: config.PORT }, (info) => {
    log.info('portal listening', {
      url: `http://localhost:${info.port}`,
      database: database.embedded ? 'embedded' : 'DATABASE_URL',
      startMs: Math.round(performance.now() - startedAt),
    });
  }) as Server;

  // Expired sessions are removed in the background; any node may do it.
  const purge = setInterval(() => {
    purgeExpired(sql, identity.auth.timeouts).catch((error) => log.warn('session purge failed', { error: (error as Error).message }));
  }, 5 * 60_000);
  purge.unref();
  // Seals new access-log rows into the hash chain, off the request path (any node may run it).
  const chain = startChainWorker(sql, log);
  // Writes the chain's head outside the database (a file, and a daily e-mail to information
  // governance), so rows cut from the log's end are noticed.
  const witness = startWitness(sql, log, witnessSettings(config));
  // Delivers queued notifications. Until a mail service is configured, every environment uses
  // the development transport: messages are recorded and shown at /dev/sent-messages (in
  // development), never e-mailed.
  const notifications = startNotificationWorker(sql, log, developmentTransport(sql));

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('shutting down', { signal });
    // close() stops accepting and resolves once in-flight requests have been answered;
    // keep-alive connections with nothing in flight are closed straight away.
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const force = setTimeout(() => server.closeAllConnections(), DRAIN_LIMIT_MS);
    force.unref();
    await closed;
    clearInterval(purge);
    await chain.stop();
    await witness.stop();
    await notifications.stop();
    await identity.stop();
    await sql.end({ timeout: 5 });
    await database.stop();
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

await main();
