// Reading one CSV file as a table, as SQL Server's export tools and spreadsheets write them:
// comma separated, double-quote quoting, perhaps a UTF-8 byte order mark, a header row of column
// names. Streams row by row (csv-parse), so a file of any size is read in constant memory. Shared
// by the SSD extract and the portal's own small CSV formats (flags, school roll, GP registration).
import { parse } from 'csv-parse';
import type { Issue } from '../../issues.ts';
import type { ImportSource, InputFile, ParseReport } from '../../records.ts';
import { cell } from '../../values.ts';

/**
 * A file that cannot be read as the table it claims to be: the whole import stops, nothing is
 * loaded from it. `rule` is the report's rule code (docs/imports.md); the message names no
 * personal value, only files, lines and column names.
 */
export type RefusalRule = 'missing-column' | 'unreadable-csv' | 'empty-file' | 'unknown-file';
export class ImportFileRefused extends Error {
  constructor(readonly file: string, message: string, readonly line?: number, readonly rule: RefusalRule = 'unknown-file') {
    super(`${file}${line ? `, line ${line}` : ''}: ${message}`);
    this.name = 'ImportFileRefused';
  }
}

export interface TableSpec {
  /** Columns the file must have (the file is refused without them). */
  required: readonly string[];
  /** Further columns the portal reads or knows to ignore; any other column is reported once. */
  optional: readonly string[];
}

export interface CsvRow {
  /** The line the row starts on (the header is line 1). */
  line: number;
  /** The cell of a column, trimmed, or null when blank, `NULL` or the column is absent. */
  get(column: string): string | null;
  /** False when the row has a different number of cells from the header. */
  wellFormed: boolean;
}

/** Bytes read so far across all the files of one import, for the progress bar. */
export class ByteCounter {
  private total = 0;
  constructor(private readonly report: ParseReport) {}
  add(bytes: number): void {
    this.total += bytes;
    this.report.progress(this.total);
  }
}

/**
 * The rows of `file`, after checking its header against `spec`: a missing required column
 * refuses the file (thrown, before any row is yielded); an unknown column is a warning, once.
 * Column names are matched without regard to case or surrounding spaces.
 */
export async function* readCsvTable(
  file: InputFile,
  spec: TableSpec,
  context: { source: ImportSource; report: ParseReport; bytes: ByteCounter },
): AsyncGenerator<CsvRow> {
  const stream = file.open();
  stream.on('data', (chunk: Buffer | string) => context.bytes.add(typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length));
  const parser = parse({ bom: true, relax_column_count: true, skip_empty_lines: true, info: true });
  stream.on('error', (error) => parser.destroy(error));
  stream.pipe(parser);

  let index: Map<string, number> | undefined;
  let width = 0;
  let previousLines = 0;
  let previousEmpty = 0;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number; empty_lines: number } }>) {
      const line = previousLines + 1 + (info.empty_lines - previousEmpty);
      previousLines = info.lines;
      previousEmpty = info.empty_lines;
      if (!index) {
        index = checkHeader(file.name, record, spec, context);
        width = record.length;
        continue;
      }
      const cells = record;
      const columns = index;
      yield {
        line,
        wellFormed: cells.length === width,
        get: (column) => {
          const at = columns.get(column);
          return at === undefined ? null : cell(cells[at]);
        },
      };
    }
  } catch (error) {
    if (error instanceof ImportFileRefused) throw error;
    const line = (error as { lines?: number }).lines;
    // csv-parse's own messages quote no cell values, only positions.
    throw new ImportFileRefused(file.name, `the file is not a readable CSV file (${(error as Error).message.split(':')[0]})`, line, 'unreadable-csv');
  } finally {
    // Stops reading a file the caller gave up on (a refused header); harmless once it has ended.
    (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
  }
  if (!index) throw new ImportFileRefused(file.name, 'the file is empty: it needs a header row of column names', undefined, 'empty-file');
}

function checkHeader(
  fileName: string,
  header: string[],
  spec: TableSpec,
  context: { source: ImportSource; report: ParseReport },
): Map<string, number> {
  const index = new Map<string, number>();
  header.forEach((name, at) => {
    const key = name.trim().toLowerCase();
    if (key !== '' && !index.has(key)) index.set(key, at);
  });
  const missing = spec.required.filter((column) => !index.has(column));
  if (missing.length > 0) {
    throw new ImportFileRefused(fileName, `the header row has no ${missing.map((c) => `'${c}'`).join(', ')} column${missing.length > 1 ? 's' : ''}; nothing was loaded from this file`, 1, 'missing-column');
  }
  const known = new Set([...spec.required, ...spec.optional]);
  const unknown = [...index.keys()].filter((column) => !known.has(column));
  for (const column of unknown) {
    context.report.issue({
      source: context.source,
      where: { file: fileName, line: 1 },
      rule: 'unknown-column',
      field: column,
      message: `Column '${column}' is not one the portal reads; it was ignored in every row`,
      outcome: 'warning',
    } satisfies Issue);
  }
  return index;
}
