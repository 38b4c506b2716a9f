// A small structured logger: one JSON object per line on stdout. Callers pass facts, never
// personal data (no names, identifiers, query strings or request bodies).
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
export type Logger = Record<Exclude<LogLevel, 'silent'>, (msg: string, fields?: Record<string, unknown>) => void>;

const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export function createLogger(level: LogLevel, write: (line: string) => void = (line) => process.stdout.write(line + '\n')): Logger {
  const emit = (at: Exclude<LogLevel, 'silent'>) => (msg: string, fields: Record<string, unknown> = {}) => {
    if (rank[at] < rank[level]) return;
    write(JSON.stringify({ time: new Date().toISOString(), level: at, msg, ...fields }));
  };
  return { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error') };
}

/**
 * What may be logged about an error, and nothing else. PostgreSQL's messages repeat the values
 * a statement was given (`invalid input syntax for type date: "…"`, `Key (nhs_number)=(…)`), and
 * postgres.js attaches the query and its parameters to every error it rejects, so a database
 * error is logged by its SQLSTATE code, the constraint, schema, table, column and data type it
 * names, and the server routine that raised it: never `message`, `detail`, `hint`, `where`,
 * `query` or `parameters`. A connection error of postgres.js (CONNECTION_CLOSED,
 * CONNECT_TIMEOUT, ECONNREFUSED …) is logged by its code. Any other error by its name alone,
 * unless it is one of ours that says its message is safe (`SafeMessage`).
 */
export type ErrorFields = {
  name: string;
  code?: string;
  constraint?: string;
  schema?: string;
  table?: string;
  column?: string;
  dataType?: string;
  routine?: string;
  message?: string;
};

/** An error whose message we wrote ourselves and which carries no personal data. */
export class SafeMessageError extends Error {
  readonly safeMessage = true;
}

const SAFE_CODE = /^[A-Z0-9_]{1,40}$/;

export function errorFields(error: unknown): ErrorFields {
  if (!(error instanceof Error)) return { name: typeof error };
  const e = error as Error & Record<string, unknown>;
  const text = (key: string) => (typeof e[key] === 'string' ? (e[key] as string) : undefined);
  const fields: ErrorFields = { name: e.name === 'Error' ? e.constructor.name : e.name };
  const code = text('code');
  // A PostgreSQL SQLSTATE (five characters) or a Node/postgres.js code: never free text.
  if (code && SAFE_CODE.test(code)) fields.code = code;
  if (e.name === 'PostgresError') {
    // Names of our own schema objects and of the server's C routine: not personal data.
    fields.constraint = text('constraint_name');
    fields.schema = text('schema_name');
    fields.table = text('table_name');
    fields.column = text('column_name');
    fields.dataType = text('data type_name');
    fields.routine = text('routine');
  } else if ((e as { safeMessage?: unknown }).safeMessage === true) {
    fields.message = e.message;
  }
  for (const key of Object.keys(fields) as Array<keyof ErrorFields>) if (fields[key] === undefined) delete fields[key];
  return fields;
}

/**
 * The stack's frames ("    at fn (file:line:col)") without its first line(s), which repeat the
 * message: where the error happened, but not what it said. The message is cut off by value
 * first (it may hold line breaks, and so lines that look like frames), then only lines shaped
 * like a frame ending in a line and column are kept.
 */
export function stackFrames(error: unknown): string | undefined {
  if (!(error instanceof Error) || typeof error.stack !== 'string') return undefined;
  let stack = error.stack;
  const header = error.message ? `${error.name}: ${error.message}` : error.name;
  if (stack.startsWith(header)) stack = stack.slice(header.length);
  else if (error.message && stack.includes(error.message)) stack = stack.slice(stack.lastIndexOf(error.message) + error.message.length);
  const frames = stack.split('\n').filter((line) => /^ {4}at \S.*:\d+:\d+\)?$/.test(line));
  return frames.length > 0 ? frames.join('\n') : undefined;
}
