// Chaining a bulk-loaded access log in one pass (src/audit/chain.ts chainBulkLoad): the links are
// exactly those the chain worker's batches make, so audit:verify cannot tell the two apart.
import { describe, expect, it } from 'vitest';
import { chainBulkLoad, chainNewEntries, verifyChain } from '../src/audit/chain.ts';
import { seedAccessLog } from '../src/seed/access-log.ts';
import { seedDemoData } from '../src/seed/insert.ts';
import { useTestDatabase } from './support/database.ts';

const bulk = useTestDatabase();
const batched = useTestDatabase();

async function seeded(sql: ReturnType<typeof bulk>['sql']) {
  await seedDemoData(sql, { children: 200, referenceDate: '2026-11-30' });
  // Partly chained already, as a restore onto a running log would be.
  await seedAccessLog(sql, 1500, { now: new Date('2026-11-30T12:00:00Z') });
  await chainNewEntries(sql, { batchSize: 400 });
  await seedAccessLog(sql, 2500, { now: new Date('2026-11-30T12:00:00Z'), seed: 7 });
}

describe('chainBulkLoad', () => {
  it('chains every row after the head, with the same links as the batches, and verifies', async () => {
    const a = bulk().sql;
    const b = batched().sql;
    await Promise.all([seeded(a), seeded(b)]);
    const progress: number[] = [];
    expect(await chainBulkLoad(a, { onProgress: (n) => progress.push(n) })).toBe(3600);
    expect(progress.at(-1)).toBe(3600);
    while ((await chainNewEntries(b, { batchSize: 700 })) > 0);

    const links = (sql: typeof a) => sql<{ position: string; logId: string; hash: string }[]>`
      select position::text, log_id::text as "logId", encode(hash, 'hex') as hash from access_log_chain order by position`;
    const [bulkLinks, batchLinks] = await Promise.all([links(a), links(b)]);
    expect(bulkLinks).toHaveLength(4000);
    expect(bulkLinks).toEqual(batchLinks);
    expect(await verifyChain(a)).toMatchObject({ ok: true, checked: 4000, unchained: 0 });
    // Nothing left for the worker, and a second bulk pass finds nothing to do.
    expect(await chainNewEntries(a)).toBe(0);
    expect(await chainBulkLoad(a)).toBe(0);
  });

  it('the worker\'s periodic scan looks back a day from the head; a whole-log scan still finds an older unchained row', async () => {
    const sql = bulk().sql;
    await sql`
      insert into access_log (at, issuer, subject, user_name, role, action, request_id)
      values ('2026-10-01T09:00:00Z', 'http://127.0.0.1/test', 'late', 'Late Writer', 'education.dsl', 'view_list', 'late-1')`;
    expect(await chainNewEntries(sql, { recentHours: 24 })).toBe(0);
    expect(await chainNewEntries(sql)).toBe(1);
    expect(await verifyChain(sql)).toMatchObject({ ok: true, checked: 4001, unchained: 0 });
  });
});
