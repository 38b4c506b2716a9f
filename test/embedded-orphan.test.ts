// The embedded database left behind by a portal that was killed (kill -9 leaves PostgreSQL
// running) is adopted by the next start, not merely shared, and stopped on its clean stop.
import { spawn } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { connect } from '../src/db/connect.ts';
import { startEmbedded } from '../src/db/embedded.ts';
import { createLogger } from '../src/log.ts';
import { paths } from '../src/paths.ts';
import { alive, killLeftoverServer, postmasterPid } from './support/embedded-server.ts';

const dir = await mkdtemp(path.join(tmpdir(), 'portal-orphan-'));
await chmod(dir, 0o755);
const dataDir = path.join(dir, 'data');
const pidOf = () => postmasterPid(dataDir);
afterAll(async () => {
  await killLeftoverServer(dataDir);
  await rm(dir, { recursive: true, force: true });
});

it('adopts the database of a killed portal and stops it on the next clean stop', async () => {
  // A "portal" that starts the embedded database, says so, and is then killed with SIGKILL.
  const script = `import { startEmbedded } from './src/db/embedded.ts';
import { createLogger } from './src/log.ts';
await startEmbedded(${JSON.stringify(dataDir)}, createLogger('silent'));
process.stdout.write('started\\n');
setInterval(() => {}, 1000);`;
  const owner = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: paths.root, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    owner.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('started') && resolve());
    owner.on('exit', (code) => reject(new Error(`owner exited ${code}`)));
  });
  const orphan = await pidOf();
  owner.kill('SIGKILL');
  await new Promise((r) => owner.once('exit', r));
  expect(alive(orphan)).toBe(true); // left running

  const lines: string[] = [];
  const adopted = await startEmbedded(dataDir, createLogger('info', (line) => lines.push(line)));
  expect(adopted).toMatchObject({ owned: true, created: false });
  expect(lines.join('\n')).toContain('adopted');
  const sql = connect(adopted.url, { max: 1 });
  expect((await sql`select 1 as up`)[0]!.up).toBe(1);
  await sql.end();
  await adopted.stop();
  expect(alive(orphan)).toBe(false);
}, 90_000);
