// Who has seen which form version's "what's changed" note: each user sees a version's note
// once, on first use of the form after the version takes effect. The only module that reads or
// writes `form_notes_seen`. The user's id comes from their session, never from the request.
import type { Db } from '../db/connect.ts';
import type { FormDefinition } from './load.ts';

/**
 * The note to show this user now, marking it seen: the version's, if it is not the first (there
 * was nothing before it to change) and the user has not seen it. Marked seen as it is shown, in
 * one statement, so two tabs opened at once show it once between them.
 */
export async function noteToShow(sql: Db, userId: string, version: FormDefinition): Promise<FormDefinition | undefined> {
  if (version.version === 1) return undefined;
  const inserted = await sql`
    insert into form_notes_seen (user_id, form, version) values (${userId}, ${version.form}, ${version.version})
    on conflict do nothing`;
  return inserted.count === 1 ? version : undefined;
}
