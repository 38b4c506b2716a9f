// A fresh database per test file, on the real server from global-setup.ts, dropped after.
import { afterAll, beforeAll, inject } from 'vitest';
import { connect, createScratchDatabase, dropScratchDatabase, type Sql } from '../../src/db/connect.ts';
import { migrate } from '../../src/db/migrate.ts';

export interface TestDatabase {
  name: string;
  url: string;
  sql: Sql;
}

export async function createTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const adminUrl = inject('adminDatabaseUrl');
  const { name, url } = await createScratchDatabase(adminUrl, 'portal_test_');
  const sql = connect(url);
  if (options.migrate !== false) await migrate(sql);
  return { name, url, sql };
}

export async function dropTestDatabase(db: TestDatabase): Promise<void> {
  await db.sql.end({ timeout: 5 });
  await dropScratchDatabase(inject('adminDatabaseUrl'), db.name);
}

/** Registers beforeAll/afterAll hooks; the returned getter is valid inside tests. */
export function useTestDatabase(options: { migrate?: boolean } = {}): () => TestDatabase {
  let db: TestDatabase | undefined;
  beforeAll(async () => {
    db = await createTestDatabase(options);
  });
  afterAll(async () => {
    if (db) await dropTestDatabase(db);
  });
  return () => {
    if (!db) throw new Error('test database not ready: call inside a test');
    return db;
  };
}
