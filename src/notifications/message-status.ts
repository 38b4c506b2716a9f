// Information governance's view of the outbox (the Messages page, the home page's count of
// failures) and its one write: retrying a failed message by hand. The outbox's other writers
// are outbox.ts (enqueue) and worker.ts (delivery); this reads no message text and no whole
// address, only the recipient's domain.
import type { Sql } from '../db/connect.ts';
import { recipientDomain } from './transport.ts';

export const messageStatuses = ['queued', 'sent', 'delivered', 'failed'] as const;
export type MessageStatus = (typeof messageStatuses)[number];
export const isMessageStatus = (value: string): value is MessageStatus => (messageStatuses as readonly string[]).includes(value);

export interface MessageRow {
  id: string;
  kind: string;
  recipientDomain: string;
  status: MessageStatus;
  attempts: number;
  createdAt: Date;
  sentAt: Date | null;
  failedAt: Date | null;
  /** Why it failed (failed), or why the last attempt did not go (queued): classified, no personal data. */
  reason: string | null;
  provider: string | null;
  retriesByHand: number;
}

/** The status a row is in, as SQL: failed, then delivered, then sent, else queued (migrations/020). */
const status = (sql: Sql) => sql`case when failed_at is not null then 'failed' when confirmed_at is not null then 'delivered'
                                  when delivered_at is not null then 'sent' else 'queued' end`;

/** The newest messages first (before an id, for the next page), optionally of one status. */
export async function listMessages(sql: Sql, { status: only, before, limit = 50 }: { status?: MessageStatus; before?: string; limit?: number }): Promise<MessageRow[]> {
  const rows = await sql<(Omit<MessageRow, 'recipientDomain'> & { recipient: string })[]>`
    select id::text as id, kind, recipient, ${status(sql)} as status, attempts,
           created_at as "createdAt", delivered_at as "sentAt", failed_at as "failedAt",
           case when failed_at is not null then failure_reason when delivered_at is null then last_error end as reason,
           provider, retries_by_hand as "retriesByHand"
    from outbox
    where ${before ? sql`id < ${before}::bigint` : sql`true`}
      and ${only ? sql`${status(sql)} = ${only}` : sql`true`}
    order by id desc
    limit ${limit}`;
  // Only the domain leaves this module: the Messages page never shows a whole address.
  return rows.map(({ recipient, ...row }) => ({ ...row, recipientDomain: recipientDomain(recipient) }));
}

/** How many messages are in each status. */
export async function messageCounts(sql: Sql): Promise<Record<MessageStatus, number>> {
  const rows = await sql<{ status: MessageStatus; n: number }[]>`
    select ${status(sql)} as status, count(*)::int as n from outbox group by 1`;
  const counts = { queued: 0, sent: 0, delivered: 0, failed: 0 };
  for (const row of rows) counts[row.status] = row.n;
  return counts;
}

/** Failed messages (the governance home page's count): the outbox_failed index answers it. */
export async function failedMessageCount(sql: Sql): Promise<number> {
  const [row] = await sql<{ n: number }[]>`select count(*)::int as n from outbox where failed_at is not null`;
  return row!.n;
}

/**
 * Puts a failed message back in the queue, to be sent afresh at once: attempts from 0, and a
 * new reference for the provider (retries_by_hand), so Notify's earlier failure is not taken for
 * this attempt. Returns false (changing nothing) unless the message exists and has failed.
 */
export async function retryByHand(sql: Sql, id: string): Promise<boolean> {
  if (!/^\d{1,18}$/.test(id)) return false;
  const rows = await sql`
    update outbox
    set failed_at = null, failure_reason = null, delivered_at = null, confirmed_at = null,
        provider = null, provider_message_id = null, status_checked_at = null,
        attempts = 0, available_at = now(), locked_until = null, retries_by_hand = retries_by_hand + 1
    where id = ${id}::bigint and failed_at is not null
    returning id`;
  return rows.length === 1;
}
