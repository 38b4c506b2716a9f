// The access log's head witnessed outside the database (issue 10, point 4): the witness file,
// the daily digest e-mail, `npm run audit:verify` against both, and the database's own time on
// every row. Real PostgreSQL, real files in a temporary folder, the real CLI as a child process.
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAccess, type AccessEntry } from '../src/audit/access-log.ts';
import { chainHead, chainNewEntries, verifyChain } from '../src/audit/chain.ts';
import {
  checkWitnesses,
  dayInEngland,
  queueDailyDigest,
  readWitnessFile,
  startWitness,
  witnessSettings,
  writeWitness,
} from '../src/audit/witness.ts';
import { loadConfig } from '../src/config/config.ts';
import type { Sql } from '../src/db/connect.ts';
import { createLogger } from '../src/log.ts';
import { governanceMessages } from '../src/notifications/messages.ts';
import { assertNoChildDetails } from '../src/notifications/outbox.ts';
import { createTestDatabase, dropTestDatabase, type TestDatabase } from './support/database.ts';
import { runVerifyCli, waitFor } from './support/verify-cli.ts';
import { accessEntry } from './support/access-entries.ts';

let dir: string;
const databases: TestDatabase[] = [];
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'portal-witness-'));
});
afterAll(async () => {
  await Promise.all(databases.map((db) => dropTestDatabase(db)));
  await rm(dir, { recursive: true, force: true });
});

// Tampering breaks a database for good, so each test has its own, and its own witness file.
async function freshDatabase(): Promise<TestDatabase> {
  const db = await createTestDatabase();
  databases.push(db);
  return db;
}
const witnessFile = () => path.join(dir, `${randomUUID()}`, 'audit-witness.jsonl');

const entry = accessEntry;

async function logAndChain(sql: Sql, rows: number): Promise<void> {
  for (let i = 0; i < rows; i++) await recordAccess(sql, entry());
  while ((await chainNewEntries(sql)) > 0);
}

/** Deletes the newest n rows from both tables, as a superuser (or the tables' owner) could. */
async function cutEnd(sql: Sql, n: number): Promise<void> {
  await sql.begin(async (tx) => {
    await tx`alter table access_log disable trigger user`;
    await tx`alter table access_log_chain disable trigger user`;
    const gone = await tx<{ log_id: string }[]>`
      delete from access_log_chain where position > (select max(position) from access_log_chain) - ${n}
      returning log_id::text`;
    await tx`delete from access_log where id = any(${tx.array(gone.map((g) => g.log_id))}::bigint[])`;
    await tx`alter table access_log enable trigger user`;
    await tx`alter table access_log_chain enable trigger user`;
  });
}


const lines = async (file: string) => (await readFile(file, 'utf8')).split('\n').filter((line) => line !== '');
const collecting = () => {
  const logged: Array<Record<string, unknown>> = [];
  return { logged, log: createLogger('debug', (line) => logged.push(JSON.parse(line))) };
};

describe('configuration', () => {
  it('defaults to every 5 minutes, in DATA_DIR/audit-witness.jsonl', () => {
    expect(witnessSettings(loadConfig({ DATA_DIR: '/var/portal' }))).toEqual({ file: '/var/portal/audit-witness.jsonl', intervalMs: 300_000 });
    expect(witnessSettings(loadConfig({ AUDIT_WITNESS_MINUTES: '0.5', AUDIT_WITNESS_FILE: '/srv/witness/log.jsonl' })))
      .toEqual({ file: '/srv/witness/log.jsonl', intervalMs: 30_000 });
    expect(() => loadConfig({ AUDIT_WITNESS_MINUTES: '0' })).toThrow(/AUDIT_WITNESS_MINUTES/);
    expect(() => loadConfig({ AUDIT_WITNESS_MINUTES: 'often' })).toThrow(/AUDIT_WITNESS_MINUTES/);
  });
});

describe('the witness file', () => {
  it('is written at start, on the interval and on stop, 0600, each line chained to the one before', async () => {
    const { sql } = await freshDatabase();
    const file = witnessFile();
    const { log, logged } = collecting();
    await logAndChain(sql, 3);
    const witness = startWitness(sql, log, { file, intervalMs: 100, node: 'node-a', digest: false });
    try {
      await waitFor(async () => (await lines(file).catch(() => [])).length >= 3);
      await logAndChain(sql, 2);
    } finally {
      await witness.stop();
    }
    const written = await lines(file);
    const last = JSON.parse(written.at(-1)!);
    const head = await chainHead(sql);
    // The final witness, written on stop, has the rows chained after the timer's last tick.
    expect(last).toEqual({ v: 1, at: expect.any(String), node: 'node-a', position: '5', hash: head.hash, previous: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(JSON.parse(written[0]!)).toMatchObject({ position: '3', previous: null });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readWitnessFile(file)).toMatchObject({ damage: undefined });
    expect((await readWitnessFile(file))!.entries).toHaveLength(written.length);
    expect(logged.filter((l) => l.level !== 'debug')).toEqual([]);

    // Stopped: nothing more is written.
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(await lines(file)).toHaveLength(written.length);
  });

  it('witnesses an empty chain as position 0, and takes back permissions others were given', async () => {
    const { sql } = await freshDatabase();
    const file = witnessFile();
    await writeWitness(sql, file, { node: 'n' });
    await import('node:fs/promises').then((fs) => fs.chmod(file, 0o644));
    await writeWitness(sql, file, { node: 'n' });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await lines(file)).map((line) => JSON.parse(line))).toMatchObject([
      { position: '0', hash: null, previous: null },
      { position: '0', hash: null, previous: expect.any(String) },
    ]);
  });

  it('lets several nodes append to one file without breaking its chain', async () => {
    const { sql } = await freshDatabase();
    const file = witnessFile();
    await logAndChain(sql, 2);
    await Promise.all(Array.from({ length: 12 }, (_, i) => writeWitness(sql, file, { node: `node-${i % 3}` })));
    const read = await readWitnessFile(file);
    expect(read!.damage).toBeUndefined();
    expect(new Set(read!.entries.map((e) => e.witness.node))).toEqual(new Set(['node-0', 'node-1', 'node-2']));
  });

  it('logs an error at the next witness when the log has lost its end', async () => {
    const { sql } = await freshDatabase();
    const file = witnessFile();
    await logAndChain(sql, 4);
    await writeWitness(sql, file);
    await cutEnd(sql, 2);
    const { log, logged } = collecting();
    await startWitness(sql, log, { file, intervalMs: 60_000, digest: false }).stop();
    expect(logged).toContainEqual(expect.objectContaining({ level: 'error', msg: expect.stringMatching(/shorter than its last witness/), position: '2', witnessedPosition: '4' }));
  });
});

describe('npm run audit:verify with witnesses', () => {
  it('says the log is intact and agrees with its witnesses, in full and --since-witness', async () => {
    const { sql, url } = await freshDatabase();
    const file = witnessFile();
    await logAndChain(sql, 5);
    const first = (await writeWitness(sql, file)).witness;
    await logAndChain(sql, 3);
    await writeWitness(sql, file);

    const full = await runVerifyCli(url, file);
    expect(full.stdout).toContain('Access log chain intact: 8 rows checked, 0 not yet chained.');
    expect(full.stdout).toContain(`The chain ends at position 8 with hash ${(await chainHead(sql)).hash}.`);
    expect(full.stdout).toMatch(/Witnesses agree: 2 witness lines in .*; the latest, position 8 on .*, is still in the chain with the same hash\./);
    expect(full.code).toBe(0);

    await logAndChain(sql, 2);
    const since = await runVerifyCli(url, file, '--since-witness');
    expect(since.stdout).toMatch(/Access log chain intact after the witness at position 8 \(.*\): 2 rows checked, 0 not yet chained\./);
    expect(since.code).toBe(0);
    expect(first.position).toBe('5');
  });

  it('reports a cut end plainly and exits 1 (newest rows deleted from both tables)', async () => {
    const { sql, url } = await freshDatabase();
    const file = witnessFile();
    await logAndChain(sql, 6);
    const { witness } = await writeWitness(sql, file);
    await cutEnd(sql, 2);
    // The chain alone cannot tell: what is left is a valid chain.
    expect(await verifyChain(sql)).toEqual({ ok: true, checked: 4, unchained: 0 });

    for (const args of [[], ['--since-witness']]) {
      const { code, stdout } = await runVerifyCli(url, file, ...args);
      expect(stdout).toContain(
        `Access log CUT: the log ends at position 4 but was witnessed at position 6 on ${witness.at}: rows were removed from its end.`,
      );
      expect(code).toBe(1);
    }
  });

  it('reports a cut end that was then papered over with new rows', async () => {
    const { sql, url } = await freshDatabase();
    const file = witnessFile();
    await logAndChain(sql, 5);
    await writeWitness(sql, file);
    await cutEnd(sql, 2);
    await logAndChain(sql, 4); // the chain grows past the witnessed position again
    const { code, stdout } = await runVerifyCli(url, file);
    expect(stdout).toContain('Access log chain intact: 7 rows checked');
    expect(stdout).toMatch(/Access log CHANGED: the witness on line 1 \(.*\) recorded position 5 with hash [0-9a-f]{64}, but the chain holds [0-9a-f]{64} there/);
    expect(code).toBe(1);
  });

  it('detects a tampered witness line, and a removed one', async () => {
    const { sql, url } = await freshDatabase();
    const file = witnessFile();
    for (let i = 0; i < 4; i++) {
      await logAndChain(sql, 2);
      await writeWitness(sql, file);
    }
    const original = await readFile(file, 'utf8');
    const written = original.split('\n');

    // Line 2 rewritten to a lower position (as if to hide the cut): line 3 no longer follows it.
    const forged = { ...JSON.parse(written[1]!), position: '1' };
    await writeFile(file, [written[0], JSON.stringify(forged), ...written.slice(2)].join('\n'));
    let result = await runVerifyCli(url, file);
    expect(result.stdout).toContain(`The witness file ${file} has been tampered with or damaged: line 3 does not follow line 2: line 2 was changed, or lines between them removed.`);
    expect(result.code).toBe(1);

    // A line removed from the middle.
    await writeFile(file, [written[0], ...written.slice(2)].join('\n'));
    result = await runVerifyCli(url, file);
    expect(result.stdout).toMatch(/line 2 does not follow line 1/);
    expect(result.code).toBe(1);

    // Reformatted (same values, other key order) counts as rewritten.
    const reordered = JSON.stringify(Object.fromEntries(Object.entries(JSON.parse(written[3]!)).reverse()));
    await writeFile(file, [...written.slice(0, 3), reordered, ''].join('\n'));
    result = await runVerifyCli(url, file);
    expect(result.stdout).toMatch(/line 4 was changed: it is not as the portal wrote it/);
    expect(result.code).toBe(1);

    // --since-witness does not trust a damaged file: it checks the whole chain.
    result = await runVerifyCli(url, file, '--since-witness');
    expect(result.stdout).toContain('so the whole chain is checked');
    expect(result.stdout).toContain('Access log chain intact: 8 rows checked');
    expect(result.code).toBe(1);

    await writeFile(file, original);
    expect((await runVerifyCli(url, file)).code).toBe(0);
  });

  it('says plainly when there is no witness file', async () => {
    const { sql, url } = await freshDatabase();
    await logAndChain(sql, 1);
    const file = witnessFile();
    const { code, stdout } = await runVerifyCli(url, file);
    expect(stdout).toContain(`No witness file at ${file}: the end of the log could not be checked against a witness.`);
    expect(code).toBe(0);
    expect(await checkWitnesses(sql, file)).toMatchObject({ found: false, problems: [] });
  });

  it('refuses an unknown argument', async () => {
    const { url } = await freshDatabase();
    const { code, stderr } = await runVerifyCli(url, witnessFile(), '--quick');
    expect(stderr).toMatch(/Usage/);
    expect(code).toBe(2);
  });
});

describe('the daily digest to information governance', () => {
  const childDetails = {
    forename: 'Amelia', surname: 'Okonkwo-Whitfield', dateOfBirth: '2015-04-03', nhsNumber: '9434765919',
    upn: 'A801200200001', address: '14 Larch Crescent', postcode: 'LS6 2QT', school: 'Moorside Primary School',
  };

  async function withCouncil(sql: Sql, email: string | null): Promise<void> {
    await sql`
      insert into organisations (kind, name, la_code, duty_phone, out_of_hours_phone, contact_email)
      values ('local_authority', 'Exampleshire County Council', '999', '0100 000 0000', '0100 000 0001', ${email})`;
  }
  const outbox = (sql: Sql) =>
    sql<{ kind: string; recipient: string; subject: string; body: string; dedupe_key: string }[]>`
      select kind, recipient, subject, body, dedupe_key from outbox where kind = 'access_log_digest' order by id`;

  it('is queued once per day, with the position, hash, time and count since the previous one, and no child data', async () => {
    const { sql } = await freshDatabase();
    await withCouncil(sql, 'information.governance@exampleshire.gov.uk');
    // Rows about a child, with everything a careless template might pick up.
    for (let i = 0; i < 3; i++) {
      await recordAccess(sql, entry({ userName: `${childDetails.forename} ${childDetails.surname}`, reason: Object.values(childDetails).join(' ') }));
    }
    while ((await chainNewEntries(sql)) > 0);

    const day1 = new Date('2026-03-28T23:30:00Z'); // 28 March in England (GMT)
    expect(await queueDailyDigest(sql, day1)).toBe('queued');
    expect(await queueDailyDigest(sql, new Date('2026-03-28T23:59:00Z'))).toBe('already queued today');
    await logAndChain(sql, 4);
    const day2 = new Date('2026-03-29T23:30:00Z'); // 30 March in England (BST began on the 29th)
    expect(await queueDailyDigest(sql, day2)).toBe('queued');
    expect(await queueDailyDigest(sql, new Date('2026-03-30T08:00:00Z'))).toBe('already queued today');

    const sent = await outbox(sql);
    expect(sent.map((m) => m.dedupe_key)).toEqual(['access_log_digest:2026-03-28', 'access_log_digest:2026-03-30']);
    expect(sent.every((m) => m.recipient === 'information.governance@exampleshire.gov.uk')).toBe(true);
    const head = await chainHead(sql);
    const grouped = head.hash!.match(/.{8}/g)!.join(':');
    expect(sent[1]!.body).toContain('Position (rows chained): 7\n');
    expect(sent[1]!.body).toContain(`Hash (SHA-256, hex in groups of eight): ${grouped}\n`);
    expect(sent[1]!.body).toContain('Time (UTC, ISO 8601): 20260329T233000Z\n');
    expect(sent[1]!.body).toContain('Rows chained since the previous digest: 4.');
    expect(sent[0]!.body).toContain('This is the first digest.');
    for (const message of sent) {
      for (const text of [message.subject, message.body]) {
        for (const detail of Object.values(childDetails)) expect(text).not.toContain(detail);
        expect(() => assertNoChildDetails(text)).not.toThrow();
      }
    }
  });

  it('is queued by the running witness, once whatever the number of nodes and ticks', async () => {
    const { sql } = await freshDatabase();
    await withCouncil(sql, 'ig@exampleshire.gov.uk');
    await logAndChain(sql, 2);
    const now = () => new Date('2026-06-01T09:00:00Z');
    const { log } = collecting();
    const nodes = [1, 2].map((n) => startWitness(sql, log, { file: witnessFile(), intervalMs: 30, node: `node-${n}`, now }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    await Promise.all(nodes.map((node) => node.stop()));
    expect((await outbox(sql)).map((m) => m.dedupe_key)).toEqual([`access_log_digest:${dayInEngland(now())}`]);
  });

  it('is not queued, with one warning a day, when the council has no information governance address', async () => {
    const { sql } = await freshDatabase();
    await withCouncil(sql, null);
    const { log, logged } = collecting();
    const witness = startWitness(sql, log, { file: witnessFile(), intervalMs: 30 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    await witness.stop();
    expect(logged.filter((l) => l.level === 'warn').map((l) => l.msg)).toEqual([expect.stringMatching(/no contact_email/)]);
    expect(await outbox(sql)).toEqual([]);
  });

  it('passes the outbox’s child-detail check whatever digits the hash holds, and warns when the log went backwards', () => {
    for (let i = 0; i < 2000; i++) {
      const hash = Array.from({ length: 64 }, () => '0123456789abcdef'[Math.floor(Math.random() * (i % 2 ? 16 : 10))]).join('');
      const text = governanceMessages.accessLogDigest({ position: 9_434_765_919n, hash, at: new Date(), previousPosition: 1_000_000_000n });
      expect(() => assertNoChildDetails(text.subject + text.body)).not.toThrow();
    }
    const backwards = governanceMessages.accessLogDigest({ position: 5n, hash: 'a'.repeat(64), at: new Date(), previousPosition: 9n });
    expect(backwards.body).toMatch(/WARNING: the previous digest recorded position 9, later than this one/);
    expect(() => governanceMessages.accessLogDigest({ position: 1n, hash: null, at: new Date(), previousPosition: null })).toThrow();
    // Careless extras are ignored: only the four named inputs are used.
    const careless = governanceMessages.accessLogDigest({ position: 1n, hash: 'b'.repeat(64), at: new Date(), previousPosition: 0n, ...childDetails } as never);
    for (const detail of Object.values(childDetails)) expect(careless.body).not.toContain(detail);
  });
});

describe('rows carry the database’s own time', () => {
  it('recordAccess never sends a time: an entry carrying one still gets now()', async () => {
    const { sql } = await freshDatabase();
    const written = { ...entry(), at: new Date('2001-01-01T00:00:00Z') } as AccessEntry;
    await recordAccess(sql, written);
    const [row] = await sql<{ recent: boolean }[]>`
      select at > now() - interval '1 minute' as recent from access_log where request_id = ${written.requestId}`;
    expect(row!.recent).toBe(true);
  });

  it('a role that is not a superuser cannot backdate a row or a chain link', async () => {
    const { sql } = await freshDatabase();
    const role = `portal_witness_test_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
    await sql`create role ${sql(role)}`;
    try {
      await sql`grant insert, select on access_log, access_log_chain to ${sql(role)}`;
      // A row naming another month is refused outright: the log is partitioned by month, and a
      // row is routed by the time it names before a trigger could change it (migrations/030).
      await expect(sql.begin(async (tx) => {
        await tx`set local role ${tx(role)}`;
        await tx`
          insert into access_log (at, issuer, subject, user_name, role, action, request_id)
          values ('2001-01-01T00:00:00Z', 'i', 's', 'u', 'r', 'lookup', ${randomUUID()})`;
      })).rejects.toMatchObject({ code: '42501', message: expect.stringMatching(/database's own time/) });
      // Within the month, the time is quietly made now(), as is the chain link's.
      const requestId = randomUUID();
      await sql.begin(async (tx) => {
        await tx`set local role ${tx(role)}`;
        await tx`
          insert into access_log (at, issuer, subject, user_name, role, action, request_id)
          values (date_trunc('month', now() at time zone 'UTC') at time zone 'UTC', 'i', 's', 'u', 'r', 'lookup', ${requestId})`;
        await tx`
          insert into access_log_chain (position, log_id, previous_hash, hash, chained_at)
          select 1, id, null, sha256('x'), '2001-01-01T00:00:00Z' from access_log where request_id = ${requestId}`;
      });
      const [row] = await sql<{ at_recent: boolean; chained_recent: boolean }[]>`
        select a.at > now() - interval '1 minute' as at_recent, c.chained_at > now() - interval '1 minute' as chained_recent
        from access_log a join access_log_chain c on c.log_id = a.id where a.request_id = ${requestId}`;
      expect(row).toEqual({ at_recent: true, chained_recent: true });
    } finally {
      await sql`revoke all on access_log, access_log_chain from ${sql(role)}`;
      await sql`drop role ${sql(role)}`;
    }
  });

});
