// The data officer's import pages (issue 13 points 1, 3, 4, 6), through the real app in process
// (app.request()), the real import runner and a real PostgreSQL. Uploads are real multipart
// bodies, read by the route as they arrive.
//
// The parsers and the merge are written on other branches (sources/*, merge/): here a small
// parser and merge stand in for them (./support/import-stand-ins.ts), through the app's
// importHooks. They report issues with masked values as the real ones must; what is tested is
// everything around them: who reaches which page, the form's checks, the runner's run record and
// report as the pages and the CSV show them, held records resolved, staleness, the metric.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roleNames, type Role } from '../src/auth/roles.ts';
import { IMPORT_LOCK_KEY } from '../src/imports/run.ts';
import { seedDemoData } from '../src/seed/insert.ts';
import type { AppClient } from './support/app-client.ts';
import { useTestDatabase } from './support/database.ts';
import { demoClients } from './support/demo-session.ts';
import { buildTestApp, type InProcessApp } from './support/in-process-app.ts';
import { readMarkdownTable } from './support/markdown-table.ts';
import { MATRIX_ACCOUNTS } from './support/matrix-accounts.ts';
import { standInMerge, standInParsers } from './support/import-stand-ins.ts';

// ------------------------------------------------------------------ the import matrix

const COLUMNS = ['runs', 'upload', 'resolve', 'age'] as const;
type Column = (typeof COLUMNS)[number];
const MATRIX = (() => {
  const { header, rows } = readMarkdownTable(readFileSync(new URL('./permission-matrix.md', import.meta.url), 'utf8'), '### The import matrix', 'permission-matrix.md');
  if (header.join(',') !== ['role', ...COLUMNS].join(',')) throw new Error(`the import matrix's columns must be role, ${COLUMNS.join(', ')}`);
  return rows.map(({ cells, line }) => {
    const roles = cells[0]!.split(',').map((r) => r.trim()) as Role[];
    for (const role of roles) if (!roleNames.includes(role)) throw new Error(`permission-matrix.md line ${line}: no role "${role}"`);
    const allowed = Object.fromEntries(COLUMNS.map((column, i) => {
      const value = cells[i + 1];
      if (value !== '✓' && value !== '—') throw new Error(`permission-matrix.md line ${line}: write ✓ or — in ${column}`);
      return [column, value === '✓'];
    })) as Record<Column, boolean>;
    return { roles, allowed };
  });
})();

// ------------------------------------------------------------------ the app

const db = useTestDatabase();
let app: InProcessApp;
const as = demoClients(() => app);
const LIMIT_MB = 1;

beforeAll(async () => {
  await seedDemoData(db().sql, { children: 40, referenceDate: '2026-11-23' });
  app = await buildTestApp(db().sql, { importHooks: { parserFor: standInParsers, merge: standInMerge(db().sql) }, config: { IMPORT_UPLOAD_LIMIT_MB: LIMIT_MB } });
}, 60_000);
afterAll(() => app?.close());

/** Posts the upload form as the page's browser would: csrf_token, source, then the files. */
async function upload(client: AppClient, source: string | null, files: Array<{ name: string; content: string | Uint8Array<ArrayBuffer> }>, csrf = client.csrfToken ?? '', site: Record<string, string> = {}) {
  const form = new FormData();
  form.append('csrf_token', csrf);
  if (source !== null) form.append('source', source);
  if (!files.length) form.append('files', new File([], ''), '');
  for (const file of files) form.append('files', new File([file.content], file.name));
  const url = client.url('/imports');
  const res = await client.request(url, { method: 'POST', body: form, headers: { Origin: url.origin, 'Sec-Fetch-Site': 'same-origin', ...site } });
  return { status: res.status, html: await res.text(), res };
}

const runCount = async () => (await db().sql<[{ n: number }]>`select count(*)::int as n from import_runs`)[0].n;

/** Waits for a run to end (the runner carries on after the upload's answer). */
async function finished(runId: string): Promise<string> {
  for (;;) {
    const [row] = await db().sql<{ status: string }[]>`select status from import_runs where id = ${runId}`;
    if (row && row.status !== 'running') return row.status;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const runIdOf = (location: string | null) => /^\/imports\/([0-9a-f-]{36})$/.exec(location ?? '')?.[1];

// Two children of the demo data: the held record's NHS number is the first's, its UPN the second's.
let first: { id: string; forename: string; surname: string; nhs_number: string; upn: string };
let second: typeof first;

const SSD_FILE = [
  'NB0000001,Ada,Lovelace,2015-03-01,,',
  // Rejected: masked on the page and in the CSV as 2015-**-** and Z*********.
  'NB0000002,Zebedee,Quartermain,31/02/2015,,',
  'NB0000003,Zebedee,Quartermain7,2016-04-05,,',
  // A child id a spreadsheet would run as a formula.
  '@SUM(A1),Bob,Smith,2016-05-06,,',
];

describe('an import, uploaded by the data officer', () => {
  let runId: string;
  let client: AppClient;

  beforeAll(async () => {
    const two = await db().sql<Array<typeof first>>`
      select id, forename, surname, nhs_number, upn from children where nhs_number is not null and upn is not null and not sealed order by surname, id limit 2`;
    [first, second] = [two[0]!, two[1]!];
    client = await as('data-officer');
  });

  it('the governance home warns before anything was imported', async () => {
    const home = await (await as('info-governance')).get('/');
    expect(home.html).toContain('data-panel="imports"');
    expect(home.html).toContain('data-testid="stale-import"');
    expect(home.html).toContain('The case system’s extract has never been imported');
  });

  it('starts the run and redirects to its page, which shows the counts and the report, masked', async () => {
    const held = `AMBIGUOUS,Cleo,Patel,2014-01-02,${first.nhs_number},${second.upn}`;
    const sent = await upload(client, 'ssd', [{ name: 'ssd_person.csv', content: [...SSD_FILE, held].join('\r\n') }]);
    expect(sent.status).toBe(303);
    runId = runIdOf(sent.res.headers.get('location'))!;
    expect(runId).toBeDefined();
    expect(await finished(runId)).toBe('succeeded');

    const page = await client.get(`/imports/${runId}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('Succeeded');
    const count = (key: string) => new RegExp(`data-count="${key}">([\\d,]+)<`).exec(page.html)?.[1];
    expect([count('read'), count('inserted'), count('rejected'), count('held')]).toEqual(['5', '2', '2', '1']);
    // The report: file, line, child id, rule, DfE rule, field, masked value, message, outcome.
    expect(page.html).toContain('ssd_person.csv, line 2');
    expect(page.html).toContain('DfE 8500');
    expect(page.html).toContain('2015-**-**');
    expect(page.html).toContain('Q***********');
    expect(page.html).not.toContain('31/02/2015');
    expect(page.html).not.toContain('Quartermain7');
    expect(page.html).toContain('>Held<');
    expect(page.html).toContain(`href="/imports/${runId}/report.csv"`);
    // The file's name, size and checksum: never its contents.
    expect(page.html).toMatch(/SHA-256 [0-9a-f]{64}/);
  });

  it('the report downloads as CSV: masked, and formulas defused', async () => {
    const csv = await client.get(`/imports/${runId}/report.csv`);
    expect(csv.status).toBe(200);
    expect(csv.res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.res.headers.get('content-disposition')).toMatch(/^attachment/);
    const rows = csv.html.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(rows[0]).toContain('"Value"');
    expect(rows).toHaveLength(1 + 3);
    expect(csv.html).toContain('"2015-**-**"');
    expect(csv.html).not.toContain('31/02/2015');
    expect(csv.html).not.toContain('Quartermain7');
    // A child id of '@SUM(A1)' gets no row here (it was loaded), so the injection check uses a rejected one below.
  });

  it('a rejected value that a spreadsheet would run stays text in the CSV', async () => {
    const sent = await upload(client, 'ssd', [{ name: '=HYPERLINK("x").csv', content: '=1+2,Eve,Jones,not a date,,' }]);
    const id = runIdOf(sent.res.headers.get('location'))!;
    expect(await finished(id)).toBe('succeeded');
    const csv = (await client.get(`/imports/${id}/report.csv`)).html;
    expect(csv).toContain(`"'=HYPERLINK(""x"").csv"`);
    expect(csv).toContain(`"'=1+2"`);
    expect(csv).not.toMatch(/(^|,)"=/m);
  });

  it('a run that fails half-way says where it stopped, and that nothing was loaded', async () => {
    const sent = await upload(client, 'ssd', [{ name: 'ssd_person.csv', content: 'NB0000009,Ann,Other,2015-01-01,,\nFAIL,,,,,\n' }]);
    const id = runIdOf(sent.res.headers.get('location'))!;
    expect(await finished(id)).toBe('failed');
    const page = await client.get(`/imports/${id}`);
    expect(page.html).toContain('Failed');
    expect(page.html).toContain('data-testid="failure"');
    expect(page.html).toContain('<span data-testid="stopped-at">ssd_person.csv:1</span>');
    expect(page.html).toContain('Nothing from it was loaded');
    // A failed run has no report: its lines were in the transaction that was rolled back.
    expect(page.html).not.toContain('data-testid="no-issues"');
    expect(page.html).not.toContain('report.csv');
  });

  it('lists the runs newest first, with who started them', async () => {
    const list = await client.get('/imports');
    expect(list.status).toBe(200);
    const ids = [...list.html.matchAll(/data-run="([0-9a-f-]{36})"/g)].map((m) => m[1]);
    expect(ids.at(-1)).toBe(runId);
    expect(list.html).toContain('Grace Bello');
    expect(list.html).toContain('Case system extract (Standard Safeguarding Dataset)');
  });

  it('resolves a child held for matching two children: candidates by identifiers only, each look logged', async () => {
    const held = await client.get('/imports/held');
    expect(held.status).toBe(200);
    const href = new RegExp(`href="(/imports/held/${runId}/\\d+)"`).exec(held.html)?.[1];
    expect(href).toBeDefined();
    const before = (await db().sql<[{ n: number }]>`select count(*)::int as n from access_log where reason like 'Import %held record%'`)[0].n;
    const page = await client.get(href!);
    expect(page.status).toBe(200);
    for (const child of [first, second]) expect(page.html).toContain(`${child.forename} ${child.surname}`);
    const [logged] = await db().sql<Array<{ fields_released: string[]; role: string }>>`
      select fields_released, role from access_log where reason like 'Import %held record%' order by id desc limit 1`;
    expect((await db().sql<[{ n: number }]>`select count(*)::int as n from access_log where reason like 'Import %held record%'`)[0].n).toBe(before + 1);
    expect(logged).toMatchObject({ role: 'council.data_officer', fields_released: ['forename', 'surname', 'dateOfBirth', 'nhsNumber', 'upn'] });

    // A sealed child is not offered, even to resolve an import.
    await db().sql`update children set sealed = true where id = ${second.id}`;
    const sealed = await client.get(href!);
    expect(sealed.html).not.toContain(second.surname);
    expect(sealed.html).toContain(first.surname);
    // Nor can it be chosen by sending its id.
    const refused = await client.post(href!, { choice: `child:${second.id}` });
    expect(refused.status).toBe(400);
    await db().sql`update children set sealed = false where id = ${second.id}`;

    const none = await client.post(href!, {});
    expect(none.status).toBe(400);
    expect(none.html).toContain('Choose what to do with the record');

    const chosen = await client.post(href!, { choice: `child:${first.id}` });
    expect(chosen.status).toBe(303);
    expect(chosen.res.headers.get('location')).toBe('/imports/held?resolved=loaded');
    const [issue] = await db().sql`select resolution, resolved_child_id from import_issues where run_id = ${runId} and outcome = 'held'`;
    expect(issue).toEqual({ resolution: 'loaded', resolved_child_id: first.id });
    expect((await client.get(href!)).status).toBe(404);
  });

  it('an unknown school: says to add it, then loads it on "Try again"', async () => {
    const sent = await upload(client, 'school-roll', [{ name: 'roll.csv', content: `${first.upn},990123,2026-09-01` }]);
    const id = runIdOf(sent.res.headers.get('location'))!;
    expect(await finished(id)).toBe('succeeded');
    const href = new RegExp(`href="(/imports/held/${id}/\\d+)"`).exec((await client.get('/imports/held')).html)![1]!;
    const page = await client.get(href);
    expect(page.html).toContain('data-testid="unknown-school"');
    const still = await client.post(href, { choice: 'retry' });
    expect(still.status).toBe(400);
    expect(still.html).toContain('still cannot be loaded');
    await db().sql`insert into organisations (kind, name, urn) values ('school', 'New Academy', '990123')`;
    const loaded = await client.post(href, { choice: 'retry' });
    expect(loaded.status).toBe(303);
    const [issue] = await db().sql`select resolution from import_issues where run_id = ${id} and outcome = 'held'`;
    expect(issue).toEqual({ resolution: 'loaded' });
  });

  it('a held record may be rejected', async () => {
    const sent = await upload(client, 'school-roll', [{ name: 'roll.csv', content: `${second.upn},990124,2026-09-01` }]);
    const id = runIdOf(sent.res.headers.get('location'))!;
    expect(await finished(id)).toBe('succeeded');
    const href = new RegExp(`href="(/imports/held/${id}/\\d+)"`).exec((await client.get('/imports/held')).html)![1]!;
    expect((await client.post(href, { choice: 'dismiss' })).res.headers.get('location')).toBe('/imports/held?resolved=dismissed');
    const [issue] = await db().sql`select resolution from import_issues where run_id = ${id} and outcome = 'held'`;
    expect(issue).toEqual({ resolution: 'dismissed' });
  });

  it('the governance home and /metrics say how old the case system’s extract is, and warn when it is over a day old', async () => {
    const governance = await as('info-governance');
    let home = await governance.get('/');
    expect(home.html).toContain('data-panel="imports"');
    expect(home.html).not.toContain('data-testid="stale-import"');
    expect(home.html).toMatch(/data-source="ssd">Last imported [^<]+ \((less than a minute|\d+ minutes?) ago\)/);
    expect(home.html).toMatch(/data-source="flags">Never imported/);
    expect((await client.get('/')).html).toContain('data-panel="imports"');

    let metrics = await (await app.app.request('/metrics')).text();
    expect(metrics).toMatch(/^portal_import_age_seconds\{source="ssd"\} (\d+(\.\d+)?)$/m);
    expect(metrics).toContain('portal_import_age_seconds{source="flags"} +Inf');
    expect(metrics.match(/# TYPE portal_import_age_seconds gauge/g)).toHaveLength(1);

    await db().sql`update import_runs set started_at = now() - interval '30 hours', finished_at = now() - interval '30 hours' where source = 'ssd'`;
    home = await governance.get('/');
    expect(home.html).toContain('data-testid="stale-import"');
    expect(home.html).toContain('was last imported 30 hours ago, more than 24 hours');
    metrics = await (await app.app.request('/metrics')).text();
    const age = Number(/^portal_import_age_seconds\{source="ssd"\} (\S+)$/m.exec(metrics)![1]);
    expect(age).toBeGreaterThanOrEqual(30 * 3600);
    expect(age).toBeLessThan(31 * 3600);
  });
});

describe('the upload form', () => {
  let client: AppClient;
  beforeAll(async () => {
    client = await as('data-officer');
  });

  it('says by the field what is missing, and sends nothing to the runner', async () => {
    const before = await runCount();
    const page = await upload(client, null, []);
    expect(page.status).toBe(400);
    expect(page.html).toContain('<a href="#source">Choose what you are importing</a>');
    expect(page.html).toContain('<a href="#files">Choose the files to import</a>');
    expect(page.html).toContain('id="files-error"');
    expect(page.html).toContain('id="source-error"');
    expect(await runCount()).toBe(before);
  });

  it('keeps the source chosen when the files are missing or not the source’s', async () => {
    const noFiles = await upload(client, 'school-roll', []);
    expect(noFiles.status).toBe(400);
    expect(noFiles.html).toMatch(/value="school-roll" checked/);
    expect(noFiles.html).not.toContain('id="source-error"');

    const wrong = await upload(client, 'school-roll', [{ name: 'roll.pdf', content: '%PDF' }]);
    expect(wrong.status).toBe(400);
    expect(wrong.html).toContain('Choose one CSV file: the school roll');
    expect(wrong.html).toMatch(/value="school-roll" checked/);
  });

  it('refuses files over IMPORT_UPLOAD_LIMIT_MB, keeping the source chosen', async () => {
    const before = await runCount();
    const page = await upload(client, 'ssd', [{ name: 'ssd_person.csv', content: new Uint8Array(LIMIT_MB * 1024 * 1024 + 1) }]);
    expect(page.status).toBe(413);
    expect(page.html).toContain(`The files must be ${LIMIT_MB} MB or smaller in all`);
    expect(page.html).toMatch(/value="ssd" checked/);
    expect(await runCount()).toBe(before);
  });

  it('refuses a wrong CSRF token before reading a file', async () => {
    const before = await runCount();
    const page = await upload(client, 'ssd', [{ name: 'ssd_person.csv', content: SSD_FILE.join('\n') }], 'not-the-token');
    expect(page.status).toBe(403);
    expect(await runCount()).toBe(before);
  });

  it('refuses an upload from another site, whatever its token', async () => {
    const before = await runCount();
    const page = await upload(client, 'ssd', [{ name: 'ssd_person.csv', content: SSD_FILE.join('\n') }], undefined, { Origin: 'https://elsewhere.example', 'Sec-Fetch-Site': 'cross-site' });
    expect(page.status).toBe(403);
    expect(await runCount()).toBe(before);
  });

  it('a form without its files (not multipart) gets the form again', async () => {
    const page = await client.post('/imports', { source: 'ssd' });
    expect(page.status).toBe(400);
    expect(page.html).toMatch(/value="ssd" checked/);
  });
});

describe('while an import runs', () => {
  it('shows progress, refreshed by htmx every 2 seconds or by a Refresh link; another upload is refused naming who started it', async () => {
    const client = await as('data-officer');
    const holder = await db().sql.reserve();
    try {
      // Another node's import: it holds the lock and has a run record.
      await holder`select pg_advisory_lock(${IMPORT_LOCK_KEY})`;
      const [{ la }] = await db().sql<[{ la: string }]>`select id as la from organisations where kind = 'local_authority'`;
      const [{ id }] = await db().sql<[{ id: string }]>`
        insert into import_runs (local_authority_id, source, system, trigger, started_by_name, bytes_read, bytes_total, read)
        values (${la}, 'cin-census', 'LCS', 'cli', 'Sam Runner', 512, 1024, 7) returning id`;
      const page = await client.get(`/imports/${id}`);
      expect(page.html).toContain('Running');
      expect(page.html).toContain('512 bytes of 1.0 KB read, 7 records so far');
      expect(page.html).toContain(`hx-get="/imports/${id}/progress"`);
      expect(page.html).toContain('hx-trigger="every 2s"');
      expect(page.html).toMatch(new RegExp(`<a class="govuk-link" href="/imports/${id}">Refresh</a>`));
      const partial = await client.get(`/imports/${id}/progress`, { 'HX-Request': 'true' });
      expect(partial.status).toBe(200);
      expect(partial.html).toContain('id="import-progress"');
      expect(partial.html).not.toContain('<html');
      expect(partial.res.headers.get('hx-refresh')).toBeNull();

      const sent = await upload(client, 'ssd', [{ name: 'ssd_person.csv', content: SSD_FILE.join('\n') }]);
      const refusedId = runIdOf(sent.res.headers.get('location'))!;
      const refused = await client.get(`/imports/${refusedId}`);
      expect(refused.html).toContain('Refused');
      expect(refused.html).toContain('data-testid="refusal"');
      expect(refused.html).toMatch(/started by Sam Runner at \d\d:\d\d on/);

      await db().sql`update import_runs set status = 'succeeded', finished_at = now() where id = ${id}`;
      const done = await client.get(`/imports/${id}/progress`, { 'HX-Request': 'true' });
      expect(done.res.headers.get('hx-refresh')).toBe('true');
    } finally {
      await holder`select pg_advisory_unlock(${IMPORT_LOCK_KEY})`;
      holder.release();
    }
  });
});

describe.each(MATRIX_ACCOUNTS)('$sub ($role)', ({ sub, role }) => {
  const row = () => MATRIX.find((r) => r.roles.includes(role))!;
  it('reaches the import pages exactly as the import matrix says (others get the 404 page)', async () => {
    expect(row(), `${role} has a row in the import matrix`).toBeDefined();
    const client = await as(sub);
    const missing = (await client.get('/no-such-page')).html;
    const [run] = await db().sql<Array<{ id: string }>>`select id from import_runs order by started_at limit 1`;
    const runId = run?.id ?? '00000000-0000-4000-8000-000000000000';
    const check = async (path: string, allowed: boolean, page?: { status: number; html: string }) => {
      const answer = page ?? (await client.get(path));
      if (allowed) expect(answer.status, `${sub} ${path}`).toBeLessThan(400);
      else {
        expect(answer.status, `${sub} ${path}`).toBe(404);
        expect(answer.html, `${sub} ${path}`).toBe(missing);
      }
    };
    await check('/imports', row().allowed.runs);
    await check(`/imports/${runId}`, row().allowed.runs);
    await check(`/imports/${runId}/report.csv`, row().allowed.runs);
    await check('/imports/new', row().allowed.upload);
    await check('/imports/held', row().allowed.resolve);
    if (!row().allowed.upload) {
      const before = await runCount();
      await check('/imports', false, await upload(client, 'ssd', [{ name: 'ssd_person.csv', content: SSD_FILE.join('\n') }]));
      expect(await runCount()).toBe(before);
    }
    if (!row().allowed.resolve) {
      const [held] = await db().sql<Array<{ run_id: string; seq: number }>>`select run_id, seq from import_issues where outcome = 'held' limit 1`;
      const path = held ? `/imports/held/${held.run_id}/${held.seq}` : `/imports/held/${runId}/1`;
      await check(path, false);
      await check(path, false, await client.post(path, { choice: 'dismiss' }));
    }
    const home = (await client.get('/')).html;
    expect(home.includes('data-panel="imports"'), `${sub}: the import panel`).toBe(row().allowed.age);
    expect(home.includes('href="/imports"'), `${sub}: Imports in the navigation`).toBe(row().allowed.runs);
  });
});
