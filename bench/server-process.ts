// Starts the portal for the benchmark as `npm start` runs it (bench/server.ts: supervisor, then
// WEB_CONCURRENCY cluster workers), in a child process on free loopback ports, against the
// benchmark's database, and stops it again. The load generator thus never shares the server's
// event loop, and the server's memory can be read from /proc.
import { spawn } from 'node:child_process';
import { readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../tools/http/free-port.ts';

export interface BenchServer {
  baseUrl: string;
  /** Samples the resident memory of the supervisor and its workers every `everyMs`; stop() gives the most seen, in bytes. */
  sampleRss(everyMs: number): { stop(): number };
  /** The supervisor's child processes (its workers). */
  workerCount(): Promise<number>;
  stop(): Promise<void>;
}

const START_LIMIT_MS = 120_000;
const STOP_LIMIT_MS = 30_000;

export async function startBenchServer(databaseUrl: string, workers: number): Promise<BenchServer> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const witnessFile = path.join(os.tmpdir(), `portal-bench-witness-${process.pid}-${port}.jsonl`);
  // BENCH_CPU_PROF=folder: a V8 CPU profile of each server process, written when it stops (open
  // the .cpuprofile files in Chrome DevTools' Performance panel). On the command line, as Node 24
  // refuses --cpu-prof in NODE_OPTIONS; the cluster's workers inherit it.
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', fileURLToPath(new URL('./server.ts', import.meta.url))], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      DEV_IDP_PORT: String(await freePort()),
      PUBLIC_URL: baseUrl,
      WEB_CONCURRENCY: String(workers),
      // Not "development": that recompiles every template on every request.
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      // One clinician makes thousands of lookups, and signs in again for each worker count: the
      // limits' counters still run (their cost is measured) with limits the load cannot reach.
      LOOKUP_RATE_LIMIT: '10000000',
      SIGN_IN_RATE_LIMIT: '100000',
      SIGN_IN_ADDRESS_RATE_LIMIT: '100000',
      SESSION_IDLE_MINUTES: '120',
      // The chain head's witness belongs to this throw-away database, not to the project's data folder.
      AUDIT_WITNESS_FILE: witnessFile,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let gone = false;
  void exited.then(() => (gone = true));

  const deadline = Date.now() + START_LIMIT_MS;
  for (;;) {
    if (gone) throw new Error('the bench server exited while starting');
    try {
      if ((await fetch(`${baseUrl}/readyz`)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the bench server was not ready within ${START_LIMIT_MS / 1000} s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }

  const workerPids = async (): Promise<number[]> => {
    const pids: number[] = [];
    for (const entry of await readdir('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
      // The parent pid is the second field after the command's closing parenthesis.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === child.pid) pids.push(Number(entry));
    }
    return pids;
  };
  const rss = async (): Promise<number> => {
    const pids = [child.pid!, ...(await workerPids())];
    let total = 0;
    for (const pid of pids) {
      const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
      total += Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
    }
    return total;
  };

  return {
    baseUrl,
    // The cluster's workers run this same script; tsx's esbuild service is a child too, but serves nothing.
    workerCount: async () => {
      let count = 0;
      for (const pid of await workerPids()) {
        if ((await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).includes('server.ts')) count += 1;
      }
      return count;
    },
    sampleRss(everyMs) {
      let most = 0;
      const sample = () => void rss().then((bytes) => (most = Math.max(most, bytes)));
      sample();
      const timer = setInterval(sample, everyMs);
      return {
        stop() {
          clearInterval(timer);
          return most;
        },
      };
    },
    async stop() {
      if (gone) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_LIMIT_MS);
      await exited;
      clearTimeout(timer);
      await rm(witnessFile, { force: true });
    },
  };
}
