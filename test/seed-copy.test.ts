// COPY's text format (src/seed/copy.ts): awkward values arrive in PostgreSQL exactly as sent,
// and rebuilding secondary indexes keeps every index the table had.
import { describe, expect, it } from 'vitest';
import { copyRows, withSecondaryIndexesRebuilt } from '../src/seed/copy.ts';
import { useTestDatabase } from './support/database.ts';

const db = useTestDatabase({ migrate: false });

describe('copyRows', () => {
  it('round-trips tabs, new lines, backslashes, quotes, commas in arrays, nulls and booleans', async () => {
    const { sql } = db();
    await sql`create table copy_check (n int, t text, b boolean, a text[])`;
    const rows = [
      { n: 1, t: 'tab\there, new\nline, return\r, back\\slash \\N', b: true, a: ['a,b', 'quote "q"', '{brace}', 'back\\slash', ' space '] },
      { n: 2, t: null, b: false, a: [] },
      { n: 3, t: '\\N', b: null, a: ['NULL'] },
    ];
    await copyRows(sql, 'copy_check', ['n', 't', 'b', 'a'], rows);
    const back = await sql<{ n: number; t: string | null; b: boolean | null; a: string[] }[]>`select n, t, b, a from copy_check order by n`;
    expect(back).toEqual(rows);
  });
});

describe('withSecondaryIndexesRebuilt', () => {
  it('drops the secondary indexes during the load and builds the same ones again; keys and constraints stay', async () => {
    const { sql } = db();
    await sql`create table index_check (id int primary key, code text unique, name text, at int)`;
    await sql`create index index_check_name on index_check (lower(name)) where at > 0`;
    const definitions = () => sql<{ name: string; definition: string }[]>`
      select indexname as name, indexdef as definition from pg_indexes where tablename = 'index_check' order by 1`;
    const before = await definitions();
    let during: string[] = [];
    await sql.begin(async (tx) => {
      await withSecondaryIndexesRebuilt(tx, ['index_check'], async () => {
        during = (await tx<{ name: string }[]>`select indexname as name from pg_indexes where tablename = 'index_check' order by 1`).map((r) => r.name);
        await copyRows(tx, 'index_check', ['id', 'code', 'name', 'at'], [{ id: 1, code: 'a', name: 'Ann', at: 1 }]);
      });
    });
    expect(during).toEqual(['index_check_code_key', 'index_check_pkey']);
    expect(await definitions()).toEqual(before);
  });
});

describe('withSecondaryIndexesRebuilt on a partitioned table', () => {
  it('builds each index again on the parent and on every partition, as before the load', async () => {
    const { sql } = db();
    await sql`create table parted_check (id int, at date, who text, primary key (id, at)) partition by range (at)`;
    await sql`create table parted_check_a partition of parted_check for values from ('2026-01-01') to ('2026-02-01')`;
    await sql`create table parted_check_b partition of parted_check for values from ('2026-02-01') to ('2026-03-01')`;
    await sql`create index parted_check_who on parted_check (who, at)`;
    const indexes = () => sql<{ table: string; index: string; valid: boolean }[]>`
      select t.relname as table, pg_get_indexdef(i.indexrelid) as index, i.indisvalid as valid
      from pg_index i join pg_class t on t.oid = i.indrelid
      where t.relname like 'parted_check%' order by 1, 2`;
    const before = await indexes();
    expect(before.filter((r) => r.index.includes('(who, at)')).map((r) => r.table)).toEqual(['parted_check', 'parted_check_a', 'parted_check_b']);
    await sql.begin(async (tx) => {
      await withSecondaryIndexesRebuilt(tx, ['parted_check'], async () => {
        await copyRows(tx, 'parted_check', ['id', 'at', 'who'], [{ id: 1, at: '2026-01-05', who: 'a' }, { id: 2, at: '2026-02-05', who: 'b' }]);
      });
    });
    const after = await indexes();
    expect(after.map((r) => [r.table, r.valid])).toEqual(before.map((r) => [r.table, r.valid]));
    expect(after.every((r) => r.valid)).toBe(true);
  });
});
