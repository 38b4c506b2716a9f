// Half-written concerns, kept server-side so that nothing typed is lost (issue 12, point 3): one
// draft per user, the answers as typed, saved each time the concern form is posted (Continue, a
// Change round-trip, a post that arrived after the session timed out, a lookup's "raise a
// concern"). The only module that reads or writes `concern_drafts`.
//
// Access: every function takes the user's id from their session, never from the request, so a
// draft is only ever read by its owner; there is no route that names a draft. A draft is deleted
// in the transaction that sends its concern (src/access/concern-writes.ts) and purged 7 days
// after it was last saved (src/server.ts). Not encrypted at rest (not required): the database's
// own protections apply, as to the concerns themselves.
import type { Db } from '../db/connect.ts';
import { answersFrom, type Answers } from './form.ts';

/** How long an unsent draft is kept after it was last saved. */
export const DRAFT_DAYS = 7;

/** Why the form says the answers were kept: after a time-out, or a lookup's details were added. */
export type DraftNotice = 'timed_out' | 'from_lookup';

export interface Draft {
  answers: Answers;
  notice: DraftNotice | null;
  updatedAt: Date;
}

/** The version of the form the draft is on, as its answers carry it (1: from before forms had versions). */
const draftVersion = (answers: Answers) => (/^[1-9]\d{0,5}$/.test(answers.formVersion ?? '') ? Number(answers.formVersion) : 1);

export async function saveDraft(sql: Db, userId: string, answers: Answers, notice: DraftNotice | null = null): Promise<void> {
  await sql`
    insert into concern_drafts (user_id, answers, notice, form_version) values (${userId}, ${sql.json(answers as never)}, ${notice}, ${draftVersion(answers)})
    on conflict (user_id) do update set answers = excluded.answers, notice = excluded.notice, form_version = excluded.form_version, updated_at = now()`;
}

/** The user's own draft, if one was saved in the last 7 days. */
export async function loadDraft(sql: Db, userId: string): Promise<Draft | undefined> {
  const [row] = await sql<{ answers: unknown; notice: DraftNotice | null; updatedAt: Date; formVersion: number }[]>`
    select answers, notice, updated_at as "updatedAt", form_version as "formVersion" from concern_drafts
    where user_id = ${userId} and updated_at > now() - make_interval(days => ${DRAFT_DAYS})`;
  if (!row) return undefined;
  const answers = answersFrom(row.answers);
  // The draft finishes on the version it was started on.
  return { answers: { ...answers, formVersion: answers.formVersion || String(row.formVersion) }, notice: row.notice, updatedAt: row.updatedAt };
}

/**
 * Deletes the user's draft of the concern this form key sends (inside the sending transaction).
 * A draft with another key (a second concern started since) is kept.
 */
export async function deleteSentDraft(sql: Db, userId: string, idempotencyKey: string): Promise<void> {
  await sql`delete from concern_drafts where user_id = ${userId} and lower(answers->>'idempotencyKey') = ${idempotencyKey.toLowerCase()}`;
}

/** Removes drafts last saved more than 7 days ago. */
export async function purgeOldDrafts(sql: Db): Promise<{ drafts: number }> {
  const deleted = await sql`delete from concern_drafts where updated_at <= now() - make_interval(days => ${DRAFT_DAYS})`;
  return { drafts: deleted.count };
}
