// Reading values as case systems write them, for every source's parser: dates in the forms SQL
// Server's export tools and DfE's returns use, sex codes, empty cells; and masking what a
// report may show of a personal value.

/** An empty cell, in any of the ways an export writes one. */
export function isBlank(value: string | null | undefined): boolean {
  if (value === null || value === undefined) return true;
  const trimmed = value.trim();
  return trimmed === '' || trimmed.toUpperCase() === 'NULL';
}

/** The cell, trimmed, or null when blank. */
export function cell(value: string | null | undefined): string | null {
  return isBlank(value) ? null : value!.trim();
}

function isoIfReal(year: number, month: number, day: number): string | undefined {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  if (year < 1900 || year > 2100) return undefined;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * A date as `YYYY-MM-DD`, from `2024-03-07`, `2024-03-07 00:00:00.000`, `2024-03-07T00:00:00`
 * (SQL Server, XML) or `07/03/2024` (SSDA903 and spreadsheets, day first). Undefined when it is
 * not a real date: 31/02/2024 is refused, not rolled over.
 */
export function parseSourceDate(text: string): string | undefined {
  const value = text.trim();
  let m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,7})?)?Z?)?$/.exec(value);
  if (m) return isoIfReal(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?: \d{2}:\d{2}(?::\d{2})?)?$/.exec(value);
  if (m) return isoIfReal(Number(m[3]), Number(m[2]), Number(m[1]));
  return undefined;
}

/**
 * Sex or gender as the sources code it: CIN census and SSDA903 use 1 = male, 2 = female
 * (0 = not known, 9 = not specified); the SSD carries M / F / U / I or words.
 */
export function parseGender(text: string): 'male' | 'female' | 'other' | 'not_known' | undefined {
  switch (text.trim().toUpperCase()) {
    case '1': case 'M': case 'MALE': return 'male';
    case '2': case 'F': case 'FEMALE': return 'female';
    case 'I': case 'INDETERMINATE': case 'OTHER': case 'O': return 'other';
    case '0': case '9': case 'U': case 'UNKNOWN': case 'NOT KNOWN': case 'NOT STATED': case '': return 'not_known';
    default: return undefined;
  }
}

/** Personal fields: a report shows them masked, enough for the data team to find the row. */
export type PersonalKind = 'name' | 'date' | 'nhsNumber' | 'upn' | 'address' | 'postcode' | 'text';

/**
 * What an import report may show of a personal value: the first letter of a name, the year of a
 * date, the last three characters of an identifier, the outward code of a postcode. Non-personal
 * values (codes, dates of episodes, URNs) are shown as they are and need no masking.
 */
export function maskValue(kind: PersonalKind, value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const v = value.trim();
  if (v === '') return '';
  switch (kind) {
    case 'name': return `${v[0]}${'*'.repeat(Math.max(v.length - 1, 1))}`;
    case 'date': { const year = /\d{4}/.exec(v); return year ? `${year[0]}-**-**` : '****'; }
    case 'nhsNumber': case 'upn': return `${'*'.repeat(Math.max(v.length - 3, 1))}${v.slice(-3)}`;
    case 'postcode': return `${v.split(/\s+/)[0]!.slice(0, 4)} ***`;
    case 'address': case 'text': return `(${v.length} characters)`;
  }
}

/** The demo data's case-system ids: short enough for the CIN census (LAchildID, at most 10 characters). */
export function demoCaseSystemId(childNumber: number): string {
  return `NB${String(childNumber).padStart(7, '0')}`;
}
