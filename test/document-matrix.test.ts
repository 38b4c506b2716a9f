// The document matrix: who may see which filed documents (issue 16). Reads the hand-written table
// "The document matrix" in ./permission-matrix.md and checks each account named over real HTTP
// (the real app in process): the list of every document it may see, and each download (a
// document not ticked answers exactly as an id that does not exist).
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS } from '../src/auth/dev-provider/demo-accounts.ts';
import { fileDue } from '../src/documents/worker.ts';
import { postgresStorage } from '../src/documents/storage/postgres.ts';
import { DEMO_SCHOOLS } from '../src/seed/demo-organisations.ts';
import { seedDemoData } from '../src/seed/insert.ts';
import { postForm, raiseConcern } from './support/concerns.ts';
import { useTestDatabase } from './support/database.ts';
import { demoClients } from './support/demo-session.ts';
import { accessAs, addChild, checkedAnswers } from './support/encompass.ts';
import { hiddenField } from './support/http-client.ts';
import { buildTestApp, type InProcessApp } from './support/in-process-app.ts';
import { readMarkdownTable } from './support/markdown-table.ts';

const DOCUMENTS = ['riverside sent', 'decision', 'gp unmatched', 'high acknowledged', 'sealed'] as const;
type Document = (typeof DOCUMENTS)[number];
interface Row { accounts: string[]; pages: boolean; sees: Record<Document, boolean>; line: number }

function parse(markdown: string): Row[] {
  const { header, rows } = readMarkdownTable(markdown, '### The document matrix', 'permission-matrix.md');
  const expected = ['accounts', 'pages', ...DOCUMENTS];
  if (header.join(',') !== expected.join(',')) throw new Error(`the document matrix's columns must be ${expected.join(', ')}`);
  return rows.map(({ cells, line }) => {
    const at = `permission-matrix.md line ${line}`;
    const accounts = cells[0]!.split(',').map((a) => a.trim());
    for (const sub of accounts) if (!DEMO_ACCOUNTS.some((a) => a.sub === sub)) throw new Error(`${at}: no demo account "${sub}"`);
    const tick = (value: string | undefined, column: string) => {
      if (value !== '✓' && value !== '—') throw new Error(`${at}: "${value}" in column ${column} (write ✓ or —)`);
      return value === '✓';
    };
    const sees = Object.fromEntries(DOCUMENTS.map((d, i) => [d, tick(cells[i + 2], d)])) as Record<Document, boolean>;
    const pages = tick(cells[1], 'pages');
    if (!pages && DOCUMENTS.some((d) => sees[d])) throw new Error(`${at}: a document is ✓ but the pages are not`);
    return { accounts, pages, sees, line };
  });
}

const MATRIX = parse(readFileSync(new URL('./permission-matrix.md', import.meta.url), 'utf8'));

const db = useTestDatabase();
let app: InProcessApp;
const as = demoClients(() => app);
const ids = {} as Record<Document, string>;

const concernId = async (reference: string) => (await db().sql`select id from concerns where reference = ${reference}`)[0]!.id as string;
const documentOf = async (sourceId: string, event: string) =>
  (await db().sql`select id from documents where source_id = ${sourceId} and event = ${event}`)[0]!.id as string;

beforeAll(async () => {
  await seedDemoData(db().sql, { children: 60, referenceDate: '2026-11-23' });
  app = await buildTestApp(db().sql);
  const storage = postgresStorage(db().sql);
  const [allocated] = await db().sql<{ id: string; nhs: string }[]>`
    select c.id, c.nhs_number as nhs from children c
    join allocations a on a.child_id = c.id and a.end_date is null
    join social_workers w on w.id = a.social_worker_id and w.name = 'Priya Desai'
    where not c.sealed and c.nhs_number is not null and exists (select 1 from involvements i where i.child_id = c.id and i.end_date is null)
    order by c.id limit 1`;
  const [sealed] = await db().sql<{ id: string }[]>`
    select c.id from children c where c.sealed
      and not exists (select 1 from allocations a join social_workers w on w.id = a.social_worker_id
                      where a.child_id = c.id and a.end_date is null and w.name = 'Priya Desai')
    order by c.id limit 1`;
  expect(allocated && sealed).toBeTruthy();

  // Riverside's concern, matched by the front door's decision to Priya Desai's child.
  const riverside = await concernId(await raiseConcern(await as('dsl-riverside'), app, { childForename: 'Matrix', childSurname: 'Folder', childNhsNumber: allocated!.nhs }));
  const frontDoor = await as('front-door');
  const html = await (await frontDoor.request(`${app.baseUrl}/front-door/${riverside}`)).text();
  const decided = await postForm(frontDoor, app, `/front-door/${riverside}/decision`, {
    csrf_token: hiddenField(html, 'csrf_token')!, seenVersion: hiddenField(html, 'seenVersion')!,
    match: allocated!.id, decision: 'advice_given', reason: 'Advice to the school.', feedback: 'Advice given.',
  });
  expect(decided.status).toBe(303);
  // The GP's concern, never matched; Riverside's other concern, filed (below) to the sealed child's folder.
  const gp = await concernId(await raiseConcern(await as('gp-canal-wharf'), app, { childForename: 'Nobody', childSurname: 'Known' }));
  const toSeal = await concernId(await raiseConcern(await as('dsl-riverside'), app, { childForename: 'Sealed', childSurname: 'Away' }));
  // A police notification about a Northbridge High pupil, acknowledged by the school.
  const pupil = { forename: 'Hana', surname: 'Matrixdoc', dob: ['9', '9', '2012'] as [string, string, string], postcode: 'NB2 7QT' };
  const pupilId = await addChild(db().sql, pupil, DEMO_SCHOOLS[6]!.id);
  await (await accessAs(app, 'police-ppu')).sendEncompass(checkedAnswers(randomUUID(), [pupil]));
  const [n] = await db().sql<{ id: string }[]>`select notification_id as id from encompass_children where child_id = ${pupilId}`;
  await (await accessAs(app, 'dsl-northbridge-high')).acknowledgeEncompass(n!.id, { action: 'support_in_place', detail: null });

  while ((await fileDue(db().sql, storage)).claimed > 0);
  ids['riverside sent'] = await documentOf(riverside, 'sent');
  ids.decision = await documentOf(riverside, 'decided');
  ids['gp unmatched'] = await documentOf(gp, 'sent');
  ids['high acknowledged'] = await documentOf(n!.id, 'acknowledged');
  ids.sealed = await documentOf(toSeal, 'sent');
  // Matched to the sealed child (the front door cannot see that record to match it): its folder, as a decision would have filed it.
  await db().sql`update documents set child_id = ${sealed!.id} where id = ${ids.sealed}`;
});
afterAll(async () => {
  await app?.close();
});

describe('the document matrix', () => {
  it('covers the accounts that could be asked', () => {
    expect(new Set(MATRIX.flatMap((r) => r.accounts)).size).toBeGreaterThanOrEqual(15);
  });

  for (const row of MATRIX) {
    for (const sub of row.accounts) {
      it(`${sub} (line ${row.line})`, async () => {
        const client = await as(sub);
        const list = await client.request(`${app.baseUrl}/documents`);
        expect(list.status).toBe(row.pages ? 200 : 404);
        const listed = list.status === 200 ? await list.text() : '';
        const unknown = await (await client.request(`${app.baseUrl}/documents/${randomUUID()}/download`)).text();
        for (const document of DOCUMENTS) {
          const download = await client.request(`${app.baseUrl}/documents/${ids[document]}/download`);
          if (row.sees[document]) {
            expect(listed, `${document} listed`).toContain(`data-document="${ids[document]}"`);
            expect(download.status, `${document} downloaded`).toBe(200);
            expect(download.headers.get('content-type')).toBe('application/pdf');
          } else {
            expect(listed, `${document} not listed`).not.toContain(ids[document]);
            expect(download.status, `${document} refused`).toBe(404);
            expect(await download.text()).toBe(unknown);
          }
        }
      });
    }
  }

  it('the summary’s count of a child’s documents is the number its folder lists, for every account and child it may see', async () => {
    const folders = [...new Set((await app.sql<{ childId: string }[]>`select distinct child_id as "childId" from documents where child_id is not null`).map((r) => r.childId))];
    expect(folders.length).toBeGreaterThan(0);
    const counted = new Set<number>();
    for (const sub of new Set(MATRIX.flatMap((r) => r.accounts))) {
      const access = await accessAs(app, sub);
      for (const childId of folders) {
        const child = await access.visibleChild(childId, { documentCount: true });
        if (!child) continue;
        expect(child.documentCount, `${sub} ${childId}`).toBe((await access.visibleDocuments({ childId })).length);
        counted.add(child.documentCount!);
      }
    }
    // Some accounts see none of a folder and others several.
    expect(Math.max(...counted)).toBeGreaterThan(1);
    expect(counted.has(0)).toBe(true);
  });

  it('the unmatched folder: the front door sees every partner’s, a partner only its own', async () => {
    const frontDoor = await (await (await as('front-door')).request(`${app.baseUrl}/documents/folders/unmatched`)).text();
    expect(frontDoor).toContain(ids['gp unmatched']);
    const school = await (await (await as('dsl-riverside')).request(`${app.baseUrl}/documents/folders/unmatched`)).text();
    expect(school).not.toContain(ids['gp unmatched']);
  });
});
