// One postgres.js pool per process. All SQL in the app goes through its tagged templates, which
// always send values as parameters.
import postgres from 'postgres';

export type Sql = postgres.Sql;

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
