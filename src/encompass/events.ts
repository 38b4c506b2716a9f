// The steps a police notification (Operation Encompass) goes through, each a row of
// encompass_events: the one module that writes that table, so that the proof of receipt and the
// figures read one record. Every write takes the caller's transaction, so a step is recorded
// exactly when the change it records commits.
import type { Db } from '../db/connect.ts';

export const encompassEventKinds = ['sent', 'emailed', 'opened', 'acknowledged', 'escalated_to_dsls', 'escalated_to_front_door'] as const;
export type EncompassEventKind = (typeof encompassEventKinds)[number];

export interface EncompassEvent {
  notificationId: string;
  kind: EncompassEventKind;
  /** Who did it (sent, opened, acknowledged); null for the portal's own steps. */
  userId?: string | null;
  /** For `emailed`: the DSL e-mailed, or null for the front door's mailbox. */
  recipientUserId?: string | null;
  /** A few words, never a child's details (for example "front door mailbox"). */
  detail?: string | null;
  /** When it happened; the database's clock unless a step runs on an injected one (escalation). */
  at?: Date;
}

export async function recordEncompassEvent(tx: Db, event: EncompassEvent): Promise<void> {
  await tx`insert into encompass_events (notification_id, kind, user_id, recipient_user_id, detail, at)
           values (${event.notificationId}, ${event.kind}, ${event.userId ?? null}, ${event.recipientUserId ?? null}, ${event.detail ?? null},
                   coalesce(${event.at ?? null}::timestamptz, now()))`;
}

export interface EncompassEventRow {
  kind: EncompassEventKind;
  at: Date;
  userName: string | null;
  recipientName: string | null;
  detail: string | null;
}

/** A notification's steps, oldest first (for pages that already may read the notification). */
export async function eventsOf(sql: Db, notificationId: string): Promise<EncompassEventRow[]> {
  return sql<EncompassEventRow[]>`
    select e.kind, e.at, u.name as "userName", r.name as "recipientName", e.detail
    from encompass_events e left join users u on u.id = e.user_id left join users r on r.id = e.recipient_user_id
    where e.notification_id = ${notificationId} order by e.at, e.id`;
}
