// Group commit for the access log (src/audit/access-log-batch.ts): looks that arrive together
// share one INSERT and one commit, each look's promise settles only once its own row is
// committed, and a row PostgreSQL refuses fails its own look alone.
import { describe, expect, it } from 'vitest';
import { batchedAccessLog } from '../src/audit/access-log-batch.ts';
import type { AccessEntry } from '../src/audit/access-log.ts';
import { connect, type Sql } from '../src/db/connect.ts';
import { accessEntry } from './support/access-entries.ts';
import { useTestDatabase } from './support/database.ts';

const db = useTestDatabase();

/** The rows of these looks, read on a connection of its own: only what has been committed. */
async function committed(url: string, entries: AccessEntry[]) {
  const other = connect(url, { max: 1 });
  try {
    return await other<{ requestId: string; transaction: string; userName: string; fieldsReleased: string[]; incidentReference: string | null }[]>`
      select request_id as "requestId", xmin::text as transaction, user_name as "userName",
             fields_released as "fieldsReleased", incident_reference as "incidentReference"
      from access_log where request_id in ${other(entries.map((e) => e.requestId))}`;
  } finally {
    await other.end();
  }
}

const distinctTransactions = (rows: Array<{ transaction: string }>) => new Set(rows.map((r) => r.transaction)).size;

describe('batchedAccessLog', () => {
  it('writes looks that arrive together in fewer commits than looks, each committed before its promise settles', async () => {
    const { sql, url } = db();
    const writer = batchedAccessLog(sql);
    const entries = Array.from({ length: 30 }, (_, i) => accessEntry({ userName: `Looker ${i}` }));
    await Promise.all(entries.map((entry) => writer.record(entry)));

    const rows = await committed(url, entries);
    expect(rows.map((r) => r.requestId).sort()).toEqual(entries.map((e) => e.requestId).sort());
    expect(distinctTransactions(rows)).toBeLessThan(entries.length);
    // Each row is the entry it was given, not its neighbour's.
    for (const entry of entries) {
      const row = rows.find((r) => r.requestId === entry.requestId)!;
      expect(row.userName).toBe(entry.userName);
      expect(row.fieldsReleased).toEqual(entry.fieldsReleased);
    }
  });

  it('writes a lone look at once, with its incident reference', async () => {
    const { sql, url } = db();
    const writer = batchedAccessLog(sql);
    const entry = accessEntry({ incidentReference: 'ED-2026-0042' });
    await writer.record(entry);
    expect(await committed(url, [entry])).toEqual([expect.objectContaining({ requestId: entry.requestId, incidentReference: 'ED-2026-0042' })]);
  });

  it('puts at most maxBatch rows in one INSERT', async () => {
    const { sql, url } = db();
    const writer = batchedAccessLog(sql, { maxBatch: 5 });
    const entries = Array.from({ length: 23 }, () => accessEntry());
    await Promise.all(entries.map((entry) => writer.record(entry)));
    const rows = await committed(url, entries);
    expect(rows).toHaveLength(23);
    expect(distinctTransactions(rows)).toBeGreaterThanOrEqual(5);
  });

  it('fails only the look whose row PostgreSQL refuses; the others in its batch are written', async () => {
    const { sql, url } = db();
    const writer = batchedAccessLog(sql);
    // An incident reference is at most 40 characters (the table's check): this row is refused.
    const bad = accessEntry({ incidentReference: 'x'.repeat(41) });
    const good = Array.from({ length: 9 }, () => accessEntry());
    const outcomes = await Promise.allSettled([...good.slice(0, 4), bad, ...good.slice(4)].map((entry) => writer.record(entry)));

    expect(outcomes.filter((o) => o.status === 'rejected')).toEqual([
      { status: 'rejected', reason: expect.objectContaining({ code: '23514' }) },
    ]);
    expect(outcomes[4]!.status).toBe('rejected');
    const rows = await committed(url, [...good, bad]);
    expect(rows.map((r) => r.requestId).sort()).toEqual(good.map((e) => e.requestId).sort());
  });

  it('fails every look when the database cannot be reached: none is taken as logged', async () => {
    // Port 1 on loopback: nothing listens, so every connection is refused at once.
    const gone: Sql = connect('postgres://postgres@127.0.0.1:1/none', { max: 1, connect_timeout: 2 });
    try {
      const writer = batchedAccessLog(gone);
      const outcomes = await Promise.allSettled(Array.from({ length: 3 }, () => writer.record(accessEntry())));
      expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected']);
    } finally {
      await gone.end({ timeout: 1 });
    }
  });
});
