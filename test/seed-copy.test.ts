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
