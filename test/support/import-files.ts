// Running a source parser over files in tests: files from disk or from strings, a report that
// collects every issue, and checks that an issue carries no unmasked personal value.
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { expect } from 'vitest';
import type { Issue } from '../../src/imports/issues.ts';
import type { ImportRecord, InputFile, SourceParser } from '../../src/imports/records.ts';

export function fileFromDisk(path: string): InputFile {
  return { name: basename(path), open: () => createReadStream(path) };
}

export function fileFromText(name: string, text: string): InputFile {
  return { name, open: () => Readable.from([Buffer.from(text, 'utf8')]) };
}

export interface ParseResult {
  records: ImportRecord[];
  issues: Issue[];
  bytes: number;
}

export async function parseAll(parser: SourceParser, files: InputFile[]): Promise<ParseResult> {
  const issues: Issue[] = [];
  let bytes = 0;
  const records: ImportRecord[] = [];
  for await (const record of parser.parse(files, { issue: (i) => issues.push(i), progress: (b) => (bytes = b) })) records.push(record);
  return { records, issues, bytes };
}

/** The records of one kind without `where` (and other fields named), for comparing with demo rows. */
export function withoutWhere<T extends ImportRecord>(records: ImportRecord[], kind: T['kind'], drop: string[] = []): Record<string, unknown>[] {
  return records
    .filter((r): r is T => r.kind === kind)
    .map((r) => Object.fromEntries(Object.entries(r).filter(([key]) => key !== 'where' && !drop.includes(key))));
}

/** Order-free comparison of record lists: sorted by a key made of the named fields. */
export function sortBy<T extends Record<string, unknown>>(rows: T[], ...fields: string[]): T[] {
  const key = (row: T) => fields.map((f) => String(row[f] ?? '')).join('|');
  return [...rows].sort((a, b) => key(a).localeCompare(key(b)));
}

/** No personal value appears anywhere in the issue, in any field. */
export function expectNoPersonalValue(issue: Issue, ...personal: string[]): void {
  const text = JSON.stringify(issue);
  for (const value of personal) expect(text, `issue ${issue.rule} shows '${value}'`).not.toContain(value);
}

/** Data lines of a CSV written without line breaks inside cells. */
export function dataLineCount(text: string): number {
  return text.split(/\r?\n/).filter((line) => line.trim() !== '').length - 1;
}
