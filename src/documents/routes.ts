// The folders of filed documents (docs/documents.md):
//   GET /documents                           every document the actor may read, newest first, with its folder
//   GET /documents/folders/unmatched          the unmatched folder: concerns not yet matched to a child
//   GET /documents/folders/:childId           a child's folder: name, date, form version, SHA-256, download
//   GET /documents/folders/:childId/export    the folder as a zip, with manifest.csv (names, dates, hashes); logged
//   GET /documents/:id/download               one PDF, its SHA-256 checked again; logged
// Open to whoever the policy lets `read Document`; what each lists is the access module's answer,
// so a folder or document the actor may not see is the same 404 as one that does not exist.
import { zipSync } from 'fflate';
import { Hono, type Context } from 'hono';
import { FOLDER_LIMIT, type Folder, type ReleasedDocument } from '../access/index.ts';
import type { Sql } from '../db/connect.ts';
import type { Logger } from '../log.ts';
import { permit } from '../middleware/permit/index.ts';
import type { AppEnv } from '../web/env.ts';
import type { Views } from '../web/views.ts';
import { fileNameInZip, manifestCsv, presentDocument, type FolderView } from './presenter.ts';
import { postgresStorage } from './storage/postgres.ts';
import type { DocumentStorage } from './storage/storage.ts';

type Ctx = Context<AppEnv>;

export function documentRoutes(sql: Sql, views: Views, log: Logger, storage: DocumentStorage = postgresStorage(sql)) {
  const routes = new Hono<AppEnv>();
  routes.use('/documents', permit('read', 'Document'));
  routes.use('/documents/*', permit('read', 'Document'));

  function folderPage(c: Ctx, view: FolderView) {
    c.header('Cache-Control', 'no-store');
    return views.render(c, 'documents/folder', view);
  }

  function refused(c: Ctx, documents: readonly ReleasedDocument[]) {
    // Ids only: a document's name carries a reference, and logs carry nothing of a case.
    log.error('filed document failed its hash check; not handed out', { requestId: c.get('requestId'), documentIds: documents.map((d) => d.id) });
    c.header('Cache-Control', 'no-store');
    return views.render(c, 'documents/refused', { title: 'This document cannot be downloaded', names: documents.map((d) => d.name) }, 409);
  }

  async function list(c: Ctx, folder: Folder) {
    const documents = await c.var.access!.visibleDocuments(folder);
    return { documents: documents.slice(0, FOLDER_LIMIT), more: documents.length >= FOLDER_LIMIT };
  }

  routes.get('/documents', async (c) => {
    const { documents, more } = await list(c, 'all');
    return folderPage(c, {
      title: 'Filed documents', caption: null,
      intro: 'Every document filed that you may see, newest first: concerns as they were sent, front door decisions and police notifications as acknowledged.',
      items: documents.map((d) => presentDocument(d, true)), exportHref: null, more,
    });
  });

  routes.get('/documents/folders/unmatched', async (c) => {
    const { documents, more } = await list(c, 'unmatched');
    return folderPage(c, {
      title: 'Unmatched folder', caption: 'Filed documents',
      intro: 'Documents of concerns not yet matched to a child. Each moves to the child’s folder when the front door matches the concern.',
      items: documents.map((d) => presentDocument(d)), exportHref: null, more,
    });
  });

  routes.get('/documents/folders/:childId', async (c) => {
    const childId = c.req.param('childId');
    const { documents, more } = await list(c, { childId });
    if (!documents.length) return c.notFound();
    const label = await c.var.access!.childLabel(childId);
    return folderPage(c, {
      title: label?.name ? `Documents for ${label.name}` : 'The child’s folder', caption: 'Filed documents',
      intro: 'Each document’s SHA-256 is the one recorded when it was filed; it is checked again every time the document is downloaded.',
      items: documents.map((d) => presentDocument(d)), exportHref: `/documents/folders/${childId}/export`, more,
    });
  });

  routes.get('/documents/folders/:childId/export', async (c) => {
    const childId = c.req.param('childId');
    const folder = await c.var.access!.exportFolder(childId, storage);
    if (!folder) return c.notFound();
    if (folder.tampered.length) return refused(c, folder.tampered);
    const files: Record<string, Uint8Array> = { 'manifest.csv': new TextEncoder().encode(`\uFEFF${manifestCsv(folder.documents.map((d) => d.document))}`) };
    for (const { document, bytes } of folder.documents) files[fileNameInZip(document)] = bytes;
    // PDFs are compressed already: stored as they are (level 0), the manifest deflated.
    const zip = zipSync(Object.fromEntries(Object.entries(files).map(([name, bytes]) => [name, [bytes, { level: name.endsWith('.pdf') ? 0 : 6 }]])));
    c.header('Content-Type', 'application/zip');
    c.header('Content-Disposition', `attachment; filename="documents-${childId}.zip"`);
    c.header('Cache-Control', 'no-store');
    return c.body(zip as Uint8Array<ArrayBuffer>);
  });

  routes.get('/documents/:id/download', async (c) => {
    const download = await c.var.access!.downloadDocument(c.req.param('id'), storage);
    if (!download) return c.notFound();
    if (download.outcome === 'tampered') return refused(c, [download.document]);
    c.header('Content-Type', 'application/pdf');
    c.header('Content-Disposition', `attachment; filename="${fileNameInZip(download.document)}"`);
    c.header('Cache-Control', 'no-store');
    c.header('X-Content-Type-Options', 'nosniff');
    return c.body(download.bytes as Uint8Array<ArrayBuffer>);
  });

  return routes;
}
