// Reads a hand-written table from a Markdown file (the permission matrices): the first table
// after a heading, as its header cells and each row's cells with the row's line number.
export interface MarkdownTable {
  header: string[];
  rows: Array<{ cells: string[]; line: number }>;
}

export function readMarkdownTable(markdown: string, heading: string, file: string): MarkdownTable {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => l.trim() === heading);
  if (start < 0) throw new Error(`${file}: no "${heading}" section`);
  const table: Array<{ text: string; line: number }> = [];
  for (let i = start + 1; i < lines.length; i++) {
    const text = lines[i]!.trim();
    if (text.startsWith('|')) table.push({ text, line: i + 1 });
    else if (table.length > 0) break;
  }
  const cells = (text: string) => text.replace(/^\|/, '').replace(/\|$/, '').split('|').map((c) => c.trim());
  const [header, separator, ...body] = table;
  if (!header || !separator) throw new Error(`${file}: the table under "${heading}" has no header`);
  const columns = cells(header.text);
  return {
    header: columns,
    rows: body.map(({ text, line }) => {
      const row = cells(text);
      if (row.length !== columns.length) throw new Error(`${file} line ${line}: ${row.length} cells, expected ${columns.length}`);
      return { cells: row, line };
    }),
  };
}
