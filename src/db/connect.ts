// One postgres.js pool per process. All SQL in the app goes through its tagged templates, which
// always send values as parameters.
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';

export type Sql = postgres.Sql;
/**
 * The pool or a transaction: what a query function takes when its caller may run it on its own
 * or inside `sql.begin(async (tx) => …)` with other writes (a lookup writes its access-log row
 * in the same transaction as its notification).
 */
export type Db = Sql | postgres.TransactionSql;

export function connect(url: string, options: postgres.Options<{}> = {}): Sql {
  return postgres(url, {
    max: 10,
    // Schema changes print NOTICEs ("already exists, skipping"); they are not worth a log line.
    onnotice: () => {},
    connection: { application_name: 'safeguarding-partner-portal' },
    ...options,
  });
}

/** The same server with another database name: used to create and drop databases. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = '/' + encodeURIComponent(database);
  return parsed.toString();
}

/** Runs one statement on its own short-lived connection to the server at `adminUrl`. */
async function onServer(adminUrl: string, statement: string): Promise<void> {
  const admin = connect(adminUrl, { max: 1 });
  try {
    await admin.unsafe(statement);
  } finally {
    await admin.end();
  }
}

/**
 * A new, empty database on the server at `adminUrl`, named `prefix` + random hex (a name made
 * here, never from input, as CREATE DATABASE takes no parameters): for test files and benchmarks.
 */
export async function createScratchDatabase(adminUrl: string, prefix: string): Promise<{ name: string; url: string }> {
  const name = `${prefix}${randomBytes(6).toString('hex')}`;
  await onServer(adminUrl, `create database ${name}`);
  return { name, url: withDatabase(adminUrl, name) };
}

/** Drops a database made by createScratchDatabase, ending any connections still open to it. */
export async function dropScratchDatabase(adminUrl: string, name: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a scratch database name: ${name}`);
  await onServer(adminUrl, `drop database if exists ${name} with (force)`);
}

