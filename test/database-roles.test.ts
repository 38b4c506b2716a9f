// The two database roles of the run-book (docs/operations.md, "The database roles"), with the
// SQL exactly as the run-book gives it: a fresh database and roles made by steps 1 and 2, the
// migrations run as the owner (as `npm run db:migrate` does), step 3, and then the portal itself
// working as the application role, which may add to the access log but never change it.
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { recordAccess } from '../src/audit/access-log.ts';
import { chainNewEntries } from '../src/audit/chain.ts';
import { ensureAccessLogPartitions } from '../src/audit/partitions.ts';
import { queueDailyDigest } from '../src/audit/witness.ts';
import { connect, withDatabase, type Sql } from '../src/db/connect.ts';
import { migrate, schemaAnswers } from '../src/db/migrate.ts';
import { paths } from '../src/paths.ts';
import { seedDemoData } from '../src/seed/insert.ts';
import { accessEntry } from './support/access-entries.ts';
import { goodAnswers } from './support/concerns.ts';
import { signedInAs } from './support/demo-session.ts';
import { buildTestApp, type InProcessApp } from './support/in-process-app.ts';

/** The run-book's SQL, step by step, each step split into statements. */
function runBookSteps(): Map<number, string[]> {
  const text = readFileSync(path.join(paths.root, 'docs/operations.md'), 'utf8');
  const steps = new Map<number, string[]>();
  for (const [, step, body] of text.matchAll(/<!-- database roles, step (\d) -->\s*```sql\n([\s\S]*?)```/g)) {
    steps.set(Number(step), body!.split(/;\s*$/m).map((s) => s.trim()).filter(Boolean));
  }
  return steps;
}

// Role names are the server's, not the database's: unique ones, so that runs never collide.
const suffix = randomBytes(4).toString('hex');
const names = { owner: `portal_owner_${suffix}`, app: `portal_app_${suffix}`, database: `portal_roles_${suffix}` };
const named = (statement: string) =>
  statement.replace(/\bportal_owner\b/g, names.owner).replace(/\bportal_app\b/g, names.app).replace(/\bportal\b/g, names.database);

const admin = () => inject('adminDatabaseUrl');
const urlAs = (role: string) => {
  const url = new URL(withDatabase(admin(), names.database));
  url.username = role;
  url.password = '';
  return url.toString();
};

let steps: Map<number, string[]>;
let superuser: Sql;
let owner: Sql;
let app: Sql;

async function run(sql: Sql, step: number) {
  for (const statement of steps.get(step) ?? []) await sql.unsafe(named(statement));
}

beforeAll(async () => {
  steps = runBookSteps();
  expect([...steps.keys()]).toEqual([1, 2, 3]);
  superuser = connect(admin(), { max: 1 });
  await run(superuser, 1); // as a superuser, connected to any database
  owner = connect(urlAs(names.owner), { max: 2 });
  await run(owner, 2); // as the owner, in the new database
  await migrate(owner); // npm run db:migrate with the owner's DATABASE_URL
  await seedDemoData(owner, { children: 20, referenceDate: '2026-11-23' });
  await run(owner, 3);
  app = connect(urlAs(names.app), { max: 4 });
}, 120_000);

afterAll(async () => {
  await app?.end({ timeout: 5 });
  await owner?.end({ timeout: 5 });
  await superuser.unsafe(`drop database if exists ${names.database} with (force)`);
  await superuser.unsafe(`drop role if exists ${names.app}`);
  await superuser.unsafe(`drop role if exists ${names.owner}`);
  await superuser.end({ timeout: 5 });
});

const refusal = (promise: Promise<unknown>) => promise.then(() => 'allowed', (error: Error) => error.message);

describe('the application role', () => {
  it('is neither a superuser nor the owner of anything', async () => {
    const [role] = await app<{ super: boolean; owns: number }[]>`
      select rolsuper as super, (select count(*)::int from pg_class where relowner = r.oid) as owns
      from pg_roles r where rolname = current_user`;
    expect(role).toEqual({ super: false, owns: 0 });
  });

  it('adds to the access log, seals it into the chain and queues the digest', async () => {
    await recordAccess(app, accessEntry());
    expect(await chainNewEntries(app)).toBeGreaterThan(0);
    expect(await queueDailyDigest(app)).toBe('queued');
    await schemaAnswers(app); // what /readyz asks
  });

  it.each(['access_log', 'access_log_chain', 'access_log_digests'])('is refused UPDATE, DELETE and TRUNCATE on %s by privilege, not only by trigger', async (table) => {
    const column = table === 'access_log_digests' ? 'position' : table === 'access_log' ? 'reason' : 'position';
    const value = table === 'access_log' ? "'changed'" : '0';
    for (const statement of [`update ${table} set ${column} = ${value}`, `delete from ${table}`, `truncate ${table}`]) {
      expect(await refusal(app.unsafe(statement)), statement).toMatch(new RegExp(`permission denied for table ${table}`));
    }
    // Nor can it switch the append-only triggers off: only the owner could.
    expect(await refusal(app.unsafe(`alter table ${table} disable trigger user`))).toMatch(/must be owner of table/);
  });

  it('holds exactly INSERT and SELECT on the access log tables, as the run-book says \\dp shows', async () => {
    const rows = await owner<{ table: string; privileges: string[] }[]>`
      select c.relname as table, array_agg(a.privilege_type order by a.privilege_type) as privileges
      from pg_class c, aclexplode(c.relacl) a
      where c.relname in ('access_log', 'access_log_chain', 'access_log_digests')
        and a.grantee = (select oid from pg_roles where rolname = ${names.app})
      group by c.relname order by c.relname`;
    expect(rows).toEqual(['access_log', 'access_log_chain', 'access_log_digests'].map((table) => ({ table, privileges: ['INSERT', 'SELECT'] })));
  });

  it('holds only INSERT and SELECT on every access-log partition, and makes the months ahead through the owner\'s function', async () => {
    // Partitions are tables of their own: the owner's default privileges are taken back as each is made.
    const later = new Date(Date.UTC(new Date().getUTCFullYear() + 2, 0, 1));
    expect(await ensureAccessLogPartitions(app, later, later)).toBe(1);
    const rows = await owner<{ table: string; privileges: string[] }[]>`
      select c.relname as table, array_agg(a.privilege_type order by a.privilege_type) as privileges
      from pg_inherits i join pg_class c on c.oid = i.inhrelid, aclexplode(c.relacl) a
      where i.inhparent = 'access_log'::regclass and a.grantee = (select oid from pg_roles where rolname = ${names.app})
      group by c.relname`;
    expect(rows.length).toBeGreaterThanOrEqual(6);
    for (const row of rows) expect(row.privileges, row.table).toEqual(['INSERT', 'SELECT']);
    expect(await refusal(app`select access_log_protect_partition('access_log_default'::regclass)`)).toMatch(/permission denied/);
  });

  it('passes the migration check every node runs at start-up, applying nothing', async () => {
    const result = await migrate(app);
    expect(result.applied).toEqual([]);
    expect(result.alreadyApplied.length).toBeGreaterThan(0);
  });

  it('cannot change the schema or the record of migrations', async () => {
    expect(await refusal(app`create table intruder (id int)`)).toMatch(/permission denied for schema public/);
    expect(await refusal(app`insert into schema_migrations (name, checksum) values ('999_x.sql', 'x')`)).toMatch(/permission denied for table schema_migrations/);
    expect(await refusal(app`delete from schema_migrations`)).toMatch(/permission denied for table schema_migrations/);
  });

  describe('runs the portal', () => {
    let portal: InProcessApp;
    beforeAll(async () => {
      portal = await buildTestApp(app);
    });
    afterAll(() => portal?.close());

    it('signs in, lists children (logged) and raises a concern, all as the application role', async () => {
      const [logged] = await owner<{ before: number }[]>`select count(*)::int as before from access_log`;
      const dsl = await signedInAs(portal, 'dsl-riverside');
      const list = await dsl.get('/children');
      expect(list.status).toBe(200);
      const sent = await dsl.post('/concerns', { idempotencyKey: randomUUID(), childId: '', childSurname: 'Roles', ...goodAnswers });
      expect(sent.status).toBeLessThan(400);
      const [now] = await owner<{ after: number }[]>`select count(*)::int as after from access_log`;
      expect(now!.after).toBeGreaterThan(logged!.before);
      const [raised] = await owner<{ concerns: number }[]>`select count(*)::int as concerns from concerns where child_surname = 'Roles'`;
      expect(raised!.concerns).toBe(1);
    });
  });
});
