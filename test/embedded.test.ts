// The embedded default: a private PostgreSQL under DATA_DIR that keeps its data across
// restarts, and is shared (not started twice) when a second process uses the same DATA_DIR.
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { connect } from '../src/db/connect.ts';
import { startEmbedded } from '../src/db/embedded.ts';
import { createLogger } from '../src/log.ts';

const log = createLogger('silent');
const dir = await mkdtemp(path.join(tmpdir(), 'portal-embedded-'));
await chmod(dir, 0o755);
const dataDir = path.join(dir, 'data');
afterAll(() => rm(dir, { recursive: true, force: true }));

it('keeps its data across a restart, and a second process on the same DATA_DIR shares it', async () => {
  const first = await startEmbedded(dataDir, log);
  expect(first).toMatchObject({ owned: true, created: true });
  let sql = connect(first.url, { max: 1 });
  try {
    await sql`create table kept (note text)`;
    await sql`insert into kept values ('still here')`;
    expect((await sql`select version()`)[0]!.version).toMatch(/^PostgreSQL 18/);

    const second = await startEmbedded(dataDir, log);
    expect(second).toMatchObject({ owned: false, created: false, url: first.url });
    const shared = connect(second.url, { max: 1 });
    expect(await shared`select note from kept`).toEqual([{ note: 'still here' }]);
    await shared.end();
    await second.stop(); // does nothing: the first process owns the server
    expect((await sql`select 1 as up`)[0]!.up).toBe(1);
  } finally {
    await sql.end();
    await first.stop();
  }

  const again = await startEmbedded(dataDir, log);
  expect(again).toMatchObject({ owned: true, created: false });
  sql = connect(again.url, { max: 1 });
  try {
    expect(await sql`select note from kept`).toEqual([{ note: 'still here' }]);
  } finally {
    await sql.end();
    await again.stop();
  }
}, 60_000);
