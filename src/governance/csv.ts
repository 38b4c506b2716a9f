// CSV as spreadsheets read it (RFC 4180): every cell quoted, quotes doubled, rows ended CRLF.
// A cell a spreadsheet would run as a formula (starting =, +, -, @, or a tab or carriage return
// that some read past) is prefixed with an apostrophe, so a name or a reason typed as
// "=HYPERLINK(…)" stays text (OWASP, "CSV injection").

const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell, guarded and quoted. */
export function csvCell(value: string | number | null | undefined): string {
  const text = value === null || value === undefined ? '' : String(value);
  const guarded = FORMULA_START.test(text) ? `'${text}` : text;
  return `"${guarded.replace(/"/g, '""')}"`;
}

/** One row, ended CRLF. */
export const csvRow = (cells: ReadonlyArray<string | number | null | undefined>): string => `${cells.map(csvCell).join(',')}\r\n`;
