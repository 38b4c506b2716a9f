// The data officer's import pages (issue 13), each a policy rule on `ImportRun` (read: runs and
// reports; create: upload; update: resolve held records). Anyone else gets the 404 page.
//   GET  /imports                       the imports, newest first
//   GET  /imports/new                   the upload form
//   POST /imports                       uploads the files and starts the import (importUploadRoute)
//   GET  /imports/held                  the records imports held back for a person
//   GET  /imports/held/:run/:seq        one held record: which child it is, try again, or reject
//   POST /imports/held/:run/:seq        resolves it
//   GET  /imports/:id                   one import: progress, counts, where it stopped, report
//   GET  /imports/:id/progress          its progress, for htmx every 2 seconds
//   GET  /imports/:id/report.csv        the whole report, streamed, CSV-injection safe
import { Hono, type Context } from 'hono';
import { stream } from 'hono/streaming';
import { fromThisSite, sameToken, CSRF_FIELD } from '../auth/access.ts';
import type { Sql } from '../db/connect.ts';
import { errorFields, type Logger } from '../log.ts';
import { permit } from '../middleware/permit/index.ts';
import { isUuid } from '../validation/ids.ts';
import { normaliseText } from '../validation/text.ts';
import type { AppEnv } from '../web/env.ts';
import { noStore } from '../web/guards.ts';
import type { Views } from '../web/views.ts';
import { importSources, type ImportSource, type SourceParser } from './records.ts';
import { ImportRequestError, startImport, type ImportMerge } from './run.ts';
import { dismissHeld, findRun, heldIssues, listRuns, resolveHeld, runIssues, runIssuesCsv } from './runs.ts';
import { parserFor } from './sources/index.ts';
import { asInputFiles, MalformedUpload, MultipartUpload, multipartBoundary, UploadTooLarge } from './upload.ts';
import { isImportSource, presentHeldList, presentResolve, presentRun, presentRunList, presentUploadForm } from './presenter.ts';

export interface ImportPageOptions {
  /** IMPORT_UPLOAD_LIMIT_MB: the largest upload, every file of it. */
  uploadLimitMb: number;
  /** The case system the ids come from (IMPORT_CASE_SYSTEM). */
  system: string;
  /** The portal's public URL: a state change must come from its own pages. */
  publicUrl: string;
  /**
   * Only tests set these: the parsers and the merge to use instead of the registry's
   * (./sources/index.ts) and the real merge (./merge/), which are written on other branches.
   */
  hooks?: { parserFor?: (source: ImportSource) => SourceParser | undefined; merge?: ImportMerge };
}

/** The parser of a source: the registry's, or the test's. */
const readerFor = (options: ImportPageOptions, source: ImportSource) => (options.hooks?.parserFor ?? parserFor)(source);
/** The sources the upload form offers: those with a parser. */
const supportedSources = (options: ImportPageOptions) => importSources.filter((source) => readerFor(options, source));

const RUNS_PAGE_SIZE = 25;
const REPORT_PAGE_SIZE = 50;

const pageNumber = (raw: string | undefined) => {
  const n = Number(normaliseText(raw ?? '').trim());
  return Number.isSafeInteger(n) && n >= 1 && n <= 1_000_000 ? n : 1;
};

/**
 * POST /imports. Registered before the app's CSRF check, which would read the whole form into
 * memory: this route reads the body as it arrives (./upload.ts) and checks the same things
 * itself, the origin first and the token (the form's first field) before any file is read.
 */
export function importUploadRoute(sql: Sql, views: Views, log: Logger, options: ImportPageOptions) {
  const routes = new Hono<AppEnv>();
  const limitBytes = options.uploadLimitMb * 1024 * 1024;
  const publicOrigin = new URL(options.publicUrl).origin;

  routes.post('/imports', permit('create', 'ImportRun'), async (c) => {
    const refuse = () => views.render(c, 'errors/error', { heading: 'Sorry, that did not work', message: 'Your session may have changed. Go back, reload the page and try again.' }, 403);
    const form = (source: string, errors: { source?: string; files?: string }, status: 400 | 413) =>
      views.render(c, 'imports/new', presentUploadForm({ source }, errors, options.uploadLimitMb, supportedSources(options)), status);
    if (!fromThisSite(c, publicOrigin)) return refuse();
    const session = c.get('session')!;
    const boundary = multipartBoundary(c.req.header('Content-Type'));

    if (!boundary) {
      // Not the page's form (a form sent without its file input): its small fields are read as
      // a small form is, and it is answered with the form again.
      const small = await smallForm(c);
      if (!small) return views.render(c, 'errors/error', { heading: 'Sorry, there is a problem with that request', message: 'What was sent could not be read. Go back and try again.' }, 400);
      if (!sameToken(small.get(CSRF_FIELD) ?? '', session.csrfToken)) return refuse();
      const source = normaliseText(small.get('source') ?? '');
      return form(source, { ...(isImportSource(source) ? {} : { source: 'Choose what you are importing' }), files: 'Choose the files to import' }, 400);
    }
    const declared = Number(c.req.header('Content-Length') ?? 'NaN');
    const tooLarge = `The files must be ${options.uploadLimitMb.toLocaleString('en-GB')} MB or smaller in all`;

    const upload = new MultipartUpload(c.req.raw.body!, boundary, limitBytes);
    let source = '';
    try {
      const fields = await upload.fields();
      if (!sameToken(fields.get(CSRF_FIELD) ?? '', session.csrfToken)) return refuse();
      source = normaliseText(fields.get('source') ?? '');
      // Said to be too large: refused before a byte of any file is read, keeping the choice made.
      if (declared > limitBytes) return form(source, { files: tooLarge }, 413);
      const files = await upload.files('files');
      const errors: { source?: string; files?: string } = {};
      const parser = isImportSource(source) ? readerFor(options, source) : undefined;
      if (!parser) errors.source = 'Choose what you are importing';
      if (!files.length) errors.files = 'Choose the files to import';
      else if (parser) {
        const check = parser.checkFiles(files.map((file) => file.name));
        if (!check.ok) errors.files = check.message;
      }
      if (errors.source || errors.files || !parser) return form(source, errors, 400);

      const { inputs, release } = asInputFiles(files);
      const actor = c.var.actor!;
      const { runId, done } = await startImport(sql, {
        source: parser.source, files: inputs, system: options.system, trigger: 'upload',
        startedBy: { userId: actor.userId, name: actor.name }, log, parser, merge: options.hooks?.merge,
      });
      // The files' bytes go once the run has ended, whichever way it ended.
      void done.then(release, release);
      return c.redirect(`/imports/${runId}`, 303);
    } catch (error) {
      if (error instanceof UploadTooLarge) return form(source, { files: tooLarge }, 413);
      if (error instanceof ImportRequestError) return form(source, { files: error.message }, 400);
      if (error instanceof MalformedUpload) {
        log.warn('upload not read', { requestId: c.get('requestId'), ...errorFields(error) });
        return views.render(c, 'errors/error', { heading: 'Sorry, there is a problem with that request', message: 'What was sent could not be read. Go back and try again.' }, 400);
      }
      throw error;
    }
  });
  return routes;
}

/** A url-encoded body of at most 256 KB (as the app's other forms), as its fields; undefined if larger or unreadable. */
async function smallForm(c: Context<AppEnv>): Promise<Map<string, string> | undefined> {
  const type = c.req.header('Content-Type') ?? '';
  if (type && !type.startsWith('application/x-www-form-urlencoded')) return undefined;
  const reader = c.req.raw.body?.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (reader) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > 256 * 1024) {
      await reader.cancel().catch(() => {});
      return undefined;
    }
    chunks.push(value);
  }
  return new Map(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
}

export function importRoutes(sql: Sql, views: Views, log: Logger, options: ImportPageOptions) {
  const routes = new Hono<AppEnv>();
  routes.use('/imports', noStore);
  routes.use('/imports/*', noStore);

  routes.get('/imports', permit('read', 'ImportRun'), async (c) => {
    const page = pageNumber(c.req.query('page'));
    const { runs, total } = await listRuns(sql, { limit: RUNS_PAGE_SIZE, offset: (page - 1) * RUNS_PAGE_SIZE });
    return views.render(c, 'imports/list', presentRunList(runs, page, Math.max(1, Math.ceil(total / RUNS_PAGE_SIZE))));
  });

  routes.get('/imports/new', permit('create', 'ImportRun'), (c) =>
    views.render(c, 'imports/new', presentUploadForm({ source: normaliseText(c.req.query('source') ?? '') }, {}, options.uploadLimitMb, supportedSources(options))));

  routes.get('/imports/held', permit('update', 'ImportRun'), async (c) => {
    const resolved = c.req.query('resolved');
    return views.render(c, 'imports/held', presentHeldList(await heldIssues(sql), resolved === 'loaded' || resolved === 'dismissed' ? resolved : undefined));
  });

  /** The held record of the path, its candidates (shown: logged) and the page's view model. */
  async function resolvePage(c: Context<AppEnv>, purpose: 'show' | 'check') {
    const runId = c.req.param('run') ?? '';
    const seq = Number(c.req.param('seq'));
    if (!isUuid(runId) || !Number.isSafeInteger(seq) || seq < 1 || seq > 2_147_483_647) return undefined;
    const held = (await heldIssues(sql, { runId, limit: 100_000 })).find((issue) => issue.seq === seq);
    if (!held) return undefined;
    const record = held.record;
    const candidates = record.kind === 'child'
      ? await c.var.access!.importCandidates({ system: options.system, caseSystemId: record.caseSystemId, nhsNumber: record.nhsNumber, upn: record.upn }, purpose, `Import ${runId}: children a held record may be (line ${held.line ?? held.path ?? '?'})`)
      : [];
    return { held, candidates, runId, seq };
  }

  routes.get('/imports/held/:run/:seq', permit('update', 'ImportRun'), async (c) => {
    const found = await resolvePage(c, 'show');
    if (!found) return c.notFound();
    return views.render(c, 'imports/resolve', presentResolve(found.held, found.candidates, { choice: '' }, undefined));
  });

  routes.post('/imports/held/:run/:seq', permit('update', 'ImportRun'), async (c) => {
    const found = await resolvePage(c, 'check');
    if (!found) return c.notFound();
    const body = await c.req.parseBody();
    const choice = normaliseText(typeof body.choice === 'string' ? body.choice : '');
    const chosen = found.candidates.find((child) => `child:${child.id}` === choice);
    const allowed = choice === 'dismiss' || choice === 'retry' || chosen;
    if (!allowed) {
      // Shown again, so logged again.
      const again = (await resolvePage(c, 'show'))!;
      return views.render(c, 'imports/resolve', presentResolve(again.held, again.candidates, { choice }, 'Choose what to do with the record'), 400);
    }
    const userId = c.var.actor!.userId;
    const issue = { runId: found.runId, seq: found.seq };
    if (choice === 'dismiss') {
      if (!(await dismissHeld(sql, issue, userId))) return c.notFound();
      log.info('held import record dismissed', { requestId: c.get('requestId'), ...issue });
      return c.redirect('/imports/held?resolved=dismissed', 303);
    }
    const result = await resolveHeld(sql, issue, { childId: chosen?.id, userId }, options.hooks?.merge);
    if (result.status === 'not-found') return c.notFound();
    if (result.status !== 'loaded') {
      const problem = result.status === 'busy'
        ? 'An import is running: try again when it has finished'
        : result.status === 'rejected'
          ? 'The record still cannot be loaded: reject it and put it right in the case system, or in the file'
          : 'The record still cannot be loaded: add what it needs (the school, say) first, or reject it';
      const again = (await resolvePage(c, 'show'))!;
      return views.render(c, 'imports/resolve', presentResolve(again.held, again.candidates, { choice }, problem), 400);
    }
    log.info('held import record loaded', { requestId: c.get('requestId'), ...issue });
    return c.redirect('/imports/held?resolved=loaded', 303);
  });

  routes.get('/imports/:id', permit('read', 'ImportRun'), async (c) => {
    const id = c.req.param('id');
    const run = isUuid(id) ? await findRun(sql, id) : undefined;
    if (!run) return c.notFound();
    const page = pageNumber(c.req.query('page'));
    const { issues, total } = await runIssues(sql, id, { page, perPage: REPORT_PAGE_SIZE });
    return views.render(c, 'imports/run', presentRun(run, { issues, total, page, pages: Math.max(1, Math.ceil(total / REPORT_PAGE_SIZE)) }));
  });

  routes.get('/imports/:id/progress', permit('read', 'ImportRun'), async (c) => {
    const id = c.req.param('id');
    const run = isUuid(id) ? await findRun(sql, id) : undefined;
    if (!run) return c.notFound();
    // Without htmx, or once the run has ended: the whole page (htmx reloads it to show the report).
    if (!c.req.header('HX-Request')) return c.redirect(`/imports/${id}`, 303);
    const model = presentRun(run, { issues: [], total: 0, page: 1, pages: 1 });
    if (model.finished) c.header('HX-Refresh', 'true');
    return views.render(c, 'imports/_progress', model);
  });

  routes.get('/imports/:id/report.csv', permit('read', 'ImportRun'), async (c) => {
    const id = c.req.param('id');
    const run = isUuid(id) ? await findRun(sql, id) : undefined;
    if (!run) return c.notFound();
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="import-${id}-report.csv"`);
    // Read with a cursor and written as it is read (./runs.ts): a report of a million lines is
    // never in memory. Values are masked as stored; csvRow defuses formulas.
    return stream(c, async (out) => {
      for await (const chunk of runIssuesCsv(sql, id)) await out.write(chunk);
    });
  });

  return routes;
}
