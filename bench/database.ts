// A fresh database for one benchmark run: a new database on DATABASE_URL's server, or else a
// private embedded PostgreSQL in a temporary folder. Either is removed again by drop().
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createScratchDatabase, dropScratchDatabase, type Sql } from '../src/db/connect.ts';
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

/**
 * `rows` access-log rows in one statement: child_id spread evenly over the real children (every
 * twentieth row is a list view with no child), organisations over the real organisations, `at`
 * over the last year, a few hundred distinct users.
 */
export async function seedAccessLog(sql: Sql, rows: number): Promise<void> {
  await sql`
    with kids as (
      select id, row_number() over (order by id) as n, count(*) over () as total from children
    ), orgs as (
      select id, name, row_number() over (order by id) as n, count(*) over () as total from organisations
    ), g as (
      select g, (select max(total) from kids) as kid_total, (select max(total) from orgs) as org_total
      from generate_series(1, ${rows}::int) g
    )
    insert into access_log (at, issuer, subject, user_name, organisation_id, organisation_name, role,
                            child_id, action, fields_released, reason, request_id)
    select now() - random() * interval '365 days',
           'http://127.0.0.1/bench-issuer',
           'bench-user-' || (g.g % 500),
           'Bench user ' || (g.g % 500),
           o.id, o.name,
           'education.dsl',
           case when g.g % 20 = 0 then null else k.id end,
           case when g.g % 20 = 0 then 'view_list' when g.g % 10 = 1 then 'lookup' else 'view_summary' end,
           '{forename,surname,dateOfBirth,legalStatus}'::text[],
           case when g.g % 10 = 1 then 'Child attending the emergency department' end,
           'bench-' || g.g
    from g
    join kids k on k.n = 1 + (g.g % g.kid_total)
    join orgs o on o.n = 1 + (g.g % g.org_total)`;
}
