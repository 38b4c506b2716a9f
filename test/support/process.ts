// Runs `src/server.ts` as a real child process (as `npm start` does), for start-up and
// shutdown tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { paths } from '../../src/paths.ts';
import { freePort } from '../../tools/http/free-port.ts';

// freePort lives in tools/http/, shared with bench/; re-exported for the tests that take it from here.
export { freePort };

export interface ServerProcess {
  child: ChildProcess;
  baseUrl: string;
  output: string[];
  exited: Promise<number | null>;
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<string>;
  waitUntilReady(timeoutMs?: number): Promise<void>;
}

export async function spawnServer(env: Record<string, string>): Promise<ServerProcess> {
  const port = await freePort();
  // A DATA_DIR of its own unless the test names one: the portal keeps files there (the access
  // log's witness, the embedded database), and a test must never write into the checkout's ./data.
  const dataDir = env.DATA_DIR ?? mkdtempSync(path.join(tmpdir(), 'portal-process-'));
  if (!env.DATA_DIR) chmodSync(dataDir, 0o755);
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: paths.root,
    env: { ...process.env, PORT: String(port), LOG_LEVEL: 'info', DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const listeners = new Set<() => void>();
  const collect = (chunk: Buffer) => {
    output.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    for (const listener of listeners) listener();
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const baseUrl = `http://127.0.0.1:${port}`;

  function waitForOutput(pattern: RegExp, timeoutMs = 20_000): Promise<string> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const line = output.find((l) => pattern.test(l));
        if (line) {
          listeners.delete(check);
          clearTimeout(timer);
          resolve(line);
        }
      };
      const timer = setTimeout(() => {
        listeners.delete(check);
        reject(new Error(`no output matching ${pattern} in:\n${output.join('\n')}`));
      }, timeoutMs);
      listeners.add(check);
      check();
    });
  }

  async function waitUntilReady(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`server exited ${child.exitCode}:\n${output.join('\n')}`);
      try {
        if ((await fetch(`${baseUrl}/readyz`)).status === 200) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`server not ready after ${timeoutMs} ms:\n${output.join('\n')}`);
  }

  return { child, baseUrl, output, exited, waitForOutput, waitUntilReady };
}
