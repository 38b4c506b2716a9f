// The notification outbox (migrations/006_outbox.sql). enqueue() writes a message in the
// caller's own transaction, so a notification is sent exactly when the change it announces
// commits: a concern, its chronology entry, its audit row and its notification commit or roll
// back together. src/notifications/worker.ts delivers what was committed.
import type { Db } from '../db/connect.ts';

export interface OutgoingMessage {
  /** What the message is about, e.g. 'concern_received', 'concern_decided'. */
  kind: string;
  /** An e-mail address. */
  recipient: string;
  /** Build subject and body with src/notifications/messages.ts, never by hand. */
  subject: string;
  body: string;
  /**
   * The caller's idempotency key for this message, e.g. `concern_received:SPP-2026-000123:front-door`.
   * Enqueuing the same key again (a retried request) adds nothing.
   */
  dedupeKey: string;
}

// A backstop only: the guarantee is that message text comes from the fixed templates in
// messages.ts, which take no child data. These catch the commonest kinds of child detail should
// someone build text elsewhere: identifiers, dates and postcodes. Names cannot be caught this way.
// Each pattern refuses a neighbouring digit or dot, so the portal's references (SPP-2026-000123)
// and addresses such as http://127.0.0.1:3000 pass.
const CHILD_DETAIL_PATTERNS: ReadonlyArray<[string, RegExp]> = [
  // NHS number: ten digits, often written 943 476 5919
  ['an NHS number', /(?<![\d.])\d{3}[ -]?\d{3}[ -]?\d{4}(?![\d.])/],
  // Unique pupil number: a letter, eleven digits and a digit or letter
  ['a unique pupil number', /(?<![A-Za-z\d])[A-Za-z]\d{11}[A-Za-z\d](?![A-Za-z\d])/],
  // Dates such as 03/04/2015, 3.4.15, 2015-04-03 and 3 April 2015
  ['a date', /(?<![\d.])\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}(?![\d.])/],
  ['a date', /(?<![\d.])\d{4}-\d{1,2}-\d{1,2}(?![\d.])/],
  ['a date', /(?<!\d)\d{1,2}(st|nd|rd|th)?\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b/i],
  // Postcodes such as SW1A 1AA or M1 1AE
  ['a postcode', /\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b/i],
];

/** Throws when text looks as though it holds a child's details. Never echoes the text. */
export function assertNoChildDetails(text: string): void {
  for (const [what, pattern] of CHILD_DETAIL_PATTERNS) {
    if (pattern.test(text)) {
      throw new Error(`Notification text appears to contain ${what}; e-mails must not carry child details`);
    }
  }
}

/**
 * Queues a message for delivery when `tx` commits. Pass the caller's transaction (the `tx` of
 * `sql.begin`) so the message commits or rolls back with the change it announces. The same
 * dedupeKey twice makes one message (the first one's text is kept).
 */
export async function enqueue(tx: Db, message: OutgoingMessage): Promise<void> {
  if (message.kind === '') throw new Error('Notification kind is required');
  if (message.dedupeKey === '') throw new Error('Notification dedupeKey is required');
  if (!/^[^\s@]+@[^\s@]+$/.test(message.recipient)) throw new Error('Notification recipient must be an e-mail address');
  assertNoChildDetails(message.subject);
  assertNoChildDetails(message.body);
  const row = { kind: message.kind, recipient: message.recipient, subject: message.subject, body: message.body, dedupe_key: message.dedupeKey };
  await tx`
    insert into outbox ${tx(row, 'kind', 'recipient', 'subject', 'body', 'dedupe_key')}
    on conflict (dedupe_key) do nothing`;
}
