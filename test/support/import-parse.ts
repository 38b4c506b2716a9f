// Running a source parser without the runner or a database: files from disk or from a string,
// every record and issue collected, and what the report would count.
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import type { ImportRecord, InputFile, SourceParser } from '../../src/imports/records.ts';
import type { Issue } from '../../src/imports/issues.ts';

export const fileFromDisk = (path: string): InputFile => ({ name: basename(path), open: () => createReadStream(path) });

/** A file made in the test; `chunk` splits it so that values and tags cross chunk boundaries. */
export const fileFromText = (name: string, text: string, chunk = 7): InputFile => ({
  name,
  open: () => {
    const bytes = Buffer.from(text, 'utf8');
    const chunks: Buffer[] = [];
    for (let i = 0; i < bytes.length; i += chunk) chunks.push(bytes.subarray(i, i + chunk));
    return Readable.from(chunks);
  },
});

export interface Parsed {
  records: ImportRecord[];
  issues: Issue[];
  rejected: Issue[];
  warnings: Issue[];
  bytes: number;
}

export async function parseFiles(parser: SourceParser, files: InputFile[]): Promise<Parsed> {
  const records: ImportRecord[] = [];
  const issues: Issue[] = [];
  let bytes = 0;
  for await (const record of parser.parse(files, { issue: (i) => issues.push(i), progress: (b) => { bytes = b; } })) records.push(record);
  return {
    records, issues, bytes,
    rejected: issues.filter((i) => i.outcome === 'rejected'),
    warnings: issues.filter((i) => i.outcome === 'warning'),
  };
}

/** Records without `where`, for comparing what a file says with what was written into it. */
export function canonical(records: readonly ImportRecord[]): unknown[] {
  return records.map(({ where: _where, ...rest }) => rest);
}
