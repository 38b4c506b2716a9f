// Files documents (docs/documents.md). A send, a decision or an acknowledgement only asks for its
// document, in its own transaction (document_filings); this worker renders each one as a PDF,
// stores the bytes (./storage/) and records it in the folder. Like the e-mail outbox's worker
// (src/notifications/worker.ts): a batch is claimed in one short statement (FOR UPDATE SKIP
// LOCKED, with a lease) and committed before anything is rendered, so several processes never
// render the same filing at once; a failure is tried again after a back-off (2, 4, 8 … seconds,
// at most an hour) until the attempts run out, when the filing is marked failed and counted in
// /metrics. The submission itself is never touched: a filing that fails loses nothing.
//
// Exactly once: the request is UNIQUE per (source, event); the bytes are stored under their own
// SHA-256 (storing twice stores once); the folder's row is UNIQUE per (filing, part). A worker
// whose lease ran out mid-way and a worker that claimed the filing after it both end in the one
// document.
import { claimFilings, failExhaustedFilings, filingSource, recordFiled, recordFilingFailure, type ClaimedFiling } from '../access/index.ts';
import { repeatEvery, type Repeating } from '../background/repeat.ts';
import type { Sql } from '../db/connect.ts';
import { errorFields, type Logger } from '../log.ts';
import { theCouncil } from '../organisations/council.ts';
import { documentsFor, type DocumentContent } from './content.ts';
import { pdfThread } from './pdf-thread.ts';
import { renderPdf } from './pdf.ts';
import { contentKey, sha256Hex, type DocumentStorage } from './storage/storage.ts';

export interface FilingOptions {
  /** Most filings claimed at once. */
  batchSize?: number;
  /** How long a claim lasts: after that, a filing whose worker died is claimed again. */
  leaseSeconds?: number;
  /** Attempts before a filing is marked failed. */
  maxAttempts?: number;
  /** Seconds to wait before the next attempt after the nth failed one. */
  retryDelaySeconds?: (attempts: number) => number;
  /** Failures are logged here: the filing's id, kind, event and attempts only. */
  log?: Logger;
  /** Renders a document's PDF: in this thread unless given (startFilingWorker gives its PDF thread). */
  render?: RenderPdf;
}

type RenderPdf = (content: DocumentContent, council: string) => Promise<Uint8Array>;

/** 2, 4, 8 … seconds after each failed attempt, at most an hour. */
export const defaultFilingDelaySeconds = (attempts: number) => Math.min(2 ** attempts, 3600);

/** Renders, stores and records one claimed filing (exported for the test of a lease that ran out mid-way). */
export async function fileClaimed(sql: Sql, storage: DocumentStorage, filing: ClaimedFiling, council: string, render: RenderPdf = renderPdf): Promise<void> {
  const source = await filingSource(sql, filing);
  if (!source) throw new Error('source not found');
  const parts = [];
  for (const content of documentsFor(source, filing.event, filing.byName)) {
    const bytes = await render(content, council);
    const sha256 = sha256Hex(bytes);
    const storageKey = contentKey(sha256);
    await storage.put(storageKey, bytes);
    parts.push({
      part: content.part, childId: content.childId ?? null, reference: content.reference, name: content.name,
      formVersion: content.formVersion, happenedAt: content.at, storageKey, sha256, sizeBytes: bytes.byteLength,
    });
  }
  await recordFiled(sql, filing, parts);
}

/** Claims due filings and files each; returns how many were claimed and filed. Safe on several workers at once. */
export async function fileDue(sql: Sql, storage: DocumentStorage, options: FilingOptions = {}): Promise<{ claimed: number; filed: number }> {
  const { batchSize = 10, leaseSeconds = 120, maxAttempts = 12, retryDelaySeconds = defaultFilingDelaySeconds, log, render } = options;
  await failExhaustedFilings(sql, maxAttempts);
  const claimed = await claimFilings(sql, { limit: batchSize, leaseSeconds, maxAttempts });
  if (!claimed.length) return { claimed: 0, filed: 0 };
  const council = (await theCouncil(sql))?.name ?? 'The council';
  let filed = 0;
  for (const filing of claimed) {
    try {
      await fileClaimed(sql, storage, filing, council, render);
      filed += 1;
    } catch (error) {
      // The error's kind only: a database error's text can quote what was being written.
      const reason = `filing failed (${error instanceof Error ? error.name : 'unknown'})`;
      const last = filing.attempts >= maxAttempts;
      const delay = retryDelaySeconds(filing.attempts);
      await recordFilingFailure(sql, filing, reason, { delaySeconds: delay, last });
      const fields = { filingId: filing.id, source: filing.sourceKind, event: filing.event, attempts: filing.attempts };
      if (last) log?.error('document not filed; no attempts left', fields);
      else log?.warn('document filing failed; will retry', { ...fields, retryInSeconds: delay });
    }
  }
  return { claimed: claimed.length, filed };
}

export interface FilingWorkerOptions extends Omit<FilingOptions, 'log'> {
  intervalMs?: number;
}

/**
 * Files due documents every intervalMs, in batches until none is left; failures are logged, never
 * thrown. The PDFs are rendered on a thread of their own (./pdf-thread.ts), ended by stop().
 */
export function startFilingWorker(sql: Sql, log: Logger, storage: DocumentStorage, { intervalMs = 2000, ...options }: FilingWorkerOptions = {}): Repeating {
  const batchSize = options.batchSize ?? 10;
  const pdf = pdfThread();
  const render = options.render ?? pdf.render;
  const repeating = repeatEvery(intervalMs, async (signal) => {
    try {
      let filed = 0;
      while (!signal.aborted) {
        const batch = await fileDue(sql, storage, { ...options, log, render });
        filed += batch.filed;
        if (batch.claimed < batchSize) break;
      }
      if (filed > 0) log.debug('documents filed', { filed });
    } catch (error) {
      log.warn('document filing run failed; will retry', errorFields(error));
    }
  });
  return {
    async stop() {
      await repeating.stop();
      await pdf.close();
    },
  };
}
