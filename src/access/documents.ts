// Filed documents, as the gateway hands them out (./index.ts spreads these into the one it makes
// per request). Every folder is read under the policy's `read Document` row filter and each
// document checked with the ability: a document the actor may not read answers exactly as one
// that does not exist. A download re-computes the SHA-256 of the stored bytes and refuses a
// document that no longer matches; each download and each folder export is in the access log.
import type { Actor } from '../auth/actor.ts';
import { recordAccess } from '../audit/access-log.ts';
import type { Sql } from '../db/connect.ts';
import type { DocumentStorage } from '../documents/storage/storage.ts';
import { sha256Hex } from '../documents/storage/storage.ts';
import { asDocument, type PortalAbility } from '../policy/ability.ts';
import { isUuid } from '../validation/ids.ts';
import { loggedAs } from './concern-writes.ts';
import { findDocument, listDocuments, type DocumentRecord, type Folder } from './document-records.ts';
import type { Fragment } from './rules-to-sql.ts';

/** A document as a folder shows it: no policy attributes, no storage key. */
export type ReleasedDocument = Pick<DocumentRecord, 'id' | 'childId' | 'sourceKind' | 'event' | 'reference' | 'name' | 'formVersion' | 'happenedAt' | 'filedAt' | 'sha256' | 'sizeBytes'>;

export type Download =
  | { outcome: 'ok'; document: ReleasedDocument; bytes: Uint8Array }
  /** The stored bytes are missing or no longer match the hash recorded when it was filed. */
  | { outcome: 'tampered'; document: ReleasedDocument };

const release = ({ id, childId, sourceKind, event, reference, name, formVersion, happenedAt, filedAt, sha256, sizeBytes }: DocumentRecord): ReleasedDocument =>
  ({ id, childId, sourceKind, event, reference, name, formVersion, happenedAt, filedAt, sha256, sizeBytes });

export function documentMethods(sql: Sql, actor: Actor, ability: PortalAbility, readFilter: () => Fragment, options: { recordLooks?: boolean }) {
  const readable = (record: DocumentRecord) => ability.can('read', asDocument(record));

  async function readableIn(folder: Folder): Promise<DocumentRecord[]> {
    if (typeof folder === 'object' && !isUuid(folder.childId)) return [];
    return (await listDocuments(sql, folder, readFilter())).filter(readable);
  }

  /** Verified bytes, or undefined when the stored ones are missing or do not match. */
  async function verified(storage: DocumentStorage, record: DocumentRecord): Promise<Uint8Array | undefined> {
    const bytes = await storage.get(record.storageKey);
    return bytes && sha256Hex(bytes) === record.sha256 ? bytes : undefined;
  }

  return {
    /**
     * The documents of a folder (a child's, the unmatched one, or every folder) that the actor may
     * read, newest first. Names, dates, form versions and hashes only: not logged, as no document
     * is opened. An empty answer is the same for a folder the actor may not see and one that does not exist.
     */
    async visibleDocuments(folder: Folder): Promise<ReleasedDocument[]> {
      return (await readableIn(folder)).map(release);
    },

    /**
     * One document's bytes, its SHA-256 checked again: undefined where the actor may not read it
     * (or there is none), 'tampered' where the bytes no longer match. Logged when handed out.
     */
    async downloadDocument(id: string, storage: DocumentStorage): Promise<Download | undefined> {
      if (!isUuid(id)) return undefined;
      const record = await findDocument(sql, id, readFilter());
      if (!record || !readable(record)) return undefined;
      const bytes = await verified(storage, record);
      if (!bytes) return { outcome: 'tampered', document: release(record) };
      if (options.recordLooks !== false) {
        await recordAccess(sql, { ...loggedAs(actor), childId: record.childId, action: 'download_document', fieldsReleased: ['document'], reason: `${record.name} (${record.id})` });
      }
      return { outcome: 'ok', document: release(record), bytes };
    },

    /**
     * Every document of a child's folder the actor may read, with its bytes, each checked against
     * its hash, for a zip: undefined when there is none to export; `tampered` lists any that failed
     * the check (the export is then refused whole). Logged once, naming how many.
     */
    async exportFolder(childId: string, storage: DocumentStorage): Promise<{ documents: Array<{ document: ReleasedDocument; bytes: Uint8Array }>; tampered: ReleasedDocument[] } | undefined> {
      const records = await readableIn({ childId });
      if (!records.length) return undefined;
      const documents: Array<{ document: ReleasedDocument; bytes: Uint8Array }> = [];
      const tampered: ReleasedDocument[] = [];
      for (const record of records) {
        const bytes = await verified(storage, record);
        if (bytes) documents.push({ document: release(record), bytes });
        else tampered.push(release(record));
      }
      if (!tampered.length && options.recordLooks !== false) {
        await recordAccess(sql, { ...loggedAs(actor), childId, action: 'export_documents', fieldsReleased: ['document'], reason: `Folder exported as a zip (${documents.length} documents)` });
      }
      return { documents, tampered };
    },
  };
}
