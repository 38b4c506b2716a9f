// A fresh database per test file, on the real server from global-setup.ts, dropped after.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, inject } from 'vitest';
import { connect, withDatabase, type Sql } from '../../src/db/connect.ts';
import { migrate } from '../../src/db/migrate.ts';

export interface TestDatabase {
  name: string;
  url: string;
  sql: Sql;
}

export async function createTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const adminUrl = inject('adminDatabaseUrl');
  const name = `portal_test_${randomBytes(6).toString('hex')}`;
  const admin = connect(adminUrl, { max: 1 });
  try {
    await admin.unsafe(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(adminUrl, name);
  const sql = connect(url);
  if (options.migrate !== false) await migrate(sql);
  return { name, url, sql };
}

export async function dropTestDatabase(db: TestDatabase): Promise<void> {
  await db.sql.end({ timeout: 5 });
  const admin = connect(inject('adminDatabaseUrl'), { max: 1 });
  try {
    await admin.unsafe(`drop database if exists ${db.name} with (force)`);
  } finally {
    await admin.end();
  }
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
