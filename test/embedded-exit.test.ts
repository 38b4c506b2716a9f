// A process that exits without a clean stop still stops the embedded server it started, and
// exiting raises no error of its own. (The package's own exit hook called a callback it was
// never given: an unhandled rejection that a test runner reported as a failed run.)
import { spawn } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { paths } from '../src/paths.ts';
import { alive, killLeftoverServer, postmasterPid } from './support/embedded-server.ts';

const dir = await mkdtemp(path.join(tmpdir(), 'portal-exit-'));
await chmod(dir, 0o755);
const dataDir = path.join(dir, 'data');
const pidOf = () => postmasterPid(dataDir);
afterAll(async () => {
  await killLeftoverServer(dataDir);
  await rm(dir, { recursive: true, force: true });
});

it("stops the server it started when the process emits 'exit', with no unhandled rejection", async () => {
  // 'exit' is emitted by hand so the process lives on long enough to report what followed it.
  const script = `import { startEmbedded } from './src/db/embedded.ts';
import { createLogger } from './src/log.ts';
process.on('unhandledRejection', (e) => { process.stdout.write('unhandled: ' + (e && e.message) + '\\n'); });
await startEmbedded(${JSON.stringify(dataDir)}, createLogger('silent'));
process.stdout.write('started\\n');
setTimeout(() => process.emit('exit', 0), 0); // after the module has finished loading
setTimeout(() => process.stdout.write('done\\n'), 500);`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: paths.root, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const code = await new Promise((resolve) => child.once('exit', resolve));
  expect(code).toBe(0);
  expect(out).toContain('started');
  expect(out).toContain('done');
  expect(out).not.toContain('unhandled');
  const pid = await pidOf().catch(() => 0);
  for (let i = 0; i < 100 && pid && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  expect(pid === 0 || !alive(pid)).toBe(true);
}, 60_000);
