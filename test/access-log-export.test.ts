// The access log's CSV export (issue 12, point 8): the current search's entries, every one,
// streamed from a PostgreSQL cursor batch by batch (more rows than one batch here), quoted as CSV
// with a guard against formulas, named with the day, and itself recorded in the access log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvCell, csvRow } from '../src/governance/csv.ts';
import { EXPORT_BATCH } from '../src/governance/routes.ts';
import { seedDemoData } from '../src/seed/insert.ts';
import { useTestDatabase } from './support/database.ts';
import { demoClients } from './support/demo-session.ts';
import { buildTestApp, type InProcessApp } from './support/in-process-app.ts';

const db = useTestDatabase();
let app: InProcessApp;
const as = demoClients(() => app);
let child: { id: string; forename: string; surname: string };
const ROWS = EXPORT_BATCH * 2 + 345;
const HOSTILE = ['=HYPERLINK("http://evil.example","click")', '+1+2', '-3', '@SUM(A1)', '\tTabbed', 'Said "no", then left\r\nthe room'];

beforeAll(async () => {
  await seedDemoData(db().sql, { children: 20, referenceDate: '2026-11-23' });
  app = await buildTestApp(db().sql);
  [child] = await db().sql<[{ id: string; forename: string; surname: string }]>`select id, forename, surname from children where not sealed order by id limit 1`;
  // More entries about one child than one batch of the cursor: most plain, a few hostile.
  await db().sql`
    insert into access_log (issuer, subject, user_name, organisation_id, organisation_name, role, child_id, action, fields_released, reason, request_id)
    select 'https://idp.example', 'bulk-' || (i % 7), 'Bulk Viewer ' || (i % 7), null, 'Example School', 'education.dsl', ${child.id}, 'view_summary',
           array['forename', 'surname'], 'Routine ' || i, 'bulk-' || i
    from generate_series(1, ${ROWS - HOSTILE.length}::int) as i`;
  for (const [i, reason] of HOSTILE.entries()) {
    await db().sql`
      insert into access_log (issuer, subject, user_name, organisation_id, organisation_name, role, child_id, action, fields_released, reason, request_id)
      values ('https://idp.example', 'hostile', ${i === 0 ? '=cmd|"/c calc"!A1' : 'Hostile Person'}, null, '@Org', 'education.dsl', ${child.id}, 'lookup', '{}', ${reason}, ${'hostile-' + i})`;
  }
}, 60_000);
afterAll(async () => {
  await app?.close();
});

/** A CSV parser for the test (RFC 4180: quoted cells, doubled quotes, CRLF rows). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  while (i < text.length) {
    expect(text[i], `cell at ${i} is quoted`).toBe('"');
    let cell = '';
    i++;
    for (;;) {
      const next = text.indexOf('"', i);
      cell += text.slice(i, next);
      if (text[next + 1] === '"') { cell += '"'; i = next + 2; continue; }
      i = next + 1;
      break;
    }
    row.push(cell);
    if (text[i] === ',') { i++; continue; }
    expect(text.slice(i, i + 2)).toBe('\r\n');
    i += 2;
    rows.push(row);
    row = [];
  }
  return rows;
}

describe('csvCell', () => {
  it('quotes every cell, doubles quotes, and prefixes what a spreadsheet would run', () => {
    expect(csvCell('plain')).toBe('"plain"');
    expect(csvCell('say "hi", ok')).toBe('"say ""hi"", ok"');
    expect(csvCell(null)).toBe('""');
    expect(csvCell(42)).toBe('"42"');
    for (const start of ['=', '+', '-', '@', '\t', '\r']) expect(csvCell(`${start}1`)).toBe(`"'${start}1"`);
    expect(csvCell('a=b')).toBe('"a=b"');
    expect(csvRow(['a', 'b'])).toBe('"a","b"\r\n');
  });
});

describe('GET /governance/access-log.csv', () => {
  it('streams every entry of the search, more than one batch, as quoted CSV named with the day', async () => {
    const client = await as('info-governance');
    const res = await client.request(client.url(`/governance/access-log.csv?child=${child.id}`), {});
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date());
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="access-log-${today}.csv"`);
    expect(res.headers.get('cache-control')).toBe('no-store');

    // Streamed: the body arrives in pieces (the header, then one per batch of the cursor), not as one.
    const reader = res.body!.getReader();
    const chunks: Uint8Array[] = [];
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
    }
    expect(chunks.length).toBeGreaterThanOrEqual(Math.ceil(ROWS / EXPORT_BATCH) + 1);
    const bytes = Buffer.concat(chunks);
    // A byte-order mark first, so spreadsheets read the names as UTF-8.
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);

    const rows = parseCsv(bytes.subarray(3).toString('utf8'));
    const [header, ...entries] = rows;
    expect(header![0]).toBe('When (UK time)');
    expect(entries).toHaveLength(ROWS);
    const column = (name: string) => header!.indexOf(name);
    // Names, and the ids behind them.
    expect(new Set(entries.map((e) => e[column('Child')]))).toEqual(new Set([`${child.forename} ${child.surname}`]));
    expect(entries.every((e) => e[column('Child’s record id')] === child.id)).toBe(true);
    expect(entries.map((e) => e[column('Role')])).toContain('Designated safeguarding lead');
    // Newest first, each entry once.
    const ids = entries.map((e) => Number(e[column('Log entry id')]));
    expect(new Set(ids).size).toBe(ROWS);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    // Formulas stay text; quotes, commas and line breaks survive.
    const reasons = entries.map((e) => e[column('Reason')]);
    expect(reasons).toContain(`'=HYPERLINK("http://evil.example","click")`);
    expect(reasons).toContain("'+1+2");
    expect(reasons).toContain("'-3");
    expect(reasons).toContain("'@SUM(A1)");
    expect(reasons).toContain("'\tTabbed");
    expect(reasons).toContain('Said "no", then left\r\nthe room');
    expect(entries.map((e) => e[column('Person')])).toContain(`'=cmd|"/c calc"!A1`);
    expect(entries.map((e) => e[column('Organisation')])).toContain("'@Org");
    expect(entries.every((e) => !/^[=+\-@\t\r]/.test(e.join('')))).toBe(true);
  });

  it('is recorded in the access log, by id and not by name', async () => {
    await (await as('info-governance')).get(`/governance/access-log.csv?child=${child.id}&action=lookup`);
    const [row] = await db().sql<[{ action: string; reason: string; role: string; fields: string[] }]>`
      select action, reason, role, fields_released as fields from access_log where reason like 'Access log exported:%' order by id desc limit 1`;
    expect(row).toEqual({ action: 'view_list', reason: `Access log exported: child ${child.id}, action lookup`, role: 'council.information_governance', fields: ['forename', 'surname', 'dateOfBirth'] });
    expect(row.reason).not.toContain(child.surname);
  });

  it('exports what the search finds: the filters apply', async () => {
    const page = await (await as('info-governance')).get(`/governance/access-log.csv?child=${child.id}&action=lookup`);
    // (Response.text() has already dropped the byte-order mark.)
    const entries = parseCsv(page.html).slice(1);
    expect(entries).toHaveLength(HOSTILE.length);
  });

  it('a search that cannot run yet is the page, not a file: a mistake (400), or children to choose from', async () => {
    const client = await as('info-governance');
    const bad = await client.get('/governance/access-log.csv?from-day=31&from-month=2&from-year=2026');
    expect(bad.status).toBe(400);
    expect(bad.res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(bad.res.headers.get('content-disposition')).toBeNull();
    expect(bad.html).toContain('The start date must be a real date');
    const none = await client.get('/governance/access-log.csv?child=Zzyzxwvut');
    expect(none.status).toBe(200);
    expect(none.html).toContain('data-testid="no-child"');
  });

  it('the page links to the export of its own search', async () => {
    const page = await (await as('info-governance')).get(`/governance/access-log?child=${child.id}&action=lookup`);
    expect(page.html).toContain(`href="/governance/access-log.csv?child=${child.id}&amp;action=lookup"`);
  });
});
