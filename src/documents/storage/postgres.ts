// The default document storage: a bytea table in the portal's own PostgreSQL (document_blobs,
// migrations/033_documents.sql), so the embedded database and every backup hold the documents
// with the records that index them. The only module that reads or writes document_blobs.
import type { Db } from '../../db/connect.ts';
import type { DocumentStorage } from './storage.ts';

export function postgresStorage(sql: Db): DocumentStorage {
  return {
    async put(key, bytes) {
      await sql`insert into document_blobs (key, bytes) values (${key}, ${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)}) on conflict (key) do nothing`;
    },
    async get(key) {
      const [row] = await sql<{ bytes: Buffer }[]>`select bytes from document_blobs where key = ${key}`;
      return row ? new Uint8Array(row.bytes.buffer, row.bytes.byteOffset, row.bytes.byteLength) : undefined;
    },
    async has(key) {
      const [row] = await sql`select 1 from document_blobs where key = ${key}`;
      return Boolean(row);
    },
  };
}
