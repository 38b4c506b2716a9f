// Bulk loading with PostgreSQL's COPY (text format), streamed: rows are encoded as they are
// written, so millions of them never sit in memory as one string. COPY is several times faster
// than multi-row INSERTs (no statement per batch, no parameter limit, no per-row planning).
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Db } from '../db/connect.ts';

export type CopyValue = string | number | boolean | null | undefined | readonly string[];

/** One value in COPY's text format: \N for null, backslash escapes for the delimiter and line ends. */
export function copyText(value: CopyValue): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return escape(arrayLiteral(value as readonly string[]));
  return escape(value as string);
}

function escape(text: string): string {
  return /[\\\t\n\r]/.test(text) ? text.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r')) : text;
}

/** A text[] literal: every element quoted, so commas, braces and spaces need no thought. */
function arrayLiteral(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/[\\"]/g, (c) => `\\${c}`)}"`).join(',')}}`;
}

/** Lines of COPY text, a few hundred rows to a chunk (fewer, larger writes). */
function* lines(columns: readonly string[], rows: Iterable<Record<string, CopyValue>>): Generator<string> {
  let buffer = '';
  let count = 0;
  for (const row of rows) {
    buffer += columns.map((column) => copyText(row[column])).join('\t') + '\n';
    if (++count === 500) {
      yield buffer;
      buffer = '';
      count = 0;
    }
  }
  if (buffer) yield buffer;
}

/** Streams `rows` into `table` with COPY … FROM STDIN on `sql` (a transaction or the pool). */
export async function copyRows(sql: Db, table: string, columns: readonly string[], rows: Iterable<Record<string, CopyValue>>): Promise<void> {
  const writable = await sql`copy ${sql(table)} (${sql(columns as string[])}) from stdin`.writable();
  await pipeline(Readable.from(lines(columns, rows)), writable);
}

/**
 * Runs `load` (inside a transaction) with the tables' secondary indexes dropped, then builds them
 * again: one sorted build is far cheaper than millions of single insertions, above all for the
 * trigram (GIN) indexes on names. Primary keys and indexes behind a constraint (unique, or one a
 * foreign key relies on) stay, so uniqueness and foreign keys are checked as the rows arrive.
 * The definitions are read from the catalogue, so this keeps whatever the migrations made,
 * on a partitioned table's partitions as on any other table.
 */
export async function withSecondaryIndexesRebuilt<T>(tx: Db, tables: readonly string[], load: () => Promise<T>): Promise<T> {
  const indexes = await tx<{ name: string; definition: string }[]>`
    select i.indexrelid::regclass::text as name, pg_get_indexdef(i.indexrelid) as definition
    from pg_index i
    where i.indrelid = any(${tables as string[]}::regclass[]) and not i.indisprimary
      and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid)
    order by 1`;
  for (const index of indexes) await tx.unsafe(`drop index ${index.name}`);
  const result = await load();
  // Each build sorts in memory rather than in temporary files where it can.
  await tx`set local maintenance_work_mem = '256MB'`;
  // A partitioned table's index reads "ON ONLY" in the catalogue: made so, it would be the
  // parent's alone, with no index on any partition. "ON" builds it on every partition too.
  for (const index of indexes) await tx.unsafe(index.definition.replace(/ ON ONLY /, ' ON '));
  return result;
}
