// Where filed documents' bytes live, behind one small interface so that an object store (S3,
// Azure Blob) can be added later without touching the worker, the routes or the access module.
// Keys are content addresses ("sha256/<hex>", made by contentKey): the same bytes always have
// the same key, so put is idempotent and a document stored twice is stored once.
import { createHash } from 'node:crypto';

export interface DocumentStorage {
  /** Stores the bytes under the key; storing the same key again changes nothing. */
  put(key: string, bytes: Uint8Array): Promise<void>;
  /** The bytes stored under the key, or undefined if there are none. */
  get(key: string): Promise<Uint8Array | undefined>;
  /** Whether anything is stored under the key. */
  has(key: string): Promise<boolean>;
}

/** The SHA-256 of the bytes, as 64 lower-case hex digits. */
export const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** The key bytes are stored under: their own SHA-256. */
export const contentKey = (sha256: string): string => `sha256/${sha256}`;
