// SQL for filed documents (issue 16, docs/documents.md): the filing queue (document_filings),
// the folders' index (documents) and what a document is made from (the concern or police
// notification it files). The only module that writes either table. Reading a folder is always
// under the policy's row filter for `Document` (./rules-to-sql.ts, table aliased `c`); the
// filing worker reads its sources on no user's behalf and shows them to no one but the PDF.
import type { Db, Sql } from '../db/connect.ts';
import type { Fragment } from './rules-to-sql.ts';
import { findConcern, type ConcernRecord } from './concern-records.ts';
import { childrenOf, findNotification, wordsOf, type EncompassChildRecord, type EncompassRecord } from './encompass-records.ts';

export type FilingSourceKind = 'concern' | 'encompass';
export type FilingEvent = 'sent' | 'decided' | 'acknowledged';

export interface FilingRequest {
  sourceKind: FilingSourceKind;
  sourceId: string;
  event: FilingEvent;
  /** Who did it: the organisation whose submission, decision or acknowledgement it is, and the person. */
  organisationId: string;
  byName: string;
}

/**
 * Asks for a document to be filed, in the caller's transaction: it commits with the submission
 * or not at all. The same (source, event) twice asks once.
 */
export async function enqueueFiling(tx: Db, request: FilingRequest): Promise<void> {
  const row = {
    source_kind: request.sourceKind, source_id: request.sourceId, event: request.event,
    organisation_id: request.organisationId, by_name: request.byName,
  };
  await tx`
    insert into document_filings ${tx(row, 'source_kind', 'source_id', 'event', 'organisation_id', 'by_name')}
    on conflict (source_kind, source_id, event) do nothing`;
}

/**
 * A concern matched to a child now: its documents filed so far move from the unmatched folder to
 * the child's. In the decision's transaction; a filing still in the queue reads the concern's
 * child when it is stored (recordFiled), so it lands in the right folder either way.
 */
export async function moveUnmatchedDocuments(tx: Db, concernId: string, childId: string): Promise<void> {
  await tx`update documents set child_id = ${childId} where source_kind = 'concern' and source_id = ${concernId} and child_id is null`;
}

export interface ClaimedFiling extends FilingRequest {
  id: string;
  attempts: number;
  createdAt: Date;
}

/** Filings with no attempts left and no live claim are marked failed (shown in /metrics). */
export async function failExhaustedFilings(sql: Sql, maxAttempts: number): Promise<void> {
  await sql`
    update document_filings set failed_at = now(), last_error = coalesce(last_error, 'the last attempt did not finish')
    where filed_at is null and failed_at is null and attempts >= ${maxAttempts}
      and (locked_until is null or locked_until < now())`;
}

/**
 * Claims up to `limit` due filings in one short statement, committed before any is rendered:
 * FOR UPDATE SKIP LOCKED, so workers in several processes never claim the same one at once; a
 * lease (locked_until), so one whose worker died is claimed again when it runs out.
 */
export async function claimFilings(sql: Sql, { limit, leaseSeconds, maxAttempts }: { limit: number; leaseSeconds: number; maxAttempts: number }): Promise<ClaimedFiling[]> {
  const rows = await sql<ClaimedFiling[]>`
    with due as materialized (
      select id from document_filings
      where filed_at is null and failed_at is null and available_at <= now()
        and (locked_until is null or locked_until < now()) and attempts < ${maxAttempts}
      order by id
      limit ${limit}
      for update skip locked
    )
    update document_filings f
    set locked_until = now() + ${leaseSeconds}::float8 * interval '1 second', attempts = f.attempts + 1
    from due where f.id = due.id
    returning f.id::text as id, f.source_kind as "sourceKind", f.source_id as "sourceId", f.event,
              f.organisation_id as "organisationId", f.by_name as "byName", f.attempts, f.created_at as "createdAt"`;
  return rows.sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
}

/** A failed attempt: tried again after `delaySeconds`, or failed for good when none are left. Fenced by the claim's attempts. */
export async function recordFilingFailure(sql: Sql, filing: ClaimedFiling, reason: string, { delaySeconds, last }: { delaySeconds: number; last: boolean }): Promise<void> {
  await sql`
    update document_filings
    set last_error = ${reason}, locked_until = null,
        available_at = now() + ${delaySeconds}::float8 * interval '1 second',
        failed_at = ${last ? sql`now()` : sql`null`}
    where id = ${filing.id}::bigint and attempts = ${filing.attempts} and filed_at is null`;
}

/** What a document is made from. */
export type FilingSource =
  | { kind: 'concern'; concern: ConcernRecord; formVersion: number; decisionFormVersion: number | null }
  | { kind: 'encompass'; notification: EncompassRecord; children: Array<EncompassChildRecord & { words: string | null }>; formVersion: number };

/** The concern or police notification a filing is about, whole; undefined if there is none. */
export async function filingSource(sql: Sql, filing: Pick<ClaimedFiling, 'sourceKind' | 'sourceId'>): Promise<FilingSource | undefined> {
  if (filing.sourceKind === 'concern') {
    const concern = await findConcern(sql, { id: filing.sourceId }, sql`true`);
    if (!concern) return undefined;
    const [versions] = await sql<{ formVersion: number; decisionFormVersion: number | null }[]>`
      select form_version as "formVersion", decision_form_version as "decisionFormVersion" from concerns where id = ${filing.sourceId}`;
    return { kind: 'concern', concern, ...versions! };
  }
  const notification = await findNotification(sql, filing.sourceId, sql`true`);
  if (!notification) return undefined;
  const children = await childrenOf(sql, [notification.id]);
  const words = await wordsOf(sql, children.map((c) => c.id));
  const [incident] = await sql<{ formVersion: number }[]>`select form_version as "formVersion" from encompass_incidents where id = ${notification.incidentId}`;
  return { kind: 'encompass', notification, children: children.map((c) => ({ ...c, words: words.get(c.id) ?? null })), formVersion: incident!.formVersion };
}

export interface FiledPart {
  part: number;
  /** The folder: a police notification's child on record, null for the unmatched folder. Ignored for a concern (read when stored). */
  childId: string | null;
  reference: string;
  name: string;
  formVersion: number;
  happenedAt: Date;
  storageKey: string;
  sha256: string;
  sizeBytes: number;
}

/**
 * Records a filing's documents (already stored) and marks it filed, in one transaction. A
 * concern's folder is read here, under a share lock on the concern, so a decision matching it to
 * a child waits for this (and moves the document) or comes first (and this reads the child).
 * UNIQUE (filing_id, part): a filing stored twice (a lease that ran out mid-way) files once.
 */
export async function recordFiled(sql: Sql, filing: ClaimedFiling, parts: readonly FiledPart[]): Promise<void> {
  await sql.begin(async (tx) => {
    let concernChild: string | null = null;
    if (filing.sourceKind === 'concern') {
      const [row] = await tx<{ childId: string | null }[]>`select child_id as "childId" from concerns where id = ${filing.sourceId} for share`;
      concernChild = row?.childId ?? null;
    }
    for (const part of parts) {
      const row = {
        filing_id: filing.id, part: part.part, child_id: filing.sourceKind === 'concern' ? concernChild : part.childId,
        organisation_id: filing.organisationId, source_kind: filing.sourceKind, source_id: filing.sourceId, event: filing.event,
        reference: part.reference, name: part.name, form_version: part.formVersion, happened_at: part.happenedAt,
        storage_key: part.storageKey, sha256: part.sha256, size_bytes: part.sizeBytes,
      };
      await tx`insert into documents ${tx(row)} on conflict (filing_id, part) do nothing`;
    }
    await tx`update document_filings set filed_at = now(), locked_until = null where id = ${filing.id}::bigint and filed_at is null`;
  });
}

/** A filed document as a folder lists it, with the attributes the policy's conditions test. */
export interface DocumentRecord {
  id: string;
  childId: string | null;
  organisationId: string;
  allocatedWorkerId: string | null;
  sealed: boolean;
  sourceKind: FilingSourceKind;
  event: FilingEvent;
  reference: string;
  name: string;
  formVersion: number;
  happenedAt: Date;
  filedAt: Date;
  storageKey: string;
  sha256: string;
  sizeBytes: number;
}

export type Folder = { childId: string } | 'unmatched' | 'all';

/** Most documents one page lists. */
export const FOLDER_LIMIT = 500;

const selectDocuments = (sql: Db, where: Fragment, tail: Fragment) => sql<DocumentRecord[]>`
  select c.id, c.child_id as "childId", c.organisation_id as "organisationId",
         (select a.social_worker_id from allocations a where a.child_id = c.child_id and a.end_date is null order by a.start_date desc limit 1) as "allocatedWorkerId",
         coalesce((select k.sealed from children k where k.id = c.child_id), false) as sealed,
         c.source_kind as "sourceKind", c.event, c.reference, c.name, c.form_version as "formVersion",
         c.happened_at as "happenedAt", c.filed_at as "filedAt", c.storage_key as "storageKey", c.sha256, c.size_bytes as "sizeBytes"
  from documents c
  where ${where}
  ${tail}`;

export async function listDocuments(sql: Db, folder: Folder, filter: Fragment, limit = FOLDER_LIMIT): Promise<DocumentRecord[]> {
  const where = folder === 'all' ? sql`true` : folder === 'unmatched' ? sql`c.child_id is null` : sql`c.child_id = ${folder.childId}`;
  return selectDocuments(sql, sql`${where} and ${filter}`, sql`order by c.filed_at desc, c.id limit ${limit}`);
}

/**
 * The count of a child's documents under the filter, as one more column of the child's own
 * query (findChild's `extra`): a summary gets its folder's count without another round trip.
 * The subquery's `c` is the documents table (the filter's alias), hiding the outer children `c`.
 */
export const documentCountColumn = (sql: Db, childId: string, filter: Fragment): Fragment =>
  sql`, (select count(*)::int from documents c where c.child_id = ${childId} and ${filter}) as "documentCount"`;

export async function findDocument(sql: Db, id: string, filter: Fragment): Promise<DocumentRecord | undefined> {
  const [row] = await selectDocuments(sql, sql`c.id = ${id} and ${filter}`, sql``);
  return row;
}
