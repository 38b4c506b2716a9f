// The access log (DESIGN.md §5): one plain INSERT per look at a child's record, append-only
// whatever role connects, hash-chained in the background, and verifiable.
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { recordAccess, searchAccessLog, viewsOfChild, type AccessEntry } from '../src/audit/access-log.ts';
import { chainNewEntries, startChainWorker, verifyChain } from '../src/audit/chain.ts';
import { connect, withDatabase, type Sql } from '../src/db/connect.ts';
import { createLogger } from '../src/log.ts';
import { createTestDatabase, dropTestDatabase, useTestDatabase, type TestDatabase } from './support/database.ts';
import { runVerifyCli, waitFor } from './support/verify-cli.ts';
import { accessEntry } from './support/access-entries.ts';

const db = useTestDatabase();

// Tampering tests break the chain for good, so each gets a database of its own.
const extraDatabases: TestDatabase[] = [];
afterAll(async () => {
  await Promise.all(extraDatabases.map((extra) => dropTestDatabase(extra)));
});
async function separateDatabase(): Promise<TestDatabase> {
  const extra = await createTestDatabase();
  extraDatabases.push(extra);
  return extra;
}

const entry = accessEntry;

async function chainAll(sql: Sql): Promise<number> {
  let total = 0;
  for (;;) {
    const chained = await chainNewEntries(sql);
    if (chained === 0) return total;
    total += chained;
  }
}

const count = async (sql: Sql, table: 'access_log' | 'access_log_chain') =>
  Number((await sql<{ n: string }[]>`select count(*)::text as n from ${sql(table)}`)[0]!.n);

/** Adds n rows straight in SQL (fast), as if n views had happened. */
async function bulkInsert(sql: Sql, n: number): Promise<void> {
  await sql`
    insert into access_log (issuer, subject, user_name, organisation_id, organisation_name, role,
                            child_id, action, fields_released, reason, request_id)
    select 'https://idp.example.police.uk', 'officer-' || (i % 50), 'PC ' || i, null, 'Example Constabulary',
           'police_officer', gen_random_uuid(), 'lookup', array['forename', 'dateOfBirth'],
           'Welfare check ' || i, 'bulk-' || i
    from generate_series(1, ${n}::int) as i`;
}

// A witness file of its own that does not exist: whatever a portal run in this folder left under
// ./data is no witness of this test's database (test/audit-witness.test.ts tests witnesses).
const verifyCli = (url: string) => runVerifyCli(url, path.join(tmpdir(), `no-witness-${process.pid}-${Date.now()}.jsonl`));


describe('recordAccess', () => {
  it('inserts one row with every field', async () => {
    const { sql } = db();
    const written = entry({ action: 'view_summary', reason: null });
    await recordAccess(sql, written);
    const rows = await sql`select * from access_log where request_id = ${written.requestId}`;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      issuer: written.issuer, subject: written.subject, user_name: written.userName,
      organisation_id: written.organisationId, organisation_name: written.organisationName, role: written.role,
      child_id: written.childId, action: 'view_summary', fields_released: written.fieldsReleased, reason: null,
    });
    expect(rows[0]!.at).toBeInstanceOf(Date);
  });

  it('records a lookup that matched nobody, and works inside a transaction', async () => {
    const { sql } = db();
    const written = entry({ childId: null, organisationId: null, organisationName: null, fieldsReleased: [] });
    await sql.begin(async (tx) => recordAccess(tx, written));
    const [row] = await sql`select child_id, fields_released from access_log where request_id = ${written.requestId}`;
    expect(row).toEqual({ child_id: null, fields_released: [] });
  });

  it('refuses an action it does not know', async () => {
    const bad = { ...entry(), action: 'export' } as unknown as AccessEntry;
    await expect(recordAccess(db().sql, bad)).rejects.toMatchObject({ code: '23514' });
  });
});

describe('append-only', () => {
  it('refuses update, delete and truncate on both tables with SQLSTATE 42501', async () => {
    const { sql } = db();
    await recordAccess(sql, entry());
    await chainAll(sql);
    const refused = { code: '42501', message: expect.stringMatching(/append-only/) };

    await expect(sql`update access_log set reason = 'edited'`).rejects.toMatchObject(refused);
    await expect(sql`delete from access_log`).rejects.toMatchObject(refused);
    await expect(sql`truncate access_log cascade`).rejects.toMatchObject(refused);
    await expect(sql`truncate access_log, access_log_chain`).rejects.toMatchObject(refused);
    // On its own too (the chain no longer has a foreign key to it since migrations/030), and each
    // partition, the one holding the row and the default, named directly: statement triggers are
    // not cloned onto partitions, so each has its own.
    await expect(sql`truncate access_log`).rejects.toMatchObject(refused);
    const [partition] = await sql<{ name: string }[]>`select tableoid::regclass::text as name from access_log limit 1`;
    for (const name of [partition!.name, 'access_log_default']) await expect(sql`truncate ${sql(name)}`).rejects.toMatchObject(refused);
    // Row triggers fire on the partition holding the row, named directly as well.
    await expect(sql`delete from ${sql(partition!.name)}`).rejects.toMatchObject(refused);
    await expect(sql`update ${sql(partition!.name)} set reason = 'edited'`).rejects.toMatchObject(refused);
    await expect(sql`update access_log_chain set hash = sha256('x')`).rejects.toMatchObject(refused);
    await expect(sql`delete from access_log_chain`).rejects.toMatchObject(refused);
    await expect(sql`truncate access_log_chain`).rejects.toMatchObject(refused);
    expect(await count(sql, 'access_log')).toBeGreaterThan(0);
    expect(await count(sql, 'access_log_chain')).toBe(await count(sql, 'access_log'));
  });
});

describe('chainNewEntries and verifyChain', () => {
  it('chains every new row in position order, then finds nothing new', async () => {
    const { sql } = db();
    for (let i = 0; i < 7; i++) await recordAccess(sql, entry());
    await chainAll(sql);
    expect(await chainNewEntries(sql)).toBe(0);

    const chain = await sql<{ position: string; log_id: string; linked: boolean }[]>`
      select c.position::text, c.log_id::text,
             c.previous_hash is not distinct from lag(c.hash) over (order by c.position) as linked
      from access_log_chain c order by c.position`;
    expect(chain.map((link) => Number(link.position))).toEqual(chain.map((_, i) => i + 1));
    expect(chain.every((link) => link.linked)).toBe(true);
    // With no stragglers, position order is id order.
    const ids = chain.map((link) => Number(link.log_id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(await verifyChain(sql)).toEqual({ ok: true, checked: chain.length, unchained: 0 });
  });

  it('chains in batches', async () => {
    const { sql } = db();
    for (let i = 0; i < 5; i++) await recordAccess(sql, entry());
    expect(await chainNewEntries(sql, { batchSize: 2 })).toBe(2);
    expect(await chainNewEntries(sql, { batchSize: 2 })).toBe(2);
    expect(await chainNewEntries(sql, { batchSize: 2 })).toBe(1);
    expect(await chainNewEntries(sql, { batchSize: 2 })).toBe(0);
    expect((await verifyChain(sql)).ok).toBe(true);
  });

  it('counts rows not yet chained', async () => {
    const { sql } = db();
    await recordAccess(sql, entry());
    await recordAccess(sql, entry());
    expect(await verifyChain(sql)).toMatchObject({ ok: true, unchained: 2 });
    await chainAll(sql);
    expect(await verifyChain(sql)).toMatchObject({ ok: true, unchained: 0 });
  });

  it('chains a row whose transaction commits after a later row was chained', async () => {
    const { sql } = db();
    const early = entry({ reason: 'slow transaction' });
    const late = entry({ reason: 'quick one' });
    const slow = await sql.reserve();
    try {
      await slow`begin`;
      await recordAccess(slow, early); // takes the lower id, not yet committed
      await recordAccess(sql, late); // higher id, committed at once
      await chainAll(sql);
      await slow`commit`;
    } finally {
      slow.release();
    }
    expect(await chainNewEntries(sql)).toBe(1);

    const [earlyLink, lateLink] = await Promise.all(
      [early, late].map(async (e) => (await sql<{ id: string; position: string }[]>`
        select a.id::text, c.position::text from access_log a join access_log_chain c on c.log_id = a.id
        where a.request_id = ${e.requestId}`)[0]!),
    );
    expect(BigInt(earlyLink!.id)).toBeLessThan(BigInt(lateLink!.id));
    expect(BigInt(earlyLink!.position)).toBeGreaterThan(BigInt(lateLink!.position));
    expect(await verifyChain(sql)).toMatchObject({ ok: true, unchained: 0 });
  });

  it('with lookBehind, looks only near the end of the log; a full pass finds older late commits', async () => {
    const { sql } = db();
    await chainAll(sql);
    const slow = await sql.reserve();
    try {
      await slow`begin`;
      await recordAccess(slow, entry());
      for (let i = 0; i < 5; i++) await recordAccess(sql, entry());
      expect(await chainNewEntries(sql, { lookBehind: 2 })).toBe(5);
      await slow`commit`;
    } finally {
      slow.release();
    }
    expect(await chainNewEntries(sql, { lookBehind: 2 })).toBe(0);
    expect(await verifyChain(sql)).toMatchObject({ ok: true, unchained: 1 });
    expect(await chainNewEntries(sql)).toBe(1);
    expect(await verifyChain(sql)).toMatchObject({ ok: true, unchained: 0 });
  });

  it('lets several callers chain at once without forking the chain', async () => {
    const { sql, url } = db();
    const other = connect(url, { max: 2 });
    try {
      for (let i = 0; i < 30; i++) await recordAccess(sql, entry());
      await Promise.all([chainAll(sql), chainAll(other), chainNewEntries(sql, { batchSize: 7 })]);
      expect(await verifyChain(sql)).toMatchObject({ ok: true, unchained: 0 });
    } finally {
      await other.end();
    }
  });
});

describe('tampering', () => {
  async function chainedDatabase(rows: number): Promise<TestDatabase> {
    const extra = await separateDatabase();
    for (let i = 0; i < rows; i++) await recordAccess(extra.sql, entry({ reason: `reason ${i}` }));
    await chainAll(extra.sql);
    return extra;
  }
  const positionOf = async (sql: Sql, id: string) =>
    (await sql<{ position: string }[]>`select position::text from access_log_chain where log_id = ${id}::bigint`)[0]!.position;
  const idAt = async (sql: Sql, position: number) =>
    (await sql<{ id: string }[]>`select log_id::text as id from access_log_chain where position = ${position}`)[0]!.id;

  it('finds a row edited after it was chained (the owner disabling the trigger)', async () => {
    const { sql } = await chainedDatabase(6);
    const id = await idAt(sql, 4);
    await sql.begin(async (tx) => {
      await tx`alter table access_log disable trigger access_log_no_update_delete`;
      await tx`update access_log set reason = 'changed afterwards' where id = ${id}::bigint`;
      await tx`alter table access_log enable trigger access_log_no_update_delete`;
    });
    expect(await verifyChain(sql)).toEqual({
      ok: false, checked: 3, firstBroken: { position: '4', logId: id, problem: 'row changed since it was chained' },
    });
  });

  it('finds a change to the time by a single microsecond', async () => {
    const { sql } = await chainedDatabase(3);
    const id = await idAt(sql, 2);
    await sql.begin(async (tx) => {
      await tx`set local session_replication_role = replica`; // user triggers do not fire
      await tx`update access_log set at = at + interval '1 microsecond' where id = ${id}::bigint`;
    });
    expect(await verifyChain(sql)).toMatchObject({ ok: false, firstBroken: { position: '2', problem: 'row changed since it was chained' } });
  });

  it('finds a deleted log row, and a deleted chain row', async () => {
    const { sql } = await chainedDatabase(8);
    const logGone = await idAt(sql, 3);
    await sql.begin(async (tx) => {
      // Replica mode skips the append-only triggers and the foreign key alike.
      await tx`set local session_replication_role = replica`;
      await tx`delete from access_log where id = ${logGone}::bigint`;
    });
    expect(await verifyChain(sql)).toEqual({
      ok: false, checked: 2, firstBroken: { position: '3', logId: logGone, problem: 'row deleted since it was chained' },
    });

    const { sql: other } = await chainedDatabase(8);
    const nextId = await idAt(other, 6);
    await other.begin(async (tx) => {
      await tx`alter table access_log_chain disable trigger access_log_chain_no_update_delete`;
      await tx`delete from access_log_chain where position = 5`;
      await tx`alter table access_log_chain enable trigger access_log_chain_no_update_delete`;
    });
    expect(await verifyChain(other)).toMatchObject({
      ok: false, checked: 4, firstBroken: { position: '6', logId: nextId, problem: expect.stringMatching(/missing before it/) },
    });
  });

  it('finds a rewritten chain link', async () => {
    const { sql } = await chainedDatabase(5);
    const id = await idAt(sql, 2);
    expect(await positionOf(sql, id)).toBe('2');
    await sql.begin(async (tx) => {
      await tx`set local session_replication_role = replica`;
      // Re-hashing one link to match an edited row still breaks the next link.
      await tx`update access_log set reason = 'covered up' where id = ${id}::bigint`;
      await tx`update access_log_chain set hash = sha256('anything') where position = 2`;
    });
    const result = await verifyChain(sql);
    expect(result).toMatchObject({ ok: false, checked: 1, firstBroken: { position: '2' } });
  });
});

describe('npm run audit:verify', () => {
  it('exits 0 and says so when the chain is intact', async () => {
    const { sql, url } = db();
    await chainAll(sql);
    await recordAccess(sql, entry()); // one left for the background step
    const chained = await count(sql, 'access_log_chain');
    const { code, stdout } = await verifyCli(url);
    expect(stdout).toContain(`Access log chain intact: ${chained.toLocaleString('en-GB')} rows checked, 1 not yet chained.`);
    expect(code).toBe(0);
    // It only reads: the waiting row is still waiting.
    expect(await count(sql, 'access_log_chain')).toBe(chained);
  });

  it('exits 1 and names the position when the chain is broken', async () => {
    const { sql, url } = await separateDatabase();
    for (let i = 0; i < 4; i++) await recordAccess(sql, entry());
    await chainAll(sql);
    const [link] = await sql<{ id: string }[]>`select log_id::text as id from access_log_chain where position = 3`;
    await sql.begin(async (tx) => {
      await tx`set local session_replication_role = replica`;
      await tx`update access_log set user_name = 'Someone Else' where id = ${link!.id}::bigint`;
    });
    const { code, stdout } = await verifyCli(url);
    expect(stdout).toContain(`Access log chain BROKEN at position 3 (access_log id ${link!.id}): row changed since it was chained.`);
    expect(code).toBe(1);
  });

  it('exits 2 when the database has no access log', async () => {
    const { url } = await createTestDatabase({ migrate: false }).then((empty) => (extraDatabases.push(empty), empty));
    const { code, stderr } = await verifyCli(url);
    expect(stderr).toMatch(/no access log yet/);
    expect(code).toBe(2);
  });
});

describe('startChainWorker', () => {
  it('chains rows written after it started, and stops', async () => {
    const { sql } = db();
    const warnings: string[] = [];
    const log = createLogger('warn', (line) => warnings.push(line));
    const worker = startChainWorker(sql, log, { intervalMs: 50 });
    try {
      for (let i = 0; i < 3; i++) await recordAccess(sql, entry());
      await waitFor(async () => (await verifyChain(sql)).ok && (await count(sql, 'access_log_chain')) === (await count(sql, 'access_log')));
    } finally {
      await worker.stop();
    }
    expect(warnings).toEqual([]);
    // Stopped: nothing more is chained.
    await recordAccess(sql, entry());
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await verifyChain(sql)).toMatchObject({ ok: true, unchained: 1 });
    await chainAll(sql);
  });

  it('ends a tick once the backlog it found is chained, while looks keep arriving: those wait for the next tick', async () => {
    const { url } = await separateDatabase();
    const sql = connect(url, { max: 4 });
    try {
      await bulkInsert(sql, 100);
      // Only the first tick runs (straight away): the next is a minute off.
      const worker = startChainWorker(sql, createLogger('warn', () => {}), { intervalMs: 60_000 });
      // Looks arriving one after another all the while, as under steady load.
      const until = Date.now() + 1500;
      while (Date.now() < until) await recordAccess(sql, entry());
      await worker.stop();

      // Each call of chainNewEntries is one transaction, so one chained_at: the backlog's call
      // and the look-back's call, not a call for every few looks that came in meanwhile.
      const [{ calls }] = await sql<[{ calls: number }]>`select count(distinct chained_at)::int as calls from access_log_chain`;
      expect(calls).toBeGreaterThanOrEqual(1);
      expect(calls).toBeLessThanOrEqual(2);
      expect(await count(sql, 'access_log_chain')).toBeGreaterThanOrEqual(100);
      // The looks after the tick are left for the next one, not lost: the chain still verifies.
      const verified = await verifyChain(sql);
      expect(verified.ok).toBe(true);
      expect(verified.ok && verified.unchained).toBeGreaterThan(0);
    } finally {
      await sql.end();
    }
  });

  it('logs a failure as a warning instead of throwing, and keeps trying', async () => {
    const broken = connect(withDatabase(db().url, 'no_such_database_here'), { max: 1 });
    const warnings: Array<{ msg: string }> = [];
    const worker = startChainWorker(broken, createLogger('warn', (line) => warnings.push(JSON.parse(line))), { intervalMs: 20 });
    try {
      await waitFor(async () => warnings.length >= 2);
    } finally {
      await worker.stop();
      await broken.end();
    }
    expect(warnings[0]!.msg).toMatch(/chaining failed/);
  });
});

describe('searchAccessLog and viewsOfChild', () => {
  it('filters by child, organisation, user, action and day, newest first, in pages', async () => {
    const { sql } = db();
    const child = randomUUID();
    const school = randomUUID();
    const police = randomUUID();
    // Written with explicit times; 1 June 2025 is in British Summer Time (UTC+1).
    const rows: Array<[string, string, string, AccessEntry['action']]> = [
      ['2025-05-31T22:59:59Z', school, 'dsl-1', 'view_summary'], // 31 May, 23:59:59 in England
      ['2025-05-31T23:00:00Z', school, 'dsl-1', 'view_summary'], // 1 June, 00:00 in England
      ['2025-06-01T12:00:00Z', police, 'pc-7', 'lookup'],
      ['2025-06-01T22:59:59Z', school, 'dsl-2', 'view_summary'], // 1 June, 23:59:59
      ['2025-06-01T23:00:00Z', school, 'dsl-1', 'view_summary'], // 2 June
    ];
    for (const [at, organisationId, subject, action] of rows) {
      await sql`
        insert into access_log (at, issuer, subject, user_name, organisation_id, organisation_name, role,
                                child_id, action, fields_released, reason, request_id)
        values (${at}, 'https://idp.example', ${subject}, ${subject}, ${organisationId}, 'Org', 'r',
                ${child}, ${action}, '{}', null, ${at})`;
    }
    const times = (found: Array<{ at: Date }>) => found.map((row) => row.at.toISOString().replace('.000', ''));

    const ofChild = await searchAccessLog(sql, { childId: child });
    expect(times(ofChild)).toEqual(rows.map(([at]) => at).reverse());
    expect(ofChild[0]).toMatchObject({ childId: child, organisationId: school, subject: 'dsl-1', userName: 'dsl-1', chained: false });
    expect(typeof ofChild[0]!.id).toBe('string');

    expect(times(await searchAccessLog(sql, { childId: child, from: '2025-06-01', to: '2025-06-01' })))
      .toEqual(['2025-06-01T22:59:59Z', '2025-06-01T12:00:00Z', '2025-05-31T23:00:00Z']);
    expect(times(await searchAccessLog(sql, { childId: child, to: '2025-05-31' }))).toEqual(['2025-05-31T22:59:59Z']);
    expect(await searchAccessLog(sql, { organisationId: police })).toHaveLength(1);
    expect(await searchAccessLog(sql, { childId: child, organisationId: school, subject: 'dsl-1' })).toHaveLength(3);
    expect(await searchAccessLog(sql, { childId: child, action: 'lookup' })).toHaveLength(1);

    const first = await searchAccessLog(sql, { childId: child, limit: 2 });
    const second = await searchAccessLog(sql, { childId: child, limit: 2, before: first[1]!.id });
    const third = await searchAccessLog(sql, { childId: child, limit: 2, before: second[1]!.id });
    expect([...first, ...second, ...third].map((row) => row.id)).toEqual(ofChild.map((row) => row.id));

    await chainAll(sql);
    expect((await searchAccessLog(sql, { childId: child })).every((row) => row.chained)).toBe(true);
  });

  it('caps the page size and rejects malformed filters before they reach the database', async () => {
    const { sql } = db();
    await bulkInsert(sql, 250);
    expect(await searchAccessLog(sql, { limit: 10_000 })).toHaveLength(200);
    expect(await searchAccessLog(sql)).toHaveLength(50);
    await expect(searchAccessLog(sql, { childId: "x' or 1=1 --" })).rejects.toThrow(RangeError);
    await expect(searchAccessLog(sql, { from: '2025-02-30' })).rejects.toThrow(RangeError);
    await expect(searchAccessLog(sql, { action: 'export' })).rejects.toThrow(RangeError);
    await chainAll(sql);
  });

  it('lists who viewed a child, newest first', async () => {
    const { sql } = db();
    const child = randomUUID();
    await recordAccess(sql, entry({ childId: child, organisationName: 'Riverside Primary School', role: 'dsl', userName: 'Ann Lee', action: 'view_summary', reason: null }));
    await recordAccess(sql, entry({ childId: child, organisationName: 'Example Constabulary', role: 'police_officer', userName: 'PC Jones', action: 'lookup', reason: 'Found alone at night' }));
    await recordAccess(sql, entry({ childId: randomUUID() }));
    const views = await viewsOfChild(sql, child);
    expect(views.map(({ at: _at, ...rest }) => rest)).toEqual([
      { organisationName: 'Example Constabulary', role: 'police_officer', userName: 'PC Jones', action: 'lookup', reason: 'Found alone at night' },
      { organisationName: 'Riverside Primary School', role: 'dsl', userName: 'Ann Lee', action: 'view_summary', reason: null },
    ]);
    expect(views[0]!.at.getTime()).toBeGreaterThanOrEqual(views[1]!.at.getTime());
    expect(await viewsOfChild(sql, child, { limit: 1 })).toHaveLength(1);
    // A page further on, and only some roles.
    expect((await viewsOfChild(sql, child, { limit: 1, offset: 1 })).map((v) => v.userName)).toEqual(['Ann Lee']);
    expect((await viewsOfChild(sql, child, { roles: ['dsl'] })).map((v) => v.userName)).toEqual(['Ann Lee']);
    expect(await viewsOfChild(sql, child, { roles: [] })).toEqual([]);
  });
});

describe('at volume', () => {
  it('chains and verifies 20,000 rows quickly', async () => {
    const { sql } = await separateDatabase();
    await bulkInsert(sql, 20_000);
    const started = performance.now();
    expect(await chainAll(sql)).toBe(20_000);
    expect(await verifyChain(sql)).toEqual({ ok: true, checked: 20_000, unchained: 0 });
    expect(performance.now() - started).toBeLessThan(10_000);
  }, 20_000);
});
