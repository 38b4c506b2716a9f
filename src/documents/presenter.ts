// View models for the folders' pages (views/documents/), and the export's manifest. Templates
// loop and branch over these; every label and date is resolved here.
import type { ReleasedDocument } from '../access/index.ts';
import { csvRow } from '../governance/csv.ts';
import { formatDateTime } from '../web/format.ts';

export interface DocumentItem {
  id: string;
  name: string;
  reference: string;
  happenedAt: string;
  filedAt: string;
  formVersion: string;
  sha256: string;
  size: string;
  href: string;
  /** On the list of every folder: where the document is filed. */
  folder: { text: string; href: string } | null;
}

const kilobytes = (bytes: number) => `${Math.max(1, Math.round(bytes / 1024))} KB`;

export function presentDocument(document: ReleasedDocument, withFolder = false): DocumentItem {
  return {
    id: document.id,
    name: document.name,
    reference: document.reference,
    happenedAt: formatDateTime(document.happenedAt),
    filedAt: formatDateTime(document.filedAt),
    formVersion: `Version ${document.formVersion}`,
    sha256: document.sha256,
    size: kilobytes(document.sizeBytes),
    href: `/documents/${document.id}/download`,
    folder: withFolder
      ? document.childId
        ? { text: 'The child’s folder', href: `/documents/folders/${document.childId}` }
        : { text: 'Unmatched folder', href: '/documents/folders/unmatched' }
      : null,
  };
}

export interface FolderView {
  title: string;
  caption: string | null;
  intro: string;
  items: DocumentItem[];
  /** A child's folder: where its zip export is. */
  exportHref: string | null;
  more: boolean;
}

/** A file's name inside a folder's zip: date, name and the document's id, in safe characters. */
export function fileNameInZip(document: ReleasedDocument): string {
  const day = document.happenedAt.toISOString().slice(0, 10);
  const name = document.name.replace(/[^A-Za-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
  return `${day}-${name}-${document.id.slice(0, 8)}.pdf`;
}

const MANIFEST_COLUMNS = ['file', 'name', 'reference', 'form_version', 'date', 'filed_at', 'sha256', 'size_bytes'];

/** The zip's manifest.csv: one row per document, with the SHA-256 recorded when it was filed. */
export function manifestCsv(documents: readonly ReleasedDocument[]): string {
  return csvRow(MANIFEST_COLUMNS) + documents.map((d) => csvRow([
    fileNameInZip(d), d.name, d.reference, d.formVersion, d.happenedAt.toISOString(), d.filedAt.toISOString(), d.sha256, d.sizeBytes,
  ])).join('');
}
