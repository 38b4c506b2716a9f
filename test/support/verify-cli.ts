// Runs the real `npm run audit:verify` program (src/audit/verify-cli.ts) as a child process
// against a database and a witness file, and gathers what it printed and its exit code.
import { spawn } from 'node:child_process';
import { paths } from '../../src/paths.ts';

export function runVerifyCli(url: string, witnessFile: string, ...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return runScript('src/audit/verify-cli.ts', { DATABASE_URL: url, AUDIT_WITNESS_FILE: witnessFile, LOG_LEVEL: 'silent' }, ...args);
}

/** Runs one of the portal's programs (a path under the repository) as `npm run` would, with these variables added. */
export function runScript(script: string, env: Record<string, string>, ...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      cwd: paths.root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Polls until `check` holds, or throws after `timeoutMs`. */
export async function waitFor(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not true after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
