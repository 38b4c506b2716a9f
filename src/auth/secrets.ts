// The opaque values the browser holds for a session or a sign-in attempt: 256 random bits, stored
// server-side only as their SHA-256, so a leaked copy of a table cannot be replayed as a cookie.
import { createHash, randomBytes } from 'node:crypto';

export const newSecret = () => randomBytes(32).toString('base64url');
export const hashSecret = (value: string) => createHash('sha256').update(value).digest();
