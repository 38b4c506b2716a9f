// The access log partitioned by month (issue 15, point 3; migrations/030): partitions made ahead
// and idempotently from several connections at once, a row for a month with no partition kept in
// the default partition, old months retired (exported, verified, dropped) with the chain still
// verifying, audit:verify from its checkpoint and in full, and the migration from the old layout.
import { createHash } from 'node:crypto';
import { cp, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { recordAccess } from '../src/audit/access-log.ts';
import { chainHash, chainNewEntries, logColumns, verifyChain, type ChainableRow } from '../src/audit/chain.ts';
import { accessLogPartitions, addMonths, ensureAccessLogPartitions, monthOf, rowsInDefaultPartition } from '../src/audit/partitions.ts';
import { progressLine, progressReporter } from '../src/audit/progress.ts';
import { retirementCandidates, retireMonth, RetirementRefused } from '../src/audit/retire.ts';
import { connect, type Sql } from '../src/db/connect.ts';
import { collectMetrics } from '../src/health/metrics.ts';
import { defaultMigrationsDir, migrate } from '../src/db/migrate.ts';
import { accessEntry } from './support/access-entries.ts';
import { createTestDatabase, dropTestDatabase, type TestDatabase } from './support/database.ts';
import { runScript, runVerifyCli } from './support/verify-cli.ts';

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  while (cleanups.length) await cleanups.pop()!();
});
async function database(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const db = await createTestDatabase(options);
  cleanups.push(() => dropTestDatabase(db));
  return db;
}
async function folder(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}
const noWitness = () => path.join(tmpdir(), `no-witness-${process.pid}-${Date.now()}.jsonl`);

async function chainAll(sql: Sql): Promise<void> {
  while ((await chainNewEntries(sql)) > 0);
}

/** n rows at `at` (as the superuser the tests connect as, who may write a past time: a restore). */
async function rowsAt(sql: Sql, at: Date, n: number, tag: string): Promise<void> {
  await sql`
    insert into access_log (at, issuer, subject, user_name, role, child_id, action, request_id)
    select ${at}::timestamptz + make_interval(secs => i), 'https://idp.example', 'sub-' || i, 'Person ' || i,
           'ed_clinician', gen_random_uuid(), 'view_summary', ${tag} || '-' || i
    from generate_series(1, ${n}::int) as i`;
}

const tamper = (sql: Sql, requestId: string) =>
  sql.begin(async (tx) => {
    await tx`set local session_replication_role = replica`;
    await tx`update access_log set user_name = 'Someone Else' where request_id = ${requestId}`;
  });

describe('partitions made ahead', () => {
  it('are made for this month and the next three by the migration, and idempotently from two connections at once', async () => {
    const { sql, url } = await database();
    const now = new Date();
    const months = (await accessLogPartitions(sql)).map((p) => p.month);
    for (let i = 0; i <= 3; i++) expect(months).toContain(monthOf(addMonths(now, i)));
    expect(months).toContain(null); // the default

    const other = connect(url);
    cleanups.push(() => other.end());
    const from = addMonths(now, 12);
    const to = addMonths(now, 20);
    const [a, b] = await Promise.all([ensureAccessLogPartitions(sql, from, to), ensureAccessLogPartitions(other, from, to)]);
    expect(a + b).toBe(9); // nine months made once between them, whichever got the lock first
    expect(await ensureAccessLogPartitions(sql, from, to)).toBe(0);
    const after = (await accessLogPartitions(sql)).map((p) => p.month);
    for (let i = 12; i <= 20; i++) expect(after.filter((m) => m === monthOf(addMonths(now, i)))).toHaveLength(1);
    // A new partition is protected like the rest.
    const name = `access_log_${monthOf(from).slice(0, 7).replace('-', '_')}`;
    await expect(sql`truncate ${sql(name)}`).rejects.toMatchObject({ code: '42501' });
  });

  it('keeps a row for a month with no partition yet in the default, then moves it into the month when made', async () => {
    const { sql } = await database();
    const far = addMonths(new Date(), 40);
    await rowsAt(sql, far, 3, 'far');
    await recordAccess(sql, accessEntry());
    expect(await rowsInDefaultPartition(sql)).toBe(3);
    expect(await collectMetrics(sql)).toContain('portal_access_log_default_partition_entries 3\n');
    await chainAll(sql);
    expect(await verifyChain(sql)).toEqual({ ok: true, checked: 4, unchained: 0 });

    expect(await ensureAccessLogPartitions(sql, far, far)).toBe(1);
    expect(await rowsInDefaultPartition(sql)).toBe(0);
    const [moved] = await sql<{ partition: string; n: number }[]>`
      select tableoid::regclass::text as partition, count(*)::int as n from access_log where request_id like 'far-%' group by 1`;
    expect(moved).toEqual({ partition: `access_log_${monthOf(far).slice(0, 7).replace('-', '_')}`, n: 3 });
    // Same ids and times: the chain still verifies, and the default is protected as before.
    expect(await verifyChain(sql)).toEqual({ ok: true, checked: 4, unchained: 0 });
    await expect(sql`truncate access_log_default`).rejects.toMatchObject({ code: '42501' });
  });
});

describe('retirement', () => {
  async function oldLog(): Promise<TestDatabase & { old: Date[] }> {
    const db = await database();
    const now = new Date();
    const old = [addMonths(now, -30), addMonths(now, -29)];
    await ensureAccessLogPartitions(db.sql, old[0]!, old[1]!);
    await rowsAt(db.sql, old[0]!, 5, 'm30');
    await rowsAt(db.sql, old[1]!, 4, 'm29');
    for (let i = 0; i < 3; i++) await recordAccess(db.sql, accessEntry());
    await chainAll(db.sql);
    return { ...db, old };
  }

  it('exports each month older than the retention period, checks it, records it, drops it, and verify still passes', async () => {
    const { sql, url } = await oldLog();
    const dataDir = await folder('portal-retire-');
    const env = { DATABASE_URL: url, DATA_DIR: dataDir, LOG_LEVEL: 'silent', ACCESS_LOG_RETENTION_MONTHS: '24' };

    const dry = await runScript('src/audit/retire-cli.ts', env);
    expect(dry.stdout).toMatch(/Dry run: 2 month\(s\) before .* would be exported/);
    expect(dry.code).toBe(0);
    expect((await accessLogPartitions(sql)).length).toBeGreaterThanOrEqual(7); // nothing dropped

    const done = await runScript('src/audit/retire-cli.ts', env, '--confirm');
    expect(done.stdout).toMatch(/Retired \d{4}-\d{2}: 5 rows exported to .*access-log-\d{4}-\d{2}\.jsonl/);
    expect(done.stdout).toMatch(/Retired \d{4}-\d{2}: 4 rows exported/);
    expect(done.code).toBe(0);
    expect(await sql`select 1 from access_log where request_id like 'm%'`).toHaveLength(0);
    const [retired] = await sql<{ n: number }[]>`select count(*)::int as n from access_log_retirements`;
    expect(retired!.n).toBe(2);

    // The files: rows with their links, and a manifest whose SHA-256 is the file's.
    const dir = path.join(dataDir, 'access-log-retired');
    const files = (await readdir(dir)).sort();
    expect(files).toHaveLength(4);
    const manifest = JSON.parse(await readFile(path.join(dir, files.find((f) => f.endsWith('.manifest.json'))!), 'utf8'));
    const data = await readFile(path.join(dir, manifest.file));
    expect(createHash('sha256').update(data).digest('hex')).toBe(manifest.sha256);
    expect(data.toString('utf8').trim().split('\n')).toHaveLength(manifest.rows);

    for (const args of [[], ['--full']]) {
      const verify = await runVerifyCli(url, noWitness(), ...args);
      expect(verify.stdout).toMatch(/Access log chain intact/);
      expect(verify.code).toBe(0);
    }
    const full = await runVerifyCli(url, noWitness(), '--full');
    expect(full.stdout).toContain('Access log chain intact after the retirement anchor at position 9');

    // A retained row deleted afterwards is still found.
    const [kept] = await sql<{ id: string }[]>`select id::text from access_log order by id limit 1`;
    await sql.begin(async (tx) => {
      await tx`set local session_replication_role = replica`;
      await tx`delete from access_log where id = ${kept!.id}::bigint`;
    });
    const broken = await runVerifyCli(url, noWitness(), '--full');
    expect(broken.stdout).toContain(`BROKEN at position 10 (access_log id ${kept!.id}): row deleted since it was chained`);
    expect(broken.code).toBe(1);
  });

  it('refuses a month holding a row changed since it was chained, and keeps the partition', async () => {
    const { sql } = await oldLog();
    await tamper(sql, 'm30-2');
    const dir = await folder('portal-retire-');
    const [first] = await retirementCandidates(sql, 24);
    expect(first!.rows).toBe(5);
    await expect(retireMonth(sql, first!, dir)).rejects.toThrow(RetirementRefused);
    await expect(retireMonth(sql, first!, dir)).rejects.toThrow(/does not match its hash/);
    expect(await readdir(dir)).toEqual([]); // an export that does not verify is not kept
    expect(await sql`select 1 from access_log where request_id like 'm30-%'`).toHaveLength(5);
    expect(await sql`select 1 from access_log_retirements`).toHaveLength(0);
  });

  it('retires nothing when no retention period is set', async () => {
    const { url } = await oldLog();
    const run = await runScript('src/audit/retire-cli.ts', { DATABASE_URL: url, LOG_LEVEL: 'silent', ACCESS_LOG_RETENTION_MONTHS: '' }, '--confirm');
    expect(run.stdout).toMatch(/kept forever: nothing to retire/);
    expect(run.code).toBe(0);
  });
});

describe('incremental audit:verify', () => {
  it('checks from the last checkpoint by default, finds tampering after it; --full finds tampering before it', async () => {
    const { sql, url } = await database();
    for (let i = 0; i < 5; i++) await recordAccess(sql, accessEntry({ requestId: `first-${i}` }));
    await chainAll(sql);
    const first = await runVerifyCli(url, noWitness());
    expect(first.stdout).toContain('Access log chain intact: 5 rows checked');
    expect(first.code).toBe(0);

    for (let i = 0; i < 3; i++) await recordAccess(sql, accessEntry({ requestId: `second-${i}` }));
    await chainAll(sql);
    const second = await runVerifyCli(url, noWitness());
    expect(second.stdout).toMatch(/intact after the checkpoint at position 5 \(verified .*\): 3 rows checked/);

    // Tampering before the checkpoint (position 8 now) is not looked at by default…
    await tamper(sql, 'first-1');
    expect((await runVerifyCli(url, noWitness())).code).toBe(0);
    // …but --full finds it, with its progress on stderr.
    const full = await runVerifyCli(url, noWitness(), '--full');
    expect(full.stdout).toContain('BROKEN at position 2');
    expect(full.code).toBe(1);

    // Tampering after the checkpoint is found by the default run.
    const { sql: sql2, url: url2 } = await database();
    for (let i = 0; i < 4; i++) await recordAccess(sql2, accessEntry({ requestId: `a-${i}` }));
    await chainAll(sql2);
    expect((await runVerifyCli(url2, noWitness())).code).toBe(0);
    for (let i = 0; i < 4; i++) await recordAccess(sql2, accessEntry({ requestId: `b-${i}` }));
    await chainAll(sql2);
    await tamper(sql2, 'b-2');
    const found = await runVerifyCli(url2, noWitness());
    expect(found.stdout).toContain('BROKEN at position 7');
    expect(found.code).toBe(1);
  });

  it('says so when the checkpoint itself no longer holds, and checks everything', async () => {
    const { sql, url } = await database();
    for (let i = 0; i < 4; i++) await recordAccess(sql, accessEntry());
    await chainAll(sql);
    expect((await runVerifyCli(url, noWitness())).code).toBe(0);
    await sql.begin(async (tx) => {
      await tx`set local session_replication_role = replica`;
      await tx`update access_log_chain set hash = sha256('rewritten') where position = 4`;
    });
    const run = await runVerifyCli(url, noWitness());
    expect(run.stdout).toMatch(/Access log CHANGED: an earlier check verified position 4/);
    expect(run.code).toBe(1);
  });
});

describe('migration 030 from the old layout', () => {
  it('keeps every row, id and time, and the chain still verifies and grows', async () => {
    const { sql } = await database({ migrate: false });
    const dir = await folder('portal-migrations-');
    await cp(defaultMigrationsDir, dir, { recursive: true });
    await rm(path.join(dir, '030_access_log_partitions.sql'));
    await migrate(sql, dir);
    const old = addMonths(new Date(), -14);
    await rowsAt(sql, old, 20, 'old');
    for (let i = 0; i < 5; i++) await recordAccess(sql, accessEntry());
    // Chained as the code before 030 did: no log_at (the chain had a foreign key instead).
    const rows = await sql<ChainableRow[]>`select ${logColumns(sql)} from access_log a order by a.id`;
    let previous: Buffer | null = null;
    for (const [index, row] of rows.entries()) {
      const hash = chainHash(previous, row);
      await sql`insert into access_log_chain (position, log_id, previous_hash, hash) values (${index + 1}, ${row.id}::bigint, ${previous}, ${hash})`;
      previous = hash;
    }
    const before = await sql`select id, at, request_id from access_log order by id`;

    await migrate(sql);
    const after = await sql`select id, at, request_id from access_log order by id`;
    expect(after).toEqual(before);
    const [kind] = await sql<{ relkind: string }[]>`select relkind from pg_class where relname = 'access_log'`;
    expect(kind!.relkind).toBe('p');
    expect(await verifyChain(sql)).toEqual({ ok: true, checked: 25, unchained: 0 });

    await recordAccess(sql, accessEntry());
    const [next] = await sql<{ newer: boolean }[]>`select max(id) > ${before.at(-1)!.id} as newer from access_log`;
    expect(next!.newer).toBe(true);
    await chainAll(sql);
    expect(await verifyChain(sql)).toEqual({ ok: true, checked: 26, unchained: 0 });
  });
});

describe('the full check’s progress', () => {
  it('draws a bar with the rate and time left on a terminal, and plain lines otherwise', () => {
    expect(progressLine(250_000, 1_000_000, 5_000, true)).toBe(
      '[########----------------------] 250,000 of 1,000,000 rows (25%), 50,000 rows/s, about 15 s left');
    expect(progressLine(250_000, 1_000_000, 5_000, false)).toBe('Checked 250,000 of 1,000,000 rows (25%), 50,000 rows/s, about 15 s left');

    const written: string[] = [];
    let clock = 0;
    const stream = (tty: boolean) => ({ isTTY: tty, write: (text: string) => written.push(text) }) as unknown as NodeJS.WriteStream;
    const plain = progressReporter(100, stream(false), { now: () => clock, everyMs: 1000 });
    clock = 500;
    plain.update(10); // too soon for another line
    clock = 1500;
    plain.update(30);
    plain.done();
    expect(written).toEqual(['Checked 30 of 100 rows (30%), 20 rows/s, about 4 s left\n', 'Checked 30 of 100 rows (30%), 20 rows/s, about 4 s left\n']);

    written.length = 0;
    clock = 0;
    const bar = progressReporter(100, stream(true), { now: () => clock });
    clock = 1000;
    bar.update(50);
    expect(written[0]).toMatch(/^\r\[#{15}-{15}\] 50 of 100 rows \(50%\), 50 rows\/s, about 1 s left\u001b\[K$/);
  });
});
