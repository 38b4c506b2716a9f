// A school's (or the front door's) side of a police notification: opening it and acknowledging
// it (issue 14, point 3). Part of the gateway (./index.ts spreads these into the one it makes per
// request). Both take the policy's `acknowledge EncompassNotification` row filter, so only the
// notification's own recipients (its school's leads; the front door for its own) can open or
// acknowledge it: a police officer reading their own notification records no "opened", and any
// other id answers as a missing one.
//
// These write only the receipt columns of encompass_notifications (first_opened_at and the
// acknowledgement); the notification itself is written by ./encompass-records.ts when sent.
import type { Actor } from '../auth/actor.ts';
import { recordAccess } from '../audit/access-log.ts';
import type { Sql } from '../db/connect.ts';
import type { CheckedAcknowledgement } from '../encompass/acknowledge-form.ts';
import { recordEncompassEvent } from '../encompass/events.ts';
import { isUuid } from '../validation/ids.ts';
import { loggedAs } from './concern-writes.ts';
import { enqueueFiling } from './document-records.ts';
import type { Fragment } from './rules-to-sql.ts';

export type AcknowledgeOutcome =
  /** Acknowledged now, by this request. */
  | { outcome: 'acknowledged' }
  /** It already was (a retry, a double click, or another lead first): nothing changed. */
  | { outcome: 'already' };

/**
 * How many notifications the filter lets the actor acknowledge are not yet acknowledged, as a
 * column of a SELECT (the navigation's count: `counts` in src/access/index.ts). Counts only.
 */
export const encompassWaitingColumn = (sql: Sql, acknowledgeFilter: Fragment): Fragment =>
  sql`(select count(*) from encompass_notifications c where c.acknowledged_at is null and ${acknowledgeFilter})::int as "encompassWaiting"`;

export function encompassAcknowledgeMethods(sql: Sql, actor: Actor, acknowledgeFilter: () => Fragment, options: { recordLooks?: boolean; now?: () => Date }) {
  const now = options.now ?? (() => new Date());
  return {
    /**
     * Records that a recipient opened it: the first opening on the notification, and an 'opened'
     * step once per person. Nothing for anyone else, or for a HEAD request.
     */
    async recordEncompassOpened(id: string): Promise<void> {
      if (!isUuid(id) || options.recordLooks === false) return;
      await sql.begin(async (tx) => {
        const [row] = await tx<{ id: string }[]>`
          update encompass_notifications c set first_opened_at = coalesce(c.first_opened_at, ${now()})
          where c.id = ${id} and ${acknowledgeFilter()}
          returning c.id`;
        if (!row) return;
        const [seen] = await tx`select 1 from encompass_events where notification_id = ${id} and kind = 'opened' and user_id = ${actor.userId}`;
        if (!seen) await recordEncompassEvent(tx, { notificationId: id, kind: 'opened', userId: actor.userId, at: now() });
      });
    },

    /**
     * Acknowledges it with what the school will do: the columns, the step and the access log in
     * one transaction. Idempotent: once acknowledged, a second answer (a retry, another lead)
     * changes nothing and says so. Undefined where the actor may not acknowledge it (404).
     */
    async acknowledgeEncompass(id: string, answer: CheckedAcknowledgement): Promise<AcknowledgeOutcome | undefined> {
      if (!isUuid(id)) return undefined;
      return sql.begin(async (tx) => {
        // Locks the row: two leads answering at once are taken one after the other.
        const [row] = await tx<{ acknowledged: boolean; reference: string }[]>`
          select c.acknowledged_at is not null as acknowledged, c.reference from encompass_notifications c
          where c.id = ${id} and ${acknowledgeFilter()} for update`;
        if (!row) return undefined;
        if (row.acknowledged) return { outcome: 'already' } as const;
        const at = now();
        await tx`
          update encompass_notifications set acknowledged_at = ${at}, acknowledged_by_user_id = ${actor.userId}, acknowledged_by_name = ${actor.name},
                 school_action = ${answer.action}, school_action_detail = ${answer.detail}, first_opened_at = coalesce(first_opened_at, ${at})
          where id = ${id}`;
        await recordEncompassEvent(tx, { notificationId: id, kind: 'acknowledged', userId: actor.userId, detail: answer.action, at });
        // The notification as acknowledged is filed to each child's folder (docs/documents.md).
        await enqueueFiling(tx, { sourceKind: 'encompass', sourceId: id, event: 'acknowledged', organisationId: actor.organisationId, byName: actor.name });
        // One access-log row per child on record it is about (one with no child if none matched).
        const children = await tx<{ childId: string | null }[]>`
          select distinct child_id as "childId" from encompass_children where notification_id = ${id}`;
        const logged = children.some((c) => c.childId) ? children.filter((c) => c.childId) : [{ childId: null }];
        for (const child of logged) {
          await recordAccess(tx, { ...loggedAs(actor), childId: child.childId, action: 'acknowledge_encompass', fieldsReleased: [], reason: row.reference });
        }
        return { outcome: 'acknowledged' } as const;
      });
    },
  };
}
