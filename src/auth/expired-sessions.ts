// A session that has timed out (idle or absolute) but is still in the table (the purge removes
// it later: src/auth/sessions.ts). It signs no one in: the only use is to keep the concern form's
// answers that arrived just after the time-out as that user's draft
// (src/middleware/keep-answers/). Read-only; sessions.ts stays the table's one writer.
import type { Sql } from '../db/connect.ts';
import { hashSecret } from './secrets.ts';

export interface ExpiredSession {
  userId: string;
  csrfToken: string;
}

/** The user and CSRF token of the session this cookie names, valid or not; undefined if there is none. */
export async function findKnownSession(sql: Sql, cookieValue: string): Promise<ExpiredSession | undefined> {
  const [row] = await sql<ExpiredSession[]>`
    select user_id as "userId", csrf_token as "csrfToken" from sessions where id_hash = ${hashSecret(cookieValue)}`;
  return row;
}
