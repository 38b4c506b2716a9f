// Applies the numbered .sql files in migrations/ in order. Each file runs in its own
// transaction together with the row that records it, under a transaction-scoped advisory lock,
// so two app nodes starting at once apply each file exactly once. A file that was applied and
// has since been edited is refused: the fix for a shipped migration is a new migration.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Sql } from './connect.ts';

export const defaultMigrationsDir = fileURLToPath(new URL('../../migrations/', import.meta.url));

// Any fixed 64-bit number will do; it only has to be the same for every node.
const LOCK_KEY = 740_051_923_001;
const FILE_NAME = /^(\d{3,})_[a-z0-9_]+\.sql$/;

export class MigrationError extends Error {
  override name = 'MigrationError';
}

interface MigrationFile {
  name: string;
  checksum: string;
  text: string;
}

async function readMigrations(dir: string): Promise<MigrationFile[]> {
  const names = (await readdir(dir)).filter((name) => name.endsWith('.sql')).sort();
  const seen = new Map<string, string>();
  const files: MigrationFile[] = [];
  for (const name of names) {
    const match = FILE_NAME.exec(name);
    if (!match) throw new MigrationError(`Migration file name "${name}" should look like 001_what_it_does.sql`);
    const number = match[1]!;
    if (seen.has(number)) throw new MigrationError(`Migrations "${seen.get(number)}" and "${name}" share the number ${number}`);
    seen.set(number, name);
    const text = await readFile(path.join(dir, name), 'utf8');
    files.push({ name, text, checksum: createHash('sha256').update(text).digest('hex') });
  }
  return files;
}

export interface MigrateResult {
  applied: string[];
  alreadyApplied: string[];
}

export async function migrate(sql: Sql, dir: string = defaultMigrationsDir): Promise<MigrateResult> {
  const files = await readMigrations(dir);
  const result: MigrateResult = { applied: [], alreadyApplied: [] };

  await sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(${LOCK_KEY})`;
    // Only when missing: the application's own database role (docs/operations.md) may not create
    // tables, and PostgreSQL checks that right even for "create table if not exists".
    const [table] = await tx<{ present: boolean }[]>`select to_regclass('schema_migrations') is not null as present`;
    if (!table!.present) await tx`
      create table if not exists schema_migrations (
        name       text primary key,
        checksum   text not null,
        applied_at timestamptz not null default now()
      )`;
  });

  for (const file of files) {
    await sql.begin(async (tx) => {
      await tx`select pg_advisory_xact_lock(${LOCK_KEY})`;
      const [recorded] = await tx<{ checksum: string }[]>`
        select checksum from schema_migrations where name = ${file.name}`;
      if (recorded) {
        if (recorded.checksum !== file.checksum) {
          throw new MigrationError(
            `Migration ${file.name} has changed since it was applied (checksum ${recorded.checksum.slice(0, 12)}… ` +
              `is now ${file.checksum.slice(0, 12)}…). Put the change in a new migration file and restore this one.`,
          );
        }
        result.alreadyApplied.push(file.name);
        return;
      }
      try {
        await tx.unsafe(file.text);
      } catch (error) {
        throw new MigrationError(`Migration ${file.name} failed and was rolled back: ${(error as Error).message}`);
      }
      await tx`insert into schema_migrations (name, checksum) values (${file.name}, ${file.checksum})`;
      result.applied.push(file.name);
    });
  }

  const known = new Set(files.map((file) => file.name));
  const recorded = await sql<{ name: string }[]>`select name from schema_migrations order by name`;
  const missing = recorded.map((row) => row.name).filter((name) => !known.has(name));
  if (missing.length > 0) {
    throw new MigrationError(`The database has migrations that are not in ${dir}: ${missing.join(', ')}. Is this checkout older than the database?`);
  }
  return result;
}

/** Resolves when the database answers and has the portal's schema (the readiness check). */
export async function schemaAnswers(sql: Sql): Promise<void> {
  await sql`select 1 from schema_migrations limit 1`;
}
