// The migration runner against a real, empty PostgreSQL database per test.
import { cp, mkdtemp, readdir, rm, writeFile, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { connect } from '../src/db/connect.ts';
import { defaultMigrationsDir, migrate, MigrationError } from '../src/db/migrate.ts';
import { createTestDatabase, dropTestDatabase, type TestDatabase } from './support/database.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function emptyDatabase(): Promise<TestDatabase> {
  const db = await createTestDatabase({ migrate: false });
  cleanups.push(() => dropTestDatabase(db));
  return db;
}

async function copyOfMigrations(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'portal-migrations-'));
  await cp(defaultMigrationsDir, dir, { recursive: true });
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

describe('migrations', () => {
  it('apply every file to an empty database, then re-apply as a no-op', async () => {
    const { sql } = await emptyDatabase();
    const files = (await readdir(defaultMigrationsDir)).filter((f) => f.endsWith('.sql')).sort();
    expect(files.length).toBeGreaterThan(1);

    const first = await migrate(sql);
    expect(first.applied).toEqual(files);
    const tables = await sql<{ table_name: string }[]>`
      select table_name from information_schema.tables where table_schema = 'public'`;
    expect(tables.map((t) => t.table_name)).toEqual(
      expect.arrayContaining(['organisations', 'children', 'involvements', 'allocations',
        'child_organisation_relationships', 'chronology_events', 'schema_migrations']),
    );

    const second = await migrate(sql);
    expect(second.applied).toEqual([]);
    expect(second.alreadyApplied).toEqual(files);
    const [recorded] = await sql<{ count: number }[]>`select count(*)::int as count from schema_migrations`;
    expect(recorded!.count).toBe(files.length);
  });

  it('refuses an applied migration that has since changed, naming it', async () => {
    const { sql } = await emptyDatabase();
    const dir = await copyOfMigrations();
    await migrate(sql, dir);
    const [firstFile] = (await readdir(dir)).sort();
    await appendFile(path.join(dir, firstFile!), '\n-- an edit after release\n');

    await expect(migrate(sql, dir)).rejects.toThrow(MigrationError);
    await expect(migrate(sql, dir)).rejects.toThrow(new RegExp(`${firstFile}.*changed`));
  });

  it('rolls back a failing migration completely and does not record it', async () => {
    const { sql } = await emptyDatabase();
    const dir = await copyOfMigrations();
    await writeFile(path.join(dir, '900_broken.sql'), 'create table half_done (id int);\nselect no_such_function();\n');

    await expect(migrate(sql, dir)).rejects.toThrow(/900_broken\.sql failed/);
    const [half] = await sql`select to_regclass('half_done') as t`;
    expect(half!.t).toBeNull();
    const recorded = await sql`select name from schema_migrations where name = '900_broken.sql'`;
    expect(recorded).toHaveLength(0);
  });

  it('lets two migrators started together apply each file exactly once', async () => {
    const { sql, url } = await emptyDatabase();
    const other = connect(url);
    cleanups.push(() => other.end());

    const [a, b] = await Promise.all([migrate(sql), migrate(other)]);
    const appliedTwice = a.applied.filter((name) => b.applied.includes(name));
    expect(appliedTwice).toEqual([]);
    expect([...a.applied, ...b.applied].sort()).toEqual(
      (await readdir(defaultMigrationsDir)).filter((f) => f.endsWith('.sql')).sort(),
    );
    const [recorded] = await sql<{ count: number }[]>`select count(*)::int as count from schema_migrations`;
    expect(recorded!.count).toBe(a.applied.length + b.applied.length);
  });
});
