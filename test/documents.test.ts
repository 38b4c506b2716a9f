// Filed documents (issue 16 points 4 and 5, docs/documents.md): a PDF filed through the filing
// queue when a concern is sent, when it is decided and when a police notification is
// acknowledged; the unmatched folder and the move on matching; the SHA-256 checked on every
// download (a changed byte refused); a failed filing retried after a back-off, losing nothing and
// filing once; two workers at once filing once; a folder's zip with its manifest. Real
// PostgreSQL, the real app in process (app.request()), the real filing worker's function.
import { createHash, randomUUID } from 'node:crypto';
import { unzipSync } from 'fflate';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimFilings, filingSource } from '../src/access/index.ts';
import { documentsFor } from '../src/documents/content.ts';
import { fileClaimed, fileDue, startFilingWorker } from '../src/documents/worker.ts';
import { createLogger } from '../src/log.ts';
import { postgresStorage } from '../src/documents/storage/postgres.ts';
import type { DocumentStorage } from '../src/documents/storage/storage.ts';
import { healthRoutes } from '../src/health/routes.ts';
import { DEMO_SCHOOLS } from '../src/seed/demo-organisations.ts';
import { seedDemoData } from '../src/seed/insert.ts';
import { postForm, raiseConcern } from './support/concerns.ts';
import { useTestDatabase } from './support/database.ts';
import { demoClients } from './support/demo-session.ts';
import { accessAs, addChild, checkedAnswers } from './support/encompass.ts';
import { hiddenField, type TestClient } from './support/http-client.ts';
import { buildTestApp, type InProcessApp } from './support/in-process-app.ts';

const db = useTestDatabase();
let app: InProcessApp;
const as = demoClients(() => app);
let storage: DocumentStorage;
interface Child { id: string; nhs: string }
let allocated: Child; // open, allocated to Priya Desai

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const concernId = async (reference: string) => (await db().sql`select id from concerns where reference = ${reference}`)[0]!.id as string;
const documentsOf = (sourceId: string) => db().sql<{ id: string; childId: string | null; event: string; sha256: string; formVersion: number; name: string; storageKey: string }[]>`
  select id, child_id as "childId", event, sha256, form_version as "formVersion", name, storage_key as "storageKey" from documents where source_id = ${sourceId} order by event desc, part`;
const get = async (client: TestClient, path: string) => {
  const res = await client.request(`${app.baseUrl}${path}`);
  return { status: res.status, headers: res.headers, bytes: new Uint8Array(await res.arrayBuffer()) };
};
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

async function decide(client: TestClient, id: string, childId: string) {
  const html = await (await client.request(`${app.baseUrl}/front-door/${id}`)).text();
  const res = await postForm(client, app, `/front-door/${id}/decision`, {
    csrf_token: hiddenField(html, 'csrf_token')!, seenVersion: hiddenField(html, 'seenVersion')!,
    match: childId, decision: 'early_help', reason: 'Early help suits the family.', feedback: 'Thank you: early help offered.',
  });
  expect(res.status).toBe(303);
}

beforeAll(async () => {
  await seedDemoData(db().sql, { children: 60, referenceDate: '2026-11-23' });
  app = await buildTestApp(db().sql);
  storage = postgresStorage(db().sql);
  [allocated] = await db().sql<Child[]>`
    select c.id, c.nhs_number as nhs from children c
    join allocations a on a.child_id = c.id and a.end_date is null
    join social_workers w on w.id = a.social_worker_id and w.name = 'Priya Desai'
    where not c.sealed and c.nhs_number is not null
      and exists (select 1 from involvements i where i.child_id = c.id and i.end_date is null)
    order by c.id limit 1` as never as [Child];
  expect(allocated).toBeTruthy();
});
afterAll(async () => {
  await app?.close();
});

describe('filing a concern when it is sent and when it is decided', () => {
  it('is asked for in the send’s transaction, filed by the worker to the unmatched folder, and moves to the child’s folder when matched', async () => {
    const reference = await raiseConcern(await as('dsl-riverside'), app, { childForename: 'Folder', childSurname: 'Testchild', childNhsNumber: allocated.nhs });
    const id = await concernId(reference);
    // Only asked for: nothing rendered on the request path.
    expect(await db().sql`select event from document_filings where source_id = ${id}`).toEqual([{ event: 'sent' }]);
    expect(await documentsOf(id)).toEqual([]);

    expect(await fileDue(db().sql, storage)).toMatchObject({ filed: 1 });
    const [sent] = await documentsOf(id);
    expect(sent).toMatchObject({ childId: null, event: 'sent', formVersion: 1, name: `Concern ${reference} as sent` });
    const bytes = (await storage.get(sent!.storageKey))!;
    expect(text(bytes.slice(0, 5))).toBe('%PDF-');
    expect(sha256(bytes)).toBe(sent!.sha256);

    // The unmatched folder: the front door sees it, with its hash and form version.
    const unmatched = await (await (await as('front-door')).request(`${app.baseUrl}/documents/folders/unmatched`)).text();
    expect(unmatched).toContain(`Concern ${reference} as sent`);
    expect(unmatched).toContain(sent!.sha256);
    expect(unmatched).toContain('Version 1');

    // Matched by the front door's decision: the document moves in the decision's transaction, and the decision is filed.
    await decide(await as('front-door'), id, allocated.id);
    expect((await documentsOf(id)).map((d) => [d.event, d.childId])).toEqual([['sent', allocated.id]]);
    await fileDue(db().sql, storage);
    const both = await documentsOf(id);
    expect(both.map((d) => [d.event, d.childId])).toEqual([['sent', allocated.id], ['decided', allocated.id]]);
    expect(both[1]!.name).toBe(`Decision on concern ${reference}`);

    // The allocated social worker's folder page lists both, with hashes and download links.
    const folder = await (await (await as('sw-priya-desai')).request(`${app.baseUrl}/documents/folders/${allocated.id}`)).text();
    for (const d of both) {
      expect(folder).toContain(d.sha256);
      expect(folder).toContain(`/documents/${d.id}/download`);
    }
    // The child's summary links to the folder.
    const summary = await (await (await as('sw-priya-desai')).request(`${app.baseUrl}/children/${allocated.id}`)).text();
    expect(summary).toContain(`href="/documents/folders/${allocated.id}"`);
    const count = await db().sql<[{ n: number }]>`select count(*)::int as n from documents where child_id = ${allocated.id}`;
    expect(summary).toContain(`Filed documents (${count[0].n})`);
    // The partner who sent it sees its own concern's document, not the front door's decision.
    const partner = await (await (await as('dsl-riverside')).request(`${app.baseUrl}/documents`)).text();
    expect(partner).toContain(both[0]!.sha256);
    expect(partner).not.toContain(both[1]!.sha256);
    expect((await get(await as('dsl-riverside'), `/documents/${both[1]!.id}/download`)).status).toBe(404);
  });

  it('a filing still queued when the concern is matched lands straight in the child’s folder', async () => {
    const reference = await raiseConcern(await as('dsl-riverside'), app, { childForename: 'Later', childSurname: 'Filed', childNhsNumber: allocated.nhs });
    const id = await concernId(reference);
    await decide(await as('front-door'), id, allocated.id);
    await fileDue(db().sql, storage);
    expect((await documentsOf(id)).map((d) => [d.event, d.childId])).toEqual([['sent', allocated.id], ['decided', allocated.id]]);
  });

  it('a send that fails files nothing (the request rolls back with it)', async () => {
    const before = await db().sql`select count(*)::int as n from document_filings`;
    const failing = await buildTestApp(db().sql, { concernHooks: { beforeCommit: async () => { throw new Error('injected'); } } });
    try {
      const client = await as('dsl-riverside', failing);
      await expect(raiseConcern(client, failing, { childForename: 'Never', childSurname: 'Sent' })).rejects.toThrow(/not raised/);
    } finally {
      await failing.close();
    }
    expect(await db().sql`select count(*)::int as n from document_filings`).toEqual(before);
  });
});

describe('the filing worker as the server runs it', () => {
  it('files a sent concern on its own, rendering on its PDF thread, and stops with the thread', async () => {
    const reference = await raiseConcern(await as('dsl-riverside'), app, { childForename: 'Threaded', childSurname: 'Testchild' });
    const id = await concernId(reference);
    const worker = startFilingWorker(db().sql, createLogger('silent'), storage, { intervalMs: 50 });
    try {
      for (let i = 0; i < 200 && !(await documentsOf(id)).length; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      await worker.stop();
    }
    const [sent] = await documentsOf(id);
    expect(sent).toMatchObject({ event: 'sent', name: `Concern ${reference} as sent` });
    const bytes = (await storage.get(sent!.storageKey))!;
    expect(text(bytes.slice(0, 5))).toBe('%PDF-');
    expect(sha256(bytes)).toBe(sent!.sha256);
  });
});

describe('what a document says', () => {
  it('the form version, the reference, who and when, and the questions and answers with the pages’ labels', async () => {
    const reference = await raiseConcern(await as('dsl-riverside'), app, { childForename: 'Says', childSurname: 'What' });
    const id = await concernId(reference);
    await db().sql`update concerns set form_version = 2 where id = ${id}`;
    const [filing] = await claimFilings(db().sql, { limit: 100, leaseSeconds: 60, maxAttempts: 12 }).then((all) => all.filter((f) => f.sourceId === id));
    const source = (await filingSource(db().sql, filing!))!;
    const [content] = documentsFor(source, 'sent', 'Ignored');
    expect(content).toMatchObject({ reference, formVersion: 2, name: `Concern ${reference} as sent` });
    expect(content!.by).toMatch(/, Riverside/);
    const rows = Object.fromEntries(content!.sections.flatMap((s) => s.rows.map((r) => [r.label, r.value])));
    expect(rows).toMatchObject({ 'Kind of concern': 'Neglect', 'The child’s own words': 'There’s nothing in the cupboards.', Name: 'Says What', 'Immediate risk of harm': 'No' });
    // Rendered, filed and listed with its version.
    await db().sql`update document_filings set locked_until = null where id = ${filing!.id}::bigint`;
    await fileDue(db().sql, storage);
    expect((await documentsOf(id))[0]!.formVersion).toBe(2);
  });
});

describe('filing a police notification when it is acknowledged', () => {
  it('files one copy to each child’s folder, seen by the school that acknowledged it', async () => {
    const pupil = { forename: 'Ack', surname: 'Docson', dob: ['5', '5', '2016'] as [string, string, string], postcode: 'NB2 7QT' };
    const childId = await addChild(db().sql, pupil, DEMO_SCHOOLS[0]!.id);
    await (await accessAs(app, 'police-ppu')).sendEncompass(checkedAnswers(randomUUID(), [pupil]));
    const [n] = await db().sql<{ id: string; reference: string }[]>`
      select n.id, n.reference from encompass_notifications n join encompass_children c on c.notification_id = n.id where c.child_id = ${childId}`;
    const school = await accessAs(app, 'dsl-riverside');
    expect(await school.acknowledgeEncompass(n!.id, { action: 'key_adult_informed', detail: null })).toEqual({ outcome: 'acknowledged' });
    expect(await school.acknowledgeEncompass(n!.id, { action: 'no_action', detail: null })).toEqual({ outcome: 'already' });
    expect(await db().sql`select event from document_filings where source_id = ${n!.id}`).toEqual([{ event: 'acknowledged' }]);
    await fileDue(db().sql, storage);
    const [doc, ...rest] = await documentsOf(n!.id);
    expect(rest).toEqual([]);
    expect(doc).toMatchObject({ childId, event: 'acknowledged', formVersion: 1, name: `Police notification ${n!.reference} as acknowledged` });
    const listed = await school.visibleDocuments('all');
    expect(listed.map((d) => d.id)).toContain(doc!.id);
    expect((await (await accessAs(app, 'dsl-northbridge-high')).visibleDocuments('all')).map((d) => d.id)).not.toContain(doc!.id);
  });
});

describe('the SHA-256 on download', () => {
  it('hands out the bytes that match, logs the download, and refuses (and logs no detail) when a byte has changed', async () => {
    const reference = await raiseConcern(await as('dsl-riverside'), app, { childForename: 'Hash', childSurname: 'Checked' });
    const id = await concernId(reference);
    await fileDue(db().sql, storage);
    const [doc] = await documentsOf(id);
    const client = await as('dsl-riverside');
    const ok = await get(client, `/documents/${doc!.id}/download`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('application/pdf');
    expect(sha256(ok.bytes)).toBe(doc!.sha256);
    expect(await db().sql`select child_id, fields_released from access_log where action = 'download_document' and reason like ${'%' + doc!.id + '%'}`).toHaveLength(1);

    // Someone with the database changes one byte of the stored PDF.
    await db().sql`update document_blobs set bytes = overlay(bytes placing '\\x58'::bytea from 20 for 1) where key = ${doc!.storageKey}`;
    const refused = await get(client, `/documents/${doc!.id}/download`);
    expect(refused.status).toBe(409);
    expect(text(refused.bytes)).toContain('no longer matches');
    expect(await db().sql`select 1 from access_log where action = 'download_document' and reason like ${'%' + doc!.id + '%'}`).toHaveLength(1);
    const logged = app.logLines.filter((line) => line.includes('failed its hash check'));
    expect(logged.length).toBeGreaterThan(0);
    for (const line of logged) expect(line).not.toContain(reference);
  });

  it('a document the actor may not read is the same 404 as one that does not exist', async () => {
    const reference = await raiseConcern(await as('dsl-riverside'), app, { childForename: 'Not', childSurname: 'Yours' });
    await fileDue(db().sql, storage);
    const [doc] = await documentsOf(await concernId(reference));
    const gp = await as('gp-canal-wharf');
    const theirs = await get(gp, `/documents/${doc!.id}/download`);
    const none = await get(gp, `/documents/${randomUUID()}/download`);
    expect(theirs.status).toBe(404);
    expect(text(theirs.bytes)).toBe(text(none.bytes));
  });
});

describe('a filing that fails', () => {
  /** Storage whose put fails the first `times` times, as a full disk or an object store's outage would. */
  const failingFirst = (times: number): DocumentStorage => {
    let left = times;
    const real = postgresStorage(db().sql);
    return { ...real, async put(key, bytes) { if (left-- > 0) throw new Error('storage unavailable'); return real.put(key, bytes); } };
  };
  const scrape = async () => {
    const body = await (await new Hono().route('/', healthRoutes(db().sql, {})).request('/metrics')).text();
    return new Map(body.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => [l.split(' ')[0]!, Number(l.split(' ')[1])]));
  };

  it('keeps the submission, is retried after a back-off, and files once', async () => {
    const reference = await raiseConcern(await as('dsl-riverside'), app, { childForename: 'Retry', childSurname: 'Later' });
    const id = await concernId(reference);
    expect(await fileDue(db().sql, failingFirst(1))).toEqual({ claimed: 1, filed: 0 });
    const [filing] = await db().sql`select attempts, last_error, available_at > now() as "backedOff", filed_at, failed_at from document_filings where source_id = ${id}`;
    expect(filing).toMatchObject({ attempts: 1, last_error: 'filing failed (Error)', backedOff: true, filed_at: null, failed_at: null });
    expect(await documentsOf(id)).toEqual([]);
    expect(await db().sql`select 1 from concerns where id = ${id}`).toHaveLength(1);
    expect((await scrape()).get('portal_document_filings_retrying')).toBe(1);

    // Not before its time.
    expect(await fileDue(db().sql, storage)).toEqual({ claimed: 0, filed: 0 });
    // The back-off over: filed, once, however often the worker runs.
    await db().sql`update document_filings set available_at = now() where source_id = ${id}`;
    expect(await fileDue(db().sql, storage)).toEqual({ claimed: 1, filed: 1 });
    expect(await fileDue(db().sql, storage)).toEqual({ claimed: 0, filed: 0 });
    expect(await documentsOf(id)).toHaveLength(1);
    expect((await scrape()).get('portal_document_filings_retrying')).toBe(0);
  });

  it('with no attempts left is marked failed and counted in /metrics, the submission kept', async () => {
    const reference = await raiseConcern(await as('dsl-riverside'), app, { childForename: 'Given', childSurname: 'Up' });
    const id = await concernId(reference);
    await fileDue(db().sql, failingFirst(99), { maxAttempts: 1 });
    const [filing] = await db().sql`select failed_at is not null as failed from document_filings where source_id = ${id}`;
    expect(filing!.failed).toBe(true);
    expect((await scrape()).get('portal_document_filings_failed')).toBe(1);
    expect(await db().sql`select 1 from concerns where id = ${id}`).toHaveLength(1);
    await db().sql`delete from document_filings where source_id = ${id}`;
  });

  it('a worker whose lease ran out mid-way and the worker that claimed the filing after it file one document', async () => {
    const id = await concernId(await raiseConcern(await as('dsl-riverside'), app, { childForename: 'Lease', childSurname: 'Lapsed' }));
    const claim = () => claimFilings(db().sql, { limit: 100, leaseSeconds: 0.001, maxAttempts: 12 }).then((all) => all.find((f) => f.sourceId === id)!);
    const first = await claim();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const second = await claim(); // the first's lease has run out: claimed again
    expect([first.attempts, second.attempts]).toEqual([1, 2]);
    await Promise.all([fileClaimed(db().sql, storage, first, 'Northbridge'), fileClaimed(db().sql, storage, second, 'Northbridge')]);
    expect(await documentsOf(id)).toHaveLength(1);
    expect(await db().sql`select 1 from document_filings where source_id = ${id} and filed_at is not null`).toHaveLength(1);
  });

  it('two workers at once file each document once', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 6; i += 1) ids.push(await concernId(await raiseConcern(await as('dsl-riverside'), app, { childForename: `Twin${i}`, childSurname: 'Workers' })));
    const [a, b] = await Promise.all([fileDue(db().sql, storage, { batchSize: 3 }), fileDue(db().sql, storage, { batchSize: 3 })]);
    // Disjoint claims (FOR UPDATE SKIP LOCKED): between them, every filing once.
    expect(a.claimed + b.claimed).toBe(6);
    expect(a.filed + b.filed).toBe(6);
    expect(await fileDue(db().sql, storage)).toEqual({ claimed: 0, filed: 0 });
    const rows = await db().sql`select source_id, count(*)::int as n from documents where source_id in ${db().sql(ids)} group by source_id`;
    expect(rows).toHaveLength(6);
    for (const row of rows) expect(row.n).toBe(1);
  });
});

describe('a folder’s zip export', () => {
  it('holds every document the actor may read, with a manifest of names, dates and hashes; logged', async () => {
    await fileDue(db().sql, storage);
    const client = await as('sw-priya-desai');
    const res = await get(client, `/documents/folders/${allocated.id}/export`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/zip');
    const files = unzipSync(res.bytes);
    const manifest = text(files['manifest.csv']!).replace(/^\uFEFF/, '').trim().split('\r\n').map((line) => line.slice(1, -1).split('","'));
    expect(manifest[0]).toEqual(['file', 'name', 'reference', 'form_version', 'date', 'filed_at', 'sha256', 'size_bytes']);
    const stored = await db().sql<{ name: string; sha256: string }[]>`select name, sha256 from documents where child_id = ${allocated.id}`;
    expect(manifest.length - 1).toBe(stored.length);
    for (const [file, name, , version, date, , hash] of manifest.slice(1)) {
      expect(sha256(files[file!]!)).toBe(hash);
      expect(stored).toContainEqual({ name, sha256: hash });
      expect(version).toBe('1');
      expect(Number.isNaN(Date.parse(date!))).toBe(false);
    }
    expect(Object.keys(files)).toHaveLength(stored.length + 1);
    expect(await db().sql`select 1 from access_log where action = 'export_documents' and child_id = ${allocated.id}`).toHaveLength(1);
    // Another social worker's child's folder, or a made-up one: the same 404.
    expect((await get(await as('dsl-northbridge-high'), `/documents/folders/${allocated.id}/export`)).status).toBe(404);
    expect((await get(client, `/documents/folders/${randomUUID()}/export`)).status).toBe(404);
  });
});
