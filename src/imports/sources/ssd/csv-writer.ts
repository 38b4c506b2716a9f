// Writing a CSV file row by row, waiting for the disk when its buffer is full, so that a file for
// 100,000 children never exists as one string. Quotes a cell only when it must (comma, quote, line
// break), doubling quotes inside, as SQL Server's export tools do.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

export interface CsvFileWriter {
  row(cells: readonly (string | null | undefined)[]): Promise<void>;
  close(): Promise<void>;
}

export function quoteCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * `nullAs` is how a missing value is written: '' (the Import and Export Wizard) or 'NULL'
 * (results saved from Management Studio). `bom` writes a UTF-8 byte order mark first.
 */
export async function openCsvFile(path: string, header: readonly string[], options: { nullAs?: '' | 'NULL'; bom?: boolean } = {}): Promise<CsvFileWriter> {
  const out = createWriteStream(path, { encoding: 'utf8' });
  await once(out, 'open');
  const nullAs = options.nullAs ?? '';
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  await write(`${options.bom ? '\uFEFF' : ''}${header.map(quoteCell).join(',')}\r\n`);
  return {
    row: (cells) => write(`${cells.map((c) => (c === null || c === undefined ? nullAs : quoteCell(c))).join(',')}\r\n`),
    close: async () => {
      out.end();
      await once(out, 'finish');
    },
  };
}
