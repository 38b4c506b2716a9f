// A fresh database for one benchmark run: a new database on DATABASE_URL's server, or else a
// private embedded PostgreSQL in a temporary folder. Either is removed again by drop().
// Or a kept one (BENCH_KEEP_DATABASE): a county's data takes minutes to seed, so a named
// database on DATABASE_URL's server is seeded once, marked, and used as it is by later runs.
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connect, createScratchDatabase, dropScratchDatabase, withDatabase } from '../src/db/connect.ts';
import { startEmbedded } from '../src/db/embedded.ts';
import { createLogger } from '../src/log.ts';

export interface BenchDatabase {
  url: string;
  /** Where it runs, for the report. */
  description: string;
  drop(): Promise<void>;
}

export async function createBenchDatabase(databaseUrl: string | undefined): Promise<BenchDatabase> {
  if (databaseUrl) {
    const { name, url } = await createScratchDatabase(databaseUrl, 'bench_');
    return {
      url,
      description: `DATABASE_URL's server (${new URL(databaseUrl).host}), database ${name}`,
      drop: () => dropScratchDatabase(databaseUrl, name),
    };
  }

  const folder = await mkdtemp(path.join(tmpdir(), 'portal-bench-'));
  // As root the embedded server runs as `postgres`, which must be able to pass through here.
  if (process.getuid?.() === 0) await chmod(folder, 0o755);
  try {
    const embedded = await startEmbedded(path.join(folder, 'data'), createLogger('silent'));
    return {
      url: embedded.url,
      description: `embedded PostgreSQL in ${folder}`,
      drop: async () => {
        try {
          await embedded.stop();
        } finally {
          await rm(folder, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    await rm(folder, { recursive: true, force: true });
    throw error;
  }
}

/** What a kept database's comment says once its seeding has finished: the sizes it was seeded with. */
export const seededMark = (children: number, accessLogRows: number) => `portal bench: ${children} children, ${accessLogRows} access-log rows`;

/**
 * The database `name` on DATABASE_URL's server, kept after the run. `seeded` is true where an
 * earlier run finished seeding it with these sizes (its comment says so); otherwise it is
 * dropped and made afresh, so a seed cut short is never measured.
 */
export async function keptBenchDatabase(databaseUrl: string, name: string, mark: string): Promise<BenchDatabase & { seeded: boolean; markSeeded(): Promise<void> }> {
  // CREATE DATABASE takes no parameters: the name is checked here and quoted nowhere else.
  if (!/^bench_[a-z0-9_]{1,40}$/.test(name)) throw new Error('BENCH_KEEP_DATABASE must be "bench_" and lower-case letters, digits or _');
  const admin = connect(databaseUrl, { max: 1 });
  try {
    const [found] = await admin<{ comment: string | null }[]>`
      select shobj_description(oid, 'pg_database') as comment from pg_database where datname = ${name}`;
    const seeded = found?.comment === mark;
    if (!seeded) {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.unsafe(`create database ${name}`);
    }
    return {
      url: withDatabase(databaseUrl, name),
      description: `DATABASE_URL's server (${new URL(databaseUrl).host}), kept database ${name}${seeded ? ' (seeded by an earlier run; it also holds that run\'s concerns and looks)' : ''}`,
      seeded,
      drop: async () => {},
      markSeeded: async () => {
        const again = connect(databaseUrl, { max: 1 });
        try {
          await again.unsafe(`comment on database ${name} is '${mark.replace(/'/g, "''")}'`);
        } finally {
          await again.end();
        }
      },
    };
  } finally {
    await admin.end();
  }
}
